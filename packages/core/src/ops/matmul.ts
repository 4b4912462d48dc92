import type { Tensor } from '../tensor.js';

/** TODO: not implemented yet. */
export function matmul(_a: Tensor, _b: Tensor): Tensor {
  throw new Error('matmul: not implemented yet');
}

/** TODO: not implemented yet. */
export function dot(_a: Tensor, _b: Tensor): Tensor {
  throw new Error('dot: not implemented yet');
}

/** TODO: not implemented yet. */
export function outer(_a: Tensor, _b: Tensor): Tensor {
  throw new Error('outer: not implemented yet');
}
