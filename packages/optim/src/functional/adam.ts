import { fusedAdamUpdate } from '@tapegrad/core';
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
  fusedAdamUpdate(param, grad, expAvg, expAvgSq, amsgrad ? maxExpAvgSq : null, {
    beta1, beta2, eps, maximize,
    stepSize: lr / (1 - beta1 ** step),
    bc2Sqrt: Math.sqrt(1 - beta2 ** step),
    l2: decoupledWeightDecay ? 0 : weightDecay,
    decay: decoupledWeightDecay ? 1 - lr * weightDecay : 1,
  });
}
