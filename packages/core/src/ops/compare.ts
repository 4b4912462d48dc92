import type { Tensor } from '../tensor.js';
import type { TensorLike } from './types.js';

/** TODO: not implemented yet. */
export function eq(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('eq: not implemented yet');
}

/** TODO: not implemented yet. */
export function ne(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('ne: not implemented yet');
}

/** TODO: not implemented yet. */
export function lt(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('lt: not implemented yet');
}

/** TODO: not implemented yet. */
export function le(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('le: not implemented yet');
}

/** TODO: not implemented yet. */
export function gt(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('gt: not implemented yet');
}

/** TODO: not implemented yet. */
export function ge(_a: TensorLike, _b: TensorLike): Tensor {
  throw new Error('ge: not implemented yet');
}
