import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, floatResult, operands, resultType } from './operands.js';
import type { TensorLike } from './types.js';
import { where } from './where.js';

const copysignPrimitive = primitive('copysign', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('copysign', a, b);
    const out = Tensor.fromView(K().binary('copysign', va, vb, a.dtype), a.dtype);
    return { out, saved: [a, b, out] };
  },
  // d/da = out / a, +-1 by whether the signs agree (0 where a == 0, as PyTorch); b only lends
  // its sign, so d/db = 0.
  backward: (g, [a, b, out], _ctx, [needA, needB]) => [
    needA ? g.mul(where(a!.eq(0), 0, out!.div(a!))) : null,
    needB ? zerosLike(b!) : null,
  ],
});

/**
 * `|a|` with the sign of `b`, elementwise with broadcasting (numbers act as scalars). The sign
 * bit counts: `-0` in `b` gives a negative result; a NaN `b` counts as positive.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Integer
 * and bool inputs give float32. The gradient of `a` is +-1 (whether the signs agree), 0 at
 * `a == 0`; `b` gets 0.
 *
 * @throws ShapeError `copysign: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * copysign(tensor([1, -2, 3]), tensor([-1, 1, -0])).toArray(); // [-1, 2, -3]
 */
export function copysign(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, floatResult(resultType(a, b)), 'copysign');
  return copysignPrimitive(x, y);
}
