import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function gelu(_x: Tensor, _opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  throw new Error('gelu: not implemented yet');
}
