import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { tripleOf } from '../functional/conv3d.js';
import { avgPool3d, maxPool3d, type Pool3dOptions } from '../functional/pool3d.js';
import { checkDivisor, poolFlags, type PoolResult } from './max-pool2d.js';

const MAX = defineOptions('MaxPool3d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]', dilation: 'integer|integer[]', ceilMode: 'boolean', returnIndices: 'boolean',
});
const AVG = defineOptions('AvgPool3d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]', ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer|null',
});

/** @throws ValueError for padding over half the kernel */
function checkHalf(op: string, k: number[], p: number[]): void {
  if (p.some((v, i) => v * 2 > k[i]!))
    throw new ValueError(`${op}: padding ${JSON.stringify(p)} must be at most half the kernel size ${JSON.stringify(k)}`);
}

/**
 * 3-D max pooling (PyTorch's `nn.MaxPool3d`): the maximum of each `kD x kH x kW` window; see {@link F.maxPool3d}.
 *
 * Shape: [N, C, D_in, H_in, W_in] (or without N) -> [N, C, D_out, H_out, W_out] with
 * `D_out = floor((D_in + 2 padding[0] - dilation[0] (kernelSize[0] - 1) - 1) / stride[0]) + 1` (and so for H, W;
 * ceil with `ceilMode`). With `returnIndices: true` forward returns `[output, indices]`, the int32
 * flat indices `(d H_in + h) W_in + w` of the maxima in their volumes (for `MaxUnpool3d`).
 *
 * @throws ValueError for bad sizes or padding over half the kernel
 * @example
 * new MaxPool3d(2).call(randn([1, 3, 4, 6, 6])).shape; // [1, 3, 2, 3, 3]
 * const [, indices] = new MaxPool3d(2, { returnIndices: true }).call(randn([1, 3, 4, 6, 6]));
 * indices.shape; // [1, 3, 2, 3, 3]
 */
export class MaxPool3d<R extends boolean = false> extends Module<[Tensor], PoolResult<R>> {
  /** The window size [kD, kH, kW]. */
  readonly kernelSize: [number, number, number];
  /** Step of the window (the kernel size unless given). */
  readonly stride: [number, number, number];
  /** Implicit -∞ padding on each side. */
  readonly padding: [number, number, number];
  /** Spacing between window elements. */
  readonly dilation: [number, number, number];
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: R;

  constructor(kernelSize: number | number[], opts?: Pool3dOptions<R>) {
    super();
    opts = checkOptions(MAX, opts);
    this.kernelSize = tripleOf('MaxPool3d', 'kernelSize', kernelSize, 1);
    this.stride = tripleOf('MaxPool3d', 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = tripleOf('MaxPool3d', 'padding', opts.padding ?? 0, 0);
    this.dilation = tripleOf('MaxPool3d', 'dilation', opts.dilation ?? 1, 1);
    checkHalf('MaxPool3d', this.kernelSize, this.padding);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = opts.returnIndices ?? (false as R);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}` +
      `${this.dilation.some((d) => d !== 1) ? `, dilation=${JSON.stringify(this.dilation)}` : ''}` +
      poolFlags({ ceilMode: this.ceilMode, returnIndices: this.returnIndices });
  }

  forward(x: Tensor): PoolResult<R> {
    return maxPool3d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices,
    }) as PoolResult<R>;
  }
}

/**
 * 3-D average pooling (PyTorch's `nn.AvgPool3d`): the mean of each `kD x kH x kW` window, zero
 * padding counted unless `countIncludePad: false`, or divided by `divisorOverride`; see {@link F.avgPool3d}.
 *
 * Shape: [N, C, D_in, H_in, W_in] (or without N) -> [N, C, D_out, H_out, W_out] with
 * `D_out = floor((D_in + 2 padding[0] - kernelSize[0]) / stride[0]) + 1` (and so for H, W; ceil with `ceilMode`).
 *
 * @throws ValueError for bad sizes, padding over half the kernel or `divisorOverride: 0`
 * @example
 * new AvgPool3d([1, 2, 2]).call(ones([2, 4, 4, 4])).shape; // [2, 4, 2, 2]
 * new AvgPool3d(2, { divisorOverride: 1 }).call(ones([1, 2, 2, 2])).toArray(); // [[[[8]]]]
 */
export class AvgPool3d extends Module {
  /** The window size [kD, kH, kW]. */
  readonly kernelSize: [number, number, number];
  /** Step of the window (the kernel size unless given). */
  readonly stride: [number, number, number];
  /** Implicit zero padding on each side. */
  readonly padding: [number, number, number];
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  /** Whether zero padding counts in the divisor. */
  readonly countIncludePad: boolean;
  /** The divisor of every window, or null for the window's size. */
  readonly divisorOverride: number | null;

  constructor(kernelSize: number | number[], opts?: Pool3dOptions) {
    super();
    opts = checkOptions(AVG, opts);
    this.kernelSize = tripleOf('AvgPool3d', 'kernelSize', kernelSize, 1);
    this.stride = tripleOf('AvgPool3d', 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = tripleOf('AvgPool3d', 'padding', opts.padding ?? 0, 0);
    checkHalf('AvgPool3d', this.kernelSize, this.padding);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = checkDivisor('AvgPool3d', opts.divisorOverride);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}` +
      poolFlags({ ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }

  forward(x: Tensor): Tensor {
    return avgPool3d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
}
