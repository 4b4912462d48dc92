import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const atanhPrimitive = primitive('atanh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('atanh', x.nd, dt), dt), saved: [x] };
  },
  // d atanh(x)/dx = 1 / (1 - x²).
  backward: (g, [x]) => [g.div(x!.mul(x!).neg().add(1))],
});

/**
 * `atanh(x) = ln((1 + x) / (1 - x)) / 2` elementwise; ±Infinity at ±1, NaN outside [-1, 1]. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `atanh: expected a Tensor, got number`
 * @example
 * atanh(tensor([0, 0.5, 1, 2])).toArray(); // [0, 0.5493061, Infinity, NaN]
 */
export function atanh(x: Tensor): Tensor {
  requireTensorInput('atanh', x);
  return atanhPrimitive(x);
}
