import type { FloatArray } from './float-array.js';

/** Hyper-parameters of one {@link adagradUpdate}. */
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
