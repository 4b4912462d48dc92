import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { IndexRangeError } from '../kernels/index-range-error.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { requireIndex, requireTensor } from './operands.js';
import { scatterAddPrimitive } from './scatter-add.js';

interface GatherCtx {
  dim: number;
  inShape: number[];
}

/** gather without the argument checks (the index is known to be valid). @internal */
export const gatherPrimitive: (x: Tensor, dim: number, index: Tensor) => Tensor = primitive('gather', {
  forward: (x: Tensor, dim: number, index: Tensor) => ({
    out: Tensor.fromView(K().gather(x.nd, dim, index.nd), x.dtype),
    saved: [index],
    ctx: { dim, inShape: x.shape } as GatherCtx,
  }),
  // Each output element came from one input element: add g back there (repeats accumulate).
  // The index was checked in the forward: the primitive skips scanning it again.
  backward: (g, [index], { dim, inShape }) => [scatterAddPrimitive(zeros(inShape, { dtype: g.dtype }), dim, index!, g), null],
});

/**
 * Throws unless every value of the int32 `index` lies in `[0, size)`. @internal
 *
 * @throws ValueError `gather: index value 5 is out of range [0, 4) for dim 1 of x (shape [2,4])`
 */
export function checkIndexRange(op: string, index: Tensor, size: number, dim: number, shape: readonly number[], name = 'x'): void {
  const data = index.data as Int32Array;
  const n = data.length;
  // the extremes first (a branch-light pass), the offending value only when there is one
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  if (n === 0 || (lo >= 0 && hi < size)) return;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v < 0 || v >= size) throw indexRangeError(op, v, size, dim, shape, name);
  }
}

function indexRangeError(op: string, v: number, size: number, dim: number, shape: readonly number[], name: string): ValueError {
  return new ValueError(`${op}: index value ${v} is out of range [0, ${size}) for dim ${dim} of ${name} (shape ${fmtShape(shape)})`);
}

/**
 * Runs `f`, whose kernel checks the index range itself, turning its {@link IndexRangeError}
 * into the op's error (worded as {@link checkIndexRange}'s). @internal
 */
export function withIndexRange<T>(op: string, dim: number, shape: readonly number[], f: () => T, name = 'x'): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof IndexRangeError) throw indexRangeError(op, e.value, e.size, dim, shape, name);
    throw e;
  }
}

/**
 * Picks values along `dim` by position: `out[i][j][k] = x[index[i][j][k]][j][k]` for `dim = 0`,
 * `x[i][index[i][j][k]][k]` for `dim = 1`, and so on.
 *
 * x - shape [..., N, ...]; index - int32 of the same number of dims, no larger than x in any dim
 * but `dim`, values in [0, N); returns index's shape, x's dtype.
 *
 * @throws DTypeError `gather: index must be an int32 tensor, got float32 (shape [2,2])`
 * @throws ShapeError when index's dims differ from x's or exceed them outside `dim`
 * @throws ValueError `gather: index value 5 is out of range [0, 3) for dim 1 of x (shape [2,3])`
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * gather(x, 1, tensor([[0, 0], [1, 0]], { dtype: 'int32' })).toArray(); // [[1, 1], [4, 3]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  requireTensor('gather', 'x', x);
  requireTensor('gather', 'index', index);
  requireIndex('gather', 'index', index);
  const d = normalizeDim('gather', dim, x.shape);
  checkIndexShape('gather', x, d, index);
  checkIndexRange('gather', index, x.ndim === 0 ? 1 : x.shape[d]!, dim, x.shape);
  return gatherPrimitive(x, d, index);
}

/** Index has x's number of dims and fits inside x in every dim but `dim`. @internal */
export function checkIndexShape(op: string, x: Tensor, dim: number, index: Tensor, name = 'x'): void {
  if (index.ndim !== x.ndim)
    throw new ShapeError(
      `${op}: index must have the same number of dims as ${name}, got ${name} shape ${fmtShape(x.shape)} and index shape ${fmtShape(index.shape)}`,
    );
  for (let i = 0; i < x.ndim; i++)
    if (i !== dim && index.shape[i]! > x.shape[i]!)
      throw new ShapeError(
        `${op}: index shape ${fmtShape(index.shape)} exceeds ${name} shape ${fmtShape(x.shape)} in dim ${i} (only dim ${dim} may be larger)`,
      );
}
