import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

const HALF_SQRT_PI = Math.sqrt(Math.PI) / 2;

const erfinvPrimitive = primitive('erfinv', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('erfinv', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d erfinv(y)/dy = √π/2 e^(erfinv(y)²).
  backward: (g, [out]) => [g.mul(out!.mul(out!).exp()).mul(HALF_SQRT_PI)],
});

/**
 * Inverse error function elementwise: `erf(erfinv(y)) = y` on (-1, 1), ±Infinity at ±1, NaN outside;
 * a few ulps in float64. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `erfinv: expected a Tensor, got number`
 * @example
 * erfinv(tensor([0, 0.5, 1], { dtype: 'float64' })).toArray(); // [0, 0.4769362762044699, Infinity]
 */
export function erfinv(x: Tensor): Tensor {
  requireTensorInput('erfinv', x);
  return erfinvPrimitive(x);
}
