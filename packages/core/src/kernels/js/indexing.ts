import { makeView } from '../view.js';
import { sizeOf } from '../../shape.js';
import type { View } from '../backend.js';
import { alloc, copyInto, dtypeOf } from './alloc.js';

// Indexing kernels: gather / scatterAdd work element by element along one dim, indexSelect /
// indexAdd copy whole slices. Index values were range-checked by the calling op.

/**
 * Visits every multi-index of `shape` in row-major order. For each, `offs[v]` holds the storage
 * offset of that element in view `v` (`starts[v] + sum_d idx[d] * strides[v][d]`).
 */
function walk(
  shape: readonly number[],
  strides: ReadonlyArray<readonly number[]>,
  starts: readonly number[],
  visit: (offs: readonly number[]) => void,
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const nd = shape.length;
  const m = strides.length;
  const offs = [...starts];
  const idx = new Array<number>(nd).fill(0);
  for (let count = 0; count < n; count++) {
    visit(offs);
    // advance the odometer; a dim that wraps around rewinds its offsets
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      for (let v = 0; v < m; v++) offs[v]! += strides[v]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let v = 0; v < m; v++) offs[v]! -= strides[v]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** The strides of `v` with the one of `dim` zeroed: the offset of `[..., 0, ...]` along dim. */
function withoutDim(v: View, dim: number): number[] {
  return v.stride.map((s, d) => (d === dim ? 0 : s));
}

/** A fresh contiguous copy of `x` (never `x` itself: the result is written to). */
function copyOf(x: View): View {
  const out = alloc(dtypeOf(x), x.shape);
  copyInto(out, x);
  return out;
}

/** The slice of `v` at position `i` along `dim` (that dim removed), sharing storage. */
function sliceAt(v: View, dim: number, i: number): View {
  const shape = v.shape.filter((_, d) => d !== dim);
  const stride = v.stride.filter((_, d) => d !== dim);
  return makeView(v.data, shape, stride, v.offset + i * v.stride[dim]!);
}

/** `out[p] = x[p with p[dim] replaced by index[p]]`; out has index's shape and x's dtype. */
export function gather(x: View, dim: number, index: View): View {
  const out = alloc(dtypeOf(x), index.shape);
  const od = out.data;
  const xd = x.data;
  const id = index.data;
  const step = x.stride[dim] ?? 0;
  let k = 0;
  walk(index.shape, [index.stride, withoutDim(x, dim)], [index.offset, x.offset], (o) => {
    od[k++] = xd[o[1]! + id[o[0]!]! * step]!;
  });
  return out;
}

/** A copy of `x` with `out[p with p[dim] replaced by index[p]] += src[p]` for every p of index's shape. */
export function scatterAdd(x: View, dim: number, index: View, src: View): View {
  const out = copyOf(x);
  const od = out.data;
  const sd = src.data;
  const id = index.data;
  const step = out.stride[dim] ?? 0;
  walk(index.shape, [index.stride, src.stride, withoutDim(out, dim)], [index.offset, src.offset, 0], (o) => {
    od[o[2]! + id[o[0]!]! * step]! += sd[o[1]!]!;
  });
  return out;
}

/** `out` with `out[..., j, ...] = x[..., index[j], ...]` along `dim` (index 1-D, x at least 1-D). */
export function indexSelect(x: View, dim: number, index: View): View {
  const n = index.shape[0] ?? 1;
  const shape = x.shape.slice();
  shape[dim] = n;
  const out = alloc(dtypeOf(x), shape);
  const at = (j: number) => index.data[index.offset + j * (index.stride[0] ?? 0)]!;
  for (let j = 0; j < n; j++) copyInto(sliceAt(out, dim, j), sliceAt(x, dim, at(j)));
  return out;
}

/** A copy of `x` with `out[..., index[j], ...] += src[..., j, ...]` along `dim` (index 1-D, x at least 1-D). */
export function indexAdd(x: View, dim: number, index: View, src: View): View {
  const out = copyOf(x);
  const od = out.data;
  const sd = src.data;
  const n = index.shape[0] ?? 1;
  for (let j = 0; j < n; j++) {
    const i = index.data[index.offset + j * (index.stride[0] ?? 0)]!;
    const dst = sliceAt(out, dim, i);
    const s = sliceAt(src, dim, j);
    walk(dst.shape, [dst.stride, s.stride], [dst.offset, s.offset], (o) => {
      od[o[0]!]! += sd[o[1]!]!;
    });
  }
  return out;
}
