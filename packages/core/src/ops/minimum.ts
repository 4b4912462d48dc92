import type { Tensor } from '../tensor.js';
import type { TensorLike } from './types.js';

/** TODO: not implemented yet. */
export function minimum(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('minimum: not implemented yet');
}
