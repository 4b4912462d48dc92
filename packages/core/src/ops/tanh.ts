import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function tanh(_x: Tensor): Tensor {
  throw new Error('tanh: not implemented yet');
}
