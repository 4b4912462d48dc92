import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

const minimumPrimitive = primitive('minimum', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('minimum', a, b);
    return { out: Tensor.fromView(K().binary('minimum', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // The gradient goes to the chosen input; on ties each gets half (as PyTorch). The weights are
  // constants, so the rule is linear in g and differentiates again (to 0 almost everywhere).
  backward: (g, [a, b]) => {
    const wa = a!.lt(b!).to(g.dtype).add(a!.eq(b!).to(g.dtype).mul(0.5));
    const ga = g.mul(wa);
    return [ga, g.sub(ga)];
  },
});

/**
 * `min(a, b)` elementwise with broadcasting (NaN if either is NaN). Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The gradient goes to the smaller input; on ties it is split half and half.
 *
 * @throws ShapeError `minimum: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * minimum(tensor([1, 5, 3]), tensor([4, 2, 3])).toArray(); // [1, 2, 3]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b);
  return minimumPrimitive(x, y);
}
