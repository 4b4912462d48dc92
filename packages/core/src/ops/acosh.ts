import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { rsqrt } from './rsqrt.js';

const acoshPrimitive = primitive('acosh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('acosh', x.nd, dt), dt), saved: [x] };
  },
  // d acosh(x)/dx = 1 / √(x² - 1) (Infinity at 1, NaN below).
  backward: (g, [x]) => [g.mul(rsqrt(x!.mul(x!).sub(1)))],
});

/**
 * `acosh(x) = ln(x + √(x² - 1))` elementwise; NaN for x < 1. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `acosh: expected a Tensor, got number`
 * @example
 * acosh(tensor([1, 2, 0])).toArray(); // [0, 1.316958, NaN]
 */
export function acosh(x: Tensor): Tensor {
  requireTensorInput('acosh', x);
  return acoshPrimitive(x);
}
