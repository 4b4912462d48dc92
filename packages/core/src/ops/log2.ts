import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const log2Primitive = primitive('log2', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('log2', x.nd, dt), dt), saved: [x] };
  },
  // d log2(x)/dx = 1 / (x ln 2).
  backward: (g, [x]) => [g.div(x!.mul(Math.LN2))],
});

/**
 * `log2(x)` elementwise (NaN for x < 0, -Infinity at 0). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `log2: expected a Tensor, got number`
 * @example
 * log2(tensor([1, 8, 0.5])).toArray(); // [0, 3, -1]
 */
export function log2(x: Tensor): Tensor {
  requireTensorInput('log2', x);
  return log2Primitive(x);
}
