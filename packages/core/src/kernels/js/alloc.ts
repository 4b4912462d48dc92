import { allocate, type DType } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import type { View } from '../backend.js';
import { isRowMajor, makeView } from '../view.js';

/** A contiguous zero-filled view of a new typed array. */
export function alloc(dtype: DType, shape: readonly number[]): View {
  return makeView(allocate(dtype, sizeOf(shape)), shape);
}

/** True if a view covers its whole storage row-major from offset 0 (flat loops are valid). */
export function isDense(v: View): boolean {
  return v.offset === 0 && v.data.length === v.size && isRowMajor(v.shape, v.stride);
}

/** A contiguous row-major copy of `x` in `dtype` (the input itself if already so). */
export function toContiguous(x: View, dtype?: DType): View {
  const want = dtype;
  if (isDense(x) && (want === undefined || sameKind(x, want))) return x;
  const out = alloc(want ?? dtypeOf(x), x.shape);
  copyInto(out, x);
  return out;
}

function sameKind(x: View, dtype: DType): boolean {
  return dtypeOf(x) === dtype;
}

/** The tapegrad dtype of a view's array. */
export function dtypeOf(x: View): DType {
  const d = x.data;
  if (d instanceof Float32Array) return 'float32';
  if (d instanceof Float64Array) return 'float64';
  if (d instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Strided copy `dst = src` (same shape), by an odometer over the dims. */
export function copyInto(dst: View, src: View): void {
  const n = dst.size;
  if (n === 0) return;
  const nd = dst.shape.length;
  const dd = dst.data;
  const sd = src.data;
  const toBool = dd instanceof Uint8Array;
  if (nd === 0) {
    dd[dst.offset] = toBool ? (sd[src.offset] !== 0 ? 1 : 0) : sd[src.offset]!;
    return;
  }
  const shape = dst.shape;
  const ds = dst.stride;
  const ss = src.stride;
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const len = shape[last]!;
  const dsl = ds[last]!;
  const ssl = ss[last]!;
  let dp = dst.offset;
  let sp = src.offset;
  for (let count = 0; count < n; count += len) {
    // Non-zero is true, NaN included (as PyTorch); NaN is falsy in JS, so compare with 0.
    if (toBool) for (let i = 0; i < len; i++) dd[dp + i * dsl] = sd[sp + i * ssl] !== 0 ? 1 : 0;
    else for (let i = 0; i < len; i++) dd[dp + i * dsl] = sd[sp + i * ssl]!;
    // advance the odometer over the outer dims
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      dp += ds[d]!;
      sp += ss[d]!;
      if (idx[d]! < shape[d]!) break;
      dp -= ds[d]! * shape[d]!;
      sp -= ss[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
