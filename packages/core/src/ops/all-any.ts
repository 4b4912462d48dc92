import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions } from '../options.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { eq, ne } from './compare.js';
import { sum } from './sum.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';
import { requireTensor } from './operands.js';

const ALL = reduceOptions('all');
const ANY = reduceOptions('any');

/**
 * True where every element over `dim` is non-zero (every dim if omitted), as a `bool` tensor
 * (not differentiable). NaN counts as non-zero; over no elements the answer is true, as in PyTorch.
 *
 * x - shape [...S]; returns S without the reduced dims (or with size 1 there, `keepdim`).
 *
 * @throws ValueError `all: dim 2 is out of range for a tensor of 2 dims (shape [2,2])`
 * @example
 * const x = tensor([[1, 0], [2, 3]]);
 * all(x).item(); // 0
 * all(x, 1).toArray(); // [false, true]
 * all(x, 0, { keepdim: true }).toArray(); // [[true, false]]
 * all(zeros([0])).item(); // 1
 */
export function all(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('all', 'x', x);
  const { keepdim = false } = checkOptions(ALL, opts);
  const dims = normalizeDims('all', dim, x.shape);
  // No zero among them: count the zeros.
  return noGrad(() => eq(sum(eq(x, 0), dims, { keepdim }), 0));
}

/**
 * True where some element over `dim` is non-zero (every dim if omitted), as a `bool` tensor
 * (not differentiable). NaN counts as non-zero; over no elements the answer is false, as in PyTorch.
 *
 * x - shape [...S]; returns S without the reduced dims (or with size 1 there, `keepdim`).
 *
 * @throws ValueError `any: dim 2 is out of range for a tensor of 2 dims (shape [2,2])`
 * @example
 * const x = tensor([[0, 0], [0, 3]]);
 * any(x).item(); // 1
 * any(x, 1).toArray(); // [false, true]
 * any(x.lt(0)).item(); // 0
 */
export function any(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('any', 'x', x);
  const { keepdim = false } = checkOptions(ANY, opts);
  const dims = normalizeDims('any', dim, x.shape);
  return noGrad(() => ne(sum(ne(x, 0), dims, { keepdim }), 0));
}
