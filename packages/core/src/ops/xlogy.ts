import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, floatResult, operands, resultType } from './operands.js';
import type { TensorLike } from './types.js';
import { where } from './where.js';

const xlogyPrimitive = primitive('xlogy', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('xlogy', a, b);
    return { out: Tensor.fromView(K().binary('xlogy', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d/da = log b, as xlogy(g, b) (0 where g is), and 0 where a == 0 and b <= 0 (PyTorch's
  // mask); d/db = a / b.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? where(a!.eq(0).mul(b!.le(0)), 0, xlogy(g, b!)) : null,
    needB ? g.mul(a!).div(b!) : null,
  ],
});

/**
 * `a * log(b)` elementwise with broadcasting, taken as 0 where `a == 0` (so `xlogy(0, 0)` is 0,
 * not NaN) unless `b` is NaN: `xlogy(0, NaN)` is NaN, as PyTorch. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Integer
 * and bool inputs give float32. Differentiable in both: `log b` (0 where `a == 0` and `b <= 0`)
 * and `a / b`.
 *
 * @throws ShapeError `xlogy: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * xlogy(tensor([0, 0, 2]), tensor([0, NaN, Math.E])).toArray(); // [0, NaN, 2]
 */
export function xlogy(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, floatResult(resultType(a, b)), 'xlogy');
  return xlogyPrimitive(x, y);
}
