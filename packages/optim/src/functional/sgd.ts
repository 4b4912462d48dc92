import type { FloatArray } from './float-array.js';

/** Hyper-parameters of one {@link sgdUpdate}. */
export interface SGDUpdateOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

/**
 * One SGD update of one parameter, in place, in a single pass (see {@link SGD} for the rule).
 *
 * @param param - the parameter's elements, updated in place
 * @param grad - its gradient, same length
 * @param momentumBuffer - the momentum buffer, same length (null when momentum is 0)
 * @param firstStep - true on the buffer's first update: it is then set to the gradient, undamped
 */
export function sgdUpdate(
  param: FloatArray,
  grad: FloatArray,
  momentumBuffer: FloatArray | null,
  firstStep: boolean,
  o: SGDUpdateOptions,
): void {
  const { lr, momentum, dampening, nesterov, weightDecay, maximize } = o;
  const n = param.length;
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    if (momentumBuffer !== null && momentum !== 0) {
      momentumBuffer[i] = firstStep ? g : momentum * momentumBuffer[i]! + keep * g;
      const b = momentumBuffer[i]!; // read back: a float32 buffer rounds what it stores
      g = nesterov ? g + momentum * b : b;
    }
    param[i] = param[i]! - lr * g;
  }
}
