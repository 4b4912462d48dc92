import { ShapeError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sum } from './sum.js';
import { requireTensor } from './operands.js';

/**
 * Sums `g` down to `shape`, the inverse of broadcasting `shape` up to `g.shape`: leading dims
 * are summed away and dims where `shape` has 1 are summed with keepdim. The tape uses this once,
 * centrally, for every gradient of a broadcast input.
 *
 * @throws ShapeError `sumToShape: cannot reduce shape [2,3] to [4]`
 * @example
 * sumToShape(ones([4, 2, 3]), [2, 1]).toArray(); // [[12], [12]]
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  requireTensor('sumToShape', 'g', g);
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new ShapeError(`sumToShape: cannot reduce shape ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) dims.push(i);
    else if (shape[i - lead] !== g.shape[i])
      throw new ShapeError(`sumToShape: cannot reduce shape ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  }
  const s = sum(g, dims, { keepdim: true });
  return lead > 0 ? s.reshape([...shape]) : s;
}
