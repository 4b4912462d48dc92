import type { FloatArray } from './float-array.js';

/**
 * One element of the Adam family's moment update: adds the L2 penalty λ θ to the gradient, then
 * m ← β1 m + (1 - β1) g and v ← β2 v + (1 - β2) g², at index `i`. Returns the penalised g.
 *
 * @internal
 */
export function updateMoments(
  data: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, i: number,
  beta1: number, beta2: number, weightDecay: number,
): number {
  let g = grad[i]!;
  if (weightDecay !== 0) g += weightDecay * data[i]!;
  m[i] = beta1 * m[i]! + (1 - beta1) * g;
  v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
  return g;
}
