import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

const maximumPrimitive = primitive('maximum', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('maximum', a, b);
    return { out: Tensor.fromView(K().binary('maximum', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // As minimum's rule: 1 where a is chosen, 0.5 on ties, 0 where b is (NaN sends it to b).
  backward: (g, [a, b]) => {
    const wa = a!.gt(b!).to(g.dtype).add(a!.eq(b!).to(g.dtype).mul(0.5));
    const ga = g.mul(wa);
    return [ga, g.sub(ga)];
  },
});

/**
 * `max(a, b)` elementwise with broadcasting (NaN if either is NaN). Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The gradient goes to the larger input; on ties it is split half and half.
 *
 * @throws ShapeError `maximum: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * maximum(tensor([1, 5, 3]), tensor([4, 2, 3])).toArray(); // [4, 5, 3]
 * maximum(tensor([-1, 2]), 0).toArray();                   // [0, 2]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b);
  return maximumPrimitive(x, y);
}
