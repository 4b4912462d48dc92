import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { erf } from './erf.js';
import { floatResult, requireTensor } from './operands.js';
import { tanh } from './tanh.js';
import { checkOptions, defineOptions } from '../options.js';

const GELU = defineOptions('gelu', { approximate: "'none'|'tanh'" });

const SQRT1_2 = Math.SQRT1_2;
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
  backward: (g, [x], approximate) => {
    const t = x!;
    if (approximate === 'tanh') {
      // y = x/2 (1 + tanh u), u = c (x + 0.044715 x³):
      // y' = (1 + tanh u)/2 + x/2 (1 - tanh² u) c (1 + 3 * 0.044715 x²).
      const x2 = t.mul(t);
      const th = tanh(t.mul(x2.mul(C3).add(1)).mul(SQRT_2_OVER_PI));
      const du = x2.mul(3 * C3).add(1).mul(SQRT_2_OVER_PI);
      const d = th.add(1).mul(0.5).add(t.mul(0.5).mul(th.mul(th).neg().add(1)).mul(du));
      return [g.mul(d)];
    }
    // y = x Φ(x): y' = Φ(x) + x φ(x), Φ(x) = (1 + erf(x/√2))/2, φ(x) = e^(-x²/2)/√(2π).
    const cdf = erf(t.mul(SQRT1_2)).add(1).mul(0.5);
    const pdf = t.mul(t).mul(-0.5).exp().mul(INV_SQRT_2PI);
    return [g.mul(cdf.add(t.mul(pdf)))];
  },
});

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
