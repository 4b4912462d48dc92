import { ValueError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mean } from './mean.js';
import { requireFloat, requireTensor } from './operands.js';
import { sum } from './sum.js';
import { where } from './where.js';
import { checkOptions, defineOptions, unsupported, type OptionSpec } from '../options.js';
import type { Dims, ReduceOptions } from './types.js';

function varOptions(op: string): OptionSpec {
  return defineOptions(op, {
    correction: 'number',
    keepdim: 'boolean',
    unbiased: unsupported('unbiased is the old spelling of correction: { unbiased: false } is { correction: 0 }'),
  });
}
const SPECS: Record<string, OptionSpec> = { var: varOptions('var'), std: varOptions('std') };

/**
 * Options of {@link variance} and {@link std}.
 *
 * @example
 * const opts: VarOptions = { correction: 0, keepdim: true };
 * variance(tensor([[1, 2, 3, 4]]), 1, opts).toArray(); // [[1.25]]
 */
export interface VarOptions extends ReduceOptions {
  /** Subtracted from N in the divisor: 1 (default) is unbiased, 0 the population variance. */
  correction?: number;
}

function varianceOf(op: 'var' | 'std', x: Tensor, dim: Dims | undefined, opts: VarOptions | undefined): Tensor {
  const { correction = 1, keepdim = false } = checkOptions(SPECS[op]!, opts);
  const dims = normalizeDims(op, dim, x.shape);
  requireFloat(op, x);
  if (!Number.isFinite(correction)) throw new ValueError(`${op}: correction must be a finite number, got ${correction}`);
  // A 0-d tensor's dims are [0]: `?? 1` counts its single element.
  const n = dims.reduce((acc, d) => acc * (x.nd.shape[d] ?? 1), 1);
  // Two passes (centre, then square) avoid the cancellation of E[x^2] - E[x]^2.
  const centered = x.sub(mean(x, dims, { keepdim: true }));
  // As in PyTorch, N <= correction divides by 0 and gives inf or NaN rather than throwing.
  return sum(centered.mul(centered), dims, { keepdim }).div(Math.max(0, n - correction));
}

/**
 * Variance over `dim` (every dim if omitted): `sum((x - mean(x))^2) / (N - correction)`, with N
 * the number of elements reduced into each output (PyTorch's `torch.var`; method `x.var`).
 * A composite of mean, sub, mul, sum and div: no backward rule of its own.
 *
 * x - shape [...S], float32 or float64; returns S without the reduced dims (size 1 there with
 * `keepdim`). `correction` defaults to 1 (unbiased, Bessel's correction); 0 gives the
 * population variance. When `N - correction <= 0` the result is inf or NaN, as in PyTorch.
 *
 * @throws DTypeError `var: expected a floating point tensor, got int32 (shape [3])`
 * @throws ValueError `var: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 2, 3, 4], [2, 2, 2, 2]]);
 * variance(x, 1).toArray();                     // [1.6666666, 0]
 * variance(x, 1, { correction: 0 }).toArray();  // [1.25, 0]
 */
export function variance(x: Tensor, dim?: Dims, opts?: VarOptions): Tensor {
  requireTensor('var', 'x', x);
  return varianceOf('var', x, dim, opts);
}

/**
 * Standard deviation over `dim` (every dim if omitted): `sqrt(variance(x, dim, { correction }))`
 * (PyTorch's `torch.std`). Options, shapes and errors as {@link variance}.
 *
 * Gradient: `(x - mean) / ((N - correction) * std)` wherever std > 0, and 0 where std is 0
 * (all elements equal), as in PyTorch: no NaN.
 *
 * @throws DTypeError `std: expected a floating point tensor, got int32 (shape [3])`
 * @example
 * std(tensor([2, 4, 4, 4, 5, 5, 7, 9]), undefined, { correction: 0 }).item(); // 2
 */
export function std(x: Tensor, dim?: Dims, opts: VarOptions = {}): Tensor {
  requireTensor('std', 'x', x);
  const v = varianceOf('std', x, dim, opts);
  // sqrt has an infinite slope at 0: route zero variances around it (to a constant 0), so their
  // gradient is 0 rather than 0 * inf = NaN. Positive and NaN variances take the sqrt.
  const zero = v.eq(0);
  return where(zero, 0, where(zero, 1, v).sqrt());
}
