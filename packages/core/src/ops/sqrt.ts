import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function sqrt(_x: Tensor): Tensor {
  throw new Error('sqrt: not implemented yet');
}
