import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { isFloating } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { gatherPrimitive } from './gather.js';
import { where } from './where.js';

// Sorting and order statistics (issue 17): sort, argsort, topk, kthvalue, median, nanmedian,
// mode, quantile, nanquantile. One kernel sorts every line along a dim (NaN largest, stable);
// each op picks its indices from that, and its values are `gather(x, dim, indices)`, so the
// gradient goes to the chosen elements (gather's rule, a scatter-add) and differentiates again.

/**
 * The values at `indices` along `dim`: the kernel's `values` when nothing needs a gradient, else
 * a recorded gather from x (its backward scatters to the indices). @internal
 */
export function pickAlong(x: Tensor, dim: number, indices: Tensor, values: Tensor): Tensor {
  if (!(x.requiresGrad && isGradEnabled())) return values;
  return gatherPrimitive(x, dim, indices);
}

/** Sorted values and indices of x along `dim` (normalised); a 0-d x is one element. @internal */
export function sortAlong(x: Tensor, dim: number, descending: boolean, k?: number): { values: Tensor; indices: Tensor; raw: Sorted } {
  if (x.ndim === 0) {
    const r = sortAlong(x.reshape([1]), 0, descending, k);
    return k === 0 ? r : { values: r.values.reshape([]), indices: r.indices.reshape([]), raw: r.raw };
  }
  const kern = K().sort(x.nd, dim, descending, x.dtype, k);
  const indices = Tensor.fromView(kern.indices, 'int32');
  const raw = linesView(kern.values.data, kern.indices.data as Int32Array, kern.values.shape, dim);
  return { values: pickAlong(x, dim, indices, Tensor.fromView(kern.values, x.dtype)), indices, raw };
}

/** The sorted kernel output (contiguous, x's shape) seen as lines along the sorted dim. @internal */
export interface Sorted {
  values: ArrayLike<number>;
  indices: Int32Array;
  /** Number of lines (every position outside the dim). */
  lines: number;
  /** Length of each line. */
  n: number;
  /** Flat position of element k of line l: `start(l) + k * step`. */
  start(l: number): number;
  step: number;
}

function linesView(values: ArrayLike<number>, indices: Int32Array, shape: readonly number[], dim: number): Sorted {
  const n = shape.length === 0 ? 1 : shape[dim]!;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  let outer = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  return { values, indices, lines: outer * inner, n, step: inner, start: (l) => Math.floor(l / inner) * n * inner + (l % inner) };
}

/**
 * One element chosen per line of a sort along `dim`: `choose(line, n)` returns the sorted
 * position; the result is the chosen original indices in keepdim shape (size 1 at `dim`) and
 * the values gathered there from x (differentiable), both without `dim` unless `keepdim`. @internal
 */
export function selectSorted(
  x: Tensor, dim: number, keepdim: boolean, choose: (s: Sorted, line: number) => number,
): { values: Tensor; indices: Tensor } {
  const s = sortAlong(x.detach(), dim, false).raw;
  const keptShape = x.shape.map((v, i) => (i === dim ? 1 : v));
  const idx = new Int32Array(s.lines);
  const vals = new Float64Array(s.lines);
  for (let l = 0; l < s.lines; l++) {
    const p = s.start(l) + choose(s, l) * s.step;
    idx[l] = s.indices[p]!;
    vals[l] = s.values[p]!;
  }
  const indices = Tensor.fromData(idx, keptShape, 'int32');
  const plain = Tensor.fromData(vals, keptShape, 'float64').to(x.dtype);
  let values = pickAlong(x, dim, indices, plain);
  let out = indices;
  if (!keepdim) {
    const shape = x.shape.filter((_, i) => i !== dim);
    values = values.reshape(shape);
    out = indices.reshape(shape);
  }
  return { values, indices: out };
}

const SORT = defineOptions('sort', { descending: 'boolean', stable: 'boolean' });
const ARGSORT = defineOptions('argsort', { descending: 'boolean', stable: 'boolean' });

