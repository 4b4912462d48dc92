import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireFloatResult } from './math-helpers.js';
import { broadcastPair, operands, resultType } from './operands.js';
import type { TensorLike } from './types.js';

const hypotPrimitive = primitive('hypot', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('hypot', a, b);
    const out = Tensor.fromView(K().binary('hypot', va, vb, a.dtype), a.dtype);
    return { out, saved: [a, b, out] };
  },
  // d/da = a / hypot(a, b), d/db = b / hypot(a, b) (NaN at a = b = 0, as PyTorch).
  backward: (g, [a, b, out], _ctx, [needA, needB]) => [
    needA ? g.mul(a!).div(out!) : null,
    needB ? g.mul(b!).div(out!) : null,
  ],
});

/**
 * `sqrt(a^2 + b^2)` elementwise with broadcasting, without overflow or underflow in the squares
 * (numbers act as scalars). Infinity wins over NaN: `hypot(Infinity, NaN)` is Infinity, as C.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Defined
 * for floating point results only, as PyTorch's. Differentiable: `a / out` and `b / out`.
 *
 * @throws DTypeError `hypot: expected floating point inputs, got int32 (shape [2]) and int32 (shape [2]); ...`
 * @throws ShapeError `hypot: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * hypot(tensor([3, 5]), tensor([4, 12])).toArray(); // [5, 13]
 * hypot(tensor([3e200], { dtype: 'float64' }), 4e200).toArray(); // [5e200] (no overflow)
 */
export function hypot(a: TensorLike, b: TensorLike): Tensor {
  const dt = resultType(a, b);
  const [x, y] = operands(a, b, dt, 'hypot');
  requireFloatResult('hypot', dt, a, b);
  return hypotPrimitive(x, y);
}
