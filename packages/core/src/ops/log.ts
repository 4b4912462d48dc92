import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function log(_x: Tensor): Tensor {
  throw new Error('log: not implemented yet');
}
