import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { polygamma } from './polygamma.js';

const digammaPrimitive = primitive('digamma', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('digamma', x.nd, dt), dt), saved: [x] };
  },
  // dψ(x)/dx = ψ'(x), trigamma.
  backward: (g, [x]) => [g.mul(polygamma(1, x!))],
});

/**
 * Digamma `ψ(x) = d/dx ln Γ(x)` elementwise: NaN at the negative integers and -Infinity, -Infinity at
 * +0 and +Infinity at -0 (as PyTorch); a few ulps in float64 (absolute ~1e-16 next to its zeros).
 * Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `digamma: expected a Tensor, got number`
 * @example
 * digamma(tensor([1, 0.5], { dtype: 'float64' })).toArray(); // [-0.5772156649015329, -1.9635100260214235]
 */
export function digamma(x: Tensor): Tensor {
  requireTensorInput('digamma', x);
  return digammaPrimitive(x);
}
