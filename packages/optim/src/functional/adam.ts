import type { FloatArray } from './float-array.js';

/**
 * Hyper-parameters of one {@link adamUpdate}.
 *
 * @example
 * const o: functional.AdamUpdateOptions = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
 * const param = new Float64Array([1]);
 * functional.adamUpdate(param, new Float64Array([10]), new Float64Array(1), new Float64Array(1), null, 1, o);
 * param; // [0.9]
 */
export interface AdamUpdateOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * One Adam (or AdamW) update of one parameter, in place, in a single pass (see {@link Adam} and
 * {@link AdamW} for the rule).
 *
 * @param step - the parameter's step count, already incremented (1 on the first update)
 * @param maxExpAvgSq - the running maximum of `expAvgSq` (amsgrad only, else null)
 * @param decoupledWeightDecay - AdamW: shrink the parameter by `1 - lr * weightDecay` instead of
 *   adding `weightDecay * param` to the gradient
 *
 * @example
 * const param = new Float64Array([1, 1]), grad = new Float64Array([10, -0.5]);
 * const m = new Float64Array(2), v = new Float64Array(2);
 * functional.adamUpdate(param, grad, m, v, null, 1, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
 * param; // [0.9, 1.1] (Adam's first step is lr · sign(grad))
 */
export function adamUpdate(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  step: number,
  o: AdamUpdateOptions,
  decoupledWeightDecay = false,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = o;
  const [beta1, beta2] = o.betas;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const decay = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
  const l2 = decoupledWeightDecay ? 0 : weightDecay;
  const n = param.length;
  if (!maximize && l2 === 0 && decay === 1 && !amsgrad) {
    // The common case, without the per-element branches: same arithmetic, same results.
    plainAdam(param, grad, expAvg, expAvgSq, n, beta1, beta2, stepSize, bc2Sqrt, eps);
    return;
  }
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (l2 !== 0) g += l2 * param[i]!;
    if (decay !== 1) param[i] = param[i]! * decay;
    expAvg[i] = beta1 * expAvg[i]! + (1 - beta1) * g;
    expAvgSq[i] = beta2 * expAvgSq[i]! + (1 - beta2) * g * g;
    let v = expAvgSq[i]!;
    if (amsgrad && maxExpAvgSq !== null) {
      if (v > maxExpAvgSq[i]!) maxExpAvgSq[i] = v;
      v = maxExpAvgSq[i]!;
    }
    const denom = Math.sqrt(v) / bc2Sqrt + eps;
    param[i] = param[i]! - stepSize * (expAvg[i]! / denom);
  }
}

/** Adam's update without weight decay, amsgrad or maximize: the hot loop of most training runs. */
function plainAdam(
  param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, n: number,
  beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number,
): void {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const m = beta1 * expAvg[i]! + c1 * g;
    const v = beta2 * expAvgSq[i]! + c2 * g * g;
    expAvg[i] = m;
    expAvgSq[i] = v;
    // Read back the stored (possibly float32-rounded) moments, as the general loop does.
    param[i] = param[i]! - stepSize * (expAvg[i]! / (Math.sqrt(expAvgSq[i]!) / bc2Sqrt + eps));
  }
}
