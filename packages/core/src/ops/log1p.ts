import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function log1p(_x: Tensor): Tensor {
  throw new Error('log1p: not implemented yet');
}
