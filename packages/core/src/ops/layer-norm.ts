import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating, type DType } from '../dtype.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

// Layer norm as a primitive with fused kernels: the forward makes one pass per row and keeps
// the row means and reciprocal standard deviations; the input and weight gradients are
// primitives of their own (one pass each) whose rules recompute the statistics from x in tensor
// ops, so gradients of any order are exact.

const LAYER_NORM = defineOptions('layerNorm', { weight: 'tensor|null', bias: 'tensor|null', eps: 'number' });

/** The forward's row statistics, passed to the gradient primitives (they are not inputs of the graph). */
interface Stats {
  mean: Tensor;
  rstd: Tensor;
  /** The number of trailing dims normalised. */
  k: number;
  eps: number;
}

/** The last `k` dims of a shape. */
function lastDims(ndim: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => ndim - k + i);
}

/** `t` of x's shape summed over every dim but the last `k`: the shape of weight. */
function sumRows(t: Tensor, k: number): Tensor {
  return t.reshape([-1, ...t.shape.slice(t.ndim - k)]).sum(0);
}

/** `xh = (x - mean) rstd` over the last k dims, in tensor ops (differentiable in x), and rstd. */
function standardized(x: Tensor, k: number, eps: number): { xh: Tensor; r: Tensor } {
  const dims = lastDims(x.ndim, k);
  const xc = x.sub(x.mean(dims, { keepdim: true }));
  const r = xc.mul(xc).mean(dims, { keepdim: true }).add(eps).rsqrt();
  return { xh: xc.mul(r), r };
}

const layerNormPrimitive = primitive('layerNorm', {
  forward: (x: Tensor, weight: Tensor | null, bias: Tensor | null, k: number, eps: number) => {
    const dt = x.dtype;
    const r = K().layerNorm(x.nd, k, weight?.nd ?? null, bias?.nd ?? null, eps);
    const stats: Stats = { mean: Tensor.fromView(r.mean, dt), rstd: Tensor.fromView(r.rstd, dt), k, eps };
    return { out: Tensor.fromView(r.out, dt), saved: weight ? [x, weight] : [x], ctx: { stats, hasWeight: !!weight, hasBias: !!bias } };
  },
  backward: (g, saved, { stats, hasWeight, hasBias }, needs) => {
    const x = saved[0]!;
    const w = hasWeight ? saved[1]! : null;
    const grads: Array<Tensor | null> = [needs[0] ? layerNormBackward(g, x, w, stats) : null];
    if (hasWeight) grads.push(needs[1] ? layerNormBackwardWeight(g, x, stats) : null);
    if (hasBias) grads.push(needs[grads.length] ? sumRows(g, stats.k) : null);
    return grads;
  },
});

/**
 * The input gradient `rstd (a - mean(a) - xh mean(a xh))` per row (`a = g weight`) in one
 * kernel. Its rule, with upstream v, `P(v) = v - mean(v) - xh mean(v xh)`: g gets
 * `rstd P(v) weight`, weight gets the row sum of `g rstd P(v)`, and x
 * `-rstd² (xh (mean(v a) - mean(v) mean(a) - 3 mean(a xh) mean(v xh)) + (a - mean(a)) mean(v xh) + (v - mean(v)) mean(a xh))`.
 */
const layerNormBackward: (g: Tensor, x: Tensor, weight: Tensor | null, stats: Stats) => Tensor = primitive('layerNormBackward', {
  forward: (g: Tensor, x: Tensor, weight: Tensor | null, stats: Stats) => ({
    out: Tensor.fromView(K().layerNormBackward(g.nd, x.nd, stats.mean.nd, stats.rstd.nd, weight?.nd ?? null, stats.k), x.dtype),
    saved: weight ? [g, x, weight] : [g, x],
    ctx: stats,
  }),
  backward: (v, saved, stats, needs) => {
    const [g, x] = saved as [Tensor, Tensor];
    const w = saved[2] ?? null;
    const dims = lastDims(x.ndim, stats.k);
    const m = (t: Tensor) => t.mean(dims, { keepdim: true });
    const { xh, r } = standardized(x, stats.k, stats.eps);
    const a = w ? g.mul(w) : g;
    const mv = m(v), mvx = m(v.mul(xh));
    const pv = r.mul(v.sub(mv).sub(xh.mul(mvx)));
    const grads: Array<Tensor | null> = [needs[0] ? (w ? pv.mul(w) : pv) : null];
    if (needs[1]) {
      const ma = m(a), max = m(a.mul(xh));
      const inner = m(v.mul(a)).sub(mv.mul(ma)).sub(max.mul(mvx).mul(3));
      grads.push(xh.mul(inner).add(a.sub(ma).mul(mvx)).add(v.sub(mv).mul(max)).mul(r.square()).neg());
    } else grads.push(null);
    if (w) grads.push(needs[2] ? sumRows(g.mul(pv), stats.k) : null);
    return grads;
  },
});

