import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function sigmoid(_x: Tensor): Tensor {
  throw new Error('sigmoid: not implemented yet');
}
