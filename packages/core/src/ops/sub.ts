import type { Tensor } from '../tensor.js';
import type { TensorLike } from './types.js';

/** TODO: not implemented yet. */
export function sub(_a: TensorLike, _b: TensorLike, _opts: { alpha?: number } = {}): Tensor {
  throw new Error('sub: not implemented yet');
}
