import { makeView } from '../view.js';
import { sizeOf } from '../../shape.js';
import type { View } from '../backend.js';
import { alloc, copyInto, dtypeOf } from './alloc.js';
import { IndexRangeError } from '../index-range-error.js';
import { isRowMajor } from '../view.js';

// Indexing kernels: gather / scatterAdd work element by element along one dim, indexSelect /
// indexAdd copy whole slices. Index values were range-checked by the calling op, except
// scatterAdd's: it checks them as it goes (throwing IndexRangeError), sparing the op a pass.

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

/**
 * A copy of `x` with `out[p with p[dim] replaced by index[p]] += src[p]` for every p of index's
 * shape, in row-major order of p. Throws IndexRangeError at the first index value outside
 * `[0, x.shape[dim])` (the op reports it).
 */
export function scatterAdd(x: View, dim: number, index: View, src: View): View {
  const out = copyOf(x);
  const od = out.data;
  const sd = src.data;
  const id = index.data;
  const step = out.stride[dim] ?? 0;
  const size = out.shape[dim] ?? 1;
  if (index.shape.length === 1) {
    // one line (a histogram, an embedding-bag sum): a plain loop, same order of additions
    const n = index.shape[0]!;
    const is = index.stride[0]!;
    const ss = src.stride[0]!;
    for (let i = 0, ip = index.offset, sp = src.offset; i < n; i++, ip += is, sp += ss) {
      const k = id[ip]!;
      if (!(k >= 0 && k < size)) throw new IndexRangeError(k, size);
      od[k * step]! += sd[sp]!;
    }
    return out;
  }
  walk(index.shape, [index.stride, src.stride, withoutDim(out, dim)], [index.offset, src.offset, 0], (o) => {
    const k = id[o[0]!]!;
    if (!(k >= 0 && k < size)) throw new IndexRangeError(k, size);
    od[o[2]! + k * step]! += sd[o[1]!]!;
  });
  return out;
}


/** The sizes before and after `dim`: a row-major view is `[outer, shape[dim], inner]`. */
function around(shape: readonly number[], dim: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d]!;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  return { outer, inner };
}

/** `out` with `out[..., j, ...] = x[..., index[j], ...]` along `dim` (index 1-D, x at least 1-D). */
export function indexSelect(x: View, dim: number, index: View): View {
  const n = index.shape[0] ?? 1;
  const shape = x.shape.slice();
  shape[dim] = n;
  const out = alloc(dtypeOf(x), shape);
  const at = (j: number) => index.data[index.offset + j * (index.stride[0] ?? 0)]!;
  if (isRowMajor(x.shape, x.stride)) {
    // rows of `inner` contiguous elements, copied whole (embedding lookups: x [V, D], dim 0)
    const { outer, inner } = around(x.shape, dim);
    const D = x.shape[dim]!;
    const xd = x.data;
    const od = out.data;
    for (let j = 0; j < n; j++) {
      const k = at(j);
      for (let o = 0; o < outer; o++) {
        const from = x.offset + (o * D + k) * inner;
        const to = (o * n + j) * inner;
        if (inner >= 16) od.set(xd.subarray(from, from + inner), to);
        else for (let t = 0; t < inner; t++) od[to + t] = xd[from + t]!;
      }
    }
    return out;
  }
  for (let j = 0; j < n; j++) copyInto(sliceAt(out, dim, j), sliceAt(x, dim, at(j)));
  return out;
}

/**
 * A copy of `x` with `out[..., index[j], ...] += src[..., j, ...]` along `dim` (index 1-D, x at
 * least 1-D), slice after slice in index order (each element sums in that order).
 */
export function indexAdd(x: View, dim: number, index: View, src: View): View {
  const out = copyOf(x);
  const od = out.data;
  const sd = src.data;
  const n = index.shape[0] ?? 1;
  const at = (j: number) => index.data[index.offset + j * (index.stride[0] ?? 0)]!;
  if (isRowMajor(src.shape, src.stride)) {
    // rows of `inner` contiguous elements (an embedding's gradient: [V, D] from [B, D], dim 0)
    const { outer, inner } = around(out.shape, dim);
    const D = out.shape[dim]!;
    for (let j = 0; j < n; j++) {
      const k = at(j);
      for (let o = 0; o < outer; o++) {
        const to = (o * D + k) * inner;
        const from = src.offset + (o * n + j) * inner;
        for (let t = 0; t < inner; t++) od[to + t]! += sd[from + t]!;
      }
    }
    return out;
  }
  for (let j = 0; j < n; j++) {
    const dst = sliceAt(out, dim, at(j));
    const s = sliceAt(src, dim, j);
    walk(dst.shape, [dst.stride, s.stride], [dst.offset, s.offset], (o) => {
      od[o[0]!]! += sd[o[1]!]!;
    });
  }
  return out;
}

