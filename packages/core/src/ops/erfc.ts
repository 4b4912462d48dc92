import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const erfcPrimitive = primitive('erfc', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('erfc', x.nd, dt), dt), saved: [x] };
  },
  // d erfc(x)/dx = -2/√π e^(-x²).
  backward: (g, [x]) => [g.mul(x!.mul(x!).neg().exp()).mul(-TWO_OVER_SQRT_PI)],
});

/**
 * Complementary error function `erfc(x) = 1 - erf(x)` elementwise, accurate to a few ulps in float64
 * also where it is tiny (erfc(10) = 2.1e-45, where `1 - erf(x)` gives 0). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `erfc: expected a Tensor, got number`
 * @example
 * erfc(tensor([0, 1, 10], { dtype: 'float64' })).toArray(); // [1, 0.15729920705028513, 2.088487583762545e-45]
 */
export function erfc(x: Tensor): Tensor {
  requireTensorInput('erfc', x);
  return erfcPrimitive(x);
}
