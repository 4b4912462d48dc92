import { noGrad } from '../autograd/grad-mode.js';
import { arange } from '../creation.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkWritable } from '../inplace.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { broadcastShapes, normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './add.js';
import { expand } from './expand.js';
import { boundIndex, requireTensorArgs } from './index-bounds.js';
import { indexAdd, indexSelect } from './index-select.js';
import { mul } from './mul.js';
import { nonzero } from './nonzero.js';
import { requireIndex, scalarTensor } from './operands.js';
import { permute } from './permute.js';
import { reshape } from './reshape.js';
import { scatterReducePrimitive } from './scatter.js';
import { slice } from './slice.js';
import { unsqueeze } from './squeeze.js';
import type { SliceSpec } from './types.js';

/**
 * One entry of {@link index} / {@link indexPut}, like one item of Python's `x[...]`: a number
 * selects (and drops the dim), `null` keeps a dim whole (`:`), `[start, end, step]` slices
 * (as {@link slice}), an int32 tensor is an advanced index (negative values count from the end),
 * a bool tensor a mask over as many dims as it has, `'...'` stands for as many `null`s as
 * needed (Python's `...`), and `'newaxis'` inserts a dim of size 1 (Python's `None`, which is
 * `null` here). Plain arrays are slices, never index lists: wrap index lists in a tensor.
 *
 * @example
 * const idx: IndexEntry[] = ['...', tensor([1, 0], { dtype: 'int32' })];
 * index(tensor([[1, 2], [3, 4]]), idx).toArray(); // [[2, 1], [4, 3]]
 */
export type IndexEntry = SliceSpec | Tensor | '...' | 'newaxis';

/** An advanced index at dim `pos` of the basic-indexed view, negatives already wrapped. */
interface Advanced {
  pos: number;
  index: Tensor;
}

/** `x` after the basic entries (numbers, slices, newaxis), and the advanced indices into it. */
interface Parsed {
  view: Tensor;
  adv: Advanced[];
}

/** How many dims of x an entry uses. */
function dimsUsed(e: IndexEntry): number {
  if (e instanceof Tensor) return e.dtype === 'bool' ? e.ndim : 1;
  return e === '...' || e === 'newaxis' ? 0 : 1;
}

function describe(e: unknown): string {
  if (e instanceof Tensor) return `a ${e.dtype} tensor (shape ${fmtShape(e.shape)})`;
  return typeof e === 'string' ? `'${e}'` : JSON.stringify(e) ?? String(e);
}

/** Splits `indices` into basic indexing (applied to x as a view) and the advanced indices. */
function parse(op: string, x: Tensor, indices: readonly IndexEntry[]): Parsed {
  if (!Array.isArray(indices)) throw new ValueError(`${op}: indices must be an array of entries, got ${describe(indices)}`);
  for (const e of indices) {
    const ok = e === null || typeof e === 'number' || e === '...' || e === 'newaxis' || Array.isArray(e) || e instanceof Tensor;
    if (!ok) throw new ValueError(`${op}: an index entry must be a number, null, [start, end, step], a tensor, '...' or 'newaxis', got ${describe(e)}`);
    if (e instanceof Tensor && e.dtype !== 'int32' && e.dtype !== 'bool')
      throw new DTypeError(`${op}: tensors used as indices must be int32 or bool, got ${e.dtype} (shape ${fmtShape(e.shape)})`);
  }
  const ellipses = indices.filter((e) => e === '...').length;
  if (ellipses > 1) throw new ValueError(`${op}: at most one '...' may appear, got ${ellipses}`);
  const used = indices.reduce((a, e) => a + dimsUsed(e), 0);
  if (used > x.ndim)
    throw new ValueError(`${op}: too many indices for a tensor of ${x.ndim} dims (shape ${fmtShape(x.shape)}): they use ${used}`);
  const entries: IndexEntry[] = [];
  for (const e of indices) {
    if (e === '...') for (let i = 0; i < x.ndim - used; i++) entries.push(null);
    else entries.push(e);
  }
  const specs: SliceSpec[] = [];
  const newDims: number[] = []; // positions in the final view
  const adv: Array<{ pos: number; index: Tensor; dim: number }> = [];
  let pos = 0;
  for (const e of entries) {
    if (e === 'newaxis') {
      newDims.push(pos++);
    } else if (e instanceof Tensor && e.dtype === 'bool') {
      const d = specs.length;
      const want = x.shape.slice(d, d + e.ndim);
      if (!shapesEqual(e.shape, want))
        throw new ShapeError(`${op}: the mask of shape ${fmtShape(e.shape)} does not match the indexed dims ${d}..${d + e.ndim - 1} of shape ${fmtShape(want)} (x shape ${fmtShape(x.shape)})`);
      if (e.ndim === 0) {
        // A 0-d mask adds a dim of size 1, taken once (true) or not at all (false).
        newDims.push(pos);
        adv.push({ pos: pos++, index: Tensor.fromData(new Int32Array(e.item() ? 1 : 0), [e.item() ? 1 : 0], 'int32'), dim: -1 });
        continue;
      }
      nonzero(e, { asTuple: true }).forEach((t) => {
        specs.push(null);
        adv.push({ pos: pos++, index: t, dim: specs.length - 1 });
      });
    } else if (e instanceof Tensor) {
      specs.push(null);
      adv.push({ pos: pos++, index: e, dim: specs.length - 1 });
    } else {
      specs.push(e as SliceSpec); // '...' was expanded above
      if (typeof e !== 'number') pos++;
    }
  }
  let view = slice(x, specs);
  for (const d of newDims) view = unsqueeze(view, d);
  return {
    view,
    adv: adv.map(({ pos, index, dim }) => ({
      pos,
      // Masks' positions are in range by construction; int32 indices are checked (and wrapped) here.
      index: dim < 0 ? index : boundIndex(op, index, view.shape[pos]!, dim, x.shape),
    })),
  };
}

/**
 * The result of advanced indexing `view` at `adv` (NumPy's rules): the index tensors broadcast
 * to a shape B; if their dims are adjacent, B replaces them in place, otherwise B comes first.
 * Composed of permute, reshape and indexSelect, so the gradient adds back into zeros.
 */
function advancedIndex(op: string, view: Tensor, adv: readonly Advanced[]): Tensor {
  const b = broadcastShapes(op, ...adv.map((a) => a.index.shape));
  const positions = adv.map((a) => a.pos);
  const rest = view.shape.map((_, d) => d).filter((d) => !positions.includes(d));
  const sizes = positions.map((p) => view.shape[p]!);
  const moved = reshape(permute(view, [...positions, ...rest]), [sizes.reduce((a, n) => a * n, 1), ...rest.map((d) => view.shape[d]!)]);
  // The row of each selected element in `moved`: the advanced indices as one row-major number.
  let linear: Tensor | null = null;
  let stride = 1;
  for (let k = adv.length - 1; k >= 0; k--) {
    const term = stride === 1 ? adv[k]!.index : mul(adv[k]!.index, stride);
    linear = linear === null ? term : add(term, linear);
    stride *= sizes[k]!;
  }
  const rows = reshape(expand(linear!, b), [sizeOfShape(b)]);
  const picked = reshape(indexSelect(moved, 0, rows), [...b, ...rest.map((d) => view.shape[d]!)]);
  const adjacent = positions.every((p, i) => i === 0 || p === positions[i - 1]! + 1);
  const first = positions[0]!;
  if (!adjacent || first === 0) return picked;
  // Move B back to where the advanced dims were: the `first` kept dims before them come first.
  const nb = b.length;
  const perm = [...range(nb, nb + first), ...range(0, nb), ...range(nb + first, picked.ndim)];
  return permute(picked, perm);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function sizeOfShape(s: readonly number[]): number {
  return s.reduce((a, n) => a * n, 1);
}

/**
 * Indexing like Python's `x[...]` in PyTorch, with basic and advanced entries (see
 * {@link IndexEntry}): `index(x, [0, null, [1, 3]])` is `x[0, :, 1:3]`,
 * `index(x, [i, null, j])` is `x[i, :, j]` for int32 tensors i, j, `index(x, [mask])` is
 * `x[mask]`. Numbers, slices and `'newaxis'` only: a view sharing storage. With advanced indices
 * (int32 or bool tensors): a new tensor; the index tensors broadcast together to a shape B (a
 * mask counts as its nonzero() tuple), and B replaces the advanced dims in place when they are
 * adjacent, otherwise B comes first (NumPy's and PyTorch's rule; numbers select first, as in PyTorch).
 *
 * x - shape [N0, N1, ...]; returns the indexed shape. Gradient: added back into zeros at the
 * positions read (repeats accumulate), as `indexPut(zeros, indices, g, { accumulate: true })`.
 *
 * @throws DTypeError `index: tensors used as indices must be int32 or bool, got float32 (shape [2])`
 * @throws ValueError `index: index 5 is out of bounds for dim 0 with size 3 (shape [3,4])`
 * @throws ShapeError for index tensors that do not broadcast, or a mask that does not match x's dims
 * @example
 * const x = arange(12).reshape([3, 4]);
 * const i = tensor([2, 0], { dtype: 'int32' });
 * index(x, [i]).toArray(); // [[8, 9, 10, 11], [0, 1, 2, 3]]
 * index(x, [i, tensor([-1, 1], { dtype: 'int32' })]).toArray(); // [11, 1]
 * index(x, [null, [1, 3]]).toArray(); // [[1, 2], [5, 6], [9, 10]]
 * index(x, [x.gt(8)]).toArray(); // [9, 10, 11]
 * index(x, ['...', 'newaxis']).shape; // [3, 4, 1]
 */
export function index(x: Tensor, indices: readonly IndexEntry[]): Tensor {
  requireTensorArgs('index', { x });
  const { view, adv } = parse('index', x, indices);
  return adv.length === 0 ? view : advancedIndex('index', view, adv);
}

/**
 * Options of {@link indexPut} and {@link Tensor.indexPut_}.
 *
 * @example
 * const opts: IndexPutOptions = { accumulate: true };
 * indexPut(zeros([2]), [tensor([0, 0], { dtype: 'int32' })], tensor(1), opts).toArray(); // [2, 0]
 */
export interface IndexPutOptions {
  /** Add the values to the indexed elements (repeats accumulate) instead of overwriting them (default false). */
  accumulate?: boolean;
}

const INDEX_PUT = defineOptions('indexPut', { accumulate: 'boolean' });
const INDEX_PUT_ = defineOptions('indexPut_', { accumulate: 'boolean' });

/** The flat position in x of every element `index(x, indices)` selects (int32, the result's shape). */
function positionsOf(op: string, x: Tensor, indices: readonly IndexEntry[]): Tensor {
  const flat = reshape(arange(x.numel(), { dtype: 'int32' }), x.shape);
  const { view, adv } = parse(op, flat, indices);
  return adv.length === 0 ? view : advancedIndex(op, view, adv);
}

function putValues(op: string, x: Tensor, values: Tensor | number, shape: readonly number[]): Tensor {
  const v = typeof values === 'number' ? scalarTensor(values, x.dtype) : values;
  if (!(v instanceof Tensor)) throw new ValueError(`${op}: values must be a Tensor or a number, got ${describe(values)}`);
  if (v.dtype !== x.dtype)
    throw new DTypeError(`${op}: values must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and values ${v.dtype} (shape ${fmtShape(v.shape)})`);
  // Leading dims of size 1 beyond the result's rank may be dropped, as PyTorch allows.
  let vv = v;
  while (vv.ndim > shape.length && vv.shape[0] === 1) vv = reshape(vv, vv.shape.slice(1));
  const fits = vv.ndim <= shape.length && vv.shape.every((n, i) => n === 1 || n === shape[shape.length - vv.ndim + i]);
  if (!fits)
    throw new ShapeError(`${op}: values of shape ${fmtShape(v.shape)} cannot be broadcast to the indexed shape ${fmtShape(shape)}`);
  return expand(vv, shape);
}

/** indexPut once the options are checked. */
function put(op: string, x: Tensor, indices: readonly IndexEntry[], values: Tensor | number, accumulate: boolean): Tensor {
  const pos = positionsOf(op, x, indices);
  const v = reshape(putValues(op, x, values, pos.shape), [pos.numel()]);
  const rows = reshape(pos, [pos.numel()]);
  const flat = reshape(x, [x.numel()]);
  const out = accumulate ? indexAdd(flat, 0, rows, v) : scatterReducePrimitive(flat, 0, rows, v, 'assign', true);
  return reshape(out, x.shape);
}

/**
 * Out-of-place `x[indices] = values` (PyTorch's `index_put`): a copy of `x` with the elements
 * {@link index} would select replaced by `values` (broadcast to the indexed shape), or, with
 * `accumulate`, increased by them (repeated positions accumulate; without it, where a position
 * repeats the last write wins, which PyTorch leaves unspecified).
 *
 * x - any shape; indices - entries as for {@link index}; values - x's dtype, broadcastable to
 * the indexed shape, or a number; returns x's shape. Gradient: x gets g with the overwritten
 * elements zeroed (all of g with `accumulate`); values get `index(g, indices)`, summed over
 * broadcast dims.
 *
 * @throws DTypeError `indexPut: values must have x's dtype, got x float32 (shape [3]) and values int32 (shape [])`
 * @throws ShapeError `indexPut: values of shape [3] cannot be broadcast to the indexed shape [2]`
 * @example
 * const i = tensor([0, 2], { dtype: 'int32' });
 * indexPut(zeros([2, 3]), [null, i], tensor([1, 2])).toArray(); // [[1, 0, 2], [1, 0, 2]]
 * indexPut(ones([3]), [tensor([1, 1], { dtype: 'int32' })], 5, { accumulate: true }).toArray(); // [1, 11, 1]
 */
export function indexPut(x: Tensor, indices: readonly IndexEntry[], values: Tensor | number, opts?: IndexPutOptions): Tensor {
  const { accumulate = false } = checkOptions(INDEX_PUT, opts);
  requireTensorArgs('indexPut', { x });
  return put('indexPut', x, indices, values, accumulate);
}

/**
 * In-place `x[indices] = values` (PyTorch's `index_put_` and `x[...] = v`): writes into `x`'s
 * storage, as {@link indexPut} computes, and bumps its version. Not recorded on the tape: like
 * the other in-place ops, it refuses a tensor that requires grad while the tape records. @internal
 *
 * @throws AutogradError when `x` requires grad and the tape records
 */
export function indexPut_<T extends Tensor>(x: T, indices: readonly IndexEntry[], values: Tensor | number, opts?: IndexPutOptions): T {
  const { accumulate = false } = checkOptions(INDEX_PUT_, opts);
  checkWritable('indexPut_', x);
  const out = noGrad(() => put('indexPut_', x.detach(), indices, values instanceof Tensor ? values.detach() : values, accumulate));
  K().assign(x.nd, out.nd);
  x.storage.version++;
  return x;
}

/** Checks a 1-D (or 0-d) int32 index along `dim` of x; returns the normalised dim. */
function checkDimIndex(op: string, x: Tensor, dim: number, index: Tensor): number {
  requireIndex(op, 'index', index);
  if (index.ndim > 1) throw new ShapeError(`${op}: index must be 1-D, got index shape ${fmtShape(index.shape)} (x shape ${fmtShape(x.shape)})`);
  return normalizeDim(op, dim, x.shape);
}

/** The entries `[null, ..., null, index]` that address `index` along `dim` (a 0-d x takes the index as is). */
function alongDim(x: Tensor, d: number, index: Tensor): IndexEntry[] {
  if (x.ndim === 0) return [];
  return [...Array.from({ length: d }, () => null), reshape(index, [index.numel()])];
}

/**
 * Out-of-place index copy (PyTorch's `index_copy`): a copy of `x` with slice j of `src` written
 * at position `index[j]` along `dim` (`out[..., index[j], ...] = src[..., j, ...]`).
 *
 * x - shape [..., N, ...]; index - int32, shape [K], values in [0, N); src - x's dtype, shape
 * [..., K, ...]; returns x's shape. Gradient: x gets g with the overwritten slices zeroed,
 * src the slices of g at index.
 *
 * @throws ValueError `indexCopy: index 3 is out of bounds for dim 0 with size 3 (shape [3,2])`
 * @throws ShapeError `indexCopy: src shape [2,2] must be [1,2] (x shape [3,2], index shape [1], dim 0)`
 * @example
 * const x = zeros([3, 2]);
 * indexCopy(x, 0, tensor([2, 0], { dtype: 'int32' }), tensor([[1, 2], [3, 4]])).toArray(); // [[3, 4], [0, 0], [1, 2]]
 */
export function indexCopy(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireTensorArgs('indexCopy', { x, index, src });
  const d = checkDimIndex('indexCopy', x, dim, index);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  boundIndex('indexCopy', index, n, d, x.shape, false);
  const want = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? index.numel() : s));
  if (!shapesEqual(src.shape, want) && !(x.ndim === 0 && src.numel() === 1 && index.numel() === 1))
    throw new ShapeError(`indexCopy: src shape ${fmtShape(src.shape)} must be ${fmtShape(want)} (x shape ${fmtShape(x.shape)}, index shape ${fmtShape(index.shape)}, dim ${dim})`);
  if (src.dtype !== x.dtype)
    throw new DTypeError(`indexCopy: src must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and src ${src.dtype} (shape ${fmtShape(src.shape)})`);
  if (x.ndim === 0) return index.numel() === 0 ? put('indexCopy', x, [], x, false) : put('indexCopy', x, [], reshape(src, []), false);
  return put('indexCopy', x, alongDim(x, d, index), src, false);
}

