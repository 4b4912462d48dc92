import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function relu(_x: Tensor): Tensor {
  throw new Error('relu: not implemented yet');
}