/**
 * The weight gradient, the row sum of `g xh`, in one kernel. With upstream u (weight's shape):
 * g gets `u xh`, x gets layer norm's input gradient of `u g` (no weight).
 */
const layerNormBackwardWeight: (g: Tensor, x: Tensor, stats: Stats) => Tensor = primitive('layerNormBackwardWeight', {
  forward: (g: Tensor, x: Tensor, stats: Stats) => ({
    out: Tensor.fromView(K().layerNormBackwardWeight(g.nd, x.nd, stats.mean.nd, stats.rstd.nd, stats.k), x.dtype),
    saved: [g, x],
    ctx: stats,
  }),
  backward: (u, [g, x], stats, [needG, needX]) => [
    needG ? u.mul(standardized(x!, stats.k, stats.eps).xh) : null,
    needX ? layerNormBackward(u.mul(g!), x!, null, stats) : null,
  ],
});

/**
 * Options of {@link layerNorm}.
 *
 * @example
 * const opts: LayerNormOptions = { weight: full([2], 2), eps: 0 };
 * layerNorm(tensor([[1, 3]]), 2, opts).toArray(); // [[-2, 2]]
 */
export interface LayerNormOptions {
  /** Scale γ, of shape `normalizedShape` (default none: 1). */
  weight?: Tensor | null;
  /** Shift β, of shape `normalizedShape` (default none: 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Throws unless t (if given) is a tensor of shape `want`. */
function checkParam(name: string, t: Tensor | null | undefined, want: readonly number[], x: Tensor): void {
  if (t == null) return;
  requireTensor('layerNorm', name, t);
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i]))
    throw new ShapeError(`layerNorm: ${name}.shape=${fmtShape(t.shape)} must be ${fmtShape(want)} for input.shape=${fmtShape(x.shape)}`);
}

/**
 * Layer normalisation over the last dims (PyTorch's `torch.layer_norm`, `F.layer_norm`):
 * `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`, with the mean and the biased variance
 * over the trailing `normalizedShape` dims of each sample. One fused kernel forward and one per
 * gradient; differentiable to any order.
 *
 * @param x - shape [*, ...normalizedShape], float32 or float64
 * @param normalizedShape - the trailing dims to normalise over (an int for one dim)
 * @returns the shape of x (float64 if x, weight or bias is)
 * @throws ShapeError when the trailing dims of x, or weight or bias, are not `normalizedShape`
 * @throws ValueError `layerNorm: normalizedShape must have at least 1 dim, got []`
 * @throws DTypeError `layerNorm: expected a floating point tensor, got int32 (shape [2])`
 * @example
 * layerNorm(tensor([[1, 2, 3], [2, 2, 8]]), 3, { eps: 0 }).toArray(); // [[-1.2247449, 0, 1.2247449], [-0.7071068, -0.7071068, 1.4142135]]
 * layerNorm(tensor([[1, 3]]), [2], { weight: tensor([1, 2]), bias: tensor([0, 1]), eps: 0 }).toArray(); // [[-1, 3]]
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], opts?: LayerNormOptions): Tensor {
  const { weight, bias, eps = 1e-5 } = checkOptions(LAYER_NORM, opts);
  requireTensor('layerNorm', 'input', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`layerNorm: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  const list = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(list) || list.some((d) => !Number.isInteger(d) || d < 0))
    throw new ValueError(`layerNorm: normalizedShape must be a non-negative integer or an array of them, got ${describeValue(normalizedShape)}`);
  if (list.length === 0) throw new ValueError('layerNorm: normalizedShape must have at least 1 dim, got []');
  const k = list.length;
  if (x.ndim < k || x.shape.slice(x.ndim - k).some((d, i) => d !== list[i]))
    throw new ShapeError(`layerNorm: normalizedShape=${fmtShape(list)} expects input of shape [*, ${list.join(', ')}], got input.shape=${fmtShape(x.shape)}`);
  checkParam('weight', weight, list, x);
  checkParam('bias', bias, list, x);
  const dt: DType = [x, weight, bias].some((t) => t?.dtype === 'float64') ? 'float64' : 'float32';
  const as = (t: Tensor | null | undefined) => (t == null ? null : t.dtype === dt ? t : t.to(dt));
  return layerNormPrimitive(as(x)!, as(weight), as(bias), k, eps);
}
