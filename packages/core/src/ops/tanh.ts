import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';

const tanhPrimitive = primitive('tanh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('tanh', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d tanh(x)/dx = 1 - tanh(x)^2, from the saved output.
  backward: (g, [out]) => [g.mul(out!.mul(out!).neg().add(1))],
});

/**
 * `tanh(x)` elementwise. Integer inputs give float32.
 *
 * @example
 * tanh(tensor([0, 100])).toArray(); // [0, 1]
 */
export function tanh(x: Tensor): Tensor {
  return tanhPrimitive(x);
}