/**
 * Options of {@link sort} and {@link argsort}.
 *
 * @example
 * const opts: SortOptions = { descending: true };
 * sort(tensor([2, 3, 1]), 0, opts).values.toArray(); // [3, 2, 1]
 */
export interface SortOptions {
  /** Largest first (default false). */
  descending?: boolean;
  /** Keep equal elements in input order. Accepted for PyTorch parity: tapegrad's sort is always stable. */
  stable?: boolean;
}

/**
 * Sorts along `dim` (default last): `{ values, indices }` with `values = gather(x, dim, indices)`
 * (PyTorch's `torch.sort(x, dim, descending, stable)`; here `sort(x, dim?, { descending, stable })`).
 * NaN counts as larger than every number: last ascending, first descending, as in PyTorch.
 * Always stable: equal elements keep their input order.
 *
 * x - shape [...S]; returns `values` (x's dtype) and `indices` (int32), both shape [...S].
 * Gradient: each value's gradient goes back to the element it came from.
 *
 * @throws ValueError `sort: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const { values, indices } = sort(tensor([3, NaN, 1, 2]));
 * values.toArray(); // [1, 2, 3, NaN]
 * indices.toArray(); // [2, 3, 0, 1]
 * sort(tensor([[1, 3], [4, 2]]), 0, { descending: true }).values.toArray(); // [[4, 3], [1, 2]]
 */
export function sort(x: Tensor, dim = -1, opts?: SortOptions): { values: Tensor; indices: Tensor } {
  requireTensor('sort', 'x', x);
  const { descending = false } = checkOptions(SORT, opts);
  return sortAlong(x, normalizeDim('sort', dim, x.shape), descending);
}

/**
 * The indices that sort `x` along `dim` (default last): {@link sort}'s `indices` (PyTorch's
 * `torch.argsort`). int32, x's shape; stable; NaN largest. No gradient.
 *
 * @throws ValueError `argsort: dim 1 is out of range for a tensor of 1 dims (shape [3])`
 * @example
 * argsort(tensor([3, 1, 2])).toArray(); // [1, 2, 0]
 * argsort(tensor([3, 1, 2]), 0, { descending: true }).toArray(); // [0, 2, 1]
 */
export function argsort(x: Tensor, dim = -1, opts?: SortOptions): Tensor {
  requireTensor('argsort', 'x', x);
  const { descending = false } = checkOptions(ARGSORT, opts);
  return sortAlong(x.detach(), normalizeDim('argsort', dim, x.shape), descending).indices;
}

const TOPK = defineOptions('topk', { largest: 'boolean', sorted: 'boolean' });

/**
 * Options of {@link topk}.
 *
 * @example
 * const opts: TopkOptions = { largest: false };
 * topk(tensor([3, 1, 2]), 2, 0, opts).values.toArray(); // [1, 2]
 */
export interface TopkOptions {
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order (default true). tapegrad always does; `false` is accepted. */
  sorted?: boolean;
}

/**
 * The `k` largest (or smallest) elements along `dim` (default last), `{ values, indices }`
 * (PyTorch's `torch.topk`). NaN counts as the largest. Results are always sorted (largest first,
 * or smallest first with `largest: false`); among equal elements the earlier index comes first.
 *
 * x - shape [..., N, ...]; returns `values` (x's dtype) and `indices` (int32) of shape
 * [..., k, ...]. Gradient: to the chosen elements.
 *
 * @throws ValueError `topk: k 4 is out of range for dim 0 of size 3 (shape [3])`
 * @example
 * const { values, indices } = topk(tensor([1, 5, 2, 4]), 2);
 * values.toArray(); // [5, 4]
 * indices.toArray(); // [1, 3]
 */
export function topk(x: Tensor, k: number, dim = -1, opts?: TopkOptions): { values: Tensor; indices: Tensor } {
  requireTensor('topk', 'x', x);
  const { largest = true } = checkOptions(TOPK, opts);
  const d = normalizeDim('topk', dim, x.shape);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new ValueError(`topk: k ${k} is out of range for dim ${dim} of size ${n} (shape ${fmtShape(x.shape)})`);
  const { values, indices } = sortAlong(x, d, largest, k);
  return { values, indices };
}

