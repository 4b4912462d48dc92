import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const log10Primitive = primitive('log10', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('log10', x.nd, dt), dt), saved: [x] };
  },
  // d log10(x)/dx = 1 / (x ln 10).
  backward: (g, [x]) => [g.div(x!.mul(Math.LN10))],
});

/**
 * `log10(x)` elementwise (NaN for x < 0, -Infinity at 0). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `log10: expected a Tensor, got number`
 * @example
 * log10(tensor([1, 1000, 0.01])).toArray(); // [0, 3, -2]
 */
export function log10(x: Tensor): Tensor {
  requireTensorInput('log10', x);
  return log10Primitive(x);
}
