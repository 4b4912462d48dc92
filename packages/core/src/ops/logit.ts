import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';
import { where } from './where.js';

/**
 * Options of {@link logit}.
 *
 * @example
 * const opts: LogitOptions = { eps: 1e-6 };
 * logit(tensor([0, 1]), opts).toArray(); // [-13.815511, 13.815511]
 */
export interface LogitOptions {
  /** Clamp x into `[eps, 1 - eps]` first (PyTorch's `eps`); unset (or negative) clamps nothing. */
  eps?: number | null;
}

const LOGIT = defineOptions('logit', { eps: 'number|null' });

interface LogitCtx {
  lo: number;
  hi: number;
}

const logitPrimitive = primitive('logit', {
  forward: (x: Tensor, lo: number, hi: number) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('logit', x.nd, dt, lo, hi), dt), saved: [x], ctx: { lo, hi } as LogitCtx };
  },
  // d logit(x)/dx = 1 / (x (1 - x)). As PyTorch: without eps, NaN outside [0, 1]; with eps, only
  // inside [lo, hi] (bounds included), 0 elsewhere, NaN included.
  backward: (g, [x], { lo, hi }) => {
    const d = g.div(x!.mul(x!.neg().add(1)));
    if (lo === -Infinity) return [where(x!.lt(0), NaN, where(x!.gt(1), NaN, d))];
    return [where(x!.ge(lo), where(x!.le(hi), d, 0), 0)];
  },
});

/**
 * Log-odds `ln(z / (1 - z))` elementwise, the inverse of sigmoid, with `z = x` or, given `eps`,
 * `z = clamp(x, eps, 1 - eps)` (with eps > 1/2 every element gives logit(1 - eps)). NaN outside
 * [0, 1] without eps, ±Infinity at 0 and 1. The gradient is `1 / (x (1 - x))`: without eps NaN
 * outside [0, 1]; with eps 0 outside `[eps, 1 - eps]` and at NaN. This is what PyTorch's
 * vectorized loop computes; its scalar loop, which takes the last few elements of a tensor, lets
 * eps win over 1 - eps and gives NaN gradients at NaN. Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `logit: expected a Tensor, got number`
 * @example
 * logit(tensor([0.5, 0.75, 1])).toArray(); // [0, 1.0986123, Infinity]
 * logit(tensor([0, 1]), { eps: 0.25 }).toArray(); // [-1.0986123, 1.0986123]
 */
export function logit(x: Tensor, opts?: LogitOptions): Tensor {
  const { eps } = checkOptions(LOGIT, opts);
  requireTensorInput('logit', x);
  const clamped = eps !== undefined && eps !== null && eps >= 0;
  return logitPrimitive(x, clamped ? eps : -Infinity, clamped ? 1 - eps : Infinity);
}
