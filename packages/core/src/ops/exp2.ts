import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const exp2Primitive = primitive('exp2', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('exp2', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d 2^x/dx = 2^x ln 2.
  backward: (g, [out]) => [g.mul(out!).mul(Math.LN2)],
});

/**
 * `2^x` elementwise. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `exp2: expected a Tensor, got number`
 * @example
 * exp2(tensor([0, 3, -1])).toArray(); // [1, 8, 0.5]
 */
export function exp2(x: Tensor): Tensor {
  requireTensorInput('exp2', x);
  return exp2Primitive(x);
}
