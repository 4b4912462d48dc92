import { requireTensor } from './operands.js';
import { arange } from '../creation.js';
import { ValueError, fmtShape } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { clone } from './clone.js';
import { indexSelect } from './index-select.js';
import { transpose } from './permute.js';
import { intList} from './shape-args.js';

// Reversal is a copy (as PyTorch's flip), made by indexSelect with reversed positions: the kernels
// and the overlap checks of in-place ops assume non-negative strides, so no negative-stride view.

/**
 * Reverses the order of elements along `dims` (a copy, as PyTorch's `flip`).
 *
 * x - any shape; returns the same shape.
 *
 * @throws ValueError `flip: dims [0,0] repeat a dim (shape [2,3])`
 * @example
 * flip(tensor([[1, 2], [3, 4]]), 1).toArray();      // [[2, 1], [4, 3]]
 * flip(tensor([[1, 2], [3, 4]]), [0, 1]).toArray(); // [[4, 3], [2, 1]]
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  requireTensor('flip', 'x', x);
  const list = intList('flip', 'dims', dims);
  const norm = list.map((d) => normalizeDim('flip', d, x.shape));
  if (new Set(norm).size !== norm.length)
    throw new ValueError(`flip: dims ${fmtShape(list)} repeat a dim (shape ${fmtShape(x.shape)})`);
  let y = x;
  for (const d of norm) {
    const n = x.ndim === 0 ? 1 : x.shape[d]!;
    if (n > 1) y = indexSelect(y, d, arange(n - 1, -1, -1, { dtype: 'int32' }));
  }
  return y === x ? clone(x) : y;
}

/**
 * Reverses the columns (dim 1) of a tensor of at least 2 dims (a copy).
 *
 * @throws ValueError `fliplr: expected a tensor of at least 2 dims, got shape [3]`
 * @example
 * fliplr(tensor([[1, 2], [3, 4]])).toArray(); // [[2, 1], [4, 3]]
 */
export function fliplr(x: Tensor): Tensor {
  requireTensor('fliplr', 'x', x);
  if (x.ndim < 2) throw new ValueError(`fliplr: expected a tensor of at least 2 dims, got shape ${fmtShape(x.shape)}`);
  return flip(x, 1);
}

/**
 * Reverses the rows (dim 0) of a tensor of at least 1 dim (a copy).
 *
 * @throws ValueError `flipud: expected a tensor of at least 1 dim, got shape []`
 * @example
 * flipud(tensor([[1, 2], [3, 4]])).toArray(); // [[3, 4], [1, 2]]
 */
export function flipud(x: Tensor): Tensor {
  requireTensor('flipud', 'x', x);
  if (x.ndim < 1) throw new ValueError(`flipud: expected a tensor of at least 1 dim, got shape ${fmtShape(x.shape)}`);
  return flip(x, 0);
}

/**
 * Rotates by 90 degrees `k` times in the plane of `dims`, from the first dim towards the second
 * (counter-clockwise for `[0, 1]`, as NumPy and PyTorch). A copy.
 *
 * x - shape [M, N, ...]; returns [N, M, ...] for odd k, [M, N, ...] for even k.
 *
 * @throws ValueError `rot90: dims [0,0] must be two different dims (shape [2,2])`
 * @example
 * rot90(tensor([[1, 2], [3, 4]])).toArray();     // [[2, 4], [1, 3]]
 * rot90(tensor([[1, 2], [3, 4]]), 2).toArray();  // [[4, 3], [2, 1]]
 * rot90(tensor([[1, 2], [3, 4]]), -1).toArray(); // [[3, 1], [4, 2]]
 */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] | readonly number[] = [0, 1]): Tensor {
  requireTensor('rot90', 'x', x);
  intList('rot90', 'dims', dims);
  if (dims.length !== 2)
    throw new ValueError(`rot90: expected 2 dims, got ${fmtShape(dims)} (shape ${fmtShape(x.shape)})`);
  if (x.ndim < 2) throw new ValueError(`rot90: expected a tensor of at least 2 dims, got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new ValueError(`rot90: k must be an integer, got ${k}`);
  const a = normalizeDim('rot90', dims[0]!, x.shape);
  const b = normalizeDim('rot90', dims[1]!, x.shape);
  if (a === b) throw new ValueError(`rot90: dims ${fmtShape(dims)} must be two different dims (shape ${fmtShape(x.shape)})`);
  switch (((k % 4) + 4) % 4) {
    case 1:
      return transpose(flip(x, b), a, b);
    case 2:
      return flip(x, [a, b]);
    case 3:
      return flip(transpose(x, a, b), b);
    default:
      return clone(x);
  }
}
