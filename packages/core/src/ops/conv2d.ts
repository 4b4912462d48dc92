import type { Tensor } from '../tensor.js';
import type { Conv2dOptions } from './types.js';

/** TODO: not implemented yet. */
export function conv2d(_x: Tensor, _weight: Tensor, _bias?: Tensor | null, _opts: Conv2dOptions = {}): Tensor {
  throw new Error('conv2d: not implemented yet');
}
