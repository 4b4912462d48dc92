import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function indexSelect(_x: Tensor, _dim: number, _index: Tensor): Tensor {
  throw new Error('indexSelect: not implemented yet');
}
