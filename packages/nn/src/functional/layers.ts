import {
  Tensor, ShapeError, ValueError, DTypeError, allocateUninitialized, where, conv2d as coreConv2d, maxPool2d as coreMaxPool2d,
  avgPool2d as coreAvgPool2d, defaultGenerator, fmtShape, fusedLinear, isFloating, isTracing, noGrad, traceComposite,
  checkOptions, defineOptions, unsupported, type Conv2dOptions, type MaxPool2dOptions, type AvgPool2dOptions, type Generator,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';

const SIZE2 = 'integer|integer[]';
const CONV2D = defineOptions('conv2d', { stride: SIZE2, padding: SIZE2, dilation: SIZE2, groups: 'integer' });
const MAX_POOL2D = defineOptions('maxPool2d', {
  stride: SIZE2, padding: SIZE2, dilation: SIZE2, ceilMode: 'boolean', returnIndices: 'boolean',
});
const AVG_POOL2D = defineOptions('avgPool2d', {
  stride: SIZE2, padding: SIZE2, dilation: SIZE2, ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer|null',
});
const DROPOUT = defineOptions('dropout', { p: 'number', training: 'boolean', generator: 'generator', inplace: unsupported('inplace is not supported', false) });
const BATCH_NORM = defineOptions('batchNorm', {
  weight: 'tensor|null', bias: 'tensor|null', training: 'boolean', momentum: 'number', eps: 'number',
});
const EMBEDDING = defineOptions('embedding', {
  paddingIdx: 'integer|null', maxNorm: 'number|null', normType: 'number',
  scaleGradByFreq: unsupported('scaleGradByFreq is not supported', false),
  sparse: unsupported('sparse gradients are not supported', false),
});

/**
 * Affine map `y = x Wᵀ + b` (PyTorch's `F.linear`).
 *
 * @param x - input, shape [*, inFeatures] (any number of leading dims)
 * @param weight - shape [outFeatures, inFeatures]
 * @param bias - shape [outFeatures], optional
 * @returns shape [*, outFeatures]
 * @throws ShapeError `linear: input.shape=[2,5] does not fit weight.shape=[3,4] (5 != 4 input features)`
 * @example
 * F.linear(randn([8, 4]), randn([3, 4]), zeros([3])).shape; // [8, 3]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  requireTensor('linear', 'input', x);
  requireTensor('linear', 'weight', weight);
  if (bias != null) requireTensor('linear', 'bias', bias);
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D [outFeatures, inFeatures], got weight.shape=${fmtShape(weight.shape)}`);
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1])
    throw new ShapeError(
      `linear: input.shape=${fmtShape(x.shape)} does not fit weight.shape=${fmtShape(weight.shape)} ` +
        `(${x.ndim ? x.shape[x.ndim - 1] : 'a scalar'} != ${weight.shape[1]} input features)`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]))
    throw new ShapeError(`linear: bias.shape=${fmtShape(bias.shape)} does not match weight.shape=${fmtShape(weight.shape)} (expected [${weight.shape[0]}])`);
  // A composite for a tracer (ONNX export writes it as Gemm, or MatMul + Add), so that custom
  // forwards calling F.linear export as compactly as the Linear layer.
  return isTracing() ? traceComposite('linear', [x, weight, bias ?? null], linearOp) : linearOp(x, weight, bias ?? null);
}

function linearOp(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  // one kernel for the product and the bias when the dtypes agree (not while a tracer records:
  // ONNX export takes the composite)
  if (bias && !isTracing() && isFloating(x.dtype) && weight.dtype === x.dtype && bias.dtype === x.dtype) return fusedLinear(x, weight, bias);
  const y = x.matmul(weight.T);
  return bias ? y.add(bias) : y;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`):
 * `out[n, o, i, j] = b[o] + sum_{c,p,q} x[n, g*C/groups + c, i*sh + p*dh - ph, j*sw + q*dw - pw] * w[o, c, p, q]`.
 *
 * @param x - input, shape [N, C_in, H, W]
 * @param weight - shape [C_out, C_in / groups, kH, kW]
 * @param bias - shape [C_out], optional
 * @returns shape [N, C_out, H_out, W_out] with `H_out = floor((H + 2 ph - dh (kH - 1) - 1) / sh) + 1`
 * @example
 * F.conv2d(randn([1, 1, 5, 5]), randn([2, 1, 3, 3]), null, { padding: 1 }).shape; // [1, 2, 5, 5]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: Conv2dOptions): Tensor {
  opts = checkOptions(CONV2D, opts);
  requireTensor('conv2d', 'input', x);
  requireTensor('conv2d', 'weight', weight);
  if (bias != null) requireTensor('conv2d', 'bias', bias);
  return coreConv2d(x, weight, bias ?? null, opts);
}

/**
 * 2-D max pooling: the largest value of each `kH x kW` window (stride defaults to the kernel size;
 * padding counts as -∞). PyTorch's `F.max_pool2d`, computed by core's {@link maxPool2d}.
 *
 * Options: `stride`, `padding` (at most half the kernel), `dilation`; `ceilMode` rounds the output
 * size up (a last window starting past the input and its left padding is dropped);
 * `returnIndices` returns `[values, indices]`, the indices (int32: tapegrad has no int64) flat
 * `h * W + w` in each (n, c) plane, as PyTorch's, for `F.maxUnpool2d`.
 *
 * @param x - shape [N, C, H, W] or [C, H, W]
 * @returns shape [N, C, H_out, W_out], `H_out = floor((H + 2 ph - dh (kH - 1) - 1) / sh) + 1` (ceil with `ceilMode`)
 * @throws ShapeError for another rank or an output smaller than 1x1; ValueError for bad sizes or padding over half the kernel
 * @example
 * F.maxPool2d(randn([1, 3, 28, 28]), 2).shape; // [1, 3, 14, 14]
 * F.maxPool2d(randn([1, 3, 5, 5]), 2, { ceilMode: true }).shape; // [1, 3, 3, 3]
 * const [, indices] = F.maxPool2d(tensor([[[[1, 5], [7, 3]]]]), 2, { returnIndices: true });
 * indices.toArray(); // [[[[2]]]]
 */
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts: MaxPool2dOptions<true> & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts?: MaxPool2dOptions): Tensor;
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts?: MaxPool2dOptions<boolean>): Tensor | [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts?: MaxPool2dOptions<boolean>): Tensor | [Tensor, Tensor] {
  opts = checkOptions(MAX_POOL2D, opts);
  requireTensor('maxPool2d', 'input', x);
  return coreMaxPool2d(x, kernelSize, opts);
}

