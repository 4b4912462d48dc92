import { allocateUninitialized, type DType } from '../../dtype.js';
import type { View } from '../backend.js';

// View helpers the native backend's files share (backend.ts, staged.ts).

/** Most dims a parameter block describes (the addon's MAX_ND). @internal */
export const MAX_ND = 16;

/** A contiguous view over a fresh, uninitialised array (fields in makeView's order: one hidden class). @internal */
export function fresh(dtype: DType, shape: readonly number[]): View {
  let size = 1;
  const stride = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    stride[i] = size;
    size *= shape[i]!;
  }
  return { data: allocateUninitialized(dtype, size), shape: shape.slice(), stride, offset: 0, size };
}

/** True when the view's elements are one row-major run from its offset (size-1 dims ignored). @internal */
export function isContiguous(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    if (v.shape[i] !== 1 && v.stride[i] !== expected) return false;
    expected *= v.shape[i]!;
  }
  return true;
}
