import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensorLike } from './operands.js';
import { asDType, resultTypeOf } from './math-helpers.js';
import { sub } from './sub.js';
import type { TensorLike } from './types.js';
import { where } from './where.js';

const lerpPrimitive = primitive('lerp', {
  // PyTorch's two-sided formula: exact at both ends (weight 0 gives start, 1 gives end).
  forward: (a: Tensor, b: Tensor, w: Tensor) => {
    const d = b.sub(a);
    return { out: where(w.lt(0.5), a.add(w.mul(d)), b.sub(d.mul(sub(1, w)))), saved: [a, b, w] };
  },
  backward: (g, [a, b, w], _ctx, [needA, needB, needW]) => [
    needA ? g.mul(sub(1, w!)) : null,
    needB ? g.mul(w!) : null,
    needW ? g.mul(b!.sub(a!)) : null,
  ],
});

/**
 * Linear interpolation `start + weight * (end - start)` elementwise with broadcasting, computed
 * as PyTorch does (`end - (end - start) * (1 - weight)` for weight >= 0.5, exact at both ends).
 * `weight` is a number or a tensor.
 *
 * start - shape [...A], end - shape [...B], weight - shape [...W] (or a number), all
 * broadcastable; returns the broadcast shape. Floating point only (a number weight does not
 * change the dtype). Differentiable in all three: `1 - weight`, `weight`, `end - start`.
 *
 * @throws DTypeError `lerp: expected floating point start and end, got int32 (shape [2]) and int32 (shape [2])`
 * @throws ShapeError `lerp: cannot broadcast shapes [2] and [3] and [] ...`
 * @example
 * lerp(tensor([0, 10]), tensor([10, 20]), 0.25).toArray(); // [2.5, 12.5]
 * lerp(tensor([0, 0]), tensor([1, 1]), tensor([0, 1])).toArray(); // [0, 1]
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorLike): Tensor {
  requireTensor('lerp', 'start', start);
  requireTensor('lerp', 'end', end);
  // A number weight is cast to the dtype of start and end, never promotes it.
  const dt = resultTypeOf('lerp', weight instanceof Tensor ? [start, end, weight] : [start, end]);
  checkTensorLike('lerp', weight);
  if (!isFloating(dt))
    throw new DTypeError(
      `lerp: expected floating point start and end, got ${start.dtype} (shape ${fmtShape(start.shape)}) and ${end.dtype} (shape ${fmtShape(end.shape)})`,
    );
  const [a, b, w] = [asDType(start, dt), asDType(end, dt), asDType(weight, dt)];
  broadcastShapes('lerp', a.shape, b.shape, w.shape);
  return lerpPrimitive(a, b, w);
}
