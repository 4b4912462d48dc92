import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { div } from './div.js';
import { checkRoundedDivision } from './math-helpers.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

const fmodPrimitive = primitive('fmod', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('fmod', a, b);
    return { out: Tensor.fromView(K().binary('fmod', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // a - b trunc(a / b): d/da = 1, d/db = -trunc(a / b).
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g : null,
    needB ? g.neg().mul(div(a!, b!, { roundingMode: 'trunc' })) : null,
  ],
});

/**
 * `a mod b` with the sign of the dividend (C's `fmod`, `a - b trunc(a / b)`), elementwise with
 * broadcasting; numbers act as scalars. A float divisor of 0 gives NaN; an integer one throws
 * (PyTorch's ZeroDivisionError). Compare {@link remainder}, which takes the divisor's sign.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape in the
 * promoted dtype (int32 stays int32; bool is refused). Differentiable: 1 for `a`,
 * `-trunc(a / b)` for `b`.
 *
 * @throws DTypeError `fmod: not defined for bool operands (shapes [2] and [2]); cast to int32 first`
 * @throws ValueError `fmod: integer division by zero (the int32 divisor of shape [] holds 0; PyTorch raises ZeroDivisionError)`
 * @example
 * fmod(tensor([7, -7, 7, -7], { dtype: 'int32' }), tensor([3, 3, -3, -3], { dtype: 'int32' })).toArray(); // [1, -1, 1, -1]
 * fmod(tensor([-1.5, 5]), 2).toArray(); // [-1.5, 1]
 */
export function fmod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'fmod');
  checkRoundedDivision('fmod', x, y);
  return fmodPrimitive(x, y);
}
