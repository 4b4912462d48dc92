import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function sin(_x: Tensor): Tensor {
  throw new Error('sin: not implemented yet');
}
