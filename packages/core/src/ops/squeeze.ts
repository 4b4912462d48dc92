import type { Tensor } from '../tensor.js';
import type { Dims } from './types.js';

/** TODO: not implemented yet. */
export function squeeze(_x: Tensor, _dim?: Dims): Tensor {
  throw new Error('squeeze: not implemented yet');
}

/** TODO: not implemented yet. */
export function unsqueeze(_x: Tensor, _dim: number): Tensor {
  throw new Error('unsqueeze: not implemented yet');
}
