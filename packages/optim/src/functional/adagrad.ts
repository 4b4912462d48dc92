import type { FloatArray } from './float-array.js';

/**
 * Hyper-parameters of one {@link adagradUpdate}.
 *
 * @example
 * const o: functional.AdagradUpdateOptions = { lr: 0.1, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false };
 * o.lr; // 0.1
 */
export interface AdagradUpdateOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/**
 * One Adagrad update of one parameter, in place, in a single pass (see {@link Adagrad} for the rule).
 *
 * @param sum - the running sum of squared gradients (starts at `initialAccumulatorValue`)
 * @param step - the parameter's step count, already incremented (1 on the first update)
 *
 * @example
 * const param = new Float64Array([1]), sum = new Float64Array(1);
 * functional.adagradUpdate(param, new Float64Array([10]), sum, 1, { lr: 0.1, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false });
 * sum; // [100]
 * param; // [0.9]
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, sum: FloatArray, step: number, o: AdagradUpdateOptions): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = o;
  const clr = lr / (1 + (step - 1) * lrDecay);
  const n = param.length;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    sum[i] = sum[i]! + g * g;
    const std = Math.sqrt(sum[i]!) + eps;
    param[i] = param[i]! - clr * (g / std);
  }
}
