import { adamUpdate, type AdamUpdateOptions } from './adam.js';
import type { FloatArray } from './float-array.js';

/**
 * One AdamW update of one parameter, in place: {@link adamUpdate} with decoupled weight decay
 * (`param *= 1 - lr * weightDecay` before the Adam step). See {@link AdamW} for the rule.
 *
 * @example
 * const param = new Float64Array([1]);
 * const o = { lr: 0.1, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0.1, amsgrad: false, maximize: false };
 * functional.adamwUpdate(param, new Float64Array([10]), new Float64Array(1), new Float64Array(1), null, 1, o);
 * param; // [0.89] (1 · (1 - 0.1 · 0.1) - 0.1)
 */
export function adamwUpdate(
  param: FloatArray,
  grad: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  step: number,
  o: AdamUpdateOptions,
): void {
  adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, o, true);
}
