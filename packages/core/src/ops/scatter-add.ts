import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function scatterAdd(_x: Tensor, _dim: number, _index: Tensor, _src: Tensor): Tensor {
  throw new Error('scatterAdd: not implemented yet');
}
