import type { Tensor } from '../tensor.js';
import type { Dims, ReduceOptions } from './types.js';

/** TODO: not implemented yet. */
export function prod(_x: Tensor, _dim?: Dims, _opts: ReduceOptions = {}): Tensor {
  throw new Error('prod: not implemented yet');
}
