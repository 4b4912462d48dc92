import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('AvgPool2d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]',
  ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer|null',
});
import { Module } from '../module.js';
import { avgPool2d } from '../functional/layers.js';
import { checkPoolSizes, fmtSize2, type Size2 } from './conv2d.js';
import { checkDivisor, poolFlags } from './max-pool2d.js';

/**
 * Options of {@link AvgPool2d}.
 *
 * @example
 * new AvgPool2d(2, { stride: 1 }).call(ones([1, 1, 3, 3])).toArray(); // [[[[1, 1], [1, 1]]]]
 */
export interface AvgPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Size2;
  /** Implicit zero padding on each side (default 0). */
  padding?: Size2;
  /** Round the output size up (default false); a last window starting past the input and its left padding is dropped. */
  ceilMode?: boolean;
  /** Whether zero padding counts in the divisor (default true). */
  countIncludePad?: boolean;
  /** A non-zero integer dividing every window instead of its size (default null). */
  divisorOverride?: number | null;
}

/**
 * 2-D average pooling: the mean of each window (PyTorch's `nn.AvgPool2d`). No parameters.
 *
 * Each window's sum is divided by `kH kW` (padding counted), by the number of input elements it
 * covers with `countIncludePad: false`, or by `divisorOverride`. A `ceilMode` window hanging past
 * the right padding is divided by its size clipped to the input and padding (PyTorch's rule).
 *
 * Shape: input [N, C, H_in, W_in] (or [C, H_in, W_in]) -> output [N, C, H_out, W_out] with
 * `H_out = floor((H_in + 2 padding - kernelSize) / stride) + 1` (ceil with `ceilMode`).
 *
 * @throws ValueError for bad sizes, padding over half the kernel or `divisorOverride: 0`
 * @example
 * new AvgPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * new AvgPool2d(2, { ceilMode: true }).call(ones([1, 1, 3, 3])).toArray(); // [[[[1, 1], [1, 1]]]]
 */
export class AvgPool2d extends Module {
  /** The window size. */
  readonly kernelSize: Size2;
  /** Step of the window (the kernel size unless given). */
  readonly stride: Size2;
  /** Implicit zero padding on each side. */
  readonly padding: Size2;
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  /** Whether zero padding counts in the divisor. */
  readonly countIncludePad: boolean;
  /** The divisor of every window, or null for the window's size. */
  readonly divisorOverride: number | null;

  constructor(kernelSize: Size2, opts?: AvgPool2dOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    checkPoolSizes('AvgPool2d', kernelSize, this.stride, this.padding);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = checkDivisor('AvgPool2d', opts.divisorOverride);
  }

  override extraRepr(): string {
    return `kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}, padding=${fmtSize2(this.padding)}` +
      poolFlags({ ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
}
