import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function flatten(_x: Tensor, _startDim = 0, _endDim = -1): Tensor {
  throw new Error('flatten: not implemented yet');
}