const KTHVALUE = defineOptions('kthvalue', { keepdim: 'boolean' });
const MEDIAN = defineOptions('median', { keepdim: 'boolean' });
const NANMEDIAN = defineOptions('nanmedian', { keepdim: 'boolean' });
const MODE = defineOptions('mode', { keepdim: 'boolean' });

/** Normalises `dim` and refuses an empty line (the order statistic of nothing is undefined). */
function lineDim(op: string, x: Tensor, dim: number): number {
  const d = normalizeDim(op, dim, x.shape);
  if (x.ndim > 0 && x.shape[d] === 0)
    throw new ValueError(`${op}: cannot reduce over dim ${d} of size 0 (shape ${fmtShape(x.shape)})`);
  return x.ndim === 0 ? 0 : d;
}

/** Runs `f` on x viewed as 1-D when x is 0-d (its single element), mapping results back to 0-d. */
function asLine<R extends { values: Tensor; indices: Tensor }>(x: Tensor, f: (x: Tensor) => R): R {
  if (x.ndim !== 0) return f(x);
  const r = f(x.reshape([1]));
  return { ...r, values: r.values.reshape([]), indices: r.indices.reshape([]) };
}

/** Number of NaNs in a sorted line (they sit at its end). */
function nanCount(s: Sorted, l: number): number {
  const base = s.start(l);
  let c = 0;
  for (let k = s.n - 1; k >= 0; k--) {
    const v = s.values[base + k * s.step]!;
    if (v === v) break;
    c++;
  }
  return c;
}

/**
 * The `k`-th smallest element along `dim` (default last), 1-based, `{ values, indices }`
 * (PyTorch's `torch.kthvalue`). NaN counts as the largest; among equal elements the earliest
 * index is reported.
 *
 * x - shape [..., N, ...]; returns shapes without `dim` (size 1 there with `keepdim`); indices
 * int32. Gradient: to the chosen element.
 *
 * @throws ValueError `kthvalue: k 4 is out of range [1, 3] for dim 0 (shape [3])`
 * @example
 * const { values, indices } = kthvalue(tensor([[3, 1, 2], [0, 5, 4]]), 2);
 * values.toArray(); // [2, 4]
 * indices.toArray(); // [2, 2]
 */
export function kthvalue(x: Tensor, k: number, dim = -1, opts?: { keepdim?: boolean }): { values: Tensor; indices: Tensor } {
  requireTensor('kthvalue', 'x', x);
  const { keepdim = false } = checkOptions(KTHVALUE, opts);
  const d = normalizeDim('kthvalue', dim, x.shape);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ValueError(`kthvalue: k ${k} is out of range [1, ${n}] for dim ${dim} (shape ${fmtShape(x.shape)})`);
  return asLine(x, (v) => selectSorted(v, x.ndim === 0 ? 0 : d, keepdim, () => k - 1));
}

/** The lower median's sorted position: the first NaN if any (median), else (n - 1) / 2 rounded down. */
const medianPos = (s: Sorted, l: number): number => {
  const c = nanCount(s, l);
  return c > 0 ? s.n - c : (s.n - 1) >> 1;
};
/** nanmedian's: the lower median of the non-NaN elements (position 0 when all are NaN). */
const nanmedianPos = (s: Sorted, l: number): number => {
  const valid = s.n - nanCount(s, l);
  return valid === 0 ? 0 : (valid - 1) >> 1;
};

interface EvenCtx {
  shape: number[];
}

/**
 * A value selected from x as a whole (median without dim): the gradient is shared evenly by the
 * elements equal to it (all NaNs when it is NaN), as PyTorch's evenly_distribute_backward.
 */
