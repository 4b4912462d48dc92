import { isFloating } from '../dtype.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkOptions } from '../options.js';
import { requireFloat, requireTensor } from './operands.js';
import { sum } from './sum.js';
import { where } from './where.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';

const NANSUM = reduceOptions('nansum');
const NANMEAN = reduceOptions('nanmean');

/**
 * Sum over `dim` (every dim if omitted) treating NaN as 0 (PyTorch's `torch.nansum`). A composite
 * of where and sum: NaN elements get gradient 0.
 *
 * x - shape [...S]; returns S without the reduced dims (size 1 with `keepdim`). Integer and bool
 * inputs (which hold no NaN) sum to int32 as {@link sum}.
 *
 * @throws ValueError `nansum: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * nansum(tensor([1, NaN, 2])).item(); // 3
 * nansum(tensor([[1, NaN], [NaN, NaN]]), 1).toArray(); // [1, 0]
 */
export function nansum(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('nansum', 'x', x);
  const { keepdim = false } = checkOptions(NANSUM, opts);
  const dims = normalizeDims('nansum', dim, x.shape);
  if (!isFloating(x.dtype)) return sum(x, dims, { keepdim });
  return sum(where(x.ne(x), 0, x), dims, { keepdim });
}

/**
 * Mean over `dim` (every dim if omitted) of the non-NaN elements (PyTorch's `torch.nanmean`):
 * `nansum(x) / count(x == x)`; NaN where a slice is all NaN (0 / 0). Float inputs only.
 *
 * x - shape [...S], float32 or float64; returns S without the reduced dims (size 1 with `keepdim`).
 *
 * @throws DTypeError `nanmean: expected a floating point tensor, got int32 (shape [2])`
 * @example
 * nanmean(tensor([1, NaN, 2])).item(); // 1.5
 * nanmean(tensor([[1, NaN], [NaN, NaN]]), 1).toArray(); // [1, NaN]
 */
export function nanmean(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('nanmean', 'x', x);
  const { keepdim = false } = checkOptions(NANMEAN, opts);
  requireFloat('nanmean', x);
  const dims = normalizeDims('nanmean', dim, x.shape);
  const valid = x.eq(x);
  return sum(where(valid, x, 0), dims, { keepdim }).div(sum(valid, dims, { keepdim }).to(x.dtype));
}
