import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function oneHot(_indices: Tensor, _numClasses = -1): Tensor {
  throw new Error('oneHot: not implemented yet');
}
