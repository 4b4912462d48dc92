import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function neg(_x: Tensor): Tensor {
  throw new Error('neg: not implemented yet');
}