/**
 * Out-of-place index fill (PyTorch's `index_fill`): a copy of `x` with every slice at the
 * positions `index` along `dim` set to `value` (negative positions count from the end).
 *
 * x - shape [..., N, ...]; index - int32, shape [K], values in [-N, N); value - a number or a
 * 0-d tensor of x's dtype (which then gets the sum of the gradient over the filled elements,
 * each once however often its position repeats in index);
 * returns x's shape. Gradient for x: g with the filled slices zeroed.
 *
 * @throws ValueError `indexFill: index 3 is out of bounds for dim 1 with size 3 (shape [2,3])`
 * @throws ShapeError `indexFill: value must be a number or a 0-d tensor, got shape [2]`
 * @example
 * indexFill(ones([2, 3]), 1, tensor([0, -1], { dtype: 'int32' }), 7).toArray(); // [[7, 1, 7], [7, 1, 7]]
 */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  requireTensorArgs('indexFill', { x, index });
  const d = checkDimIndex('indexFill', x, dim, index);
  if (value instanceof Tensor && value.ndim !== 0)
    throw new ShapeError(`indexFill: value must be a number or a 0-d tensor, got shape ${fmtShape(value.shape)}`);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  const wrapped = boundIndex('indexFill', index, n, d, x.shape);
  if (x.ndim === 0) return index.numel() === 0 ? put('indexFill', x, [], x, false) : put('indexFill', x, [], value, false);
  // Each filled element once: a repeated position must not count twice in value's gradient.
  const unique = Int32Array.from(new Set(wrapped.data));
  return put('indexFill', x, alongDim(x, d, Tensor.fromData(unique, [unique.length], 'int32')), value, false);
}

