import { ValueError, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { avgPool2d } from '../functional/layers.js';
import { pair, type Size2 } from './conv2d.js';

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
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;

  constructor(kernelSize: Size2, opts: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    const k = pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    pair('AvgPool2d', 'stride', this.stride, 1);
    const p = pair('AvgPool2d', 'padding', this.padding, 0);
    if (p[0] * 2 > k[0] || p[1] * 2 > k[1])
      throw new ValueError(`AvgPool2d: padding ${JSON.stringify(this.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
  }

  override extraRepr(): string {
    const f = (v: Size2) => (Array.isArray(v) ? `[${v[0]}, ${v[1]}]` : String(v));
    return `kernelSize=${f(this.kernelSize)}, stride=${f(this.stride)}, padding=${f(this.padding)}`;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
