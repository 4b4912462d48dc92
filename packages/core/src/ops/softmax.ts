import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function softmax(_x: Tensor, _dim = -1): Tensor {
  throw new Error('softmax: not implemented yet');
}

/** TODO: not implemented yet. */
export function logSoftmax(_x: Tensor, _dim = -1): Tensor {
  throw new Error('logSoftmax: not implemented yet');
}
