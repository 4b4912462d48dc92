import { requireTensor } from './operands.js';
import { tensor } from '../creation.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkRank, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { clone } from './clone.js';
import { expand } from './expand.js';
import { flatten } from './flatten.js';
import { indexSelect } from './index-select.js';
import { requireIndex } from './operands.js';
import { reshape } from './reshape.js';
import { intList} from './shape-args.js';

/**
 * `x` (of shape [A, N, B] after merging the dims around `d`) with each [A, ·, B] block repeated:
 * `outer` puts `r` copies of the whole dim one after another (tile), otherwise each element is
 * repeated `r` times in place (repeat_interleave). Viewing at rank 4 keeps ranks low.
 */
function repeatAlong(x: Tensor, d: number, r: number, outer: boolean): Tensor {
  if (r === 1) return clone(x);
  const shape = x.shape;
  const a = sizeOf(shape.slice(0, d));
  const n = shape[d]!;
  const b = sizeOf(shape.slice(d + 1));
  const grid = outer ? [a, r, n, b] : [a, n, r, b];
  const y = expand(reshape(x, outer ? [a, 1, n, b] : [a, n, 1, b]), grid);
  shape[d] = n * r;
  return reshape(y, shape);
}

function sizeList(op: string, sizes: number | readonly number[]): number[] {
  const list = intList(op, 'repeats', sizes);
  if (list.some((s) => s < 0)) throw new ValueError(`${op}: repeats ${fmtShape(list)} must be non-negative integers`);
  return list;
}

/**
 * Repeats `x` `repeats[i]` times along dim i, as PyTorch's `Tensor.repeat` (NumPy's `tile`):
 * when there are more repeats than dims, `x` gets leading size-1 dims first. A copy.
 *
 * x - shape [N0, N1]; `repeat(x, [R0, R1])` returns [R0*N0, R1*N1]; `[R, R0, R1]` gives [R, R0*N0, R1*N1].
 *
 * @throws ValueError `repeat: 1 repeats are fewer than the 2 dims of x (shape [2,3])`
 * @example
 * repeat(tensor([1, 2]), [2]).toArray();    // [1, 2, 1, 2]
 * repeat(tensor([1, 2]), [2, 2]).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, repeats: number | readonly number[]): Tensor {
  requireTensor('repeat', 'x', x);
  const reps = sizeList('repeat', repeats);
  if (reps.length < x.ndim)
    throw new ValueError(
      `repeat: ${reps.length} repeats are fewer than the ${x.ndim} dims of x (shape ${fmtShape(x.shape)})`,
    );
  checkRank('repeat', reps);
  let y = reshape(x, [...new Array<number>(reps.length - x.ndim).fill(1), ...x.shape]);
  // PyTorch's repeat always copies, even when every count is 1.
  if (reps.every((r) => r === 1)) return clone(y);
  reps.forEach((r, d) => {
    if (r !== 1) y = repeatAlong(y, d, r, true);
  });
  return y;
}

/**
 * Repeats `x` `reps[i]` times along dim i (a copy), as PyTorch's `tile`: like {@link repeat},
 * but fewer reps than dims are padded with leading 1s.
 *
 * x - shape [N0, N1]; `tile(x, [R])` returns [N0, R*N1].
 *
 * @throws ValueError `tile: repeats [-1] must be non-negative integers`
 * @example
 * tile(tensor([[1, 2], [3, 4]]), [2]).toArray(); // [[1, 2, 1, 2], [3, 4, 3, 4]]
 */
export function tile(x: Tensor, reps: number | readonly number[]): Tensor {
  requireTensor('tile', 'x', x);
  const list = sizeList('tile', reps);
  return repeat(x, [...new Array<number>(Math.max(x.ndim - list.length, 0)).fill(1), ...list]);
}

/**
 * Repeats each element of `x` along `dim` (of a flattened `x` when `dim` is not given):
 * `repeats` times each, or `repeats[i]` times element i (an int32 tensor of size N or 1). A copy.
 *
 * x - shape [..., N, ...]; returns [..., N * repeats (or sum repeats), ...], or 1-D without dim.
 *
 * @throws ShapeError `repeatInterleave: repeats of shape [3] must have 1 or 2 elements along dim 0 (shape [2])`
 * @example
 * repeatInterleave(tensor([1, 2]), 2).toArray();                                 // [1, 1, 2, 2]
 * repeatInterleave(tensor([[1, 2], [3, 4]]), 2, 0).toArray();                   // [[1, 2], [1, 2], [3, 4], [3, 4]]
 * repeatInterleave(tensor([1, 2]), tensor([1, 3], { dtype: 'int32' })).toArray(); // [1, 2, 2, 2]
 */
export function repeatInterleave(x: Tensor, repeats: number | Tensor, dim?: number): Tensor {
  requireTensor('repeatInterleave', 'x', x);
  let y = x;
  let d: number;
  if (dim === undefined) {
    y = flatten(x);
    d = 0;
  } else {
    d = normalizeDim('repeatInterleave', dim, x.shape);
    if (x.ndim === 0) y = reshape(x, [1]);
  }
  const n = y.shape[d]!;
  if (typeof repeats === 'number') {
    if (!Number.isInteger(repeats) || repeats < 0)
      throw new ValueError(`repeatInterleave: repeats must be a non-negative integer, got ${repeats}`);
    return repeatAlong(y, d, repeats, false);
  }
  if (!(repeats instanceof Tensor)) throw new ValueError('repeatInterleave: repeats must be a number or an int32 Tensor');
  requireIndex('repeatInterleave', 'repeats', repeats);
  if (repeats.ndim > 1 || (repeats.numel() !== n && repeats.numel() !== 1))
    throw new ShapeError(
      `repeatInterleave: repeats of shape ${fmtShape(repeats.shape)} must have 1 or ${n} elements along dim ${dim ?? 0} (shape ${fmtShape(x.shape)})`,
    );
  const counts = Array.from(repeats.contiguous().data, Number);
  if (counts.some((c) => c < 0))
    throw new ValueError(`repeatInterleave: repeats must be non-negative, got ${fmtShape(counts)}`);
  if (counts.length === 1) return repeatAlong(y, d, counts[0]!, false);
  const index: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) index.push(i);
  });
  return indexSelect(y, d, tensor(index, { dtype: 'int32' }));
}
