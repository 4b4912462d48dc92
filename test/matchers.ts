import { Tensor } from '@tapegrad/core';

/** Options of `toBeAllClose`: |actual - expected| <= atol + rtol * |expected|, elementwise. */
export interface AllCloseOptions {
  rtol?: number;
  atol?: number;
}

type Numeric = Tensor | number | ArrayLike<number> | NestedNumbers;
type NestedNumbers = number | boolean | NestedNumbers[];

function flatten(x: Numeric): { shape: number[] | null; values: number[] } {
  if (x instanceof Tensor) return { shape: x.shape, values: Array.from(x.data as ArrayLike<number>) };
  if (typeof x === 'number' || typeof x === 'boolean') return { shape: [], values: [Number(x)] };
  if (ArrayBuffer.isView(x)) return { shape: null, values: Array.from(x as ArrayLike<number>) };
  const shape: number[] = [];
  let p: unknown = x;
  while (Array.isArray(p)) {
    shape.push(p.length);
    p = p[0];
  }
  return { shape, values: (x as NestedNumbers[]).flat(Infinity as 1).map(Number) };
}

/**
 * The shared matcher: shapes must agree (when both sides have one) and every element must be
 * within `atol + rtol * |expected|`; NaN matches NaN. The failure message names the worst element.
 */
export function toBeAllClose(actual: Numeric, expected: Numeric, opts: AllCloseOptions = {}) {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.shape && e.shape && (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape![i])))
    return { pass: false, message: () => `expected shape [${e.shape}], got [${a.shape}]` };
  if (a.values.length !== e.values.length)
    return { pass: false, message: () => `expected ${e.values.length} elements, got ${a.values.length}` };
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  return {
    pass: worst < 0,
    message: () =>
      worst < 0
        ? `expected values not to be all close`
        : `expected all close (rtol=${rtol}, atol=${atol}); worst at flat index ${worst}: got ${a.values[worst]}, expected ${e.values[worst]}`,
  };
}

interface AllCloseMatchers<R = unknown> {
  /** Elementwise |actual - expected| <= atol + rtol * |expected| (shapes must agree). */
  toBeAllClose(expected: Numeric, opts?: AllCloseOptions): R;
}

declare module 'vitest' {
  // Vitest >= 3.2 merges custom matchers through the Matchers interface.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends AllCloseMatchers<T> {}
}
