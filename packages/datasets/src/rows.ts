// Row-level helpers on contiguous typed arrays: the fast paths of the data pipeline.
// Nothing here records on the autograd tape; data loading produces leaf tensors.
import { Tensor, ValueError, allocate, sizeOf, type DType, type TypedArray } from '@tapegrad/core';

/** Throws unless `i` is an integer in `[0, n)`. */
export function checkIndex(op: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new ValueError(`${op}: index ${i} is out of range for a dataset of length ${n}`);
}

/**
 * Copies rows `indices` of a row-major array with rows of `rowSize` elements into a new array
 * of `dtype`, in the order given. One `set` per row (or a plain loop for short rows).
 */
export function gatherRows(
  op: string,
  src: TypedArray,
  rowSize: number,
  indices: ArrayLike<number>,
  dtype: DType,
): TypedArray {
  const rows = rowSize === 0 ? 0 : src.length / rowSize;
  const k = indices.length;
  const out = allocate(dtype, k * rowSize);
  if (rowSize === 1) {
    for (let j = 0; j < k; j++) {
      const r = indices[j]!;
      if (!(r >= 0 && r < rows)) checkIndex(op, r, rows);
      out[j] = src[r]!;
    }
  } else if (rowSize < 16) {
    for (let j = 0; j < k; j++) {
      const r = indices[j]!;
      if (!(r >= 0 && r < rows)) checkIndex(op, r, rows);
      const s = r * rowSize;
      const o = j * rowSize;
      for (let c = 0; c < rowSize; c++) out[o + c] = src[s + c]!;
    }
  } else {
    for (let j = 0; j < k; j++) {
      const r = indices[j]!;
      if (!(r >= 0 && r < rows)) checkIndex(op, r, rows);
      out.set(src.subarray(r * rowSize, (r + 1) * rowSize), j * rowSize);
    }
  }
  return out;
}

/** Rows `indices` (along dim 0) of `t` as a new contiguous tensor `[K, ...rest]`. */
export function takeRows(op: string, t: Tensor, indices: ArrayLike<number>): Tensor {
  const shape = t.shape;
  const rowShape = shape.slice(1);
  const data = gatherRows(op, t.data, sizeOf(rowShape), indices, t.dtype);
  return Tensor.fromData(data, [indices.length, ...rowShape], t.dtype);
}

/** Row `i` of `t` as a view of the same storage (shape `t.shape.slice(1)`), cut from the tape. */
export function rowView(t: Tensor, i: number): Tensor {
  const strides = t.strides;
  return new Tensor(t.storage, t.shape.slice(1), strides.slice(1), t.offset + i * strides[0]!);
}

/** The identity permutation 0..n-1. */
export function arangeInt32(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}
