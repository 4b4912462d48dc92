import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';

const logPrimitive = primitive('log', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('log', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.div(x!)],
});

/**
 * `ln(x)` elementwise (natural logarithm; NaN for x < 0, -Infinity at 0). Integer inputs give float32.
 *
 * @example
 * log(tensor([1, Math.E])).toArray(); // [0, 1]
 */
export function log(x: Tensor): Tensor {
  return logPrimitive(x);
}