/**
 * The elements of `x` where `mask` is true, as a 1-D tensor in row-major order (PyTorch's
 * `masked_select`); `x` and `mask` broadcast together first.
 *
 * x - shape [...X]; mask - bool, shape [...M] broadcastable with X; returns [n], n the number
 * of true elements of the broadcast mask. Gradient: added back at the selected positions.
 *
 * @throws DTypeError `maskedSelect: mask must be a bool tensor, got int32 (shape [3])`
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * maskedSelect(x, tensor([[true, false], [false, true]])).toArray(); // [1, 4]
 * maskedSelect(x, tensor([false, true])).toArray(); // [2, 4]
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  requireTensorArgs('maskedSelect', { x, mask });
  requireMask('maskedSelect', mask);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  return index(expand(x, shape), [expand(mask, shape).contiguous()]);
}

function requireMask(op: string, mask: Tensor): void {
  if (!(mask instanceof Tensor) || mask.dtype !== 'bool')
    throw new DTypeError(`${op}: mask must be a bool tensor, got ${mask instanceof Tensor ? `${mask.dtype} (shape ${fmtShape(mask.shape)})` : describe(mask)}`);
}

/**
 * Out-of-place masked scatter (PyTorch's `masked_scatter`): a copy of `x` whose elements where
 * `mask` is true are replaced, in row-major order, by the leading elements of `source`.
 *
 * x - shape [...X]; mask - bool, broadcastable with X; source - x's dtype, at least as many
 * elements as mask has true elements (after broadcasting); returns the broadcast shape.
 * Gradient: x gets g where mask is false; source's leading elements get g at the masked
 * positions, in order (the unused rest 0).
 *
 * @throws ValueError `maskedScatter: source has 1 elements, fewer than the 2 true elements of mask`
 * @example
 * const m = tensor([true, false, true]);
 * maskedScatter(zeros([2, 3]), m, tensor([1, 2, 3, 4, 5])).toArray(); // [[1, 0, 2], [3, 0, 4]]
 */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  requireTensorArgs('maskedScatter', { x, mask, source });
  requireMask('maskedScatter', mask);
  if (source.dtype !== x.dtype)
    throw new DTypeError(`maskedScatter: source must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and source ${source.dtype} (shape ${fmtShape(source.shape)})`);
  const shape = broadcastShapes('maskedScatter', x.shape, mask.shape);
  const m = expand(mask, shape).contiguous();
  let k = 0;
  for (const v of m.data) if (v !== 0) k++;
  if (source.numel() < k)
    throw new ValueError(`maskedScatter: source has ${source.numel()} elements, fewer than the ${k} true elements of mask (shape ${fmtShape(mask.shape)})`);
  const used = slice(reshape(source, [source.numel()]), [[0, k]]);
  return put('maskedScatter', expand(x, shape), [m], used, false);
}
