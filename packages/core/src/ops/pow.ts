import type { Tensor } from '../tensor.js';
import type { TensorLike } from './types.js';

/** TODO: not implemented yet. */
export function pow(_a: TensorLike, _exponent: TensorLike): Tensor {
  throw new Error('pow: not implemented yet');
}
