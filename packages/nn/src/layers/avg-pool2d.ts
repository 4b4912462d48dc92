import { checkOptions, defineOptions, unsupported, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('AvgPool2d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]',
  ceilMode: unsupported('ceilMode is not supported', false),
  countIncludePad: unsupported('countIncludePad: false is not supported (padding always counts in the mean)', true),
  divisorOverride: unsupported('divisorOverride is not supported', null),
});
import { Module } from '../module.js';
import { avgPool2d } from '../functional/layers.js';
import { checkPoolSizes, fmtSize2, type Size2 } from './conv2d.js';

/**
 * Options of {@link AvgPool2d}.
 *
 * @example
 * new AvgPool2d(2, { stride: 1 }).call(ones([1, 1, 3, 3])).toArray(); // [[[[1, 1], [1, 1]]]]
 */
export interface AvgPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Size2;
  /** Implicit zero padding on each side, counted in the mean (default 0). */
  padding?: Size2;
}

/**
 * 2-D average pooling: the mean of each window (PyTorch's `nn.AvgPool2d`). No parameters.
 *
 * Shape: input [N, C, H_in, W_in] -> output [N, C, H_out, W_out] with
 * `H_out = floor((H_in + 2 padding - kernelSize) / stride) + 1`.
 *
 * @example
 * new AvgPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 */
export class AvgPool2d extends Module {
  /** The window size. */
  readonly kernelSize: Size2;
  /** Step of the window (the kernel size unless given). */
  readonly stride: Size2;
  /** Implicit zero padding on each side, counted in the mean. */
  readonly padding: Size2;

  constructor(kernelSize: Size2, opts?: AvgPool2dOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    checkPoolSizes('AvgPool2d', kernelSize, this.stride, this.padding);
  }

  override extraRepr(): string {
    return `kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}, padding=${fmtSize2(this.padding)}`;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