const evenlySelected = primitive('medianAll', {
  forward: (x: Tensor, value: Tensor) => ({ out: value, saved: [x, value], ctx: { shape: x.shape } as EvenCtx }),
  backward: (g, [x, value], { shape }) => {
    const v = value!.item();
    const mask = (v !== v ? x!.ne(x!) : x!.eq(value!)).to(g.dtype);
    return [mask.mul(g.div(mask.sum())).reshape(shape), null];
  },
});

function medianOf(op: 'median' | 'nanmedian', x: Tensor, dim: number | undefined, keepdim: boolean, pos: (s: Sorted, l: number) => number) {
  requireTensor(op, 'x', x);
  if (dim === undefined) {
    if (x.numel() === 0) throw new ValueError(`${op}: cannot reduce an empty tensor (shape ${fmtShape(x.shape)}); pass a dim of non-zero size`);
    const flat = x.detach().reshape([-1]);
    const { values } = selectSorted(flat, 0, false, pos);
    return evenlySelected(x, values.reshape([]));
  }
  const d = lineDim(op, x, dim);
  return asLine(x, (v) => selectSorted(v, d, keepdim, pos));
}

/**
 * The median: without `dim` the lower median of all elements as a 0-d tensor; with `dim`,
 * `{ values, indices }` along it (PyTorch's `torch.median`). For an even count this is the
 * lower of the two middle elements (not their mean); a slice holding NaN has median NaN (the
 * index of its first NaN). Use {@link nanmedian} to ignore NaN, {@link quantile} for the mean
 * of the middle two.
 *
 * x - shape [...S]; with dim returns shapes S without `dim` (size 1 with `keepdim`), indices int32.
 * Gradient: with dim to the chosen element; without dim shared evenly by the elements equal to
 * the median, as PyTorch.
 *
 * @throws ValueError `median: cannot reduce over dim 1 of size 0 (shape [2,0])`
 * @example
 * median(tensor([4, 1, 3, 2])).item(); // 2
 * const { values, indices } = median(tensor([[4, 1, 3], [NaN, 0, 1]]), 1);
 * values.toArray(); // [3, NaN]
 * indices.toArray(); // [2, 0]
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, opts?: { keepdim?: boolean }): { values: Tensor; indices: Tensor };
export function median(x: Tensor, dim?: number, opts?: { keepdim?: boolean }): Tensor | { values: Tensor; indices: Tensor } {
  const { keepdim = false } = checkOptions(MEDIAN, opts);
  return medianOf('median', x, dim, keepdim, medianPos);
}

/**
 * The median ignoring NaN (PyTorch's `torch.nanmedian`): as {@link median}, over the non-NaN
 * elements of each slice; NaN only where a slice is all NaN.
 *
 * @throws ValueError `nanmedian: cannot reduce an empty tensor (shape [0]); pass a dim of non-zero size`
 * @example
 * nanmedian(tensor([4, NaN, 1, 3])).item(); // 3
 * nanmedian(tensor([[NaN, 2, 1, NaN]]), 1).values.toArray(); // [1]
 */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, opts?: { keepdim?: boolean }): { values: Tensor; indices: Tensor };
export function nanmedian(x: Tensor, dim?: number, opts?: { keepdim?: boolean }): Tensor | { values: Tensor; indices: Tensor } {
  const { keepdim = false } = checkOptions(NANMEDIAN, opts);
  return medianOf('nanmedian', x, dim, keepdim, nanmedianPos);
}

/** The most frequent value's last sorted position: longest run of equal values, the smallest on ties. */
const modePos = (s: Sorted, l: number): number => {
  const base = s.start(l);
  let best = 0;
  let bestLen = 0;
  let runStart = 0;
  for (let k = 1; k <= s.n; k++) {
    if (k < s.n && s.values[base + k * s.step] === s.values[base + (k - 1) * s.step]) continue;
    if (k - runStart > bestLen) {
      bestLen = k - runStart;
      best = k - 1;
    }
    runStart = k;
  }
  return best;
};

