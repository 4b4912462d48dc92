import { requireTensor } from './operands.js';
import { ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions } from '../options.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { amax, amin } from './max.js';
import { sum } from './sum.js';
import type { Dims } from './types.js';

const AMINMAX = defineOptions('aminmax', { dim: 'integer', keepdim: 'boolean' });

/**
 * Options of {@link aminmax}.
 *
 * @example
 * const opts: AminmaxOptions = { dim: 1, keepdim: true };
 * aminmax(tensor([[1, 5, 2]]), opts).max.toArray(); // [[5]]
 */
export interface AminmaxOptions {
  /** The dim to reduce (every dim if omitted). */
  dim?: number;
  keepdim?: boolean;
}

/**
 * The minimum and maximum over `dim` (every dim if omitted) in one call, `{ min, max }`
 * (PyTorch's `torch.aminmax(x, *, dim, keepdim)`). NaN propagates. Gradients as {@link amin}
 * and {@link amax} (split among ties); PyTorch has no gradient for aminmax.
 *
 * x - shape [...S]; returns S without `dim` (size 1 with `keepdim`), x's dtype.
 *
 * @throws ValueError `aminmax: cannot reduce an empty tensor (shape [0])`
 * @example
 * const { min, max } = aminmax(tensor([[1, 5, 2], [7, 0, 7]]), { dim: 1 });
 * min.toArray(); // [1, 0]
 * max.toArray(); // [5, 7]
 */
export function aminmax(x: Tensor, opts?: AminmaxOptions): { min: Tensor; max: Tensor } {
  requireTensor('aminmax', 'x', x);
  const { dim, keepdim = false } = checkOptions(AMINMAX, opts);
  if (dim === undefined && x.numel() === 0) throw new ValueError(`aminmax: cannot reduce an empty tensor (shape ${fmtShape(x.shape)})`);
  if (dim !== undefined) {
    const d = normalizeDim('aminmax', dim, x.shape);
    if (x.ndim > 0 && x.shape[d] === 0) throw new ValueError(`aminmax: cannot reduce over dim ${d} of size 0 (shape ${fmtShape(x.shape)})`);
  }
  return { min: amin(x, dim, { keepdim }), max: amax(x, dim, { keepdim }) };
}

/**
 * Number of non-zero elements over `dim` (every dim if omitted), int32 (PyTorch's
 * `torch.count_nonzero`, int64 there). NaN counts as non-zero. No gradient.
 *
 * x - shape [...S]; returns S without the reduced dims.
 *
 * @throws ValueError `countNonzero: dim 2 is out of range for a tensor of 2 dims (shape [2,2])`
 * @example
 * countNonzero(tensor([[0, 1], [2, 0]])).item(); // 2
 * countNonzero(tensor([[0, 1], [2, 3]]), 1).toArray(); // [1, 2]
 */
export function countNonzero(x: Tensor, dim?: Dims): Tensor {
  requireTensor('countNonzero', 'x', x);
  const dims = normalizeDims('countNonzero', dim, x.shape);
  return sum(x.detach().ne(0), dims);
}
