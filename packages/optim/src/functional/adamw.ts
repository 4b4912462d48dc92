import { adamUpdate, type AdamUpdateOptions } from './adam.js';
import type { FloatArray } from './float-array.js';

/**
 * One AdamW update of one parameter, in place: {@link adamUpdate} with decoupled weight decay
 * (`param *= 1 - lr * weightDecay` before the Adam step). See {@link AdamW} for the rule.
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
