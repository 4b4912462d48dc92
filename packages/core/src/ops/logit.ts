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
  // d logit(x)/dx = 1 / (x (1 - x)). As PyTorch: without eps, NaN outside [0, 1]; with eps, 0
  // where x was clamped (outside [lo, hi], bounds included in the range).
  backward: (g, [x], { lo, hi }) => {
    const d = g.div(x!.mul(x!.neg().add(1)));
    if (lo === -Infinity) return [where(x!.lt(0), NaN, where(x!.gt(1), NaN, d))];
    return [where(x!.lt(lo), 0, where(x!.gt(hi), 0, d))];
  },
});

/**
 * Log-odds `ln(z / (1 - z))` elementwise, the inverse of sigmoid, with `z = x` or, given `eps`, x
 * clamped into `[eps, 1 - eps]` (as PyTorch: below eps becomes eps, else above 1 - eps becomes
 * 1 - eps, so eps > 1/2 gives logit(eps) below 1 - eps). NaN outside [0, 1] without eps, ±Infinity
 * at 0 and 1. The gradient is `1 / (x (1 - x))`, NaN outside [0, 1] without eps, 0 where clamped.
 * Integer inputs give float32.
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
