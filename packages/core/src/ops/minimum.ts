import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';
import { pickGrads } from './pick-grads.js';

const minimumPrimitive = primitive('minimum', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('minimum', a, b);
    return { out: Tensor.fromView(K().binary('minimum', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // The smaller input gets g, ties split it in halves, NaN on either side sends g to both.
  backward: (g, [a, b], _ctx, needsGrad) => pickGrads('min', g, a!, b!, needsGrad),
});

/**
 * `min(a, b)` elementwise with broadcasting (NaN if either is NaN). Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The gradient goes to the smaller input; on ties it is split half and half; where either input
 * is NaN, both get the whole gradient (as PyTorch).
 *
 * @throws ShapeError `minimum: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * minimum(tensor([1, 5, 3]), tensor([4, 2, 3])).toArray(); // [1, 2, 3]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'minimum');
  return minimumPrimitive(x, y);
}