/**
 * The most frequent value along `dim` (default last) and an index where it occurs,
 * `{ values, indices }` (PyTorch's `torch.mode`): the smallest such value on ties, the index of
 * its last occurrence. Each NaN counts as a distinct value.
 *
 * x - shape [..., N, ...]; returns shapes without `dim` (size 1 with `keepdim`), indices int32.
 * Gradient: to the element at the index.
 *
 * @throws ValueError `mode: cannot reduce over dim 0 of size 0 (shape [0])`
 * @example
 * const { values, indices } = mode(tensor([3, 1, 3, 1, 2]));
 * values.item(); // 1
 * indices.item(); // 3
 */
export function mode(x: Tensor, dim = -1, opts?: { keepdim?: boolean }): { values: Tensor; indices: Tensor } {
  requireTensor('mode', 'x', x);
  const { keepdim = false } = checkOptions(MODE, opts);
  const d = lineDim('mode', x, dim);
  return asLine(x, (v) => selectSorted(v, d, keepdim, modePos));
}

/**
 * How {@link quantile} picks a value between the two elements around the exact rank
 * `q (n - 1)`: `'linear'` interpolates, `'lower'`/`'higher'` take either one, `'nearest'` the
 * closer (ties to the even rank), `'midpoint'` their mean.
 *
 * @example
 * const how: QuantileInterpolation = 'midpoint';
 * quantile(tensor([1, 2, 3, 4]), 0.4, undefined, { interpolation: how }).item(); // 2.5
 */
export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

/**
 * Options of {@link quantile} and {@link nanquantile}.
 *
 * @example
 * const opts: QuantileOptions = { keepdim: true, interpolation: 'lower' };
 * quantile(tensor([[1, 2, 3, 4]]), 0.5, 1, opts).toArray(); // [[2]]
 */
export interface QuantileOptions {
  keepdim?: boolean;
  /** Default `'linear'`. */
  interpolation?: QuantileInterpolation;
}

const QUANTILE = defineOptions('quantile', { keepdim: 'boolean', interpolation: "'linear'|'lower'|'higher'|'midpoint'|'nearest'" });
const NANQUANTILE = defineOptions('nanquantile', { keepdim: 'boolean', interpolation: "'linear'|'lower'|'higher'|'midpoint'|'nearest'" });

