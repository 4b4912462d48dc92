import { expect } from 'vitest';
import { Generator, randn } from '@tapegrad/core';
import type { View } from '../src/kernels/backend.js';
import { makeView } from '../src/kernels/view.js';

// Views shared by the convolution kernel tests (winograd.test.ts, winograd4.test.ts): random
// float32 operands, their float64 twins for the reference, and the values of a dense result.

/** A source of dense float32 views of N(0, 1) values, each drawn with the next seed from `firstSeed`. */
export function normalViews(firstSeed: number): (shape: number[]) => View {
  let seed = firstSeed;
  return (shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(randn([n], { generator: new Generator(seed++) }).data as Float32Array);
    return makeView(data, shape);
  };
}

/** The same view over a float64 copy of its storage (same strides and offset). */
export function f64(v: View): View {
  return makeView(Float64Array.from(v.data as Float32Array), v.shape, v.stride, v.offset);
}

/** True if the view is its whole storage in row-major order. */
export function isDense(v: View): boolean {
  let s = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    if (v.shape[i] !== 1 && v.stride[i] !== s) return false;
    s *= v.shape[i]!;
  }
  return v.offset === 0 && v.data.length === s;
}

/** The values of a dense view (kernel results are dense; the test fails otherwise). */
export function values(v: View): number[] {
  expect(isDense(v)).toBe(true);
  return Array.from(v.data as ArrayLike<number>);
}
