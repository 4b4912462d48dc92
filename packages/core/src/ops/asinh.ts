import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { rsqrt } from './rsqrt.js';

const asinhPrimitive = primitive('asinh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('asinh', x.nd, dt), dt), saved: [x] };
  },
  // d asinh(x)/dx = 1 / √(x² + 1).
  backward: (g, [x]) => [g.mul(rsqrt(x!.mul(x!).add(1)))],
});

/**
 * `asinh(x) = ln(x + √(x² + 1))` elementwise. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `asinh: expected a Tensor, got number`
 * @example
 * asinh(tensor([0, 1])).toArray(); // [0, 0.8813736]
 */
export function asinh(x: Tensor): Tensor {
  requireTensorInput('asinh', x);
  return asinhPrimitive(x);
}
