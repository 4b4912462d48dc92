import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const erfPrimitive = primitive('erf', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('erf', x.nd, dt), dt), saved: [x] };
  },
  // d erf(x)/dx = 2/√π e^(-x²).
  backward: (g, [x]) => [g.mul(x!.mul(x!).neg().exp()).mul(TWO_OVER_SQRT_PI)],
});

/**
 * Error function `erf(x) = 2/√π ∫₀ˣ e^(-t²) dt` elementwise (accurate to ~1e-15 in float64).
 * Integer inputs give float32.
 *
 * @example
 * erf(tensor([0, 1], { dtype: 'float64' })).toArray(); // [0, 0.8427007929497149]
 */
export function erf(x: Tensor): Tensor {
  requireTensor('erf', 'x', x);
  return erfPrimitive(x);
}
