import { ShapeError, ValueError, fmtShape, checkOptions, defineOptions, noGrad, ones, parseDType, zeros, type DTypeLike, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { groupNorm } from '../functional/normalization.js';
import { checkSize } from './linear.js';
import { checkEps } from './norm-base.js';

const OPTS = defineOptions('GroupNorm', { eps: 'number', affine: 'boolean', dtype: 'string' });

/**
 * Options of {@link GroupNorm}.
 *
 * @example
 * new GroupNorm(2, 8, { affine: false }).parameters().length; // 0
 */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale `weight` and shift `bias` (default true). */
  affine?: boolean;
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
}

/**
 * Group normalisation (PyTorch's `nn.GroupNorm`): the channels are split into `numGroups` groups
 * of consecutive channels, each group of each sample is normalised by its own mean and biased
 * variance, then each channel is scaled and shifted:
 * `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`. The same in training and evaluation;
 * `numGroups = 1` is a LayerNorm over [C, *] with per-channel affine, `numGroups = C` an
 * InstanceNorm with affine. See {@link F.groupNorm}.
 *
 * Shape: input [N, C, *] with `C = numChannels` -> output of the same shape.
 *
 * Attributes: `weight` (init 1) and `bias` (init 0), shape [C], when `affine`.
 *
 * @throws ValueError when numGroups does not divide numChannels, or for a negative eps
 * @example
 * const gn = new GroupNorm(4, 32);
 * gn.call(randn([2, 32, 8, 8])).shape; // [2, 32, 8, 8]
 */
export class GroupNorm extends Module {
  /** The number of groups the channels are split into. */
  readonly numGroups: number;
  /** C, the channels (dim 1) of the input. */
  readonly numChannels: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Whether there are a learnable `weight` and `bias`. */
  readonly affine: boolean;
  /** The learnable per-channel scale γ, shape [C] (null unless affine). */
  weight: Parameter | null;
  /** The learnable per-channel shift β, shape [C] (null unless affine). */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts?: GroupNormOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('GroupNorm', 'numGroups', numGroups);
    checkSize('GroupNorm', 'numChannels', numChannels);
    if (numGroups === 0 || numChannels % numGroups !== 0)
      throw new ValueError(`GroupNorm: numChannels must be divisible by numGroups, got numChannels=${numChannels}, numGroups=${numGroups}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = checkEps('GroupNorm', opts.eps ?? 1e-5);
    this.affine = opts.affine ?? true;
    const dtype = parseDType('GroupNorm', opts.dtype ?? 'float32');
    this.weight = this.affine ? new Parameter(ones([numChannels], { dtype, pinMemory: true })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype, pinMemory: true })) : null;
  }

  /**
   * Sets weight to 1 and bias to 0.
   *
   * @example
   * const gn = new GroupNorm(1, 2);
   * init.constant_(gn.weight!, 5);
   * gn.resetParameters();
   * gn.weight!.toArray(); // [1, 1]
   */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }

  forward(x: Tensor): Tensor {
    if (this.affine && x.ndim >= 2 && x.shape[1] !== this.numChannels)
      throw new ShapeError(`GroupNorm: expected ${this.numChannels} channels in dim 1, got input.shape=${fmtShape(x.shape)}`);
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}
