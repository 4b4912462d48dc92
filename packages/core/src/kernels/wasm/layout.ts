import type { View } from '../backend.js';

// Shape and stride arithmetic shared by the wasm kernels' drivers: no memory, no runtime.

export function isF32(v: View): boolean {
  return v.data instanceof Float32Array;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export { isRowMajor } from '../view.js';

/**
 * Merges adjacent dims of the output shape that every operand traverses uniformly, dropping
 * size-1 dims: `[N, C, H, W]` plus a `[C, 1, 1]` bias collapses to `[N, C, H*W]`. Returns at
 * least two dims (leading 1s added) and each operand's strides over them.
 */
export function collapse(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { dims: number[]; st: number[][] } {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && strides.every((s, v) => st[v]![k] === s[i]! * shape[i]!)) {
      dims[k] *= shape[i]!;
      strides.forEach((s, v) => (st[v]![k] = s[i]!));
    } else {
      dims.push(shape[i]!);
      strides.forEach((s, v) => st[v]!.push(s[i]!));
    }
  }
  while (dims.length < 2) {
    dims.unshift(1);
    for (const s of st) s.unshift(0);
  }
  return { dims, st };
}

/**
 * Runs a row kernel over the collapsed operands: `kernel(m, n, ptrs, rowStrides, colStrides, out)`
 * once per slice of the dims outside the last two (an odometer over those).
 */
export function forSlices(
  dims: number[], st: number[][], ptrs: number[], sizes: number[], out: number, outBytes: number,
  kernel: (m: number, n: number, p: number[], out: number) => void,
): void {
  const nd = dims.length;
  const m = dims[nd - 2]!;
  const n = dims[nd - 1]!;
  const outer = dims.slice(0, nd - 2);
  const idx = new Array<number>(outer.length).fill(0);
  const slices = sizeOf(outer);
  const p = [...ptrs];
  for (let s = 0; s < slices; s++) {
    kernel(m, n, p, out + s * m * n * outBytes);
    for (let d = outer.length - 1; d >= 0; d--) {
      idx[d]!++;
      for (let v = 0; v < p.length; v++) p[v]! += st[v]![d]! * sizes[v]!;
      if (idx[d]! < outer[d]!) break;
      for (let v = 0; v < p.length; v++) p[v]! -= st[v]![d]! * sizes[v]! * outer[d]!;
      idx[d] = 0;
    }
  }
}

export function outSize(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}
