import type { Tensor } from '../tensor.js';
import type { SliceSpec } from './types.js';

/** TODO: not implemented yet. */
export function narrow(_x: Tensor, _dim: number, _start: number, _length: number): Tensor {
  throw new Error('narrow: not implemented yet');
}

/** TODO: not implemented yet. */
export function select(_x: Tensor, _dim: number, _index: number): Tensor {
  throw new Error('select: not implemented yet');
}

/** TODO: not implemented yet. */
export function slice(_x: Tensor, _specs: readonly SliceSpec[]): Tensor {
  throw new Error('slice: not implemented yet');
}
