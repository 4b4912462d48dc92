import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';
import { pickGrads } from './pick-grads.js';

const maximumPrimitive = primitive('maximum', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('maximum', a, b);
    return { out: Tensor.fromView(K().binary('maximum', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // The larger input gets g, ties split it in halves; where either is NaN neither comparison
  // holds, so both get the whole g (as PyTorch).
  backward: (g, [a, b], _ctx, needsGrad) => pickGrads('max', g, a!, b!, needsGrad),
});

/**
 * `max(a, b)` elementwise with broadcasting (NaN if either is NaN). Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The gradient goes to the larger input; on ties it is split half and half; where either input
 * is NaN, both get the whole gradient (as PyTorch).
 *
 * @throws ShapeError `maximum: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * maximum(tensor([1, 5, 3]), tensor([4, 2, 3])).toArray(); // [4, 5, 3]
 * maximum(tensor([-1, 2]), 0).toArray();                   // [0, 2]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'maximum');
  return maximumPrimitive(x, y);
}
