import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { rsqrt } from './rsqrt.js';

const acosPrimitive = primitive('acos', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('acos', x.nd, dt), dt), saved: [x] };
  },
  // d acos(x)/dx = -1 / √(1 - x²).
  backward: (g, [x]) => [g.mul(rsqrt(x!.mul(x!).neg().add(1))).neg()],
});

/**
 * `acos(x)` elementwise, in [0, π]; NaN outside [-1, 1]. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `acos: expected a Tensor, got number`
 * @example
 * acos(tensor([1, 0, -1])).toArray(); // [0, 1.5707964, 3.1415927]
 */
export function acos(x: Tensor): Tensor {
  requireTensorInput('acos', x);
  return acosPrimitive(x);
}
