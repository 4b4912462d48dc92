import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';

// Resampling along one dim by a sparse [outSize, K] matrix (K taps per output position): the
// kernel behind nearest, linear and cubic interpolation. Linear in x, so its gradient is the
// transposed resampling, itself a primitive whose gradient is the forward again.

/** The sparse matrix: int32 `index` and float `weights`, both [outSize, K], and the size it resamples from. */
interface Taps {
  index: Tensor;
  weights: Tensor;
  inSize: number;
}

const resamplePrimitive = primitive('resampleAlong', {
  forward: (x: Tensor, dim: number, taps: Taps) => ({
    out: Tensor.fromView(K().resample(x.nd, dim, taps.index.nd, taps.weights.nd), x.dtype),
    ctx: { dim, taps },
  }),
  backward: (g, _saved, { dim, taps }) => [resampleTransposed(g, dim, taps)],
});

/** `gx[..., index[i, k], ...] += weights[i, k] g[..., i, ...]`: the transpose, whose own gradient is the forward. */
const resampleTransposed: (g: Tensor, dim: number, taps: Taps) => Tensor = primitive('resampleAlongBackward', {
  forward: (g: Tensor, dim: number, taps: Taps) => ({
    out: Tensor.fromView(K().resampleBackward(g.nd, dim, taps.index.nd, taps.weights.nd, taps.inSize), g.dtype),
    ctx: { dim, taps },
  }),
  backward: (gg, _saved, { dim, taps }) => [resamplePrimitive(gg, dim, taps)],
});

/**
 * Resamples `x` along `dim` by a sparse matrix of K taps per output position:
 * `out[..., i, ...] = sum_k weights[i, k] * x[..., index[i, k], ...]`, in one kernel (and its
 * transpose as the gradient). Nearest-neighbour (K = 1), linear (K = 2) and cubic (K = 4)
 * interpolation along a dim are such matrices; `F.interpolate` is built on it.
 *
 * @param x - shape [...A, L, ...B] (`L` at `dim`); integer inputs compute in float32
 * @param dim - the dim to resample
 * @param index - int32 [M, K], each entry in [0, L)
 * @param weights - float [M, K] (constants: they get no gradient)
 * @returns [...A, M, ...B] in x's (float) dtype; differentiable in x to any order
 * @throws ShapeError when index and weights are not both [M, K]
 * @throws DTypeError when index is not int32 or weights not float
 * @throws ValueError when an index is outside [0, L), or dim is out of range
 * @example
 * // linear upsampling of 2 samples to 3: positions 0, 0.5, 1
 * const index = tensor([[0, 1], [0, 1], [0, 1]], { dtype: 'int32' });
 * const weights = tensor([[1, 0], [0.5, 0.5], [0, 1]]);
 * resampleAlong(tensor([[2, 4]]), 1, index, weights).toArray(); // [[2, 3, 4]]
 */
export function resampleAlong(x: Tensor, dim: number, index: Tensor, weights: Tensor): Tensor {
  requireTensor('resampleAlong', 'x', x);
  requireTensor('resampleAlong', 'index', index);
  requireTensor('resampleAlong', 'weights', weights);
  const d = normalizeDim('resampleAlong', dim, x.shape);
  if (index.ndim !== 2 || weights.ndim !== 2 || index.shape[0] !== weights.shape[0] || index.shape[1] !== weights.shape[1])
    throw new ShapeError(`resampleAlong: index and weights must both be [M, K], got index.shape=${fmtShape(index.shape)}, weights.shape=${fmtShape(weights.shape)}`);
  if (index.dtype !== 'int32') throw new DTypeError(`resampleAlong: index must be int32, got ${index.dtype} (shape ${fmtShape(index.shape)})`);
  if (!isFloating(weights.dtype)) throw new DTypeError(`resampleAlong: weights must be float32 or float64, got ${weights.dtype} (shape ${fmtShape(weights.shape)})`);
  const L = x.shape[d]!;
  const idx = index.contiguous();
  for (const v of idx.data as Int32Array)
    if (!(v >= 0 && v < L)) throw new ValueError(`resampleAlong: index ${v} is out of range for size ${L} of dim ${d} (x.shape=${fmtShape(x.shape)})`);
  const dt = floatResult(x.dtype);
  return resamplePrimitive(x.dtype === dt ? x : x.to(dt), d, { index: idx, weights: weights.detach().contiguous(), inSize: L });
}
