import { contiguousStrides, sizeOf } from '../shape.js';
import type { TypedArray, View } from './backend.js';

// A plain object with the same fields in the same order every time, so that every view shares
// one hidden class whatever its rank and array type (kernels that read views stay monomorphic).
// It replaces ndarray's views: those are made by classes generated with `new Function` per
// (array type, rank), which a Content-Security-Policy without 'unsafe-eval' refuses, and whose
// construction cost grew with the rank.

/**
 * A strided view of `data`: `shape` and `stride` are copied (the caller may reuse its arrays),
 * strides default to row-major, `size` is the product of the shape. O(rank), no code
 * generation. @internal
 */
export function makeView(
  data: TypedArray,
  shape: readonly number[],
  stride?: readonly number[],
  offset = 0,
): View {
  const st = stride === undefined ? contiguousStrides(shape) : stride.slice();
  return { data, shape: shape.slice(), stride: st, offset, size: sizeOf(shape) };
}

/**
 * True if `stride` walks `shape` in row-major order without gaps, from any offset (size-1 dims
 * may have any stride): flat loops over `size` elements from the offset are then valid. @internal
 */
export function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}
