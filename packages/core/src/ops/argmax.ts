import type { Tensor } from '../tensor.js';
import type { ReduceOptions } from './types.js';

/** TODO: not implemented yet. */
export function argmax(_x: Tensor, _dim?: number, _opts: ReduceOptions = {}): Tensor {
  throw new Error('argmax: not implemented yet');
}

/** TODO: not implemented yet. */
export function argmin(_x: Tensor, _dim?: number, _opts: ReduceOptions = {}): Tensor {
  throw new Error('argmin: not implemented yet');
}
