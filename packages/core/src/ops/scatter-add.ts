import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIndexShape, gatherPrimitive, withIndexRange } from './gather.js';
import { requireIndex, requireTensor } from './operands.js';
import { slice } from './slice.js';

/** scatterAdd without the argument checks (index valid, src of index's shape). @internal */
export const scatterAddPrimitive: (x: Tensor, dim: number, index: Tensor, src: Tensor) => Tensor = primitive('scatterAdd', {
  // src has index's shape here (scatterAdd() slices a larger src down).
  forward: (x: Tensor, dim: number, index: Tensor, src: Tensor) => ({
    out: Tensor.fromView(K().scatterAdd(x.nd, dim, index.nd, src.nd), x.dtype),
    saved: [index],
    ctx: dim,
  }),
  // out = x + S(src) with S linear: x gets g, src gets S's adjoint, a gather of g.
  backward: (g, [index], dim, [, , needSrc]) => [g, null, needSrc ? gatherPrimitive(g, dim, index!) : null],
});

/**
 * Out-of-place scatter-add: a copy of `x` with every `src` element added at the position its
 * `index` names along `dim` (`out[index[i][j]][j] += src[i][j]` for `dim = 0`); repeated
 * indices accumulate. PyTorch's `scatter_add` without the in-place write.
 *
 * x - shape [..., N, ...]; index - int32 with x's number of dims, values in [0, N), no larger
 * than x outside `dim` and no larger than src anywhere; src - same dtype as x; returns x's shape.
 *
 * @throws DTypeError for a non-int32 index or when src's dtype differs from x's
 * @throws ShapeError when index does not fit x (outside `dim`) or src
 * @throws ValueError `scatterAdd: index value 3 is out of range [0, 3) for dim 0 of x (shape [3])`
 * @example
 * scatterAdd(zeros([3]), 0, tensor([0, 2, 0], { dtype: 'int32' }), tensor([1, 2, 3])).toArray(); // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireTensor('scatterAdd', 'x', x);
  requireTensor('scatterAdd', 'index', index);
  requireTensor('scatterAdd', 'src', src);
  requireIndex('scatterAdd', 'index', index);
  if (src.dtype !== x.dtype)
    throw new DTypeError(
      `scatterAdd: src must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and src ${src.dtype} (shape ${fmtShape(src.shape)})`,
    );
  const d = normalizeDim('scatterAdd', dim, x.shape);
  checkIndexShape('scatterAdd', x, d, index);
  if (src.ndim !== index.ndim || index.nd.shape.some((n, i) => n > src.nd.shape[i]!))
    throw new ShapeError(
      `scatterAdd: index shape ${fmtShape(index.shape)} must fit inside src shape ${fmtShape(src.shape)} (x shape ${fmtShape(x.shape)})`,
    );
  // Only src's leading block of index's shape is used: cut it out (a view; its gradient pads).
  const used = shapesEqual(src.shape, index.shape) ? src : slice(src, index.shape.map((n) => [0, n] as const));
  // the kernel checks the index values as it adds (one pass over them, not two)
  return withIndexRange('scatterAdd', dim, x.shape, () => scatterAddPrimitive(x, d, index, used));
}
