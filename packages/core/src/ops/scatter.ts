import { primitive } from '../autograd/primitive.js';
import { full, ones, zeros } from '../creation.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIndexRange, checkIndexShape, gatherPrimitive } from './gather.js';
import { requireTensorArgs } from './index-bounds.js';
import { requireIndex } from './operands.js';
import { slice } from './slice.js';
import { where } from './where.js';

/** How scatterReducePrimitive combines: scatter's plain write is `'assign'`. */
type Combine = 'assign' | 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

interface ScatterCtx {
  dim: number;
  reduce: Combine;
  includeSelf: boolean;
}

/** scatter / scatterReduce without the argument checks (index valid, src of index's shape). @internal */
export const scatterReducePrimitive: (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: Combine, includeSelf: boolean) => Tensor =
  primitive('scatterReduce', {
    forward: (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: Combine, includeSelf: boolean) => {
      const out = Tensor.fromView(K().scatterReduce(x.nd, dim, index.nd, src.nd, reduce, includeSelf), x.dtype);
      return { out, saved: [x, index, src, out], ctx: { dim, reduce, includeSelf } as ScatterCtx };
    },
    backward: (g, [x, index, src, out], ctx) => scatterBackward(g, x!, index!, src!, out!, ctx),
  });

/** `x` with the elements `index` reaches along `dim` set to 0 (where src did not add to x's value). */
function clearTargets(t: Tensor, dim: number, index: Tensor): Tensor {
  return scatterReducePrimitive(t, dim, index, zeros(index.shape, { dtype: t.dtype }), 'assign', true);
}

// PyTorch's gradients (torch/csrc/autograd/FunctionsManual.cpp, scatter_reduce_backward), in tensor ops.
function scatterBackward(g: Tensor, x: Tensor, index: Tensor, src: Tensor, out: Tensor, { dim, reduce, includeSelf }: ScatterCtx): Array<Tensor | null> {
  const dt = g.dtype;
  const gather = (t: Tensor) => gatherPrimitive(t, dim, index);
  let gx: Tensor;
  let gsrc: Tensor;
  switch (reduce) {
    case 'assign':
      // Overwritten elements of x get nothing; every src element gets its target's gradient (even one a later duplicate overwrote, as PyTorch).
      return [clearTargets(g, dim, index), null, gather(g)];
    case 'sum':
      gx = g;
      gsrc = gather(g);
      break;
    case 'mean': {
      const n = scatterReducePrimitive(includeSelf ? ones(x.shape, { dtype: dt }) : zeros(x.shape, { dtype: dt }), dim, index, ones(index.shape, { dtype: dt }), 'sum', true);
      const gn = g.div(where(n.eq(0), 1, n));
      gx = gn;
      gsrc = gather(gn);
      break;
    }
    case 'amax':
    case 'amin': {
      // Ties share the gradient evenly: each target's gradient is divided by the number of
      // elements (x's and src's) equal to the result there.
      const selfIs = x.eq(out).to(dt);
      const srcIs = src.eq(gather(out)).to(dt);
      const share = g.div(scatterReducePrimitive(selfIs, dim, index, srcIs, 'sum', true));
      gx = selfIs.mul(share);
      gsrc = srcIs.mul(gather(share));
      break;
    }
    case 'prod': {
      // The product of the others, zero-safe: x's zeros are replaced by 1 before dividing out;
      // a src zero alone at its target gets the product with it replaced by 1; with two or more
      // zeros at a target every other factor's gradient is 0 through the product itself.
      const xMasked = where(x.eq(0), 1, x);
      gx = g.mul(scatterReducePrimitive(xMasked, dim, index, src, 'prod', includeSelf)).div(xMasked);
      const srcZero = src.eq(0);
      const zerosAt = gather(scatterReducePrimitive(zeros(x.shape, { dtype: dt }), dim, index, srcZero.to(dt), 'sum', true));
      const single = zerosAt.mul(srcZero.to(dt)).eq(1); // a zero, the only one at its target
      const withoutZero = scatterReducePrimitive(x, dim, index, where(single, 1, src), 'prod', includeSelf);
      gsrc = where(single, gather(g.mul(withoutZero)), gather(g.mul(out)).div(where(srcZero, 1, src)));
      break;
    }
  }
  return [includeSelf ? gx : clearTargets(gx, dim, index), null, gsrc];
}

/** Checks scatter's operands; returns the normalised dim and src cut to index's shape. */
function checkScatter(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor): { d: number; used: Tensor } {
  requireIndex(op, 'index', index);
  if (src.dtype !== x.dtype)
    throw new DTypeError(
      `${op}: src must have x's dtype, got x ${x.dtype} (shape ${fmtShape(x.shape)}) and src ${src.dtype} (shape ${fmtShape(src.shape)})`,
    );
  const d = normalizeDim(op, dim, x.shape);
  checkIndexShape(op, x, d, index);
  if (src.ndim !== index.ndim || index.nd.shape.some((n, i) => n > src.nd.shape[i]!))
    throw new ShapeError(
      `${op}: index shape ${fmtShape(index.shape)} must fit inside src shape ${fmtShape(src.shape)} (x shape ${fmtShape(x.shape)})`,
    );
  checkIndexRange(op, index, x.ndim === 0 ? 1 : x.shape[d]!, dim, x.shape);
  // Only src's leading block of index's shape is used: cut it out (a view; its gradient pads).
  const used = shapesEqual(src.shape, index.shape) ? src : slice(src, index.shape.map((n) => [0, n] as const));
  return { d, used };
}

/**
 * Options of {@link scatter}.
 *
 * @example
 * const opts: ScatterOptions = { reduce: 'add' };
 * scatter(ones([3]), 0, tensor([0, 0], { dtype: 'int32' }), 2, opts).toArray(); // [5, 1, 1]
 */
