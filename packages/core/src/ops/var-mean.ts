import { requireTensor } from './operands.js';
import type { Tensor } from '../tensor.js';
import { mean } from './mean.js';
import { std, variance, type VarOptions } from './var.js';
import type { Dims } from './types.js';

/**
 * Variance and mean over `dim` in one call, `[variance, mean]` (PyTorch's `torch.var_mean`,
 * a tuple there too). Options, shapes and errors as {@link variance}; both are composites.
 *
 * @throws DTypeError `var: expected a floating point tensor, got int32 (shape [3])`
 * @example
 * const [v, m] = varMean(tensor([1, 2, 3, 4]));
 * v.item(); // 1.6666666
 * m.item(); // 2.5
 */
export function varMean(x: Tensor, dim?: Dims, opts?: VarOptions): [Tensor, Tensor] {
  requireTensor('varMean', 'x', x);
  const v = variance(x, dim, opts);
  return [v, mean(x, dim, { keepdim: opts?.keepdim ?? false })];
}

/**
 * Standard deviation and mean over `dim`, `[std, mean]` (PyTorch's `torch.std_mean`). Options,
 * shapes and errors as {@link std}.
 *
 * @throws DTypeError `std: expected a floating point tensor, got int32 (shape [3])`
 * @example
 * const [s, m] = stdMean(tensor([2, 4, 4, 4, 5, 5, 7, 9]), 0, { correction: 0 });
 * s.item(); // 2
 * m.item(); // 5
 */
export function stdMean(x: Tensor, dim?: Dims, opts?: VarOptions): [Tensor, Tensor] {
  requireTensor('stdMean', 'x', x);
  const s = std(x, dim, opts);
  return [s, mean(x, dim, { keepdim: opts?.keepdim ?? false })];
}
