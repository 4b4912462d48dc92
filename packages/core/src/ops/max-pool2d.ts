import type { Tensor } from '../tensor.js';
import type { Pool2dOptions } from './types.js';

/** TODO: not implemented yet. */
export function maxPool2d(_x: Tensor, _kernelSize: number | [number, number], _opts: Pool2dOptions = {}): Tensor {
  throw new Error('maxPool2d: not implemented yet');
}
