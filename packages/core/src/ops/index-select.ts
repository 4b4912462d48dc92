import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIndexRange } from './gather.js';
import { requireIndex, requireTensor } from './operands.js';
import { reshape } from './reshape.js';

interface IndexCtx {
  dim: number;
  inShape: number[];
}

const indexSelectPrimitive: (x: Tensor, dim: number, index: Tensor) => Tensor = primitive('indexSelect', {
  forward: (x: Tensor, dim: number, index: Tensor) => ({
    out: Tensor.fromView(K().indexSelect(x.nd, dim, index.nd), x.dtype),
    saved: [index],
    ctx: { dim, inShape: x.shape } as IndexCtx,
  }),
  // Row j of the output is row index[j] of x: add the gradient rows back there.
  backward: (g, [index], { dim, inShape }) => [indexAddPrimitive(zeros(inShape, { dtype: g.dtype }), dim, index!, g), null],
});

const indexAddPrimitive: (x: Tensor, dim: number, index: Tensor, src: Tensor) => Tensor = primitive('indexAdd', {
  forward: (x: Tensor, dim: number, index: Tensor, src: Tensor) => ({
    out: Tensor.fromView(K().indexAdd(x.nd, dim, index.nd, src.nd), x.dtype),
    saved: [index],
    ctx: dim,
  }),
  // out = x + A(src) with A linear: A's adjoint picks the rows again.
  backward: (g, [index], dim, [, , needSrc]) => [g, null, needSrc ? indexSelectPrimitive(g, dim, index!) : null],
});

/** Validates a 1-D (or 0-d) int32 index for `x` along `dim`; returns the normalised dim. */
function checkIndex(op: string, x: Tensor, dim: number, index: Tensor): number {
  requireIndex(op, 'index', index);
  if (index.ndim > 1)
    throw new ShapeError(`${op}: index must be 1-D, got index shape ${fmtShape(index.shape)} (x shape ${fmtShape(x.shape)})`);
  const d = normalizeDim(op, dim, x.shape);
  checkIndexRange(op, index, x.ndim === 0 ? 1 : x.shape[d]!, dim, x.shape);
  return d;
}

/**
 * Picks entries of `x` along `dim` by a list of positions: `out[..., j, ...] = x[..., index[j], ...]`
 * (repeats allowed). A new tensor, not a view.
 *
 * x - shape [..., N, ...]; index - int32, shape [K], values in [0, N); returns [..., K, ...].
 *
 * @throws DTypeError `indexSelect: index must be an int32 tensor, got float32 (shape [2])`
 * @throws ShapeError for an index of more than one dim
 * @throws ValueError `indexSelect: index value 4 is out of range [0, 3) for dim 0 of x (shape [3,2])`
 * @example
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * indexSelect(x, 0, tensor([2, 0], { dtype: 'int32' })).toArray(); // [[5, 6], [1, 2]]
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  requireTensor('indexSelect', 'x', x);
  requireTensor('indexSelect', 'index', index);
  const d = checkIndex('indexSelect', x, dim, index);
  if (x.ndim === 0) {
    // As PyTorch: a 0-d x takes a one-element index and gives a 0-d result.
    if (index.numel() !== 1)
      throw new ShapeError(`indexSelect: a 0-d x needs an index of one element, got index shape ${fmtShape(index.shape)}`);
    return reshape(indexSelectPrimitive(reshape(x, [1]), 0, reshape(index, [1])), []);
  }
  return indexSelectPrimitive(x, d, index.ndim === 0 ? reshape(index, [1]) : index);
}

/**
 * Out-of-place index-add: a copy of `x` with slice j of `src` added at position `index[j]`
 * along `dim` (`out[..., index[j], ...] += src[..., j, ...]`; repeats accumulate).
 * The adjoint of {@link indexSelect}.
 *
 * x - shape [..., N, ...]; index - int32, shape [K], values in [0, N); src - shape [..., K, ...],
 * x's dtype; returns x's shape.
 *
 * @throws DTypeError for a non-int32 index or when src's dtype differs from x's
 * @throws ShapeError when src's shape is not x's with `K` at `dim`
 * @example
 * indexAdd(zeros([3]), 0, tensor([0, 0, 2], { dtype: 'int32' }), tensor([1, 2, 3])).toArray(); // [3, 0, 3]
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireTensor('indexAdd', 'x', x);
  requireTensor('indexAdd', 'index', index);
  requireTensor('indexAdd', 'src', src);
  const d = checkIndex('indexAdd', x, dim, index);
  if (src.dtype !== x.dtype)
    throw new DTypeError(
      `indexAdd: src must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and src ${src.dtype} (shape ${fmtShape(src.shape)})`,
    );
  const k = index.numel();
  // A 0-d x takes one index and one src value, as in indexSelect.
  const want = x.ndim === 0 ? [] : x.shape.map((n, i) => (i === d ? k : n));
  const srcShape = src.shape;
  const fits = x.ndim === 0 ? k === 1 && src.numel() === 1 : srcShape.length === want.length && srcShape.every((n, i) => n === want[i]);
  if (!fits)
    throw new ShapeError(
      `indexAdd: src shape ${fmtShape(srcShape)} must be ${fmtShape(want)} (x shape ${fmtShape(x.shape)}, index shape ${fmtShape(index.shape)}, dim ${dim})`,
    );
  if (x.ndim === 0) return reshape(indexAddPrimitive(reshape(x, [1]), 0, reshape(index, [1]), reshape(src, [1])), []);
  return indexAddPrimitive(x, d, index.ndim === 0 ? reshape(index, [1]) : index, src);
}
