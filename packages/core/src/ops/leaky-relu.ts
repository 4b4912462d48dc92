import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function leakyRelu(_x: Tensor, _negativeSlope = 0.01): Tensor {
  throw new Error('leakyRelu: not implemented yet');
}
