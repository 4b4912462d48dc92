import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { rsqrt } from './rsqrt.js';

const asinPrimitive = primitive('asin', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('asin', x.nd, dt), dt), saved: [x] };
  },
  // d asin(x)/dx = 1 / √(1 - x²) (NaN outside [-1, 1], Infinity at ±1).
  backward: (g, [x]) => [g.mul(rsqrt(x!.mul(x!).neg().add(1)))],
});

/**
 * `asin(x)` elementwise, in [-π/2, π/2]; NaN outside [-1, 1]. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `asin: expected a Tensor, got number`
 * @example
 * asin(tensor([0, 1, 2])).toArray(); // [0, 1.5707964, NaN]
 */
export function asin(x: Tensor): Tensor {
  requireTensorInput('asin', x);
  return asinPrimitive(x);
}
