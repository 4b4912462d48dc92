import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function erf(_x: Tensor): Tensor {
  throw new Error('erf: not implemented yet');
}
