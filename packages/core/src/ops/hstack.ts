import type { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { reshape } from './reshape.js';
import { requireTensorList } from './shape-args.js';

// NumPy's stacking helpers: each promotes its inputs to at least 1, 2 or 3 dims, then concatenates.

/** [] -> [1], others unchanged. */
function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? reshape(t, [1]) : t;
}

/** [] -> [1, 1], [N] -> [1, N], others unchanged. */
function atLeast2d(t: Tensor): Tensor {
  return t.ndim >= 2 ? t : reshape(t, [1, t.numel()]);
}

/** [] -> [1, 1, 1], [N] -> [1, N, 1], [M, N] -> [M, N, 1], others unchanged. */
function atLeast3d(t: Tensor): Tensor {
  if (t.ndim >= 3) return t;
  if (t.ndim === 2) return reshape(t, [...t.shape, 1]);
  return reshape(t, [1, t.numel(), 1]);
}

/**
 * Concatenates horizontally: along dim 1, or dim 0 for 1-D inputs (0-d inputs count as 1-D).
 *
 * tensors - shapes [A, N_i, ...] (or [N_i]); returns [A, sum N_i, ...] (or [sum N_i]).
 *
 * @throws ValueError `hstack: expected a non-empty list of tensors`
 * @example
 * hstack([tensor([1, 2]), tensor([3])]).toArray();       // [1, 2, 3]
 * hstack([tensor([[1], [2]]), tensor([[3], [4]])]).toArray(); // [[1, 3], [2, 4]]
 */
export function hstack(tensors: readonly Tensor[]): Tensor {
  requireTensorList('hstack', tensors);
  const ts = tensors.map(atLeast1d);
  return cat(ts, ts[0]!.ndim === 1 ? 0 : 1);
}

/**
 * Concatenates vertically: along dim 0, after turning 1-D inputs [N] into rows [1, N].
 *
 * tensors - shapes [M_i, N, ...] (or [N]); returns [sum M_i, N, ...].
 *
 * @throws ValueError `vstack: expected a non-empty list of tensors`
 * @example
 * vstack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 2], [3, 4]]
 */
export function vstack(tensors: readonly Tensor[]): Tensor {
  requireTensorList('vstack', tensors);
  return cat(tensors.map(atLeast2d), 0);
}

/**
 * Alias of {@link vstack}: stacks rows along dim 0 (1-D inputs become rows).
 *
 * @throws ValueError `vstack: expected a non-empty list of tensors`
 * @example
 * rowStack([tensor([1, 2]), tensor([[3, 4], [5, 6]])]).shape; // [3, 2]
 */
export function rowStack(tensors: readonly Tensor[]): Tensor {
  return vstack(tensors);
}

/**
 * Concatenates depth-wise: along dim 2, after turning [N] into [1, N, 1] and [M, N] into [M, N, 1].
 *
 * tensors - shapes [M, N, K_i, ...]; returns [M, N, sum K_i, ...].
 *
 * @throws ValueError `dstack: expected a non-empty list of tensors`
 * @example
 * dstack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[[1, 3], [2, 4]]]
 */
export function dstack(tensors: readonly Tensor[]): Tensor {
  requireTensorList('dstack', tensors);
  return cat(tensors.map(atLeast3d), 2);
}

/**
 * Stacks 1-D inputs as columns ([N] becomes [N, 1]; 0-d becomes [1, 1]) and concatenates along dim 1.
 *
 * tensors - shapes [N] or [N, K_i, ...]; returns [N, sum K_i, ...].
 *
 * @throws ValueError `columnStack: expected a non-empty list of tensors`
 * @example
 * columnStack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 3], [2, 4]]
 */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  requireTensorList('columnStack', tensors);
  return cat(tensors.map((t) => (t.ndim <= 1 ? reshape(t, [t.numel(), 1]) : t)), 1);
}