// issue 17 indexing

/** How {@link scatterReduce} combines a src value with what its target holds. */
type ScatterCombine = 'assign' | 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/** `a op b` for the combining reductions (amax/amin propagate NaN; int32 products wrap as int32). */
function combine(op: ScatterCombine, a: number, b: number, int: boolean): number {
  switch (op) {
    case 'sum':
    case 'mean':
      return a + b;
    case 'prod':
      return int ? Math.imul(a, b) : a * b;
    case 'amax':
      return b > a || b !== b ? b : a;
    case 'amin':
      return b < a || b !== b ? b : a;
    default:
      return b;
  }
}

/**
 * A copy of `x` where each `src[p]` (p over index's shape) is combined into
 * `out[p with p[dim] replaced by index[p]]`: assigned (the last write wins), summed, multiplied,
 * averaged or maxed/minned. Without `includeSelf` a target that any src reaches starts from its
 * first src value instead of x's. Integer means round down, as PyTorch's.
 */
export function scatterReduce(x: View, dim: number, index: View, src: View, reduce: ScatterCombine, includeSelf: boolean): View {
  const out = copyOf(x);
  const od = out.data;
  const sd = src.data;
  const id = index.data;
  const step = out.stride[dim] ?? 0;
  const int = od instanceof Int32Array;
  // How many src values reached each (contiguous) out element.
  const count = new Int32Array(out.size);
  walk(index.shape, [index.stride, src.stride, withoutDim(out, dim)], [index.offset, src.offset, 0], (o) => {
    const p = o[2]! + id[o[0]!]! * step;
    const v = sd[o[1]!]!;
    od[p] = reduce === 'assign' || (count[p] === 0 && !includeSelf) ? v : combine(reduce, od[p]!, v, int);
    count[p]!++;
  });
  if (reduce === 'mean')
    for (let p = 0; p < count.length; p++) {
      const n = count[p]! + (includeSelf ? 1 : 0);
      if (count[p] === 0) continue;
      od[p] = int ? Math.floor(od[p]! / n) : od[p]! / n;
    }
  return out;
}

/** The multi-indices of the non-zero elements of `x` in row-major order: int32 `[n, ndim]`. */
export function nonzero(x: View): View {
  const nd = x.shape.length;
  const hits: number[] = [];
  const idx = new Array<number>(nd).fill(0);
  let k = 0;
  walk(x.shape, [x.stride], [x.offset], (o) => {
    const v = x.data[o[0]!]!;
    if (v !== 0) hits.push(k);
    k++;
  });
  const out = alloc('int32', [hits.length, nd]);
  const od = out.data;
  hits.forEach((flat, j) => {
    for (let d = nd - 1; d >= 0; d--) {
      idx[d] = flat % x.shape[d]!;
      flat = Math.floor(flat / x.shape[d]!);
    }
    for (let d = 0; d < nd; d++) od[j * nd + d] = idx[d]!;
  });
  return out;
}

/**
 * For each value, the insertion position in its row of `sorted` that keeps the row sorted:
 * the first position whose element is `>= value` (`> value` with `right`). `sorted` is `[B, M]`
 * (or `[1, M]`, one row for every value row), `values` `[B, K]`, `sorter` (int32, sorted's shape)
 * the order in which to read each row, or null. NaN counts as larger than everything, as in
 * PyTorch. Returns int32 `[B, K]`.
 */
export function searchsorted(sorted: View, values: View, right: boolean, sorter: View | null): View {
  const [b, k] = values.shape as [number, number];
  const m = sorted.shape[1]!;
  const out = alloc('int32', [b, k]);
  const od = out.data;
  const sd = sorted.data;
  const [s0, s1] = sorted.shape[0] === 1 ? [0, sorted.stride[1]!] : [sorted.stride[0]!, sorted.stride[1]!];
  for (let r = 0; r < b; r++) {
    const base = sorted.offset + r * s0;
    const at = sorter
      ? (i: number) => sd[base + sorter.data[sorter.offset + (sorted.shape[0] === 1 ? 0 : r * sorter.stride[0]!) + i * sorter.stride[1]!]! * s1]!
      : (i: number) => sd[base + i * s1]!;
    for (let j = 0; j < k; j++) {
      const v = values.data[values.offset + r * values.stride[0]! + j * values.stride[1]!]!;
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const e = at(mid);
        if (right ? !(e > v) : !(e >= v)) lo = mid + 1;
        else hi = mid;
      }
      od[r * k + j] = lo;
    }
  }
  return out;
}
