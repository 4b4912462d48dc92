import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { div } from './div.js';
import { broadcastPair, floatResult, operands, resultType } from './operands.js';
import type { TensorLike } from './types.js';

const atan2Primitive = primitive('atan2', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('atan2', a, b);
    return { out: Tensor.fromView(K().binary('atan2', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2), in PyTorch's order of operations.
  backward: (g, [a, b], _ctx, [needA, needB]) => {
    const recip = div(1, a!.mul(a!).add(b!.mul(b!)));
    return [needA ? g.mul(b!).mul(recip) : null, needB ? g.mul(a!.neg()).mul(recip) : null];
  },
});

/**
 * `atan2(a, b)`, the angle of the point `(b, a)` in `(-pi, pi]`, elementwise with broadcasting
 * (numbers act as scalars). Signed zeros pick the quadrant as in C (`atan2(0, -0)` is pi).
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Integer
 * and bool inputs give float32. Differentiable in both: `b / (a^2 + b^2)` and `-a / (a^2 + b^2)`.
 *
 * @throws ShapeError `atan2: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * atan2(tensor([1, 1, -1]), tensor([1, -1, 0])).toArray(); // [0.7853982, 2.3561945, -1.5707964]
 */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, floatResult(resultType(a, b)), 'atan2');
  return atan2Primitive(x, y);
}
