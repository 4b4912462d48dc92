import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { cosh } from './cosh.js';

const sinhPrimitive = primitive('sinh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('sinh', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.mul(cosh(x!))],
});

/**
 * `sinh(x) = (e^x - e^-x) / 2` elementwise. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `sinh: expected a Tensor, got number`
 * @example
 * sinh(tensor([0, 1])).toArray(); // [0, 1.1752012]
 */
export function sinh(x: Tensor): Tensor {
  requireTensorInput('sinh', x);
  return sinhPrimitive(x);
}