/** Round half to even, as torch.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function quantileOf(op: 'quantile' | 'nanquantile', x: Tensor, q: number | Tensor, dim: number | undefined, opts: QuantileOptions | undefined): Tensor {
  requireTensor(op, 'x', x);
  if (typeof q !== 'number') requireTensor(op, 'q', q);
  const { keepdim = false, interpolation = 'linear' } = checkOptions(op === 'quantile' ? QUANTILE : NANQUANTILE, opts);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  if (q instanceof Tensor && q.ndim > 1) throw new ValueError(`${op}: q must be a number, a 0-d or a 1-D tensor, got shape ${fmtShape(q.shape)}`);
  const qs = q instanceof Tensor ? Array.from(q.data as ArrayLike<number>, Number) : [q];
  for (const v of qs) if (!(v >= 0 && v <= 1)) throw new ValueError(`${op}: q values must be in [0, 1], got ${v}`);
  if (x.numel() === 0) throw new ValueError(`${op}: input must be non-empty (shape ${fmtShape(x.shape)})`);
  const src = dim === undefined ? x.reshape([-1]) : x.ndim === 0 ? x.reshape([1]) : x;
  const d = dim === undefined || x.ndim === 0 ? 0 : normalizeDim(op, dim, x.shape);
  if (dim !== undefined && x.ndim === 0) normalizeDim(op, dim, x.shape);
  if (src.shape[d] === 0) throw new ValueError(`${op}: input must be non-empty (shape ${fmtShape(x.shape)})`);
  const { values: sorted, raw } = sortAlong(src, d, false);
  const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  // Ranks per (q, line), laid out as the gathered tensors: keepdim shape with Q at `dim`.
  const Q = qs.length;
  const shape = src.shape.map((v, i) => (i === d ? Q : v));
  const inner = src.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const lo = new Int32Array(raw.lines * Q);
  const hi = new Int32Array(raw.lines * Q);
  const w = new Float64Array(raw.lines * Q);
  for (let l = 0; l < raw.lines; l++) {
    const nans = nanCount(raw, l);
    const valid = raw.n - nans;
    for (let j = 0; j < Q; j++) {
      const qj = round(qs[j]!);
      let rank: number;
      if (op === 'nanquantile') rank = Math.max(round(qj * (valid - 1)), 0);
      else rank = nans > 0 ? raw.n - 1 : round(qj * (raw.n - 1));
      if (interpolation === 'lower') rank = Math.floor(rank);
      else if (interpolation === 'higher') rank = Math.ceil(rank);
      else if (interpolation === 'nearest') rank = roundHalfEven(rank);
      const p = (Math.floor(l / inner) * Q + j) * inner + (l % inner);
      lo[p] = Math.floor(rank);
      hi[p] = Math.ceil(rank);
      w[p] = interpolation === 'midpoint' ? 0.5 : round(rank - lo[p]!);
    }
  }
  const below = gatherPrimitive(sorted, d, Tensor.fromData(lo, shape, 'int32'));
  let out = below;
  if (interpolation === 'linear' || interpolation === 'midpoint') {
    const above = gatherPrimitive(sorted, d, Tensor.fromData(hi, shape, 'int32'));
    const wt = Tensor.fromData(w, shape, 'float64').to(x.dtype);
    // torch.lerp: a + w (b - a) for w < 0.5, b - (b - a) (1 - w) otherwise.
    const diff = above.sub(below);
    out = where(wt.lt(0.5), below.add(wt.mul(diff)), above.sub(diff.mul(wt.neg().add(1))));
  }
  // Q moves to the front (it disappears for a number q); the reduced dims go, or stay as 1s.
  const perm = [d, ...src.shape.map((_, i) => i).filter((i) => i !== d)];
  const reduced = (i: number) => dim === undefined || i === d;
  const rest = keepdim ? x.shape.map((v, i) => (reduced(i) ? 1 : v)) : x.shape.filter((_, i) => !reduced(i));
  return out.permute(perm).reshape(q instanceof Tensor && q.ndim === 1 ? [Q, ...rest] : rest);
}

/**
 * The `q`-th quantiles along `dim` (of all elements if omitted), PyTorch's `torch.quantile`:
 * sort each slice and read it at rank `q (n - 1)`, interpolating between the elements around
 * that rank as `interpolation` says (default `'linear'`). A slice holding NaN gives NaN.
 *
 * x - shape [...S], float32 or float64; q - a number or a 0-d/1-D tensor of Q values in [0, 1].
 * Returns S without `dim` (size 1 with `keepdim`; every dim reduced when `dim` is omitted),
 * with a leading dim of size Q for a 1-D q.
 *
 * Gradient: to the one or two elements read, with the interpolation weights (`1 - w` and `w`);
 * none to q.
 *
 * @throws ValueError `quantile: q values must be in [0, 1], got 1.5`
 * @throws DTypeError `quantile: expected a floating point tensor, got int32 (shape [3])`
 * @example
 * quantile(tensor([1, 2, 3, 4]), 0.5).item(); // 2.5
 * quantile(tensor([[0, 10], [4, 2]]), tensor([0.25, 1]), 1).toArray(); // [[2.5, 2.5], [10, 4]]
 */
export function quantile(x: Tensor, q: number | Tensor, dim?: number, opts?: QuantileOptions): Tensor {
  return quantileOf('quantile', x, q, dim, opts);
}

/**
 * {@link quantile} ignoring NaN (PyTorch's `torch.nanquantile`): each slice's quantiles are
 * those of its non-NaN elements; NaN only where a slice is all NaN.
 *
 * @throws ValueError `nanquantile: q values must be in [0, 1], got -0.5`
 * @example
 * nanquantile(tensor([1, NaN, 3, 2]), 0.5).item(); // 2
 */
export function nanquantile(x: Tensor, q: number | Tensor, dim?: number, opts?: QuantileOptions): Tensor {
  return quantileOf('nanquantile', x, q, dim, opts);
}
