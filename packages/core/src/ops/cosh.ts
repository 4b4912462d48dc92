import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { sinh } from './sinh.js';

const coshPrimitive = primitive('cosh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('cosh', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.mul(sinh(x!))],
});

/**
 * `cosh(x) = (e^x + e^-x) / 2` elementwise. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `cosh: expected a Tensor, got number`
 * @example
 * cosh(tensor([0, 1])).toArray(); // [1, 1.5430806]
 */
export function cosh(x: Tensor): Tensor {
  requireTensorInput('cosh', x);
  return coshPrimitive(x);
}
