import type { Tensor } from '../tensor.js';
import type { Dims, ReduceOptions } from './types.js';

/** TODO: not implemented yet. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
export function max(_x: Tensor, _dim?: number, _opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
  throw new Error('max: not implemented yet');
}
/** TODO: not implemented yet. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
export function min(_x: Tensor, _dim?: number, _opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
  throw new Error('min: not implemented yet');
}
/** TODO: not implemented yet. */
export function amax(_x: Tensor, _dim?: Dims, _opts: ReduceOptions = {}): Tensor {
  throw new Error('amax: not implemented yet');
}
/** TODO: not implemented yet. */
export function amin(_x: Tensor, _dim?: Dims, _opts: ReduceOptions = {}): Tensor {
  throw new Error('amin: not implemented yet');
}
