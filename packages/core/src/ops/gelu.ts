import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { tanh } from './tanh.js';
import { checkOptions, defineOptions } from '../options.js';

const GELU = defineOptions('gelu', { approximate: "'none'|'tanh'" });

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;

/**
 * Which GELU: the exact `x Φ(x)` (`'none'`) or the tanh approximation.
 *
 * @example
 * const approximate: GeluApproximate = 'tanh';
 * gelu(tensor([1]), { approximate }).item(); // 0.841192
 */
export type GeluApproximate = 'none' | 'tanh';

const geluPrimitive = primitive('gelu', {
  forward: (x: Tensor, approximate: GeluApproximate) => {
    const dt = floatResult(x.dtype);
    const op = approximate === 'tanh' ? 'geluTanh' : 'gelu';
    return { out: Tensor.fromView(K().unary(op, x.nd, dt), dt), saved: [x], ctx: approximate };
  },
  backward: (g, [x], approximate) => [geluBackward(g, x!, approximate)],
});

/**
 * `g gelu'(x)` in one kernel (gelu's gradient; `x` is gelu's input). Its own gradient, in tensor
 * ops so that it differentiates again: `gelu'(x)` for `g` (this op once more) and `g gelu''(x)`
 * for `x`, where, with φ the standard normal density,
 * exact: `gelu''(x) = φ(x) (2 - x²)`;
 * tanh: `gelu''(x) = (1 - T²) (u' - x T u'² + x u''/2)`, `T = tanh u`, `u = c (x + k x³)`,
 * `u' = c (1 + 3k x²)`, `u'' = 6 c k x`, `c = √(2/π)`, `k = 0.044715`.
 */
const geluBackward: (g: Tensor, x: Tensor, approximate: GeluApproximate) => Tensor = primitive('geluBackward', {
  forward: (g: Tensor, x: Tensor, approximate: GeluApproximate) => {
    const dt = floatResult(g.dtype);
    const op = approximate === 'tanh' ? 'geluTanhGrad' : 'geluGrad';
    return { out: Tensor.fromView(K().binary(op, g.nd, x.nd, dt), dt), saved: [g, x], ctx: approximate };
  },
  backward: (gg, [g, x], approximate) => [geluBackward(gg, x!, approximate), gg.mul(g!).mul(geluSecond(x!, approximate))],
});

/** gelu''(x) in tensor ops (see {@link geluBackward}). */
function geluSecond(x: Tensor, approximate: GeluApproximate): Tensor {
  const x2 = x.mul(x);
  if (approximate === 'tanh') {
    const t = tanh(x.mul(x2.mul(C3).add(1)).mul(SQRT_2_OVER_PI));
    const du = x2.mul(3 * C3).add(1).mul(SQRT_2_OVER_PI);
    const halfDdu = x.mul(3 * C3 * SQRT_2_OVER_PI); // u''/2 = 3 c k x
    return t.mul(t).neg().add(1).mul(du.sub(x.mul(t).mul(du.mul(du))).add(x.mul(halfDdu)));
  }
  return x2.mul(-0.5).exp().mul(INV_SQRT_2PI).mul(x2.neg().add(2));
}

/**
 * Gaussian error linear unit `x Φ(x)` elementwise, Φ the standard normal CDF; with
 * `approximate: 'tanh'`, `x/2 (1 + tanh(√(2/π) (x + 0.044715 x³)))`. Integer inputs give float32.
 *
 * @throws ValueError `gelu: option approximate must be 'none' or 'tanh', got 'fast' (a string)`
 * @example
 * gelu(tensor([-1, 0, 1])).toArray();                        // [-0.15865526, 0, 0.8413447]
 * gelu(tensor([1]), { approximate: 'tanh' }).toArray();      // [0.8411920]
 */
export function gelu(x: Tensor, opts?: { approximate?: GeluApproximate }): Tensor {
  requireTensor('gelu', 'x', x);
  const { approximate = 'none' } = checkOptions(GELU, opts);
  return geluPrimitive(x, approximate);
}
