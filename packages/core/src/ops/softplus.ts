import { primitive } from '../autograd/primitive.js';
import { ValueError } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { sigmoid } from './sigmoid.js';
import { where } from './where.js';
import { checkOptions, defineOptions } from '../options.js';

const SOFTPLUS = defineOptions('softplus', { beta: 'number', threshold: 'number' });

interface SoftplusCtx {
  beta: number;
  threshold: number;
}

const softplusPrimitive = primitive('softplus', {
  forward: (x: Tensor, beta: number, threshold: number) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('softplus', x.nd, dt, beta, threshold), dt);
    return { out, saved: [x], ctx: { beta, threshold } as SoftplusCtx };
  },
  // d/dx log(1 + e^(βx))/β = σ(βx), and 1 on the linear part βx > threshold. σ is stable.
  backward: (g, [x], { beta, threshold }) => {
    const bx = x!.mul(beta);
    return [where(bx.gt(threshold), g, g.mul(sigmoid(bx)))];
  },
});

/**
 * `log(1 + e^(beta x)) / beta` elementwise, a smooth relu; taken as `x` where
 * `beta x > threshold` (as PyTorch). Stable for large |x|: `softplus(1000) = 1000`,
 * `softplus(-1000) = 0`. Integer inputs give float32.
 *
 * @param opts.beta - sharpness (default 1, must be non-zero)
 * @param opts.threshold - above this `beta x` the result is linear (default 20)
 * @throws ValueError `softplus: beta must be a non-zero number, got 0`
 * @example
 * softplus(tensor([0, 1000, -1000])).toArray(); // [0.6931472, 1000, 0]
 */
export function softplus(x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor {
  requireTensor('softplus', 'x', x);
  const { beta = 1, threshold = 20 } = checkOptions(SOFTPLUS, opts);
  if (!Number.isFinite(beta) || beta === 0) throw new ValueError(`softplus: beta must be a non-zero number, got ${beta}`);
  return softplusPrimitive(x, beta, threshold);
}
