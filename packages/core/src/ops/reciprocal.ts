import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const reciprocalPrimitive = primitive('reciprocal', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('reciprocal', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d (1/x)/dx = -1/x² = -out² (as PyTorch).
  backward: (g, [out]) => [g.mul(out!.mul(out!)).neg()],
});

/**
 * `1 / x` elementwise (±Infinity at ±0). Integer and bool inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `reciprocal: expected a Tensor, got number`
 * @example
 * reciprocal(tensor([2, -4, 0])).toArray(); // [0.5, -0.25, Infinity]
 */
export function reciprocal(x: Tensor): Tensor {
  requireTensorInput('reciprocal', x);
  return reciprocalPrimitive(x);
}
