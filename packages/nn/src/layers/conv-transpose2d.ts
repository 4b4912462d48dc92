import { ValueError, checkOptions, defineOptions, unsupported, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import type { Parameter } from '../parameter.js';
import { convTranspose1d, convTranspose2d } from '../functional/conv.js';
import { WeightBiasLayer, checkChannels } from './weight-bias.js';
import { fmtSize2, pair, type Size2 } from './conv2d.js';

const OPTIONS = {
  stride: 'integer|integer[]', padding: 'integer|integer[]', outputPadding: 'integer|integer[]', dilation: 'integer|integer[]',
  groups: 'integer', bias: 'boolean', dtype: 'string', generator: 'generator',
  paddingMode: unsupported("paddingMode is only 'zeros' for transposed convolutions (as PyTorch)", 'zeros'),
} as const;
const OPTS2 = defineOptions('ConvTranspose2d', OPTIONS);
const OPTS1 = defineOptions('ConvTranspose1d', OPTIONS);

/**
 * Options of {@link ConvTranspose2d} (sizes a number or `[height, width]`) and
 * {@link ConvTranspose1d} (sizes a number).
 *
 * @example
 * const up = new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up.call(randn([1, 4, 8, 8])).shape; // [1, 2, 16, 16]
 */
export interface ConvTransposeLayerOptions {
  /** The stride of the convolution this one transposes (default 1). */
  stride?: Size2;
  /** `dilation * (kernelSize - 1) - padding` zeros are added on each side of the input (default 0). */
  padding?: Size2;
  /** Extra size added on one side of the output, below max(stride, dilation) (default 0). */
  outputPadding?: Size2;
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
 * 2-D transposed convolution (PyTorch's `nn.ConvTranspose2d`), the gradient of a Conv2d with
 * respect to its input, often used to upsample: see {@link F.convTranspose2d}.
 *
 * Shape: input [N, C_in, H_in, W_in] -> output [N, C_out, H_out, W_out] with
 * `H_out = (H_in - 1) stride[0] - 2 padding[0] + dilation[0] (kernelSize[0] - 1) + outputPadding[0] + 1` (W alike).
 *
 * Attributes: `weight` [C_in, C_out / groups, kH, kW] and `bias` [C_out] (or null), both
 * initialised from U(-1/√k, 1/√k) with `k = C_out / groups * kH * kW` (as PyTorch, whose fan-in
 * of this weight is its dim 1).
 *
 * @throws ValueError for bad sizes, channels not divisible by groups, or an outputPadding not below max(stride, dilation)
 * @example
 * const up = new ConvTranspose2d(16, 8, 2, { stride: 2 });
 * up.call(randn([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 * up.weight.shape; // [16, 8, 2, 2]
 */
export class ConvTranspose2d extends WeightBiasLayer {
  /** C_in, the channels of the input. */
  readonly inChannels: number;
  /** C_out, the channels of the output. */
  readonly outChannels: number;
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** [height, width]. */
  readonly stride: [number, number];
  /** [height, width]. */
  readonly padding: [number, number];
  /** [height, width]. */
  readonly outputPadding: [number, number];
  /** [height, width]. */
  readonly dilation: [number, number];
  /** The number of independent channel groups. */
  readonly groups: number;
  /** The learnable weight, shape [C_in, C_out / groups, kH, kW]. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts?: ConvTransposeLayerOptions) {
    super();
    opts = checkOptions(OPTS2, opts);
    const op = 'ConvTranspose2d';
    [this.inChannels, this.outChannels, this.groups] = checkChannels(op, inChannels, outChannels, opts.groups);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = pair(op, 'stride', opts.stride ?? 1, 1);
    this.padding = pair(op, 'padding', opts.padding ?? 0, 0);
    this.outputPadding = pair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
    this.dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    checkOutputPadding(op, this.outputPadding, this.stride, this.dilation);
    this.initWeightAndBias(op, [inChannels, outChannels / this.groups, ...this.kernelSize], outChannels, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}`;
    if (this.padding[0] || this.padding[1]) s += `, padding=${fmtSize2(this.padding)}`;
    if (this.outputPadding[0] || this.outputPadding[1]) s += `, outputPadding=${fmtSize2(this.outputPadding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${fmtSize2(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}

/**
 * 1-D transposed convolution (PyTorch's `nn.ConvTranspose1d`): see {@link F.convTranspose1d}.
 *
 * Shape: input [N, C_in, L_in] -> output [N, C_out, L_out] with
 * `L_out = (L_in - 1) stride - 2 padding + dilation (kernelSize - 1) + outputPadding + 1`.
 *
 * Attributes: `weight` [C_in, C_out / groups, k] and `bias` [C_out] (or null), both from
 * U(-1/√f, 1/√f) with `f = C_out / groups * k` (as PyTorch).
 *
 * @throws ValueError for bad sizes, channels not divisible by groups, or an outputPadding not below max(stride, dilation)
 * @example
 * const up = new ConvTranspose1d(4, 2, 4, { stride: 2, padding: 1 });
 * up.call(randn([3, 4, 10])).shape; // [3, 2, 20]
 */
export class ConvTranspose1d extends WeightBiasLayer {
  /** C_in, the channels of the input. */
  readonly inChannels: number;
  /** C_out, the channels of the output. */
  readonly outChannels: number;
  /** The kernel length. */
  readonly kernelSize: number;
  /** The stride. */
  readonly stride: number;
  /** The padding. */
  readonly padding: number;
  /** The output padding. */
  readonly outputPadding: number;
  /** The dilation. */
  readonly dilation: number;
  /** The number of independent channel groups. */
  readonly groups: number;
  /** The learnable weight, shape [C_in, C_out / groups, k]. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts?: Omit<ConvTransposeLayerOptions, 'stride' | 'padding' | 'outputPadding' | 'dilation'> & {
    stride?: number; padding?: number; outputPadding?: number; dilation?: number;
  }) {
    super();
    opts = checkOptions(OPTS1, opts);
    const op = 'ConvTranspose1d';
    [this.inChannels, this.outChannels, this.groups] = checkChannels(op, inChannels, outChannels, opts.groups);
    this.kernelSize = single(op, 'kernelSize', kernelSize, 1);
    this.stride = single(op, 'stride', opts.stride ?? 1, 1);
    this.padding = single(op, 'padding', opts.padding ?? 0, 0);
    this.outputPadding = single(op, 'outputPadding', opts.outputPadding ?? 0, 0);
    this.dilation = single(op, 'dilation', opts.dilation ?? 1, 1);
    checkOutputPadding(op, [this.outputPadding], [this.stride], [this.dilation]);
    this.initWeightAndBias(op, [inChannels, outChannels / this.groups, this.kernelSize], outChannels, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}`;
    if (this.padding) s += `, padding=${this.padding}`;
    if (this.outputPadding) s += `, outputPadding=${this.outputPadding}`;
    if (this.dilation !== 1) s += `, dilation=${this.dilation}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }

  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}

/**
 * A 1-D size: an integer >= `min`, or a one-element array of one.
 *
 * @internal
 */
export function single(op: string, name: string, v: number | readonly number[], min: number): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min)
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function checkOutputPadding(op: string, outputPadding: number[], stride: number[], dilation: number[]): void {
  if (outputPadding.some((p, i) => p >= Math.max(stride[i]!, dilation[i]!)))
    throw new ValueError(
      `${op}: outputPadding ${JSON.stringify(outputPadding)} must be smaller than either stride ${JSON.stringify(stride)} or dilation ${JSON.stringify(dilation)}`,
    );
}
