import {
  ShapeError, ValueError, DTypeError, cat, checkOptions, defineOptions, describeValue, fmtShape, isFloating, noGrad,
  normalizeDim, unsupported, zeros, layerNorm as coreLayerNorm, type Tensor,
} from '@tapegrad/core';
import { requireInteger, requireTensor } from '../options.js';

// The normalization functions (issue 18): layerNorm, rmsNorm, groupNorm, instanceNorm,
// localResponseNorm, normalize. layerNorm is core's fused primitive; the others are composites
// of core ops (mean, sub, mul, rsqrt, ...), so gradients of any order come from the ops' own rules.

const LAYER_NORM = defineOptions('layerNorm', { weight: 'tensor|null', bias: 'tensor|null', eps: 'number' });
const RMS_NORM = defineOptions('rmsNorm', { weight: 'tensor|null', eps: 'number|null' });
const GROUP_NORM = defineOptions('groupNorm', { weight: 'tensor|null', bias: 'tensor|null', eps: 'number' });
const INSTANCE_NORM = defineOptions('instanceNorm', {
  runningMean: 'tensor|null', runningVar: 'tensor|null', weight: 'tensor|null', bias: 'tensor|null',
  useInputStats: 'boolean', momentum: 'number', eps: 'number',
});
const LOCAL_RESPONSE_NORM = defineOptions('localResponseNorm', { alpha: 'number', beta: 'number', k: 'number' });
const NORMALIZE = defineOptions('normalize', {
  p: 'number', dim: 'integer', eps: 'number', out: unsupported('out is not supported', null),
});

/** @throws DTypeError unless x is float32 or float64 */
function requireFloatInput(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
}

/**
 * `normalizedShape` as a list of non-negative integers, PyTorch's `normalized_shape` (an int is
 * a list of one).
 *
 * @throws ValueError for anything else, or an empty list
 * @internal
 */
export function normalizedShapeOf(op: string, normalizedShape: number | readonly number[]): number[] {
  const list = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(list) || list.some((d) => !Number.isInteger(d) || d < 0))
    throw new ValueError(`${op}: normalizedShape must be a non-negative integer or an array of them, got ${describeValue(normalizedShape)}`);
  if (list.length === 0) throw new ValueError(`${op}: normalizedShape must have at least 1 dim, got []`);
  return [...list];
}

/** The last `shape.length` dims of x, after checking that they are `shape`. */
function trailingDims(op: string, x: Tensor, shape: number[]): number[] {
  const k = shape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (x.ndim < k || tail.some((d, i) => d !== shape[i]))
    throw new ShapeError(
      `${op}: normalizedShape=${fmtShape(shape)} expects input of shape [*, ${shape.join(', ')}], got input.shape=${fmtShape(x.shape)}`,
    );
  return shape.map((_, i) => x.ndim - k + i);
}

/** Throws unless t (if given) is a tensor of shape `want`. */
function checkShape(op: string, name: string, t: Tensor | null | undefined, want: readonly number[], x: Tensor): void {
  if (t == null) return;
  requireTensor(op, name, t);
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i]))
    throw new ShapeError(`${op}: ${name}.shape=${fmtShape(t.shape)} must be ${fmtShape(want)} for input.shape=${fmtShape(x.shape)}`);
}

