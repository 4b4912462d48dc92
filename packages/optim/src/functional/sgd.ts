import { fusedSgdUpdate } from '@tapegrad/core';
import type { FloatArray } from './float-array.js';

/**
 * Hyper-parameters of one {@link sgdUpdate}.
 *
 * @example
 * const o: functional.SGDUpdateOptions = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
 * const param = new Float32Array([1, 2]);
 * functional.sgdUpdate(param, new Float32Array([10, 10]), null, true, o);
 * param; // [0, 1]
 */
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
 *
 * @example
 * const param = new Float64Array([1, 2]), grad = new Float64Array([10, 10]);
 * const buf = new Float64Array(2);
 * functional.sgdUpdate(param, grad, buf, true, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
 * param; // [0, 1]
 * buf; // [10, 10] (the first step sets the buffer to the gradient)
 */
export function sgdUpdate(
  param: FloatArray,
  grad: FloatArray,
  momentumBuffer: FloatArray | null,
  firstStep: boolean,
  o: SGDUpdateOptions,
): void {
  const { lr, momentum, dampening, nesterov, weightDecay, maximize } = o;
  fusedSgdUpdate(param, grad, momentumBuffer, { lr, momentum, dampening, nesterov, weightDecay, maximize, firstStep });
}
