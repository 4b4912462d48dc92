import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function abs(_x: Tensor): Tensor {
  throw new Error('abs: not implemented yet');
}
