import type { FloatArray } from './float-array.js';

/**
 * Hyper-parameters of one {@link rmspropUpdate}.
 *
 * @example
 * const o: functional.RMSpropUpdateOptions = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
 * o.alpha; // 0.99
 */
export interface RMSpropUpdateOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * One RMSprop update of one parameter, in place, in a single pass (see {@link RMSprop} for the rule).
 *
 * @param gradAvg - running mean of the gradient (centered only, else null)
 * @param momentumBuffer - momentum buffer (momentum > 0 only, else null)
 *
 * @example
 * const param = new Float64Array([1]), squareAvg = new Float64Array(1);
 * functional.rmspropUpdate(param, new Float64Array([10]), squareAvg, null, null, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
 * squareAvg; // [1] (0.01 · 10²)
 * param; // [0.9]
 */
export function rmspropUpdate(
  param: FloatArray,
  grad: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  momentumBuffer: FloatArray | null,
  o: RMSpropUpdateOptions,
): void {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = o;
  const n = param.length;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    squareAvg[i] = alpha * squareAvg[i]! + (1 - alpha) * g * g;
    let v = squareAvg[i]!;
    if (centered && gradAvg !== null) {
      gradAvg[i] = alpha * gradAvg[i]! + (1 - alpha) * g;
      const m = gradAvg[i]!;
      v -= m * m;
    }
    const avg = Math.sqrt(v) + eps;
    if (momentum > 0 && momentumBuffer !== null) {
      momentumBuffer[i] = momentum * momentumBuffer[i]! + g / avg;
      param[i] = param[i]! - lr * momentumBuffer[i]!;
    } else {
      param[i] = param[i]! - lr * (g / avg);
    }
  }
}
