import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function cos(_x: Tensor): Tensor {
  throw new Error('cos: not implemented yet');
}
