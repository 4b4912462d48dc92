import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d, interpolate, pixelShuffle, pixelUnshuffle,
  maxPool1d, avgPool1d, MAX_POOL1D_FIELDS, AVG_POOL1D_FIELDS, type InterpolateMode, type Pool1dOptions,
} from '../functional/resample.js';
import { single } from './conv-transpose2d.js';
import { poolFlags, type PoolResult } from './max-pool2d.js';

const MAX_POOL1D = defineOptions('MaxPool1d', MAX_POOL1D_FIELDS);
const AVG_POOL1D = defineOptions('AvgPool1d', AVG_POOL1D_FIELDS);
const UPSAMPLE = defineOptions('Upsample', {
  size: 'integer|integer[]|null', scaleFactor: 'number|number[]|null',
  mode: "'nearest'|'linear'|'bilinear'|'bicubic'|'area'", alignCorners: 'boolean|null', recomputeScaleFactor: 'boolean|null',
});

/** @throws ValueError unless `v` is an integer >= 0 or `nd` of them (null allowed in 2-D). */
function checkOutputSize(op: string, v: unknown, nd: number): void {
  const ok = (n: unknown, nullable: boolean) => (nullable && n === null) || (Number.isInteger(n) && (n as number) >= 0);
  if (!(ok(v, false) || (nd > 1 && Array.isArray(v) && v.length === nd && v.every((n) => ok(n, true)))))
    throw new ValueError(`${op}: outputSize must be an integer >= 0${nd > 1 ? ` or ${nd} of them (null keeps the input's size)` : ''}, got ${JSON.stringify(v)}`);
}

/**
 * 1-D adaptive average pooling to a fixed length (PyTorch's `nn.AdaptiveAvgPool1d`); see {@link F.adaptiveAvgPool1d}.
 *
 * Shape: [N, C, L_in] -> [N, C, outputSize].
 *
 * @example
 * new AdaptiveAvgPool1d(4).call(randn([2, 3, 10])).shape; // [2, 3, 4]
 */
export class AdaptiveAvgPool1d extends Module {
  /** The output length. */
  readonly outputSize: number;
  constructor(outputSize: number) {
    super();
    checkOutputSize('AdaptiveAvgPool1d', outputSize, 1);
    this.outputSize = outputSize;
  }
  override extraRepr(): string { return `outputSize=${this.outputSize}`; }
  forward(x: Tensor): Tensor { return adaptiveAvgPool1d(x, this.outputSize); }
}

/**
 * 2-D adaptive average pooling to a fixed size (PyTorch's `nn.AdaptiveAvgPool2d`); see {@link F.adaptiveAvgPool2d}.
 *
 * Shape: [N, C, H_in, W_in] -> [N, C, H_out, W_out] (a null entry keeps the input's size).
 *
 * @example
 * new AdaptiveAvgPool2d(1).call(randn([8, 64, 7, 7])).shape; // [8, 64, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  /** `[H_out, W_out]` or one number for both. */
  readonly outputSize: number | readonly (number | null)[];
  constructor(outputSize: number | readonly (number | null)[]) {
    super();
    checkOutputSize('AdaptiveAvgPool2d', outputSize, 2);
    this.outputSize = outputSize;
  }
  override extraRepr(): string { return `outputSize=${JSON.stringify(this.outputSize)}`; }
  forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
}

/**
 * 1-D adaptive max pooling (PyTorch's `nn.AdaptiveMaxPool1d`, without indices); see {@link F.adaptiveMaxPool1d}.
 *
 * Shape: [N, C, L_in] -> [N, C, outputSize].
 *
 * @example
 * new AdaptiveMaxPool1d(2).call(tensor([[[1, 5, 3, 4]]])).toArray(); // [[[5, 4]]]
 */
export class AdaptiveMaxPool1d extends Module {
  /** The output length. */
  readonly outputSize: number;
  constructor(outputSize: number) {
    super();
    checkOutputSize('AdaptiveMaxPool1d', outputSize, 1);
    this.outputSize = outputSize;
  }
  override extraRepr(): string { return `outputSize=${this.outputSize}`; }
  forward(x: Tensor): Tensor { return adaptiveMaxPool1d(x, this.outputSize); }
}

/**
 * 2-D adaptive max pooling (PyTorch's `nn.AdaptiveMaxPool2d`, without indices); see {@link F.adaptiveMaxPool2d}.
 *
 * Shape: [N, C, H_in, W_in] -> [N, C, H_out, W_out].
 *
 * @example
 * new AdaptiveMaxPool2d([2, 3]).call(randn([1, 4, 9, 9])).shape; // [1, 4, 2, 3]
 */
export class AdaptiveMaxPool2d extends Module {
  /** `[H_out, W_out]` or one number for both. */
  readonly outputSize: number | readonly (number | null)[];
  constructor(outputSize: number | readonly (number | null)[]) {
    super();
    checkOutputSize('AdaptiveMaxPool2d', outputSize, 2);
    this.outputSize = outputSize;
  }
  override extraRepr(): string { return `outputSize=${JSON.stringify(this.outputSize)}`; }
  forward(x: Tensor): Tensor { return adaptiveMaxPool2d(x, this.outputSize); }
}

/**
 * Options of {@link Upsample}: exactly one of `size` and `scaleFactor` (see {@link F.interpolate}).
 *
 * @example
 * const opts: UpsampleOptions = { scaleFactor: 2, mode: 'bilinear' };
 * new Upsample(opts).call(randn([1, 1, 3, 3])).shape; // [1, 1, 6, 6]
 */
export interface UpsampleOptions {
  /** The output spatial size. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial size. */
  scaleFactor?: number | readonly number[] | null;
  /** `'nearest'` (default), `'linear'`, `'bilinear'`, `'bicubic'` or `'area'`. */
  mode?: InterpolateMode;
  /** Linear modes: map corner pixel centres onto each other (default false). */
  alignCorners?: boolean | null;
  /** Compute the source scale from the sizes rather than from `scaleFactor` (default false). */
  recomputeScaleFactor?: boolean | null;
}

/**
 * Resamples the spatial dims (PyTorch's `nn.Upsample`); see {@link F.interpolate}.
 *
 * Shape: [N, C, L_in] -> [N, C, L_out] or [N, C, H_in, W_in] -> [N, C, H_out, W_out], with
 * `L_out = size` or `floor(L_in * scaleFactor)`.
 *
 * @throws ValueError from {@link F.interpolate} on the first call for options that do not fit the input
 * @example
 * new Upsample({ scaleFactor: 2 }).call(tensor([[[1, 2]]])).toArray(); // [[[1, 1, 2, 2]]]
 */
export class Upsample extends Module {
  /** The options passed to {@link F.interpolate}. */
  readonly options: UpsampleOptions;
  constructor(opts?: UpsampleOptions) {
    super();
    this.options = { ...checkOptions(UPSAMPLE, opts) };
  }
  override extraRepr(): string {
    const o = this.options;
    return o.size != null ? `size=${JSON.stringify(o.size)}, mode='${o.mode ?? 'nearest'}'` : `scaleFactor=${JSON.stringify(o.scaleFactor)}, mode='${o.mode ?? 'nearest'}'`;
  }
  forward(x: Tensor): Tensor { return interpolate(x, this.options); }
}

/**
 * Rearranges channels into space (PyTorch's `nn.PixelShuffle`); see {@link F.pixelShuffle}.
 *
 * Shape: [*, C r², H, W] -> [*, C, H r, W r].
 *
 * @example
 * new PixelShuffle(3).call(randn([1, 18, 4, 4])).shape; // [1, 2, 12, 12]
 */
export class PixelShuffle extends Module {
  /** r. */
  readonly upscaleFactor: number;
  constructor(upscaleFactor: number) {
    super();
    if (!Number.isInteger(upscaleFactor) || upscaleFactor < 1) throw new ValueError(`PixelShuffle: upscaleFactor must be an integer >= 1, got ${JSON.stringify(upscaleFactor)}`);
    this.upscaleFactor = upscaleFactor;
  }
  override extraRepr(): string { return `upscaleFactor=${this.upscaleFactor}`; }
  forward(x: Tensor): Tensor { return pixelShuffle(x, this.upscaleFactor); }
}

/**
 * Rearranges space into channels (PyTorch's `nn.PixelUnshuffle`); see {@link F.pixelUnshuffle}.
 *
 * Shape: [*, C, H r, W r] -> [*, C r², H, W].
 *
 * @example
 * new PixelUnshuffle(2).call(randn([1, 2, 8, 8])).shape; // [1, 8, 4, 4]
 */
export class PixelUnshuffle extends Module {
  /** r. */
  readonly downscaleFactor: number;
  constructor(downscaleFactor: number) {
    super();
    if (!Number.isInteger(downscaleFactor) || downscaleFactor < 1) throw new ValueError(`PixelUnshuffle: downscaleFactor must be an integer >= 1, got ${JSON.stringify(downscaleFactor)}`);
    this.downscaleFactor = downscaleFactor;
  }
  override extraRepr(): string { return `downscaleFactor=${this.downscaleFactor}`; }
  forward(x: Tensor): Tensor { return pixelUnshuffle(x, this.downscaleFactor); }
}

/**
 * 1-D max pooling (PyTorch's `nn.MaxPool1d`); see {@link F.maxPool1d}.
 *
 * Shape: [N, C, L_in] -> [N, C, L_out], `L_out = floor((L_in + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1`
 * (ceil with `ceilMode`). With `returnIndices: true` forward returns `[output, indices]`, the
 * int32 indices into L_in of the maxima (for `MaxUnpool1d`).
 *
 * @example
 * new MaxPool1d(2).call(randn([4, 3, 10])).shape; // [4, 3, 5]
 * const [, indices] = new MaxPool1d(2, { returnIndices: true }).call(tensor([[[1, 3, 2, 5, 4]]]));
 * indices.toArray(); // [[[1, 3]]]
 */
export class MaxPool1d<R extends boolean = false> extends Module<[Tensor], PoolResult<R>> {
  /** The window length. */
  readonly kernelSize: number;
  /** The options passed to {@link F.maxPool1d}. */
  readonly options: Pool1dOptions<R>;
  constructor(kernelSize: number, opts?: Pool1dOptions<R>) {
    super();
    this.options = { ...checkOptions(MAX_POOL1D, opts) };
    checkPool1d('MaxPool1d', kernelSize, this.options);
    this.kernelSize = kernelSize;
  }
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.options.stride ?? this.kernelSize}` +
      poolFlags({ ceilMode: this.options.ceilMode, returnIndices: this.options.returnIndices });
  }
  forward(x: Tensor): PoolResult<R> { return maxPool1d(x, this.kernelSize, this.options as Pool1dOptions<boolean>) as PoolResult<R>; }
}

/**
 * 1-D average pooling (PyTorch's `nn.AvgPool1d`; zero padding counts in the mean unless
 * `countIncludePad: false`); see {@link F.avgPool1d}.
 *
 * Shape: [N, C, L_in] -> [N, C, L_out], `L_out = floor((L_in + 2 padding - kernelSize) / stride) + 1` (ceil with `ceilMode`).
 *
 * @example
 * new AvgPool1d(3, { stride: 1, padding: 1 }).call(randn([4, 3, 10])).shape; // [4, 3, 10]
 * new AvgPool1d(3, { stride: 1, padding: 1, countIncludePad: false }).call(ones([1, 1, 4])).toArray(); // [[[1, 1, 1, 1]]]
 */
export class AvgPool1d extends Module {
  /** The window length. */
  readonly kernelSize: number;
  /** The options passed to {@link F.avgPool1d}. */
  readonly options: Pool1dOptions;
  constructor(kernelSize: number, opts?: Pool1dOptions) {
    super();
    this.options = { ...checkOptions(AVG_POOL1D, opts) };
    checkPool1d('AvgPool1d', kernelSize, this.options);
    this.kernelSize = kernelSize;
  }
  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.options.stride ?? this.kernelSize}` +
      poolFlags({ ceilMode: this.options.ceilMode, countIncludePad: this.options.countIncludePad });
  }
  forward(x: Tensor): Tensor { return avgPool1d(x, this.kernelSize, this.options); }
}

function checkPool1d(op: string, kernelSize: number, o: Pool1dOptions<boolean>): void {
  const k = single(op, 'kernelSize', kernelSize, 1);
  if (o.stride != null) single(op, 'stride', o.stride, 1);
  if (o.dilation != null) single(op, 'dilation', o.dilation, 1);
  const p = single(op, 'padding', o.padding ?? 0, 0);
  if (2 * p > k) throw new ValueError(`${op}: padding ${p} must be at most half the kernel size ${k}`);
}
