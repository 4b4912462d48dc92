import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function rsqrt(_x: Tensor): Tensor {
  throw new Error('rsqrt: not implemented yet');
}
