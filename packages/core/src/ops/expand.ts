import { primitive } from '../autograd/primitive.js';
import { ShapeError, fmtShape } from '../errors.js';
import { checkRank } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastView, requireTensor } from './operands.js';

const expandPrimitive = primitive('expand', {
  forward: (x: Tensor, shape: number[]) => {
    const v = broadcastView(x, shape);
    return { out: new Tensor(x.storage, v.shape, v.stride, v.offset) };
  },
  // Expanding is broadcasting: the engine sums the gradient back to x's shape.
  backward: (g) => [g],
});

/**
 * `x` broadcast to a larger `shape` without copying (stride 0 on expanded dims). A size of -1
 * keeps that dim; new dims may be added on the left.
 *
 * @throws ShapeError `expand: cannot expand shape [2,3] to [4,3]`
 * @example
 * expand(tensor([[1], [2]]), [2, 3]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  requireTensor('expand', 'x', x);
  checkRank('expand', shape);
  const lead = shape.length - x.ndim;
  const bad = () => new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (lead < 0) throw bad();
  const target = shape.map((d, i) => {
    const j = i - lead;
    if (d === -1) {
      if (j < 0) throw bad();
      return x.shape[j]!;
    }
    if (j >= 0 && x.shape[j] !== 1 && x.shape[j] !== d) throw bad();
    if (!Number.isInteger(d) || d < 0) throw bad();
    return d;
  });
  return expandPrimitive(x, target);
}
