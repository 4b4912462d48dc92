import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { sin } from './sin.js';

const cosPrimitive = primitive('cos', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('cos', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.mul(sin(x!)).neg()],
});

/**
 * `cos(x)` elementwise (radians). Integer inputs give float32.
 *
 * @example
 * cos(tensor([0, Math.PI])).toArray(); // [1, -1]
 */
export function cos(x: Tensor): Tensor {
  requireTensor('cos', 'x', x);
  return cosPrimitive(x);
}
