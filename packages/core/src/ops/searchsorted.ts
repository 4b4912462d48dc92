import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { checkIndexRange } from './gather.js';
import { requireTensorArgs } from './index-bounds.js';
import { requireIndex, scalarTensor } from './operands.js';
import { reshape } from './reshape.js';

/**
 * Options of {@link searchsorted}.
 *
 * @example
 * const opts: SearchsortedOptions = { side: 'right' };
 * searchsorted(tensor([1, 2, 2, 3]), tensor([2]), opts).toArray(); // [3]
 */
export interface SearchsortedOptions {
  /** Return the last insertion position (after equal elements) instead of the first (default false). */
  right?: boolean;
  /** `'left'` or `'right'`, the same as `right: false / true`; both given must agree. */
  side?: 'left' | 'right';
  /** int32, the shape of the sorted sequence: the order that sorts each row (as argsort gives), for unsorted rows. */
  sorter?: Tensor;
}

const SEARCHSORTED = defineOptions('searchsorted', { right: 'boolean', side: "'left'|'right'", sorter: 'tensor' });
const BUCKETIZE = defineOptions('bucketize', { right: 'boolean' });

/**
 * For each value, the index at which inserting it keeps `sortedSequence` sorted (along its
 * last dim): the first `i` with `sorted[i] >= v` (with `right`, `sorted[i] > v`), PyTorch's
 * `searchsorted`. NaN sorts after every number, as in PyTorch. Not differentiable.
 *
 * sortedSequence - shape [M] (for every value) or [...B, M] (one row per row of values);
 * values - shape [...B, K] with the same leading dims (any shape with a 1-D sequence), or a number;
 * returns int32 of values' shape (0-d for a number), values in [0, M].
 *
 * @throws ShapeError `searchsorted: the leading dims of sortedSequence [2,3] and values [3,2] differ`
 * @throws ValueError `searchsorted: side 'left' contradicts right: true`
 * @example
 * const s = tensor([1, 3, 5, 7]);
 * searchsorted(s, tensor([3, 6, 9])).toArray(); // [1, 3, 4]
 * searchsorted(s, tensor([3, 6, 9]), { right: true }).toArray(); // [2, 3, 4]
 * searchsorted(tensor([[1, 3], [2, 4]]), tensor([[2], [2]])).toArray(); // [[1], [0]]
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, opts?: SearchsortedOptions): Tensor {
  const { right, side, sorter } = checkOptions(SEARCHSORTED, opts);
  if (right !== undefined && side !== undefined && right !== (side === 'right'))
    throw new ValueError(`searchsorted: side '${side}' contradicts right: ${right}`);
  const r = right ?? side === 'right';
  requireTensorArgs('searchsorted', typeof values === 'number' ? { sortedSequence } : { sortedSequence, values });
  const s = sortedSequence;
  const v = typeof values === 'number' ? scalarTensor(values, s.dtype) : values;
  if (s.ndim === 0) throw new ShapeError(`searchsorted: sortedSequence must have at least 1 dim, got shape []`);
  const m = s.shape[s.ndim - 1]!;
  const lead = s.shape.slice(0, -1);
  if (s.ndim > 1 && (v.ndim !== s.ndim || lead.some((n, i) => n !== v.shape[i])))
    throw new ShapeError(
      `searchsorted: the leading dims of sortedSequence ${fmtShape(s.shape)} and values ${fmtShape(v.shape)} differ (values must be [...B, K] for a sequence [...B, M])`,
    );
  if (sorter !== undefined) {
    requireIndex('searchsorted', 'sorter', sorter);
    if (sorter.shape.length !== s.ndim || sorter.shape.some((n, i) => n !== s.shape[i]))
      throw new ShapeError(`searchsorted: sorter shape ${fmtShape(sorter.shape)} must equal sortedSequence shape ${fmtShape(s.shape)}`);
    checkIndexRange('searchsorted', sorter, m, s.ndim - 1, s.shape, 'sortedSequence');
  }
  const rows = s.ndim === 1 ? 1 : lead.reduce((a, n) => a * n, 1);
  const k = s.ndim === 1 ? v.numel() : v.ndim === 0 ? 1 : v.shape[v.ndim - 1]!;
  const vRows = s.ndim === 1 ? 1 : rows;
  const as2d = (t: Tensor, b: number, n: number) => reshape(t, [b, n]).nd;
  const out = K().searchsorted(as2d(s, rows, m), as2d(v, vRows, k), r, sorter === undefined ? null : as2d(sorter, rows, m));
  return reshape(Tensor.fromView(out, 'int32'), v.shape);
}

/**
 * The bucket of each element of `input` between `boundaries` (1-D, ascending): the `i` with
 * `boundaries[i-1] < x <= boundaries[i]` (with `right`, `boundaries[i-1] <= x < boundaries[i]`),
 * PyTorch's `bucketize`: {@link searchsorted} with the arguments swapped. Not differentiable.
 *
 * input - any shape, or a number; boundaries - shape [M]; returns int32 of input's shape, in [0, M].
 *
 * @throws ShapeError `bucketize: boundaries must be 1-D, got shape [2,2]`
 * @example
 * const b = tensor([1, 3, 5]);
 * bucketize(tensor([0, 1, 4, 6]), b).toArray(); // [0, 0, 2, 3]
 * bucketize(tensor([0, 1, 4, 6]), b, { right: true }).toArray(); // [0, 1, 2, 3]
 */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts?: { right?: boolean }): Tensor {
  const { right = false } = checkOptions(BUCKETIZE, opts);
  requireTensorArgs('bucketize', typeof input === 'number' ? { boundaries } : { input, boundaries });
  if (boundaries.ndim !== 1) throw new ShapeError(`bucketize: boundaries must be 1-D, got shape ${fmtShape(boundaries.shape)}`);
  return searchsorted(boundaries, input, { right });
}
