import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { cos } from './cos.js';
import { floatResult, requireTensor } from './operands.js';

const sinPrimitive = primitive('sin', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('sin', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.mul(cos(x!))],
});

/**
 * `sin(x)` elementwise (radians). Integer inputs give float32.
 *
 * @example
 * sin(tensor([0, Math.PI / 2])).toArray(); // [0, 1]
 */
export function sin(x: Tensor): Tensor {
  requireTensor('sin', 'x', x);
  return sinPrimitive(x);
}
