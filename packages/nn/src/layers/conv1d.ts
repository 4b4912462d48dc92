import { checkOptions, defineOptions, ValueError, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import type { Parameter } from '../parameter.js';
import { conv1d, pad } from '../functional/conv.js';
import { WeightBiasLayer, checkChannels } from './weight-bias.js';
import { single } from './conv-transpose2d.js';

const OPTS = defineOptions('Conv1d', {
  stride: 'integer|integer[]', padding: "integer|integer[]|'valid'|'same'", dilation: 'integer|integer[]', groups: 'integer',
  bias: 'boolean', dtype: 'string', generator: 'generator', paddingMode: "'zeros'|'reflect'|'replicate'|'circular'",
});

/**
 * Options of {@link Conv1d}.
 *
 * @example
 * const conv = new Conv1d(2, 4, 3, { padding: 'same', paddingMode: 'reflect' });
 * conv.call(randn([1, 2, 10])).shape; // [1, 4, 10]
 */
export interface Conv1dLayerOptions {
  /** Step of the window (default 1). */
  stride?: number;
  /** Padding on each side (default 0); `'valid'` is 0, `'same'` keeps the length (stride 1 only; an odd total pads one more at the end). */
  padding?: number | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number;
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** What the padding holds: `'zeros'` (default), `'reflect'`, `'replicate'` or `'circular'`. */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * 1-D convolution over a batch of sequences (PyTorch's `nn.Conv1d`):
 * `out[n, o] = bias[o] + sum_c weight[o, c] ⋆ x[n, c]` (cross-correlation ⋆, per group); see {@link F.conv1d}.
 *
 * Shape: input [N, C_in, L_in] (or [C_in, L_in]) -> output [N, C_out, L_out] with
 * `L_out = floor((L_in + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1`.
 *
 * Attributes: `weight` [C_out, C_in / groups, k] and `bias` [C_out] (or null), both from
 * U(-1/√f, 1/√f) with `f = C_in / groups * k` (as PyTorch).
 *
 * @throws ValueError for bad sizes, channels not divisible by groups, or `'same'` padding with stride > 1
 * @example
 * const conv = new Conv1d(3, 8, 5, { stride: 2 });
 * conv.call(randn([4, 3, 32])).shape; // [4, 8, 14]
 */
export class Conv1d extends WeightBiasLayer {
  /** C_in, the channels of the input. */
  readonly inChannels: number;
  /** C_out, the channels of the output. */
  readonly outChannels: number;
  /** The kernel length. */
  readonly kernelSize: number;
  /** The stride. */
  readonly stride: number;
  /** Padding before the sequence ('same' may add one more at the end). */
  readonly padding: number;
  /** The dilation. */
  readonly dilation: number;
  /** The number of independent channel groups. */
  readonly groups: number;
  /** What the padding holds. */
  readonly paddingMode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** The learnable weight, shape [C_out, C_in / groups, k]. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;
  readonly #pads: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts?: Conv1dLayerOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    const op = 'Conv1d';
    [this.inChannels, this.outChannels, this.groups] = checkChannels(op, inChannels, outChannels, opts.groups);
    this.kernelSize = single(op, 'kernelSize', kernelSize, 1);
    this.stride = single(op, 'stride', opts.stride ?? 1, 1);
    this.dilation = single(op, 'dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (padding === 'same') {
      if (this.stride !== 1) throw new ValueError(`${op}: padding='same' needs stride 1, got stride=${this.stride}`);
      const total = this.dilation * (this.kernelSize - 1);
      this.padding = Math.floor(total / 2);
      this.#pads = [this.padding, total - this.padding];
    } else {
      this.padding = padding === 'valid' ? 0 : single(op, 'padding', padding, 0);
      this.#pads = [this.padding, this.padding];
    }
    this.paddingMode = opts.paddingMode ?? 'zeros';
    this.initWeightAndBias(op, [outChannels, inChannels / this.groups, this.kernelSize], outChannels, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}`;
    if (this.padding) s += `, padding=${this.padding}`;
    if (this.dilation !== 1) s += `, dilation=${this.dilation}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    if (this.paddingMode !== 'zeros') s += `, paddingMode='${this.paddingMode}'`;
    return s;
  }

  forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    const [l, r] = this.#pads;
    if (this.paddingMode === 'zeros' && l === r) return conv1d(x, this.weight, this.bias, { ...opts, padding: l });
    const mode = this.paddingMode === 'zeros' ? 'constant' : this.paddingMode;
    return conv1d(pad(x, this.#pads, { mode }), this.weight, this.bias, opts);
  }
}
