import { primitive } from '../autograd/primitive.js';
import { isFloating, type DType } from '../dtype.js';
import { K } from '../kernels/index.js';
import { normalizeDims, reducedShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { where } from './where.js';
import type { Dims, ReduceOptions } from './types.js';

interface ProdCtx {
  dims: number[];
  keptShape: number[];
}

const prodPrimitive = primitive('prod', {
  forward: (x: Tensor, dims: number[], keepdim: boolean) => {
    const dt: DType = isFloating(x.dtype) ? x.dtype : 'int32';
    const kept = Tensor.fromView(K().reduce('prod', x.nd, dims, dt), dt);
    const out = keepdim ? kept : kept.reshape(reducedShape(x.shape, dims, false));
    return { out, saved: [x], ctx: { dims, keptShape: kept.shape } as ProdCtx };
  },
  // d prod / d x_i is the product of the other elements of x_i's slice. Dividing prod by x_i
  // fails at zeros, so: with zeros replaced by 1, P = prod of the non-zeros; then
  //   no zero in the slice        -> P / x_i
  //   x_i is the only zero        -> P
  //   any other element is zero   -> 0
  // which is (P / x'_i) * [zeros in slice - [x_i == 0] == 0] with x' = x with zeros set to 1.
  // The mask is a constant, so second derivatives are right where the slice has no zero; with
  // zeros they miss the terms through the masked elements (PyTorch's rule has the same limit).
  backward: (g, [x], { dims, keptShape }) => {
    const isZero = x!.eq(0);
    const nonzero = where(isZero, 1, x!);
    const others = prod(nonzero, dims, { keepdim: true }).div(nonzero);
    const alone = isZero.sum(dims, { keepdim: true }).sub(isZero).eq(0);
    return [g.reshape(keptShape).mul(others).mul(alone)];
  },
});

/**
 * Product of elements over `dim` (every dim if omitted).
 *
 * x - shape [...S]; returns S without the reduced dims (size 1 there with `keepdim`). Integer
 * and bool inputs multiply to int32; the product of zero elements is 1.
 *
 * Gradient: the product of the other elements of the slice, exact also when the slice holds
 * zeros (one zero: that element gets the product of the others, the rest 0; two or more: all 0).
 * Twice differentiable where the slice has no zeros.
 *
 * @throws ValueError `prod: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * prod(x).item();        // 720
 * prod(x, 1).toArray();  // [6, 120]
 */
export function prod(x: Tensor, dim?: Dims, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims('prod', dim, x.shape);
  return prodPrimitive(x, dims, opts.keepdim ?? false);
}