export interface ScatterOptions {
  /** Combine with the target instead of overwriting it: `'add'` or `'multiply'` (default: overwrite). */
  reduce?: 'add' | 'multiply';
}

const SCATTER = defineOptions('scatter', { reduce: "'add'|'multiply'" });

/**
 * Out-of-place scatter: a copy of `x` with `out[index[i][j]][j] = src[i][j]` for `dim = 0`
 * (`out[i][index[i][j]] = src[i][j]` for `dim = 1`, ...), PyTorch's `scatter`. `src` may be a
 * number, written at every index position. With `reduce: 'add'` / `'multiply'` the value is
 * added to / multiplied into the target instead (repeats accumulate). Where an index repeats
 * without `reduce`, the last write wins (PyTorch leaves it unspecified).
 *
 * x - shape [..., N, ...]; index - int32 with x's number of dims, values in [0, N), no larger
 * than x outside `dim` and no larger than src anywhere; src - x's dtype; returns x's shape.
 *
 * Gradient: as PyTorch's: overwritten elements of x get 0, each src element the gradient at
 * its target. With `reduce` (which PyTorch does not differentiate) those of
 * {@link scatterReduce}'s `'sum'` and `'prod'`.
 *
 * @throws DTypeError for a non-int32 index or when src's dtype differs from x's
 * @throws ShapeError when index does not fit x (outside `dim`) or src
 * @throws ValueError `scatter: index value 3 is out of range [0, 3) for dim 0 of x (shape [3])`
 * @example
 * const i = tensor([2, 0], { dtype: 'int32' });
 * scatter(zeros([3]), 0, i, tensor([5, 6])).toArray(); // [6, 0, 5]
 * scatter(zeros([2, 2]), 1, tensor([[1], [0]], { dtype: 'int32' }), 7).toArray(); // [[0, 7], [7, 0]]
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts?: ScatterOptions): Tensor {
  const { reduce } = checkOptions(SCATTER, opts);
  requireTensorArgs('scatter', typeof src === 'number' ? { x, index } : { x, index, src });
  const s = typeof src === 'number' ? full(index.shape, src, { dtype: x.dtype }) : src;
  const { d, used } = checkScatter('scatter', x, dim, index, s);
  return scatterReducePrimitive(x, d, index, used, reduce === 'add' ? 'sum' : reduce === 'multiply' ? 'prod' : 'assign', true);
}

/**
 * Options of {@link scatterReduce}.
 *
 * @example
 * const opts: ScatterReduceOptions = { includeSelf: false };
 * scatterReduce(ones([2]), 0, tensor([0, 0], { dtype: 'int32' }), tensor([3, 5]), 'amax', opts).toArray(); // [5, 1]
 */
export interface ScatterReduceOptions {
  /** Whether x's own value at a target takes part in the reduction (default true). */
  includeSelf?: boolean;
}

const SCATTER_REDUCE = defineOptions('scatterReduce', { includeSelf: 'boolean' });
const REDUCTIONS = ['sum', 'prod', 'mean', 'amax', 'amin'] as const;

/**
 * Out-of-place scatter with a reduction, PyTorch's `scatter_reduce`: each `src[i][j]` is combined
 * into `out[index[i][j]][j]` (for `dim = 0`) by `reduce`: `'sum'`, `'prod'`, `'mean'`, `'amax'`
 * or `'amin'`. With `includeSelf` (the default) x's value takes part; without, a target that
 * some src reaches is reduced over its src values only. Elements no index reaches keep x's
 * value. Integer means round down; amax/amin propagate NaN.
 *
 * x - shape [..., N, ...]; index - int32 with x's number of dims, values in [0, N), no larger
 * than x outside `dim` and no larger than src anywhere; src - x's dtype; returns x's shape.
 *
 * Gradient: PyTorch's: `'sum'` passes the gradient through, `'mean'` divides it by the count
 * of each target, `'amax'`/`'amin'` share it evenly among the elements equal to the result,
 * `'prod'` is the product of the others (zero-safe). Without `includeSelf`, the elements of x
 * that src replaces get 0. Twice differentiable; for `'prod'` the second derivative is exact
 * except where two or more src zeros meet at one target (PyTorch refuses that case).
 *
 * @throws ValueError `scatterReduce: reduce must be one of 'sum', 'prod', 'mean', 'amax', 'amin', got 'max'`
 * @throws DTypeError for a non-int32 index or when src's dtype differs from x's
 * @throws ShapeError when index does not fit x (outside `dim`) or src
 * @example
 * const i = tensor([0, 1, 0, 1], { dtype: 'int32' });
 * scatterReduce(zeros([2]), 0, i, tensor([1, 2, 3, 4]), 'sum').toArray(); // [4, 6]
 * scatterReduce(ones([2]), 0, i, tensor([1, 2, 3, 4]), 'mean').toArray(); // [1.6666666, 2.3333333]
 * scatterReduce(zeros([2]), 0, i, tensor([1, 2, 3, 4]), 'amax', { includeSelf: false }).toArray(); // [3, 4]
 */
export function scatterReduce(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  reduce: 'sum' | 'prod' | 'mean' | 'amax' | 'amin',
  opts?: ScatterReduceOptions,
): Tensor {
  const { includeSelf = true } = checkOptions(SCATTER_REDUCE, opts);
  requireTensorArgs('scatterReduce', { x, index, src });
  if (!(REDUCTIONS as readonly string[]).includes(reduce))
    throw new ValueError(`scatterReduce: reduce must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, got ${typeof reduce === 'string' ? `'${reduce}'` : String(reduce)}`);
  const { d, used } = checkScatter('scatterReduce', x, dim, index, src);
  return scatterReducePrimitive(x, d, index, used, reduce, includeSelf);
}
