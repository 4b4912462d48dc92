import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { div } from './div.js';
import { checkRoundedDivision } from './math-helpers.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

const remainderPrimitive = primitive('remainder', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('remainder', a, b);
    return { out: Tensor.fromView(K().binary('remainder', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // a - b floor(a / b): d/da = 1, d/db = -floor(a / b) (the quotient is a step: its gradient is 0).
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g : null,
    needB ? g.neg().mul(div(a!, b!, { roundingMode: 'floor' })) : null,
  ],
});

/**
 * `a mod b` with the sign of the divisor (Python's `%`, `a - b floor(a / b)`), elementwise with
 * broadcasting; numbers act as scalars. A float divisor of 0 gives NaN; an integer one throws
 * (PyTorch's ZeroDivisionError). Compare {@link fmod}, which keeps the dividend's sign.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape in the
 * promoted dtype (int32 stays int32; bool is refused). Differentiable: 1 for `a`,
 * `-floor(a / b)` for `b`.
 *
 * @throws DTypeError `remainder: not defined for bool operands (shapes [2] and [2]); cast to int32 first`
 * @throws ValueError `remainder: integer division by zero (the int32 divisor of shape [] holds 0; PyTorch raises ZeroDivisionError)`
 * @example
 * remainder(tensor([7, -7, 7, -7], { dtype: 'int32' }), tensor([3, 3, -3, -3], { dtype: 'int32' })).toArray(); // [1, 2, -2, -1]
 * remainder(tensor([-1.5, 5]), 2).toArray(); // [0.5, 1]
 */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'remainder');
  checkRoundedDivision('remainder', x, y);
  return remainderPrimitive(x, y);
}
