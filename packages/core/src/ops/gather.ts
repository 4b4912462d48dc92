import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function gather(_x: Tensor, _dim: number, _index: Tensor): Tensor {
  throw new Error('gather: not implemented yet');
}
