import { ValueError, checkOptions, defineOptions, unsupported, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { tripleOf } from '../functional/conv3d.js';
import { avgPool3d, maxPool3d, type Pool3dOptions } from '../functional/pool3d.js';

const MAX = defineOptions('MaxPool3d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]',
  dilation: unsupported('dilation is not supported', 1),
  ceilMode: unsupported('ceilMode is not supported', false),
  returnIndices: unsupported('returnIndices is not supported', false),
});
const AVG = defineOptions('AvgPool3d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]',
  ceilMode: unsupported('ceilMode is not supported', false),
  countIncludePad: unsupported('countIncludePad: false is not supported (padding always counts in the mean)', true),
  divisorOverride: unsupported('divisorOverride is not supported', null),
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
 * `D_out = floor((D_in + 2 padding[0] - kernelSize[0]) / stride[0]) + 1` (and so for H, W).
 *
 * @throws ValueError for bad sizes or padding over half the kernel
 * @example
 * new MaxPool3d(2).call(randn([1, 3, 4, 6, 6])).shape; // [1, 3, 2, 3, 3]
 */
export class MaxPool3d extends Module {
  /** The window size [kD, kH, kW]. */
  readonly kernelSize: [number, number, number];
  /** Step of the window (the kernel size unless given). */
  readonly stride: [number, number, number];
  /** Implicit -∞ padding on each side. */
  readonly padding: [number, number, number];

  constructor(kernelSize: number | number[], opts?: Pool3dOptions) {
    super();
    opts = checkOptions(MAX, opts);
    this.kernelSize = tripleOf('MaxPool3d', 'kernelSize', kernelSize, 1);
    this.stride = tripleOf('MaxPool3d', 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = tripleOf('MaxPool3d', 'padding', opts.padding ?? 0, 0);
    checkHalf('MaxPool3d', this.kernelSize, this.padding);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}`;
  }

  forward(x: Tensor): Tensor {
    return maxPool3d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/**
 * 3-D average pooling (PyTorch's `nn.AvgPool3d`): the mean of each `kD x kH x kW` window, zero
 * padding counted; see {@link F.avgPool3d}.
 *
 * Shape: [N, C, D_in, H_in, W_in] (or without N) -> [N, C, D_out, H_out, W_out] with
 * `D_out = floor((D_in + 2 padding[0] - kernelSize[0]) / stride[0]) + 1` (and so for H, W).
 *
 * @throws ValueError for bad sizes or padding over half the kernel
 * @example
 * new AvgPool3d([1, 2, 2]).call(ones([2, 4, 4, 4])).shape; // [2, 4, 2, 2]
 */
export class AvgPool3d extends Module {
  /** The window size [kD, kH, kW]. */
  readonly kernelSize: [number, number, number];
  /** Step of the window (the kernel size unless given). */
  readonly stride: [number, number, number];
  /** Implicit zero padding on each side, counted in the mean. */
  readonly padding: [number, number, number];

  constructor(kernelSize: number | number[], opts?: Pool3dOptions) {
    super();
    opts = checkOptions(AVG, opts);
    this.kernelSize = tripleOf('AvgPool3d', 'kernelSize', kernelSize, 1);
    this.stride = tripleOf('AvgPool3d', 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = tripleOf('AvgPool3d', 'padding', opts.padding ?? 0, 0);
    checkHalf('AvgPool3d', this.kernelSize, this.padding);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}`;
  }

  forward(x: Tensor): Tensor {
    return avgPool3d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
