import { ValueError, fmtShape } from '../errors.js';
import { checkRank, normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import type { Dims } from './types.js';
import { requireTensor } from './operands.js';

// Both are reshapes that only add or drop size-1 dims. reshape keeps every other stride for
// such changes, so the results are views even of non-contiguous tensors.

/**
 * Removes size-1 dims: all of them, or those among `dim` (a dim whose size is not 1 is left
 * alone, as in PyTorch). A view of `x`.
 *
 * x - shape [...S]; returns S without the squeezed size-1 dims.
 *
 * @throws ValueError `squeeze: dim 3 is out of range for a tensor of 2 dims (shape [2,1])`
 * @example
 * squeeze(zeros([2, 1, 3, 1])).shape;    // [2, 3]
 * squeeze(zeros([2, 1, 3, 1]), 1).shape; // [2, 3, 1]
 * squeeze(zeros([2, 3]), 0).shape;       // [2, 3] (size 2: no-op)
 */
export function squeeze(x: Tensor, dim?: Dims): Tensor {
  requireTensor('squeeze', 'x', x);
  const shape = x.shape;
  let drop: Set<number>;
  if (dim === undefined) drop = new Set(shape.map((_, i) => i));
  else {
    const list = typeof dim === 'number' ? [dim] : [...dim];
    const dims = list.map((d) => normalizeDim('squeeze', d, shape));
    if (new Set(dims).size !== dims.length)
      throw new ValueError(`squeeze: dims ${fmtShape(list)} repeat a dim (shape ${fmtShape(shape)})`);
    drop = new Set(dims);
  }
  return reshape(x, shape.filter((d, i) => !(d === 1 && drop.has(i))));
}

/**
 * Inserts a size-1 dim at position `dim` of the result (`-1` appends at the end). A view of `x`.
 *
 * x - shape [...S] with n dims; `dim` in [-n-1, n]; returns n + 1 dims.
 *
 * @throws ValueError `unsqueeze: dim 3 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * unsqueeze(zeros([2, 3]), 0).shape;  // [1, 2, 3]
 * unsqueeze(zeros([2, 3]), -1).shape; // [2, 3, 1]
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  requireTensor('unsqueeze', 'x', x);
  const shape = x.shape;
  if (!Number.isInteger(dim) || dim < -shape.length - 1 || dim > shape.length)
    throw new ValueError(
      `unsqueeze: dim ${dim} is out of range for a tensor of ${shape.length} dims (shape ${fmtShape(shape)}); expected [${-shape.length - 1}, ${shape.length}]`,
    );
  const d = dim < 0 ? dim + shape.length + 1 : dim;
  shape.splice(d, 0, 1);
  checkRank('unsqueeze', shape);
  return reshape(x, shape);
}
