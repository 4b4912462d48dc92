import { checkOptions, defineOptions, noGrad, ones, parseDType, zeros, type DTypeLike, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { layerNorm, normalizedShapeOf } from '../functional/normalization.js';
import { checkEps } from './norm-base.js';

const OPTS = defineOptions('LayerNorm', { eps: 'number', elementwiseAffine: 'boolean', bias: 'boolean', dtype: 'string' });

/**
 * Options of {@link LayerNorm}.
 *
 * @example
 * const ln = new LayerNorm(8, { bias: false, eps: 1e-6 });
 * ln.parameters().length; // 1
 */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn an element-wise `weight` (and `bias`) of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the additive `bias` (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
}

/**
 * Layer normalisation (PyTorch's `nn.LayerNorm`): each sample is normalised over its trailing
 * `normalizedShape` dims, `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`, with the biased
 * variance; the same in training and evaluation. See {@link F.layerNorm}.
 *
 * Shape: input [*, ...normalizedShape] -> output of the same shape.
 *
 * Attributes: `weight` (init 1) and `bias` (init 0), shape `normalizedShape`, when
 * `elementwiseAffine` (`bias` null with `bias: false`).
 *
 * @throws ValueError for a negative size or eps, or an empty normalizedShape
 * @example
 * const ln = new LayerNorm(64);
 * ln.call(randn([8, 10, 64])).shape; // [8, 10, 64]
 * new LayerNorm([4, 4]).weight!.shape; // [4, 4]
 */
export class LayerNorm extends Module {
  /** The trailing dims normalised over. */
  readonly normalizedShape: number[];
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Whether there is a learnable `weight` (and `bias`). */
  readonly elementwiseAffine: boolean;
  /** The learnable scale γ, shape `normalizedShape` (null without elementwiseAffine). */
  weight: Parameter | null;
  /** The learnable shift β, shape `normalizedShape` (null without elementwiseAffine or with `bias: false`). */
  bias: Parameter | null;

  constructor(normalizedShape: number | number[], opts?: LayerNormOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    this.normalizedShape = normalizedShapeOf('LayerNorm', normalizedShape);
    this.eps = checkEps('LayerNorm', opts.eps ?? 1e-5);
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = parseDType('LayerNorm', opts.dtype ?? 'float32');
    const shape = this.normalizedShape;
    this.weight = this.elementwiseAffine ? new Parameter(ones(shape, { dtype, pinMemory: true })) : null;
    this.bias = this.elementwiseAffine && opts.bias !== false ? new Parameter(zeros(shape, { dtype, pinMemory: true })) : null;
  }

  /**
   * Sets weight to 1 and bias to 0.
   *
   * @example
   * const ln = new LayerNorm(2);
   * init.constant_(ln.bias!, 5);
   * ln.resetParameters();
   * ln.bias!.toArray(); // [0, 0]
   */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}
