import type { Tensor } from '../tensor.js';
import type { TensorLike } from './types.js';

/** TODO: not implemented yet. */
export function where(_condition: Tensor, _a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('where: not implemented yet');
}

/** TODO: not implemented yet. */
export function maskedFill(_x: Tensor, _mask: Tensor, _value: number): Tensor {
  throw new Error('maskedFill: not implemented yet');
}
