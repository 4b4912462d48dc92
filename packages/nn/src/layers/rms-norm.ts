import { checkOptions, defineOptions, noGrad, ones, parseDType, type DTypeLike, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { rmsNorm, normalizedShapeOf } from '../functional/normalization.js';
import { checkEps } from './norm-base.js';

const OPTS = defineOptions('RMSNorm', { eps: 'number|null', elementwiseAffine: 'boolean', dtype: 'string' });

/**
 * Options of {@link RMSNorm}.
 *
 * @example
 * new RMSNorm(8, { elementwiseAffine: false }).parameters().length; // 0
 * new RMSNorm(8, { eps: 1e-6 }).eps; // 0.000001
 */
export interface RMSNormOptions {
  /** Added to the mean square before the square root (default null: the machine epsilon of the input's dtype). */
  eps?: number | null;
  /** Learn an element-wise `weight` of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
}

/**
 * Root-mean-square normalisation (PyTorch's `nn.RMSNorm`): each sample is scaled by the inverse
 * root mean square of its trailing `normalizedShape` dims, `y = x / sqrt(mean(x²) + eps) * weight`
 * (no centring, no bias). See {@link F.rmsNorm}.
 *
 * Shape: input [*, ...normalizedShape] -> output of the same shape.
 *
 * Attributes: `weight` (init 1), shape `normalizedShape`, when `elementwiseAffine`.
 *
 * @throws ValueError for a negative size or eps, or an empty normalizedShape
 * @example
 * const norm = new RMSNorm(64);
 * norm.call(randn([8, 10, 64])).shape; // [8, 10, 64]
 * norm.eps; // null
 */
export class RMSNorm extends Module {
  /** The trailing dims normalised over. */
  readonly normalizedShape: number[];
  /** Added to the mean square; null for the machine epsilon of the input's dtype (2^-23 for float32, 2^-52 for float64). */
  readonly eps: number | null;
  /** Whether there is a learnable `weight`. */
  readonly elementwiseAffine: boolean;
  /** The learnable scale γ, shape `normalizedShape` (null without elementwiseAffine). */
  weight: Parameter | null;

  constructor(normalizedShape: number | number[], opts?: RMSNormOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    this.normalizedShape = normalizedShapeOf('RMSNorm', normalizedShape);
    this.eps = opts.eps == null ? null : checkEps('RMSNorm', opts.eps);
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = parseDType('RMSNorm', opts.dtype ?? 'float32');
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype, pinMemory: true })) : null;
  }

  /**
   * Sets weight to 1.
   *
   * @example
   * const norm = new RMSNorm(2);
   * init.constant_(norm.weight!, 5);
   * norm.resetParameters();
   * norm.weight!.toArray(); // [1, 1]
   */
  resetParameters(): void {
    noGrad(() => this.weight?.fill_(1));
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }
}
