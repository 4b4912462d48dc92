import { checkOptions, defineOptions, unsupported, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('MaxPool2d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]', dilation: 'integer|integer[]',
  ceilMode: unsupported('ceilMode is not supported', false),
  returnIndices: unsupported('returnIndices is not supported', false),
});
import { Module } from '../module.js';
import { maxPool2d } from '../functional/layers.js';
import { checkPoolSizes, fmtSize2, pair, type Size2 } from './conv2d.js';

/**
 * Options of {@link MaxPool2d}.
 *
 * @example
 * new MaxPool2d(3, { stride: 2, padding: 1 }).call(randn([1, 1, 8, 8])).shape; // [1, 1, 4, 4]
 */
export interface MaxPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Size2;
  /** Implicit -∞ padding on each side (default 0). */
  padding?: Size2;
  /** Spacing between window elements (default 1). */
  dilation?: Size2;
}

/**
 * 2-D max pooling: the largest value of each window (PyTorch's `nn.MaxPool2d`). No parameters.
 *
 * Shape: input [N, C, H_in, W_in] -> output [N, C, H_out, W_out] with
 * `H_out = floor((H_in + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1`.
 *
 * @example
 * new MaxPool2d(2).call(randn([1, 32, 26, 26])).shape; // [1, 32, 13, 13]
 */
export class MaxPool2d extends Module {
  /** The window size. */
  readonly kernelSize: Size2;
  /** Step of the window (the kernel size unless given). */
  readonly stride: Size2;
  /** Implicit -∞ padding on each side. */
  readonly padding: Size2;
  /** Spacing between window elements. */
  readonly dilation: Size2;

  constructor(kernelSize: Size2, opts?: MaxPool2dOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    checkPoolSizes('MaxPool2d', kernelSize, this.stride, this.padding);
    this.dilation = opts.dilation ?? 1;
    pair('MaxPool2d', 'dilation', this.dilation, 1);
  }

  override extraRepr(): string {
    return `kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}, padding=${fmtSize2(this.padding)}, dilation=${fmtSize2(this.dilation)}`;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}
