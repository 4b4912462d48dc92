import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function sign(_x: Tensor): Tensor {
  throw new Error('sign: not implemented yet');
}