/**
 * 2-D average pooling: the mean of each `kH x kW` window (stride defaults to the kernel size).
 * PyTorch's `F.avg_pool2d`, computed by core's {@link avgPool2d}, with its divisor rules.
 *
 * Options: `stride`, `padding` (at most half the kernel); `ceilMode` rounds the output size up
 * (a window hanging past the right padding is divided by its size clipped to the input and
 * padding); `countIncludePad` (default true: zero padding counts in the divisor; false: only
 * input elements count); `divisorOverride` (a non-zero integer replacing every divisor).
 *
 * @param x - shape [N, C, H, W] or [C, H, W]
 * @returns shape [N, C, H_out, W_out], `H_out = floor((H + 2 ph - kH) / sh) + 1` (ceil with `ceilMode`)
 * @throws ShapeError for another rank or an output smaller than 1x1; ValueError for bad sizes, padding over half the kernel or `divisorOverride: 0`
 * @throws DTypeError for integer inputs
 * @example
 * F.avgPool2d(randn([1, 3, 8, 8]), 2).shape; // [1, 3, 4, 4]
 * F.avgPool2d(ones([1, 1, 2, 2]), 3, { stride: 1, padding: 1, countIncludePad: false }).toArray(); // [[[[1, 1], [1, 1]]]]
 */
export function avgPool2d(x: Tensor, kernelSize: number | [number, number], opts?: AvgPool2dOptions): Tensor {
  opts = checkOptions(AVG_POOL2D, opts);
  requireTensor('avgPool2d', 'input', x);
  return coreAvgPool2d(x, kernelSize, opts);
}

/**
 * Options of {@link dropout}.
 *
 * @example
 * const opts: F.DropoutOptions = { p: 0.5, training: false };
 * F.dropout(ones([2, 2]), opts).toArray(); // [[1, 1], [1, 1]]
 */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1] (default 0.5). */
  p?: number;
  /** Apply dropout (default true); when false, return the input unchanged. */
  training?: boolean;
  /** The generator to draw the mask from (default: the global one). */
  generator?: Generator;
}

