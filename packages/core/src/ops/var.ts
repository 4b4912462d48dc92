import type { Tensor } from '../tensor.js';
import type { Dims, ReduceOptions } from './types.js';

/** Options of {@link variance} and {@link std}. */
export interface VarOptions extends ReduceOptions {
  /** Subtracted from N in the divisor: 1 (default) is unbiased, 0 the population variance. */
  correction?: number;
}

/** TODO: not implemented yet. */
export function variance(_x: Tensor, _dim?: Dims, _opts: VarOptions = {}): Tensor {
  throw new Error('var: not implemented yet');
}
/** TODO: not implemented yet. */
export function std(_x: Tensor, _dim?: Dims, _opts: VarOptions = {}): Tensor {
  throw new Error('std: not implemented yet');
}
