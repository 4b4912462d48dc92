import { primitive } from '../autograd/primitive.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { digamma } from './digamma.js';
import { floatResult } from './operands.js';
import { requireTensorInput } from './unary-input.js';

interface PolygammaCtx {
  n: number;
}

const polygammaPrimitive = primitive('polygamma', {
  forward: (n: number, x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('polygamma', x.nd, dt, n), dt), saved: [x], ctx: { n } as PolygammaCtx };
  },
  // d ψ⁽ⁿ⁾(x)/dx = ψ⁽ⁿ⁺¹⁾(x): every order differentiates again.
  backward: (g, [x], { n }) => [g.mul(polygamma(n + 1, x!))],
});

/**
 * Polygamma `ψ⁽ⁿ⁾(x)`, the n-th derivative of digamma, elementwise (n = 0 is {@link digamma}, n = 1
 * trigamma): `(-1)^(n+1) n! ζ(n + 1, x)` by the Hurwitz zeta function's Euler-Maclaurin sum, and
 * below 0 by the reflection formula; a few ulps in float64. `(-1)^(n+1) ∞` at 0 and the negative
 * integers, 0 at +Infinity; at -Infinity NaN for n = 1, `(-1)^(n+1) ∞` above. PyTorch agrees
 * except at two kinds of points: its trigamma gives a large finite number at the negative
 * integers, and its n >= 2 gives NaN at +Infinity. Its trigamma is also only accurate to ~1e-8.
 * Integer inputs give float32.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws ValueError `polygamma: n must be a non-negative integer, got -1`
 * @example
 * polygamma(1, tensor([1, 0.5], { dtype: 'float64' })).toArray(); // [1.6449340668482264, 4.934802200544679]
 * polygamma(2, tensor([1], { dtype: 'float64' })).item(); // -2.4041138063191885
 */
export function polygamma(n: number, x: Tensor): Tensor {
  requireTensorInput('polygamma', x);
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`polygamma: n must be a non-negative integer, got ${n} (x of shape ${fmtShape(x.shape)})`);
  return n === 0 ? digamma(x) : polygammaPrimitive(n, x);
}
