import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { digamma } from './digamma.js';

const lgammaPrimitive = primitive('lgamma', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('lgamma', x.nd, dt), dt), saved: [x] };
  },
  // d ln|Γ(x)|/dx = ψ(x).
  backward: (g, [x]) => [g.mul(digamma(x!))],
});

/**
 * `ln |Γ(x)|` elementwise (+Infinity at 0, the negative integers and ±Infinity, as PyTorch); a few
 * ulps in float64 (absolute ~1e-16 next to its zeros at 1 and 2). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `lgamma: expected a Tensor, got number`
 * @example
 * lgamma(tensor([1, 5, 0.5], { dtype: 'float64' })).toArray(); // [0, 3.1780538303479458, 0.5723649429247001]
 */
export function lgamma(x: Tensor): Tensor {
  requireTensorInput('lgamma', x);
  return lgammaPrimitive(x);
}
