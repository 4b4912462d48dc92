import { ValueError, checkOptions, defineOptions, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('Conv2d', {
  stride: 'integer|integer[]', padding: "integer|integer[]|'valid'|'same'", dilation: 'integer|integer[]', groups: 'integer',
  bias: 'boolean', dtype: 'string', generator: 'generator',
  paddingMode: "'zeros'|'reflect'|'replicate'|'circular'",
});
import type { Parameter } from '../parameter.js';
import { conv2d } from '../functional/layers.js';
import { pad } from '../functional/conv.js';
import { WeightBiasLayer, checkChannels } from './weight-bias.js';

/**
 * A size for both spatial dims, or `[height, width]`.
 *
 * @example
 * new Conv2d(3, 8, [3, 5]).weight.shape; // [8, 3, 3, 5]
 * new Conv2d(3, 8, 3).weight.shape; // [8, 3, 3, 3]
 */
export type Size2 = number | [number, number];

/**
 * Options of {@link Conv2d}.
 *
 * @example
 * const conv = new Conv2d(3, 8, 3, { padding: 'same', bias: false });
 * conv.call(randn([1, 3, 16, 16])).shape; // [1, 8, 16, 16]
 * new Conv2d(3, 8, 3, { stride: 2 }).call(randn([1, 3, 16, 16])).shape; // [1, 8, 7, 7]
 */
export interface Conv2dLayerOptions {
  /** Step of the window (default 1). */
  stride?: Size2;
  /**
   * Padding on each side (default 0); `'valid'` is 0, `'same'` keeps H and W (stride 1 only; an
   * odd total `dilation * (kernelSize - 1)` puts the extra row or column at the end, as PyTorch).
   */
  padding?: Size2 | 'valid' | 'same';
  /** What the padding holds: `'zeros'` (default), `'reflect'`, `'replicate'` or `'circular'` (see {@link F.pad}). */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * Expands a {@link Size2} to `[height, width]`, checking each is an integer >= `min`.
 *
 * @internal
 */
export function pair(op: string, name: string, v: Size2, min: number): [number, number] {
  const p: [number, number] = Array.isArray(v) ? [v[0], v[1]] : [v, v];
  if (p.some((x) => !Number.isInteger(x) || x < min))
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  return p;
}

/**
 * Checks the sizes of a pooling layer: kernel and stride integers >= 1, padding >= 0 and at most
 * half the kernel size (PyTorch's rule), each a number or a pair.
 *
 * @internal
 */
export function checkPoolSizes(op: string, kernelSize: Size2, stride: Size2, padding: Size2): void {
  const k = pair(op, 'kernelSize', kernelSize, 1);
  pair(op, 'stride', stride, 1);
  const p = pair(op, 'padding', padding, 0);
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1])
    throw new ValueError(`${op}: padding ${JSON.stringify(padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
}

/**
 * A {@link Size2} as layers print it: `2` or `[2, 3]`.
 *
 * @internal
 */
export function fmtSize2(v: Size2): string {
  return Array.isArray(v) ? `[${v[0]}, ${v[1]}]` : String(v);
}

/**
 * 2-D convolution over a batch of images (PyTorch's `nn.Conv2d`):
 * `out[n, o] = bias[o] + sum_c weight[o, c] ⋆ x[n, c]` (cross-correlation ⋆, per group).
 *
 * Shape: input [N, C_in, H_in, W_in] -> output [N, C_out, H_out, W_out] with
 * `H_out = floor((H_in + 2 padding[0] - dilation[0] (kernelSize[0] - 1) - 1) / stride[0]) + 1` (W alike).
 *
 * Attributes: `weight` [C_out, C_in / groups, kH, kW] and `bias` [C_out] (or null), both
 * initialised from U(-1/√k, 1/√k) with `k = C_in / groups * kH * kW` (as PyTorch).
 *
 * With a `paddingMode` other than `'zeros'`, the input is first padded by {@link F.pad} in that mode.
 *
 * @throws ValueError for bad sizes, channels not divisible by groups, or `'same'` padding with stride > 1
 * @example
 * const conv = new Conv2d(1, 32, 3);
 * conv.call(randn([8, 1, 28, 28])).shape; // [8, 32, 26, 26]
 */
export class Conv2d extends WeightBiasLayer {
  /** C_in, the channels of the input. */
  readonly inChannels: number;
  /** C_out, the channels of the output. */
  readonly outChannels: number;
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Step of the window, [height, width]. */
  readonly stride: [number, number];
  /** Padding before each spatial dim, [height, width] (resolved from `'valid'` / `'same'`; 'same' may add one more at the end). */
  readonly padding: [number, number];
  /** What the padding holds. */
  readonly paddingMode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** Padding as F.pad takes it, [left, right, top, bottom] (PyTorch's `_reversed_padding_repeated_twice`). */
  readonly #pads: [number, number, number, number];
  /** Spacing between kernel elements, [height, width]. */
  readonly dilation: [number, number];
  /** The number of independent channel groups. */
  readonly groups: number;
  /** The learnable weight, shape [C_out, C_in / groups, kH, kW]. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts?: Conv2dLayerOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    const op = 'Conv2d';
    [this.inChannels, this.outChannels, this.groups] = checkChannels(op, inChannels, outChannels, opts.groups);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = pair(op, 'stride', opts.stride ?? 1, 1);
    this.dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (padding === 'valid') this.padding = [0, 0];
    else if (padding === 'same') {
      if (this.stride[0] !== 1 || this.stride[1] !== 1) throw new ValueError(`${op}: padding='same' needs stride 1, got stride=[${this.stride}]`);
      const total = this.kernelSize.map((k, i) => this.dilation[i]! * (k - 1));
      this.padding = [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2)];
    } else this.padding = pair(op, 'padding', padding, 0);
    const [pH, pW] = this.padding;
    this.#pads = padding === 'same'
      ? [pW, this.dilation[1] * (this.kernelSize[1] - 1) - pW, pH, this.dilation[0] * (this.kernelSize[0] - 1) - pH]
      : [pW, pW, pH, pH];
    this.paddingMode = opts.paddingMode ?? 'zeros';
    this.initWeightAndBias(op, [outChannels, inChannels / this.groups, ...this.kernelSize], outChannels, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}`;
    if (this.padding[0] || this.padding[1]) s += `, padding=${fmtSize2(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${fmtSize2(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    if (this.paddingMode !== 'zeros') s += `, paddingMode='${this.paddingMode}'`;
    return s;
  }

  forward(x: Tensor): Tensor {
    const [l, r, t, b] = this.#pads;
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros' && l === r && t === b) return conv2d(x, this.weight, this.bias, { ...opts, padding: this.padding });
    const mode = this.paddingMode === 'zeros' ? 'constant' : this.paddingMode;
    return conv2d(pad(x, this.#pads, { mode }), this.weight, this.bias, { ...opts, padding: 0 });
  }
}
