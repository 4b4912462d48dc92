import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function elu(_x: Tensor, _alpha = 1): Tensor {
  throw new Error('elu: not implemented yet');
}
