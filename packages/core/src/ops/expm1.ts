import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const expm1Primitive = primitive('expm1', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('expm1', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d (e^x - 1)/dx = e^x = out + 1 (as PyTorch).
  backward: (g, [out]) => [g.mul(out!.add(1))],
});

/**
 * `e^x - 1` elementwise, accurate for small x (where `exp(x) - 1` loses digits). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `expm1: expected a Tensor, got number`
 * @example
 * expm1(tensor([0, 1e-10], { dtype: 'float64' })).toArray(); // [0, 1.00000000005e-10]
 */
export function expm1(x: Tensor): Tensor {
  requireTensorInput('expm1', x);
  return expm1Primitive(x);
}
