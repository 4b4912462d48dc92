import type { AdamHyper, FloatArray, SgdHyper } from '../backend.js';

// The fused optimizer updates as plain loops: one pass over a parameter, its gradient and its
// state, in place, allocating nothing. Arithmetic is float64; float32 arrays round each store,
// and later uses read the stored value back (so every backend can match these bit for bit).

/** One Adam/AdamW update in place (the rule is on {@link AdamHyper}). */
export function adamUpdate(
  param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper,
): void {
  const { beta1, beta2, stepSize, bc2Sqrt, eps, l2, decay, maximize } = h;
  const n = param.length;
  if (!maximize && l2 === 0 && decay === 1 && maxExpAvgSq === null) {
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
    if (maxExpAvgSq !== null) {
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
    expAvg[i] = beta1 * expAvg[i]! + c1 * g;
    expAvgSq[i] = beta2 * expAvgSq[i]! + c2 * g * g;
    // Read back the stored (possibly float32-rounded) moments, as the general loop does.
    param[i] = param[i]! - stepSize * (expAvg[i]! / (Math.sqrt(expAvgSq[i]!) / bc2Sqrt + eps));
  }
}

/** One SGD update in place (the rule is on {@link SgdHyper}). */
export function sgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void {
  const { lr, momentum, dampening, nesterov, weightDecay, maximize, firstStep } = h;
  const n = param.length;
  const keep = 1 - dampening;
  const buf = momentum !== 0 ? momentumBuffer : null;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    if (buf !== null) {
      buf[i] = firstStep ? g : momentum * buf[i]! + keep * g;
      const b = buf[i]!; // read back: a float32 buffer rounds what it stores
      g = nesterov ? g + momentum * b : b;
    }
    param[i] = param[i]! - lr * g;
  }
}
