import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function clamp(_x: Tensor, _min?: number | null, _max?: number | null): Tensor {
  throw new Error('clamp: not implemented yet');
}
