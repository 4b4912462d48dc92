import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { requireTensorArgs } from './index-bounds.js';
import { select } from './slice.js';

const NONZERO = defineOptions('nonzero', { asTuple: 'boolean' });

/**
 * Options of {@link nonzero}.
 *
 * @example
 * const opts: NonzeroOptions = { asTuple: true };
 * (nonzero(tensor([0, 3, 0, 4]), opts) as Tensor[])[0]!.toArray(); // [1, 3]
 */
export interface NonzeroOptions {
  /** Return one 1-D index tensor per dim instead of one `[n, ndim]` tensor (default false). */
  asTuple?: boolean;
}

/**
 * The positions of the non-zero (true) elements of `x`, in row-major order: an int32 tensor
 * `[n, ndim]` whose row k is the multi-index of the k-th non-zero element. With `asTuple`, one
 * int32 tensor `[n]` per dim instead (a 0-d x counts as 1-D), usable as indices of {@link index}.
 * NaN counts as non-zero. Not differentiable (integer result).
 *
 * x - any shape, any dtype; returns int32 [n, ndim] (or ndim tensors [n]).
 *
 * @example
 * const x = tensor([[0, 1], [2, 0]]);
 * nonzero(x).toArray(); // [[0, 1], [1, 0]]
 * nonzero(x, { asTuple: true }).map((t) => t.toArray()); // [[0, 1], [1, 0]]
 */
export function nonzero(x: Tensor): Tensor;
export function nonzero(x: Tensor, opts: NonzeroOptions & { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[] {
  const { asTuple = false } = checkOptions(NONZERO, opts);
  requireTensorArgs('nonzero', { x });
  const at = Tensor.fromView(K().nonzero(x.nd), 'int32');
  if (!asTuple) return at;
  if (x.ndim === 0) return [Tensor.fromData(new Int32Array(at.shape[0]!), [at.shape[0]!], 'int32')];
  return x.shape.map((_, d) => select(at, 1, d).contiguous());
}

/**
 * The positions of the non-zero (true) elements of `x` as an int32 tensor `[n, ndim]`
 * (PyTorch's `argwhere`, the same as {@link nonzero}).
 *
 * x - any shape; returns int32 [n, ndim].
 *
 * @example
 * argwhere(tensor([1, 0, 1], { dtype: 'bool' })).toArray(); // [[0], [2]]
 */
export function argwhere(x: Tensor): Tensor {
  requireTensorArgs('argwhere', { x });
  return nonzero(x);
}
