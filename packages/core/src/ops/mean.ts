import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { requireFloat, requireTensor } from './operands.js';
import { sum } from './sum.js';
import { checkOptions } from '../options.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';

const MEAN = reduceOptions('mean');

/**
 * Mean of elements over `dim` (every dim if omitted): `sum(x, dim) / n`, with n the number of
 * elements reduced into each output. A composite of `sum` and `div`: no backward rule of its own.
 *
 * x - shape [...S], float32 or float64; returns S without the reduced dims (size 1 there with
 * `keepdim`). The mean of zero elements is NaN, as in PyTorch.
 *
 * @throws DTypeError `mean: expected a floating point tensor, got int32 (shape [3])` (as in PyTorch,
 * integer tensors are refused rather than silently cast)
 * @throws ValueError `mean: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * mean(x).item();                       // 3.5
 * mean(x, 1).toArray();                 // [2, 5]
 * mean(x, 0, { keepdim: true }).toArray(); // [[2.5, 3.5, 4.5]]
 */
export function mean(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('mean', 'x', x);
  checkOptions(MEAN, opts);
  const dims = normalizeDims('mean', dim, x.shape);
  requireFloat('mean', x);
  // A 0-d tensor's dims are [0]: `?? 1` counts its single element.
  const n = dims.reduce((acc, d) => acc * (x.nd.shape[d] ?? 1), 1);
  return sum(x, dims, opts).div(n);
}
