import {
  Tensor, ShapeError, ValueError, cat, fmtShape, tensor, checkOptions, defineOptions, maxPool2d, avgPool2d, resampleAlong,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';

const INTERPOLATE = defineOptions('interpolate', {
  size: 'integer|integer[]|null', scaleFactor: 'number|number[]|null',
  mode: "'nearest'|'linear'|'bilinear'|'bicubic'|'area'", alignCorners: 'boolean|null', recomputeScaleFactor: 'boolean|null',
});

/** @internal */
export const MAX_POOL1D_FIELDS = {
  stride: 'integer|integer[]|null', padding: 'integer|integer[]', dilation: 'integer|integer[]', ceilMode: 'boolean', returnIndices: 'boolean',
} as const;
/** @internal */
export const AVG_POOL1D_FIELDS = {
  stride: 'integer|integer[]|null', padding: 'integer|integer[]', ceilMode: 'boolean', countIncludePad: 'boolean',
} as const;
const MAX_POOL1D = defineOptions('maxPool1d', MAX_POOL1D_FIELDS);
const AVG_POOL1D = defineOptions('avgPool1d', AVG_POOL1D_FIELDS);

/**
 * Options of {@link maxPool1d} and {@link avgPool1d} (each size a number).
 *
 * @example
 * const opts: F.Pool1dOptions = { stride: 2, ceilMode: true };
 * F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2, opts).toArray(); // [[[3, 5, 4]]]
 */
export interface Pool1dOptions<R extends boolean = false> {
  /** Step of the window (default: the kernel size). */
  stride?: number | readonly number[] | null;
  /** Padding on each side (max: -inf, avg: zeros), at most half the kernel (default 0). */
  padding?: number | readonly number[];
  /** Spacing between window elements (maxPool1d only; default 1). */
  dilation?: number | readonly number[];
  /** Round the output length up (default false); a last window starting past the input and its left padding is dropped. */
  ceilMode?: boolean;
  /** maxPool1d only: return `[values, indices]`, int32 indices into L (default false). */
  returnIndices?: R;
  /** avgPool1d only: whether zero padding counts in the divisor (default true). */
  countIncludePad?: boolean;
}

const one = (v: number | readonly number[]): number => (typeof v === 'number' ? v : (v[0] as number));

/** A 1-D pool as the 2-D one over [N, C, 1, L]: returns the 2-D options and the input with its height of 1. */
function pool1dArgs(op: string, x: Tensor, kernelSize: number | readonly number[], opts: Pool1dOptions<boolean>) {
  requireTensor(op, 'input', x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${op}: expected a 2-D [C, L] or 3-D [N, C, L] input, got input.shape=${fmtShape(x.shape)}`);
  const k = one(kernelSize);
  const o: { stride: [number, number]; padding: [number, number]; dilation?: [number, number]; ceilMode?: boolean } = {
    stride: [1, one(opts.stride ?? k)], padding: [0, one(opts.padding ?? 0)], ceilMode: opts.ceilMode,
  };
  if (opts.dilation !== undefined) o.dilation = [1, one(opts.dilation)];
  return { x4: x.unsqueeze(-2), kernel: [1, k] as [number, number], o };
}

/**
 * 1-D max pooling (PyTorch's `F.max_pool1d`): the largest value of each window of `kernelSize`.
 * With `returnIndices: true` returns `[values, indices]`, the indices (int32: tapegrad has no
 * int64) into L of each maximum, for `F.maxUnpool1d`.
 *
 * @param x - shape [N, C, L] or [C, L]
 * @returns [N, C, L_out], `L_out = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1` (ceil with `ceilMode`,
 *   dropping a last window that would start past the input and its left padding)
 * @throws ShapeError for another rank; ValueError for bad sizes (as core's maxPool2d)
 * @example
 * F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2).toArray(); // [[[3, 5]]]
 * const [values, indices] = F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2, { ceilMode: true, returnIndices: true });
 * indices.toArray(); // [[[1, 3, 4]]]
 */
export function maxPool1d(x: Tensor, kernelSize: number | readonly number[], opts: Pool1dOptions<true> & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(x: Tensor, kernelSize: number | readonly number[], opts?: Pool1dOptions): Tensor;
export function maxPool1d(x: Tensor, kernelSize: number | readonly number[], opts?: Pool1dOptions<boolean>): Tensor | [Tensor, Tensor];
export function maxPool1d(x: Tensor, kernelSize: number | readonly number[], opts?: Pool1dOptions<boolean>): Tensor | [Tensor, Tensor] {
  opts = checkOptions(MAX_POOL1D, opts);
  const { x4, kernel, o } = pool1dArgs('maxPool1d', x, kernelSize, opts);
  if (!opts.returnIndices) return maxPool2d(x4, kernel, o).squeeze(-2);
  const [values, indices] = maxPool2d(x4, kernel, { ...o, returnIndices: true });
  return [values.squeeze(-2), indices.squeeze(-2)];
}

/**
 * 1-D average pooling (PyTorch's `F.avg_pool1d`): the mean of each window of `kernelSize`
 * (zero padding counts in the mean unless `countIncludePad: false`; a `ceilMode` window hanging
 * past the right padding is divided by its length clipped to the input and padding).
 *
 * @param x - shape [N, C, L] or [C, L]
 * @returns [N, C, L_out], `L_out = floor((L + 2 padding - k) / stride) + 1` (ceil with `ceilMode`)
 * @throws ShapeError for another rank; ValueError for bad sizes (as core's avgPool2d)
 * @example
 * F.avgPool1d(tensor([[[1, 3, 2, 6]]]), 2).toArray(); // [[[2, 4]]]
 * F.avgPool1d(tensor([[[1, 3, 2, 6, 5]]]), 2, { ceilMode: true }).toArray(); // [[[2, 4, 5]]]
 */
export function avgPool1d(x: Tensor, kernelSize: number | readonly number[], opts?: Pool1dOptions): Tensor {
  opts = checkOptions(AVG_POOL1D, opts);
  const { x4, kernel, o } = pool1dArgs('avgPool1d', x, kernelSize, opts);
  return avgPool2d(x4, kernel, { ...o, countIncludePad: opts.countIncludePad }).squeeze(-2);
}

/** The output sizes of an adaptive pool over the last `nd` dims of `x`: a number, or one per dim (null keeps the input's). */
function adaptiveSizes(op: string, x: Tensor, nd: number, outputSize: number | readonly (number | null)[]): number[] {
  requireTensor(op, 'input', x);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2)
    throw new ShapeError(`${op}: expected a ${nd + 1}-D or ${nd + 2}-D input, got input.shape=${fmtShape(x.shape)}`);
  const sizes = typeof outputSize === 'number' ? Array<number>(nd).fill(outputSize) : [...outputSize];
  if (sizes.length !== nd)
    throw new ValueError(`${op}: outputSize must be an integer or ${nd} of them, got ${JSON.stringify(outputSize)}`);
  return sizes.map((s, i) => {
    const L = x.shape[x.ndim - nd + i]!;
    const out = s ?? L;
    if (!Number.isInteger(out) || out < 0 || (out > 0 && L === 0))
      throw new ValueError(`${op}: outputSize must be integers >= 0 (and the input non-empty), got ${JSON.stringify(outputSize)} for input.shape=${fmtShape(x.shape)}`);
    return out;
  });
}

/** PyTorch's adaptive windows: output `i` covers `[floor(i L / out), ceil((i + 1) L / out))`. */
function windows(L: number, out: number): Array<[number, number]> {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * L) / out), Math.ceil(((i + 1) * L) / out)]);
}

/** Adaptive average over one dim: a matmul with the [L, out] averaging matrix. */
function adaptiveAvgDim(x: Tensor, dim: number, out: number): Tensor {
  const L = x.shape[dim]!;
  if (L === out) return x;
  const m = Array.from({ length: L }, () => Array<number>(out).fill(0));
  windows(L, out).forEach(([s, e], i) => {
    for (let j = s; j < e; j++) m[j]![i] = 1 / (e - s);
  });
  const xt = x.transpose(dim, -1);
  return xt.matmul(tensor(m, { dtype: x.dtype })).transpose(dim, -1);
}

/** Adaptive max over one dim (a max over a rectangle is the max over rows of the max over columns). */
function adaptiveMaxDim(x: Tensor, dim: number, out: number): Tensor {
  const L = x.shape[dim]!;
  if (L === out) return x;
  const parts = windows(L, out).map(([s, e]) => x.narrow(dim, s, e - s).max(dim, { keepdim: true }).values);
  return cat(parts, dim);
}

function adaptive(op: string, x: Tensor, nd: number, outputSize: number | readonly (number | null)[], f: typeof adaptiveAvgDim): Tensor {
  const sizes = adaptiveSizes(op, x, nd, outputSize);
  let y = x;
  sizes.forEach((s, i) => (y = f(y, x.ndim - nd + i, s)));
  return y;
}

/**
 * 1-D adaptive average pooling (PyTorch's `F.adaptive_avg_pool1d`): output `i` is the mean of
 * `x[..., floor(i L / out) : ceil((i + 1) L / out)]`.
 *
 * @param x - shape [N, C, L] or [C, L]
 * @param outputSize - L_out
 * @returns [N, C, L_out] (or [C, L_out])
 * @throws ShapeError for another rank; ValueError for a bad outputSize
 * @example
 * F.adaptiveAvgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 2).toArray(); // [[[2, 4]]]
 */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  return adaptive('adaptiveAvgPool1d', x, 1, outputSize, adaptiveAvgDim);
}

/**
 * 2-D adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): output `(i, j)` is the mean
 * of the window `[floor(i H / H_out), ceil((i + 1) H / H_out)) x [floor(j W / W_out), ceil((j + 1) W / W_out))`.
 *
 * @param x - shape [N, C, H, W] or [C, H, W]
 * @param outputSize - `[H_out, W_out]` (null keeps the input's size) or one number for both
 * @returns [N, C, H_out, W_out]
 * @throws ShapeError for another rank; ValueError for a bad outputSize
 * @example
 * F.adaptiveAvgPool2d(randn([2, 3, 7, 9]), [2, 4]).shape; // [2, 3, 2, 4]
 * F.adaptiveAvgPool2d(ones([1, 1, 5, 5]), 1).toArray(); // [[[[1]]]]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return adaptive('adaptiveAvgPool2d', x, 2, outputSize, adaptiveAvgDim);
}

/**
 * 1-D adaptive max pooling (PyTorch's `F.adaptive_max_pool1d`, without indices): output `i` is
 * the max of `x[..., floor(i L / out) : ceil((i + 1) L / out)]`.
 *
 * @param x - shape [N, C, L] or [C, L]
 * @param outputSize - L_out
 * @returns [N, C, L_out]
 * @throws ShapeError for another rank; ValueError for a bad outputSize
 * @example
 * F.adaptiveMaxPool1d(tensor([[[1, 5, 3, 4, 2]]]), 2).toArray(); // [[[5, 4]]]
 */
export function adaptiveMaxPool1d(x: Tensor, outputSize: number): Tensor {
  return adaptive('adaptiveMaxPool1d', x, 1, outputSize, adaptiveMaxDim);
}

/**
 * 2-D adaptive max pooling (PyTorch's `F.adaptive_max_pool2d`, without indices), over the
 * windows of {@link adaptiveAvgPool2d}.
 *
 * @param x - shape [N, C, H, W] or [C, H, W]
 * @param outputSize - `[H_out, W_out]` (null keeps the input's size) or one number for both
 * @returns [N, C, H_out, W_out]
 * @throws ShapeError for another rank; ValueError for a bad outputSize
 * @example
 * F.adaptiveMaxPool2d(arange(16).reshape([1, 1, 4, 4]), 2).toArray(); // [[[[5, 7], [13, 15]]]]
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return adaptive('adaptiveMaxPool2d', x, 2, outputSize, adaptiveMaxDim);
}

/**
 * The interpolation modes of {@link interpolate}.
 *
 * @example
 * const mode: F.InterpolateMode = 'bilinear';
 */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear' | 'bicubic' | 'area';

/**
 * Options of {@link interpolate}: exactly one of `size` and `scaleFactor`.
 *
 * @example
 * const opts: F.InterpolateOptions = { scaleFactor: 2, mode: 'bilinear', alignCorners: false };
 * F.interpolate(randn([1, 3, 4, 4]), opts).shape; // [1, 3, 8, 8]
 */
export interface InterpolateOptions {
  /** The output spatial size, one number for every spatial dim or one per dim. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial size, `out = floor(in * scaleFactor)`, one for all or one per dim. */
  scaleFactor?: number | readonly number[] | null;
  /** `'nearest'` (default), `'linear'` (3-D input), `'bilinear'` or `'bicubic'` (4-D input), or `'area'` (adaptive average). */
  mode?: InterpolateMode;
  /** Linear modes: map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean | null;
  /** Compute the source scale from the sizes rather than from `scaleFactor` (default false). */
  recomputeScaleFactor?: boolean | null;
}

/**
 * Resamples the spatial dims of a batch (PyTorch's `F.interpolate`), with PyTorch's source
 * index formulas. With `scale = in / out` (or `1 / scaleFactor` when given):
 * nearest takes `min(floor(i * scale), in - 1)` (scale in float32, as PyTorch);
 * linear modes read `src = (i + 0.5) scale - 0.5` clamped at 0, or `i (in - 1) / (out - 1)` with
 * `alignCorners`, and mix the two neighbours `floor(src)` and the next by their distance;
 * bicubic mixes the four neighbours `floor(src) - 1 .. floor(src) + 2` (clamped to the edge) with
 * Keys' cubic convolution weights, A = -0.75 (the source index is not clamped at 0).
 *
 * @param x - shape [N, C, L] (nearest, linear, area) or [N, C, H, W] (nearest, bilinear, area)
 * @returns [N, C, L_out] or [N, C, H_out, W_out]
 * @throws ValueError without exactly one of size and scaleFactor, for a mode that does not fit
 *   the rank, or alignCorners with nearest or area
 * @example
 * F.interpolate(tensor([[[1, 2]]]), { scaleFactor: 2 }).toArray(); // [[[1, 1, 2, 2]]]
 * F.interpolate(tensor([[[1, 2]]]), { size: 4, mode: 'linear' }).toArray(); // [[[1, 1.25, 1.75, 2]]]
 * F.interpolate(tensor([[[1, 2]]]), { size: 3, mode: 'linear', alignCorners: true }).toArray(); // [[[1, 1.5, 2]]]
 */
export function interpolate(x: Tensor, opts?: InterpolateOptions): Tensor {
  opts = checkOptions(INTERPOLATE, opts);
  const op = 'interpolate';
  requireTensor(op, 'input', x);
  const mode = opts.mode ?? 'nearest';
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`${op}: expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got input.shape=${fmtShape(x.shape)}`);
  const nd = x.ndim - 2;
  if ((mode === 'linear' && nd !== 1) || ((mode === 'bilinear' || mode === 'bicubic') && nd !== 2))
    throw new ValueError(`${op}: mode '${mode}' needs a ${mode === 'linear' ? '3' : '4'}-D input, got input.shape=${fmtShape(x.shape)}`);
  const alignCorners = opts.alignCorners ?? false;
  if (opts.alignCorners != null && (mode === 'nearest' || mode === 'area'))
    throw new ValueError(`${op}: alignCorners can only be set with the linear modes, got mode '${mode}'`);
  if ((opts.size == null) === (opts.scaleFactor == null))
    throw new ValueError(`${op}: give exactly one of size and scaleFactor, got size=${JSON.stringify(opts.size)}, scaleFactor=${JSON.stringify(opts.scaleFactor)}`);
  const inSizes = x.shape.slice(2);
  const perDim = <T>(name: string, v: T | readonly T[]): T[] => {
    const a = Array.isArray(v) ? [...(v as T[])] : Array<T>(nd).fill(v as T);
    if (a.length !== nd) throw new ValueError(`${op}: ${name} must have ${nd} entries for input.shape=${fmtShape(x.shape)}, got ${JSON.stringify(v)}`);
    return a;
  };
  let outSizes: number[];
  let scales: Array<number | null> = Array<number | null>(nd).fill(null);
  if (opts.size != null) {
    outSizes = perDim('size', opts.size);
    if (outSizes.some((s) => !Number.isInteger(s) || s < 1)) throw new ValueError(`${op}: size must be integers >= 1, got ${JSON.stringify(opts.size)}`);
  } else {
    const sf = perDim('scaleFactor', opts.scaleFactor!);
    if (sf.some((s) => !(s > 0))) throw new ValueError(`${op}: scaleFactor must be positive, got ${JSON.stringify(opts.scaleFactor)}`);
    outSizes = inSizes.map((L, i) => Math.floor(L * sf[i]!));
    if (outSizes.some((s) => s < 1)) throw new ValueError(`${op}: scaleFactor ${JSON.stringify(opts.scaleFactor)} gives an empty output for input.shape=${fmtShape(x.shape)}`);
    if (!opts.recomputeScaleFactor) scales = sf;
  }
  if (mode === 'area') return adaptive(op, x, nd, outSizes, adaptiveAvgDim);
  let y = x;
  // Separable: one dim at a time. The last dim's pass gathers element by element (the others
  // move whole rows), so when it grows it goes first, on the smaller tensor.
  const order = Array.from({ length: nd }, (_, i) => i);
  if (nd > 1 && outSizes[nd - 1]! > inSizes[nd - 1]!) order.unshift(order.pop()!);
  for (const i of order) {
    const dim = 2 + i;
    y = mode === 'nearest' ? nearestDim(y, dim, outSizes[i]!, scales[i]!)
      : mode === 'bicubic' ? cubicDim(y, dim, outSizes[i]!, scales[i]!, alignCorners)
      : linearDim(y, dim, outSizes[i]!, scales[i]!, alignCorners);
  }
  return y;
}

function nearestDim(x: Tensor, dim: number, out: number, scale: number | null): Tensor {
  const L = x.shape[dim]!;
  // PyTorch's nearest_idx: the scale and the product are float32.
  const s = Math.fround(scale ? 1 / scale : Math.fround(L) / out);
  const idx = Array.from({ length: out }, (_, i) =>
    out === L ? i : out === 2 * L ? i >> 1 : Math.min(Math.floor(Math.fround(i * s)), L - 1));
  return taps(x, dim, idx.map((i) => [i]), idx.map(() => [1]));
}

/** `x` resampled along `dim` by the taps (one row of indices and weights per output position), in one kernel. */
function taps(x: Tensor, dim: number, index: number[][], weights: number[][]): Tensor {
  return resampleAlong(x, dim, tensor(index, { dtype: 'int32' }), tensor(weights, { dtype: 'float64' }));
}

/** Keys' cubic convolution weights of the four neighbours at distance t from the second (A = -0.75, as PyTorch). */
function cubicWeights(t: number): [number, number, number, number] {
  const A = -0.75;
  const c1 = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const c2 = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  return [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)];
}

function cubicDim(x: Tensor, dim: number, out: number, scale: number | null, alignCorners: boolean): Tensor {
  const L = x.shape[dim]!;
  const s = alignCorners ? (out > 1 ? (L - 1) / (out - 1) : 0) : scale ? 1 / scale : L / out;
  const idx: number[][] = [], w: number[][] = [];
  for (let i = 0; i < out; i++) {
    const src = alignCorners ? s * i : s * (i + 0.5) - 0.5;
    const lo = Math.floor(src);
    w.push(cubicWeights(src - lo));
    idx.push([0, 1, 2, 3].map((k) => Math.min(Math.max(lo - 1 + k, 0), L - 1)));
  }
  return taps(x, dim, idx, w);
}

function linearDim(x: Tensor, dim: number, out: number, scale: number | null, alignCorners: boolean): Tensor {
  const L = x.shape[dim]!;
  const s = alignCorners ? (out > 1 ? (L - 1) / (out - 1) : 0) : scale ? 1 / scale : L / out;
  const idx: number[][] = [], w: number[][] = [];
  for (let i = 0; i < out; i++) {
    const src = alignCorners ? s * i : Math.max(s * (i + 0.5) - 0.5, 0);
    const lo = Math.floor(src);
    const l1 = src - lo;
    idx.push([lo, lo < L - 1 ? lo + 1 : lo]);
    w.push([1 - l1, l1]);
  }
  return taps(x, dim, idx, w);
}

/**
 * Rearranges `[*, C r², H, W]` into `[*, C, H r, W r]` (PyTorch's `F.pixel_shuffle`):
 * `out[..., c, h r + i, w r + j] = x[..., c r² + i r + j, h, w]`.
 *
 * @param x - shape [*, C r², H, W] (at least 3-D)
 * @param upscaleFactor - r, an integer >= 1
 * @returns [*, C, H r, W r]
 * @throws ShapeError when the channels are not divisible by r² or the input has fewer than 3 dims
 * @example
 * F.pixelShuffle(arange(4).reshape([4, 1, 1]), 2).toArray(); // [[[0, 1], [2, 3]]]
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const op = 'pixelShuffle';
  requireTensor(op, 'input', x);
  const r = upscaleFactor;
  if (!Number.isInteger(r) || r < 1) throw new ValueError(`${op}: upscaleFactor must be an integer >= 1, got ${JSON.stringify(r)}`);
  if (x.ndim < 3 || x.shape[x.ndim - 3]! % (r * r) !== 0)
    throw new ShapeError(`${op}: expected [*, C r^2, H, W] with channels divisible by ${r * r}, got input.shape=${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3) as [number, number, number];
  const k = lead.length;
  const y = x.reshape([...lead, C / (r * r), r, r, H, W]);
  return y.permute([...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2]).reshape([...lead, C / (r * r), H * r, W * r]);
}

/**
 * The inverse of {@link pixelShuffle} (PyTorch's `F.pixel_unshuffle`): `[*, C, H r, W r]` into `[*, C r², H, W]`.
 *
 * @param x - shape [*, C, H r, W r] (at least 3-D)
 * @param downscaleFactor - r, an integer >= 1
 * @returns [*, C r², H, W]
 * @throws ShapeError when H or W is not divisible by r or the input has fewer than 3 dims
 * @example
 * F.pixelUnshuffle(tensor([[[0, 1], [2, 3]]]), 2).reshape([4]).toArray(); // [0, 1, 2, 3]
 */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const op = 'pixelUnshuffle';
  requireTensor(op, 'input', x);
  const r = downscaleFactor;
  if (!Number.isInteger(r) || r < 1) throw new ValueError(`${op}: downscaleFactor must be an integer >= 1, got ${JSON.stringify(r)}`);
  if (x.ndim < 3 || x.shape[x.ndim - 2]! % r !== 0 || x.shape[x.ndim - 1]! % r !== 0)
    throw new ShapeError(`${op}: expected [*, C, H r, W r] with H and W divisible by ${r}, got input.shape=${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3) as [number, number, number];
  const k = lead.length;
  const y = x.reshape([...lead, C, H / r, r, W / r, r]);
  return y.permute([...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3]).reshape([...lead, C * r * r, H / r, W / r]);
}
