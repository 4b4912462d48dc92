import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const atanPrimitive = primitive('atan', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('atan', x.nd, dt), dt), saved: [x] };
  },
  // d atan(x)/dx = 1 / (x² + 1).
  backward: (g, [x]) => [g.div(x!.mul(x!).add(1))],
});

/**
 * `atan(x)` elementwise, in (-π/2, π/2). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `atan: expected a Tensor, got number`
 * @example
 * atan(tensor([0, 1, Infinity])).toArray(); // [0, 0.7853982, 1.5707964]
 */
export function atan(x: Tensor): Tensor {
  requireTensorInput('atan', x);
  return atanPrimitive(x);
}
