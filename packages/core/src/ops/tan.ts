import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const tanPrimitive = primitive('tan', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('tan', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d tan(x)/dx = 1 + tan²(x).
  backward: (g, [out]) => [g.mul(out!.mul(out!).add(1))],
});

/**
 * `tan(x)` elementwise (radians). Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `tan: expected a Tensor, got number`
 * @example
 * tan(tensor([0, Math.PI / 4], { dtype: 'float64' })).toArray(); // [0, 0.9999999999999999]
 */
export function tan(x: Tensor): Tensor {
  requireTensorInput('tan', x);
  return tanPrimitive(x);
}
