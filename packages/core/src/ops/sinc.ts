import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { cos } from './cos.js';
import { floatResult } from './operands.js';
import { sin } from './sin.js';
import { requireTensorInput } from './unary-input.js';
import { where } from './where.js';

const sincPrimitive = primitive('sinc', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('sinc', x.nd, dt), dt), saved: [x] };
  },
  // d sinc/dx = (πx cos(πx) - sin(πx)) / (πx²), and 0 at x = 0 (PyTorch's rule, masked there;
  // so, as in PyTorch, the second derivative at 0 is NaN rather than -π²/3).
  backward: (g, [x]) => {
    const px = x!.mul(Math.PI);
    const d = px.mul(cos(px)).sub(sin(px)).div(px.mul(x!));
    return [g.mul(where(x!.eq(0), 0, d))];
  },
});

/**
 * Normalized sinc `sin(πx) / (πx)` elementwise, 1 at 0 (NaN at ±Infinity, as PyTorch). Integer
 * inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `sinc: expected a Tensor, got number`
 * @example
 * sinc(tensor([0, 0.5, 1], { dtype: 'float64' })).toArray(); // [1, 0.6366197723675814, 3.8981718325193755e-17]
 */
export function sinc(x: Tensor): Tensor {
  requireTensorInput('sinc', x);
  return sincPrimitive(x);
}
