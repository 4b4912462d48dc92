import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function cat(_tensors: readonly Tensor[], _dim = 0): Tensor {
  throw new Error('cat: not implemented yet');
}

/** TODO: not implemented yet. */
export function stack(_tensors: readonly Tensor[], _dim = 0): Tensor {
  throw new Error('stack: not implemented yet');
}

/** TODO: not implemented yet. */
export function split(_x: Tensor, _splitSize: number | readonly number[], _dim = 0): Tensor[] {
  throw new Error('split: not implemented yet');
}

/** TODO: not implemented yet. */
export function chunk(_x: Tensor, _chunks: number, _dim = 0): Tensor[] {
  throw new Error('chunk: not implemented yet');
}
