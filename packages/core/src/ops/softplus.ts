import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function softplus(_x: Tensor, _opts: { beta?: number; threshold?: number } = {}): Tensor {
  throw new Error('softplus: not implemented yet');
}