/**
 * @throws ValueError unless 0 <= p <= 1
 *
 * @internal
 */
export function checkDropoutP(op: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1))
    throw new ValueError(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
}

/**
 * Inverted dropout: zeroes each element with probability `p` and scales the kept ones by
 * `1 / (1 - p)`, so the expected value is unchanged; the identity when `training` is false.
 *
 * @param x - any shape; the result has the same shape
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * F.dropout(ones([4, 4]), { p: 0.5, generator: new Generator(0) }); // entries 0 or 2
 */
export function dropout(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(DROPOUT, opts);
  requireTensor('dropout', 'input', x);
  const p = opts.p ?? 0.5;
  checkDropoutP('dropout', p);
  if (opts.training === false || p === 0) return x;
  if (!isFloating(x.dtype)) throw new DTypeError(`dropout: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  const g = opts.generator ?? defaultGenerator;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocateUninitialized(x.dtype, x.numel()) as Float32Array | Float64Array;
  // one 32-bit draw per element, in chunks through a small scratch buffer: an element is
  // dropped when the draw's top 31 bits are below round(p * 2^31) (p = 1 drops every one).
  // keep is the sign bit of (threshold - 1) - bits, all in int32, so the loop has no
  // data-dependent branch.
  const below = (Math.round(p * 2147483648) - 1) | 0;
  const u = dropoutScratch;
  for (let i0 = 0; i0 < mask.length; i0 += u.length) {
    const n = Math.min(u.length, mask.length - i0);
    g.fillUint32(u, 0, n);
    for (let i = 0; i < n; i++) mask[i0 + i] = ((below - (u[i]! >>> 1)) >>> 31) * scale;
  }
  return x.mul(Tensor.fromData(mask, x.shape, x.dtype));
}

const dropoutScratch = new Uint32Array(4096);

/**
 * Options of {@link batchNorm}.
 *
 * @example
 * const x = tensor([[1, 2], [3, 6]]);
 * const opts: F.BatchNormOptions = { training: true, eps: 0 };
 * F.batchNorm(x, null, null, opts).toArray(); // [[-1, -1], [1, 1]]
 */
export interface BatchNormOptions {
  /** Scale γ, shape [C] (default none: 1). */
  weight?: Tensor | null;
  /** Shift β, shape [C] (default none: 0). */
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the new batch statistic in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation over dim 1:
 * `y = (x - mean) / sqrt(var + eps) * weight + bias`, with mean and biased variance per channel
 * over the batch (and spatial dims) when `training`, or the running statistics otherwise.
 * In training, the running statistics (if given) are updated in place without recording:
 * `running = (1 - momentum) * running + momentum * batchStat`, with the *unbiased* variance.
 *
 * @param x - shape [N, C] or [N, C, *]
 * @param runningMean - shape [C], or null (then training must be true)
 * @param runningVar - shape [C], or null
 * @returns the shape of x
 * @throws ValueError with one value per channel in training, or without running statistics in evaluation
 * @throws ShapeError when a per-channel tensor is not of shape [C]
 * @example
 * const rm = zeros([3]), rv = ones([3]);
 * F.batchNorm(randn([8, 3]), rm, rv, { training: true }); // updates rm and rv
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts?: BatchNormOptions): Tensor {
  opts = checkOptions(BATCH_NORM, opts);
  requireTensor('batchNorm', 'input', x);
  if (runningMean != null) requireTensor('batchNorm', 'runningMean', runningMean);
  if (runningVar != null) requireTensor('batchNorm', 'runningVar', runningVar);
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (x.ndim < 2) throw new ShapeError(`batchNorm: expected input of shape [N, C] or [N, C, *], got input.shape=${fmtShape(x.shape)}`);
  const C = x.shape[1]!;
  const channel = (name: string, t: Tensor | null | undefined) => {
    if (t && (t.ndim !== 1 || t.shape[0] !== C))
      throw new ShapeError(`batchNorm: ${name}.shape=${fmtShape(t.shape)} must be [${C}] for input.shape=${fmtShape(x.shape)}`);
  };
  channel('runningMean', runningMean);
  channel('runningVar', runningVar);
  channel('weight', opts.weight);
  channel('bias', opts.bias);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  let mean: Tensor;
  let invStd: Tensor;
  if (training) {
    const n = x.numel() / C;
    if (n === 1) throw new ValueError(`batchNorm: expected more than 1 value per channel when training, got input.shape=${fmtShape(x.shape)}`);
    // An empty batch (as PyTorch): an empty output, still on the tape; the statistics stay.
    if (x.numel() === 0) return affine(x.mul(1), opts, bshape);
    mean = x.mean(dims, { keepdim: true });
    const centered = x.sub(mean);
    const variance = centered.mul(centered).mean(dims, { keepdim: true });
    if (runningMean || runningVar)
      noGrad(() => {
        if (runningMean) runningMean.mul_(1 - momentum).add_(mean.detach().reshape([C]), { alpha: momentum });
        if (runningVar) runningVar.mul_(1 - momentum).add_(variance.detach().reshape([C]).mul(n / (n - 1)), { alpha: momentum });
      });
    invStd = variance.add(eps).rsqrt();
    return affine(centered.mul(invStd), opts, bshape);
  }
  if (!runningMean || !runningVar)
    throw new ValueError('batchNorm: running mean and variance are required when not training');
  mean = runningMean.reshape(bshape);
  invStd = runningVar.reshape(bshape).add(eps).rsqrt();
  return affine(x.sub(mean).mul(invStd), opts, bshape);
}

function affine(xhat: Tensor, opts: BatchNormOptions, bshape: number[]): Tensor {
  let y = xhat;
  if (opts.weight) y = y.mul(opts.weight.reshape(bshape));
  if (opts.bias) y = y.add(opts.bias.reshape(bshape));
  return y;
}

/**
 * Looks up rows of an embedding table: `out[..., :] = weight[input[...], :]`.
 * With `paddingIdx` (negative counts from the end), entries equal to it give that row but pass
 * no gradient to it. With `maxNorm`, each row looked up whose `normType`-norm (default 2) exceeds
 * it is first rescaled **in place** in `weight` to norm `maxNorm` (times `maxNorm / (norm + 1e-7)`,
 * without recording, as PyTorch's `embedding_renorm_`).
 *
 * @param input - int32 indices in [0, numEmbeddings), any shape [*]
 * @param weight - shape [numEmbeddings, embeddingDim]
 * @returns shape [*, embeddingDim]
 * @throws DTypeError unless input is int32; ValueError for an index out of range
 * @example
 * F.embedding(tensor([[0, 2]], { dtype: 'int32' }), randn([5, 3])).shape; // [1, 2, 3]
 * const table = tensor([[3, 4], [0.3, 0.4]]);
 * F.embedding(tensor([0, 1], { dtype: 'int32' }), table, { maxNorm: 1 }); // row 0 of table is now about [0.6, 0.8]
 */
export function embedding(input: Tensor, weight: Tensor, opts?: { paddingIdx?: number | null; maxNorm?: number | null; normType?: number }): Tensor {
  opts = checkOptions(EMBEDDING, opts);
  requireTensor('embedding', 'input', input);
  requireTensor('embedding', 'weight', weight);
  if (input.dtype !== 'int32')
    throw new DTypeError(`embedding: input must be int32 indices, got ${input.dtype} (shape ${fmtShape(input.shape)})`);
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be 2-D [numEmbeddings, embeddingDim], got weight.shape=${fmtShape(weight.shape)}`);
  const [num, dim] = weight.shape as [number, number];
  const idx = input.data;
  for (let i = 0; i < idx.length; i++)
    if (idx[i]! < 0 || idx[i]! >= num)
      throw new ValueError(`embedding: index ${idx[i]} at flat position ${i} is out of range for ${num} embeddings (input.shape=${fmtShape(input.shape)})`);
  const flat = input.reshape([idx.length]);
  if (opts.maxNorm !== undefined && opts.maxNorm !== null) {
    const maxNorm = opts.maxNorm, p = opts.normType ?? 2;
    noGrad(() => {
      for (const i of new Set(Array.from(idx as ArrayLike<number>))) {
        const row = weight.select(0, i);
        const n = row.norm(p).item();
        if (n > maxNorm) row.mul_(maxNorm / (n + 1e-7));
      }
    });
  }
  let out = weight.indexSelect(0, flat);
  const pad = opts.paddingIdx;
  // Same values, but the rows looked up at paddingIdx are cut from the tape.
  if (pad !== undefined && pad !== null) out = where(flat.ne(pad < 0 ? pad + num : pad).reshape([idx.length, 1]), out, out.detach());
  return out.reshape([...input.shape, dim]);
}
