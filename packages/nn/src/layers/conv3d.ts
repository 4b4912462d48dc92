import { checkOptions, defineOptions, unsupported, ValueError, type Tensor } from '@tapegrad/core';
import type { Parameter } from '../parameter.js';
import { conv3d, tripleOf } from '../functional/conv3d.js';
import { WeightBiasLayer, checkChannels, type WeightBiasOptions } from './weight-bias.js';

const OPTS = defineOptions('Conv3d', {
  stride: 'integer|integer[]', padding: "integer|integer[]|'valid'|'same'", dilation: 'integer|integer[]', groups: 'integer',
  bias: 'boolean', dtype: 'string', generator: 'generator', paddingMode: unsupported("only paddingMode 'zeros' is supported", 'zeros'),
});

/**
 * Options of {@link Conv3d}.
 *
 * @example
 * const conv = new Conv3d(2, 4, 3, { padding: 'same', bias: false });
 * conv.call(randn([1, 2, 4, 5, 6])).shape; // [1, 4, 4, 5, 6]
 */
export interface Conv3dLayerOptions extends WeightBiasOptions {
  /** Step of the window, one number or [sD, sH, sW] (default 1). */
  stride?: number | number[];
  /** Zero padding on each side, one number or [pD, pH, pW] (default 0); `'valid'` is 0, `'same'` keeps the size (stride 1 only). */
  padding?: number | number[] | 'valid' | 'same';
  /** Spacing between kernel elements, one number or [dD, dH, dW] (default 1). */
  dilation?: number | number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Only `'zeros'` (the default) is supported. */
  paddingMode?: 'zeros';
}

/**
 * 3-D convolution over a batch of volumes (PyTorch's `nn.Conv3d`):
 * `out[n, o] = bias[o] + sum_c weight[o, c] ⋆ x[n, c]` (cross-correlation ⋆, per group); see {@link F.conv3d}.
 *
 * Shape: input [N, C_in, D_in, H_in, W_in] (or without N) -> output [N, C_out, D_out, H_out, W_out] with
 * `D_out = floor((D_in + 2 padding[0] - dilation[0] (kernelSize[0] - 1) - 1) / stride[0]) + 1` (and so for H, W).
 *
 * Attributes: `weight` [C_out, C_in / groups, kD, kH, kW] and `bias` [C_out] (or null), both from
 * U(-1/√f, 1/√f) with `f = C_in / groups * kD * kH * kW` (as PyTorch).
 *
 * @throws ValueError for bad sizes, channels not divisible by groups, or `'same'` padding with stride > 1
 * @example
 * const conv = new Conv3d(3, 8, 3, { stride: 2 });
 * conv.call(randn([2, 3, 7, 9, 9])).shape; // [2, 8, 3, 4, 4]
 */
export class Conv3d extends WeightBiasLayer {
  /** C_in, the channels of the input. */
  readonly inChannels: number;
  /** C_out, the channels of the output. */
  readonly outChannels: number;
  /** The kernel size [kD, kH, kW]. */
  readonly kernelSize: [number, number, number];
  /** The stride [sD, sH, sW]. */
  readonly stride: [number, number, number];
  /** The padding [pD, pH, pW], or 'same'. */
  readonly padding: [number, number, number] | 'same';
  /** The dilation [dD, dH, dW]. */
  readonly dilation: [number, number, number];
  /** The number of independent channel groups. */
  readonly groups: number;
  /** The learnable weight, shape [C_out, C_in / groups, kD, kH, kW]. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts?: Conv3dLayerOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    const op = 'Conv3d';
    [this.inChannels, this.outChannels, this.groups] = checkChannels(op, inChannels, outChannels, opts.groups);
    this.kernelSize = tripleOf(op, 'kernelSize', kernelSize, 1);
    this.stride = tripleOf(op, 'stride', opts.stride ?? 1, 1);
    this.dilation = tripleOf(op, 'dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (padding === 'same' && this.stride.some((s) => s !== 1))
      throw new ValueError(`${op}: padding='same' needs stride 1, got stride=${JSON.stringify(this.stride)}`);
    this.padding = padding === 'same' ? 'same' : padding === 'valid' ? [0, 0, 0] : tripleOf(op, 'padding', padding, 0);
    this.initWeightAndBias(op, [outChannels, inChannels / this.groups, ...this.kernelSize], outChannels, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}`;
    if (this.padding === 'same' || this.padding.some((p) => p)) s += `, padding=${JSON.stringify(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${JSON.stringify(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }

  forward(x: Tensor): Tensor {
    return conv3d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}