/** `y * weight + bias`, each where given (already broadcastable against y). */
function scaleShift(y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined): Tensor {
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/** `(x - mean) / sqrt(var + eps)` over `dims` (biased variance, centred first for accuracy). */
function standardize(x: Tensor, dims: number[], eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const mean = x.mean(dims, { keepdim: true });
  const centered = x.sub(mean);
  const variance = centered.mul(centered).mean(dims, { keepdim: true });
  return { y: centered.mul(variance.add(eps).rsqrt()), mean, variance };
}

/**
 * Options of {@link layerNorm}.
 *
 * @example
 * const opts: F.LayerNormOptions = { weight: full([2], 2), eps: 0 };
 * F.layerNorm(tensor([[1, 3]]), 2, opts).toArray(); // [[-2, 2]]
 */
export interface LayerNormOptions {
  /** Scale γ, of shape `normalizedShape` (default none: 1). */
  weight?: Tensor | null;
  /** Shift β, of shape `normalizedShape` (default none: 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalisation over the last dims (PyTorch's `F.layer_norm`):
 * `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`, with the mean and the biased variance
 * over the trailing `normalizedShape` dims of each sample.
 *
 * @param x - shape [*, ...normalizedShape], float32 or float64
 * @param normalizedShape - the trailing dims to normalise over (an int for one dim)
 * @returns the shape of x
 * @throws ShapeError when the trailing dims of x, or weight or bias, are not `normalizedShape`
 * @throws ValueError `layerNorm: normalizedShape must have at least 1 dim, got []`
 * @example
 * F.layerNorm(tensor([[1, 2, 3], [2, 2, 8]]), 3, { eps: 0 }).toArray(); // [[-1.2247449, 0, 1.2247449], [-0.7071068, -0.7071068, 1.4142135]]
 * F.layerNorm(randn([2, 5, 4, 4]), [4, 4]).shape; // [2, 5, 4, 4]
 */
export function layerNorm(x: Tensor, normalizedShape: number | number[], opts?: LayerNormOptions): Tensor {
  opts = checkOptions(LAYER_NORM, opts);
  requireTensor('layerNorm', 'input', x);
  requireFloatInput('layerNorm', x);
  const shape = normalizedShapeOf('layerNorm', normalizedShape);
  trailingDims('layerNorm', x, shape);
  checkShape('layerNorm', 'weight', opts.weight, shape, x);
  checkShape('layerNorm', 'bias', opts.bias, shape, x);
  return coreLayerNorm(x, shape, { weight: opts.weight, bias: opts.bias, eps: opts.eps });
}

/**
 * Options of {@link rmsNorm}.
 *
 * @example
 * const opts: F.RMSNormOptions = { weight: full([2], 2), eps: 0 };
 * F.rmsNorm(tensor([[3, 4]]), 2, opts).toArray(); // [[1.6970563, 2.2627417]]
 */
export interface RMSNormOptions {
  /** Scale γ, of shape `normalizedShape` (default none: 1). */
  weight?: Tensor | null;
  /** Added to the mean square before the square root (default null: the machine epsilon of x's dtype, 2^-23 or 2^-52). */
  eps?: number | null;
}

/** The machine epsilon of a float dtype (PyTorch's `torch.finfo(dtype).eps`). */
function machineEps(x: Tensor): number {
  return x.dtype === 'float64' ? Number.EPSILON : 2 ** -23;
}

/**
 * Root-mean-square normalisation over the last dims (PyTorch's `F.rms_norm`):
 * `y = x / sqrt(mean(x²) + eps) * weight`, the mean over the trailing `normalizedShape` dims.
 *
 * @param x - shape [*, ...normalizedShape], float32 or float64
 * @param normalizedShape - the trailing dims to normalise over (an int for one dim)
 * @returns the shape of x
 * @throws ShapeError when the trailing dims of x, or weight, are not `normalizedShape`
 * @example
 * F.rmsNorm(tensor([[3, 4], [1, 1]]), 2, { eps: 0 }).toArray(); // [[0.8485281, 1.1313708], [1, 1]]
 */
export function rmsNorm(x: Tensor, normalizedShape: number | number[], opts?: RMSNormOptions): Tensor {
  opts = checkOptions(RMS_NORM, opts);
  requireTensor('rmsNorm', 'input', x);
  requireFloatInput('rmsNorm', x);
  const shape = normalizedShapeOf('rmsNorm', normalizedShape);
  const dims = trailingDims('rmsNorm', x, shape);
  checkShape('rmsNorm', 'weight', opts.weight, shape, x);
  const eps = opts.eps ?? machineEps(x);
  return scaleShift(x.mul(x.mul(x).mean(dims, { keepdim: true }).add(eps).rsqrt()), opts.weight, null);
}

/**
 * Options of {@link groupNorm}.
 *
 * @example
 * const opts: F.GroupNormOptions = { weight: ones([4]), bias: zeros([4]), eps: 1e-3 };
 * F.groupNorm(randn([2, 4, 3]), 2, opts).shape; // [2, 4, 3]
 */
export interface GroupNormOptions {
  /** Per-channel scale γ, shape [C] (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift β, shape [C] (default none: 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** [C, 1, ..., 1]: a per-channel tensor's shape against an [N, C, *] input. */
function channelShape(x: Tensor): number[] {
  return x.shape.slice(1).map((d, i) => (i === 0 ? d : 1));
}

/**
 * Group normalisation (PyTorch's `F.group_norm`): the C channels are split into `numGroups`
 * groups of C / numGroups consecutive channels, and each group of each sample is normalised by
 * its own mean and biased variance (over its channels and every spatial position), then scaled
 * and shifted per channel: `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`.
 *
 * @param x - shape [N, C, *], float32 or float64
 * @param numGroups - divides C
 * @returns the shape of x
 * @throws ValueError when numGroups does not divide C, or (as PyTorch) when N·(C / numGroups)·prod(*) is 1
 * @throws ShapeError for an input of fewer than 2 dims, or weight or bias not of shape [C]
 * @example
 * F.groupNorm(tensor([[1, 3, 10, 20]]), 2, { eps: 0 }).toArray(); // [[-1, 1, -1, 1]]
 */
export function groupNorm(x: Tensor, numGroups: number, opts?: GroupNormOptions): Tensor {
  opts = checkOptions(GROUP_NORM, opts);
  requireTensor('groupNorm', 'input', x);
  requireInteger('groupNorm', 'numGroups', numGroups);
  requireFloatInput('groupNorm', x);
  if (x.ndim < 2) throw new ShapeError(`groupNorm: expected input of shape [N, C, *], got input.shape=${fmtShape(x.shape)}`);
  const [N, C] = x.shape as [number, number];
  if (numGroups <= 0 || C % numGroups !== 0)
    throw new ValueError(`groupNorm: numGroups=${numGroups} must be positive and divide the ${C} channels of input.shape=${fmtShape(x.shape)}`);
  checkShape('groupNorm', 'weight', opts.weight, [C], x);
  checkShape('groupNorm', 'bias', opts.bias, [C], x);
  const perGroup = (C / numGroups) * x.shape.slice(2).reduce((a, b) => a * b, 1);
  // PyTorch's check (_verify_batch_size on [N * C / G, G, *]).
  if (N * perGroup === 1)
    throw new ValueError(`groupNorm: expected more than 1 value per channel when training, got input.shape=${fmtShape(x.shape)}`);
  const y = standardize(x.reshape([N, numGroups, perGroup]), [2], opts.eps ?? 1e-5).y.reshape(x.shape);
  const cs = channelShape(x);
  return scaleShift(y, opts.weight?.reshape(cs), opts.bias?.reshape(cs));
}

/**
 * Options of {@link instanceNorm}.
 *
 * @example
 * const rm = zeros([3]), rv = ones([3]);
 * const opts: F.InstanceNormOptions = { runningMean: rm, runningVar: rv, momentum: 0.5 };
 * F.instanceNorm(randn([2, 3, 5]), opts).shape; // [2, 3, 5]
 */
export interface InstanceNormOptions {
  /** Running mean per channel, shape [C], updated in place when `useInputStats` (default none). */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance per channel, shape [C], updated in place when `useInputStats` (default none). */
  runningVar?: Tensor | null;
  /** Per-channel scale γ, shape [C] (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift β, shape [C] (default none: 0). */
  bias?: Tensor | null;
  /** Normalise by each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Instance normalisation (PyTorch's `F.instance_norm`): each channel of each sample is normalised
 * by its own mean and biased variance over the spatial dims,
 * `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`.
 *
 * With running statistics and `useInputStats`, they are updated in place without recording by
 * the instance statistics averaged over the batch:
 * `running = (1 - momentum) running + momentum mean_n(stat)`, with the unbiased variance for
 * `runningVar` (as PyTorch). With `useInputStats: false` the running statistics normalise instead.
 *
 * @param x - shape [N, C, *], float32 or float64
 * @returns the shape of x
 * @throws ValueError with one spatial element when `useInputStats`, or no running statistics without it
 * @throws ShapeError for fewer than 2 dims, or a per-channel tensor not of shape [C]
 * @example
 * F.instanceNorm(tensor([[[1, 3], [10, 20]]]), { eps: 0 }).toArray(); // [[[-1, 1], [-1, 1]]]
 */
export function instanceNorm(x: Tensor, opts?: InstanceNormOptions): Tensor {
  opts = checkOptions(INSTANCE_NORM, opts);
  requireTensor('instanceNorm', 'input', x);
  requireFloatInput('instanceNorm', x);
  if (x.ndim < 2) throw new ShapeError(`instanceNorm: expected input of shape [N, C, *], got input.shape=${fmtShape(x.shape)}`);
  const { runningMean, runningVar, weight, bias } = opts;
  const C = x.shape[1]!;
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const)
    checkShape('instanceNorm', name, t, [C], x);
  const useInputStats = opts.useInputStats ?? true;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  const cs = channelShape(x);
  const spatial = x.shape.slice(2).reduce((a, b) => a * b, 1);
  let y: Tensor;
  if (useInputStats) {
    if (spatial === 1)
      throw new ValueError(`instanceNorm: expected more than 1 spatial element when training, got input.shape=${fmtShape(x.shape)}`);
    // An empty input gives an empty output, still on the tape; the statistics stay.
    if (x.numel() === 0) return scaleShift(x.mul(1), weight?.reshape(cs), bias?.reshape(cs));
    const dims = x.shape.slice(2).map((_, i) => i + 2);
    const s = standardize(x, dims, eps);
    if (runningMean || runningVar)
      noGrad(() => {
        if (runningMean) runningMean.mul_(1 - momentum).add_(s.mean.detach().mean(0).reshape([C]), { alpha: momentum });
        if (runningVar)
          runningVar.mul_(1 - momentum).add_(s.variance.detach().mean(0).reshape([C]).mul(spatial / (spatial - 1)), { alpha: momentum });
      });
    y = s.y;
  } else {
    if (!runningMean || !runningVar)
      throw new ValueError('instanceNorm: runningMean and runningVar are required when useInputStats is false');
    y = x.sub(runningMean.reshape(cs)).mul(runningVar.reshape(cs).add(eps).rsqrt());
  }
  return scaleShift(y, weight?.reshape(cs), bias?.reshape(cs));
}

/**
 * Options of {@link localResponseNorm}.
 *
 * @example
 * const opts: F.LocalResponseNormOptions = { alpha: 1, beta: 1, k: 0 };
 * F.localResponseNorm(tensor([[[1], [1]]]), 2, opts).toArray(); // [[[2], [1]]]
 */
export interface LocalResponseNormOptions {
  /** Multiplies the mean of squares (default 1e-4). */
  alpha?: number;
  /** The exponent (default 0.75). */
  beta?: number;
  /** Added before the power (default 1). */
  k?: number;
}

/**
 * Local response normalisation across channels (PyTorch's `F.local_response_norm`, AlexNet's):
 * `y[n, c] = x[n, c] / (k + alpha / size * sum_{c'} x[n, c']²)^beta`, the sum over the `size`
 * channels `c - floor(size / 2) <= c' <= c + floor((size - 1) / 2)` (zero beyond the edges, and
 * still divided by `size`).
 *
 * @param x - shape [N, C, *] with at least one spatial dim, float32 or float64
 * @param size - the number of neighbouring channels summed over
 * @returns the shape of x
 * @throws ShapeError for an input of fewer than 3 dims
 * @throws ValueError unless size is a positive integer
 * @example
 * F.localResponseNorm(randn([2, 6, 4, 4]), 3).shape; // [2, 6, 4, 4]
 */
export function localResponseNorm(x: Tensor, size: number, opts?: LocalResponseNormOptions): Tensor {
  opts = checkOptions(LOCAL_RESPONSE_NORM, opts);
  requireTensor('localResponseNorm', 'input', x);
  requireInteger('localResponseNorm', 'size', size);
  requireFloatInput('localResponseNorm', x);
  if (size < 1) throw new ValueError(`localResponseNorm: size must be a positive integer, got ${size}`);
  if (x.ndim < 3)
    throw new ShapeError(`localResponseNorm: expected input of 3 or more dims [N, C, *], got input.shape=${fmtShape(x.shape)}`);
  const { alpha = 1e-4, beta = 0.75, k = 1 } = opts;
  if (x.numel() === 0) return x;
  const C = x.shape[1]!;
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  const pad = (n: number) => zeros(x.shape.map((d, i) => (i === 1 ? n : d)), { dtype: x.dtype });
  const squares = cat([pad(before), x.mul(x), pad(after)], 1);
  // window sums as `size` shifted slices of the zero-padded squares
  let sum = squares.narrow(1, 0, C);
  for (let j = 1; j < size; j++) sum = sum.add(squares.narrow(1, j, C));
  return x.div(sum.mul(alpha / size).add(k).pow(beta));
}

/**
 * Options of {@link normalize}.
 *
 * @example
 * const opts: F.NormalizeOptions = { p: 1, dim: 0 };
 * F.normalize(tensor([1, 3]), opts).toArray(); // [0.25, 0.75]
 */
export interface NormalizeOptions {
  /** The exponent of the norm (default 2; `Infinity` for the largest absolute value). */
  p?: number;
  /** The dim along which each vector lies (default 1). */
  dim?: number;
  /** The smallest divisor, so that a zero vector stays zero (default 1e-12). */
  eps?: number;
}

/**
 * Scales vectors to unit p-norm along `dim` (PyTorch's `F.normalize`):
 * `y = x / max(||x||_p, eps)`, the norm over `dim` of each vector.
 *
 * @param x - any shape [*], float32 or float64 (with at least `dim + 1` dims)
 * @returns the shape of x
 * @throws ValueError when dim is out of range for x
 * @example
 * F.normalize(tensor([[3, 4], [0, 0]])).toArray(); // [[0.6, 0.8], [0, 0]]
 * F.normalize(tensor([[3, 4], [0, 2]]), { dim: 0 }).toArray(); // [[1, 0.8944272], [0, 0.4472136]]
 */
export function normalize(x: Tensor, opts?: NormalizeOptions): Tensor {
  opts = checkOptions(NORMALIZE, opts);
  requireTensor('normalize', 'input', x);
  requireFloatInput('normalize', x);
  const dim = normalizeDim('normalize', opts.dim ?? 1, x.shape);
  return x.div(x.norm(opts.p ?? 2, dim, { keepdim: true }).clamp({ min: opts.eps ?? 1e-12 }));
}
