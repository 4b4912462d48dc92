import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { where } from './where.js';
import { ValueError } from '../errors.js';
import { describeValue } from '../options.js';

const eluPrimitive = primitive('elu', {
  forward: (x: Tensor, alpha: number) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('elu', x.nd, dt, alpha), dt);
    return { out, saved: [x, out], ctx: alpha };
  },
  // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = out + alpha: reuse the saved output.
  // As PyTorch: the slope is 1 unless x <= 0, so a NaN input passes the gradient through unchanged.
  backward: (g, [x, out], alpha) => [where(x!.le(0), g.mul(out!.add(alpha)), g)],
});

/**
 * Exponential linear unit: `x` for x > 0, `alpha * (e^x - 1)` otherwise, elementwise.
 * Integer inputs give float32.
 *
 * @param alpha - the value approached as x -> -Infinity is `-alpha` (default 1)
 * @throws ValueError `elu: alpha must be a number, got an object; it comes second: elu(x, 1.0)`
 * @example
 * elu(tensor([-1, 2])).toArray(); // [-0.63212055, 2]
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  requireTensor('elu', 'x', x);
  if (typeof alpha !== 'number') throw new ValueError(`elu: alpha must be a number, got ${describeValue(alpha)}; it comes second: elu(x, 1.0)`);
  return eluPrimitive(x, alpha);
}
