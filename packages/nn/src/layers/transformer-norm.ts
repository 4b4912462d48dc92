import { ShapeError, checkOptions, defineOptions, fmtShape, noGrad, ones, parseDType, zeros, type DTypeLike, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { checkSize } from './linear.js';

// A minimal layer norm for the transformer layers, with PyTorch's LayerNorm API and math, until
// the library's LayerNorm (layers/layer-norm.ts) replaces it.

const OPTS = defineOptions('LayerNorm', { eps: 'number', elementwiseAffine: 'boolean', bias: 'boolean', dtype: 'string' });

/**
 * Layer normalisation over the last `normalizedShape.length` dims (PyTorch's `nn.LayerNorm`):
 * `y = (x - mean) / sqrt(var + eps) * weight + bias`, biased variance; weight ones, bias zeros.
 *
 * @internal
 */
export class LayerNormLike extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Parameter | null = null;
  bias: Parameter | null = null;

  constructor(normalizedShape: number[] | number, opts?: { eps?: number; elementwiseAffine?: boolean; bias?: boolean; dtype?: DTypeLike }) {
    super();
    opts = checkOptions(OPTS, opts);
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    for (const d of this.normalizedShape) checkSize('LayerNorm', 'normalizedShape', d);
    this.eps = opts.eps ?? 1e-5;
    const dtype = parseDType('LayerNorm', opts.dtype ?? 'float32');
    if (opts.elementwiseAffine !== false) {
      this.weight = new Parameter(ones(this.normalizedShape, { dtype }));
      if (opts.bias !== false) this.bias = new Parameter(zeros(this.normalizedShape, { dtype }));
    }
  }

  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  override typeName(): string {
    return 'LayerNorm';
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}`;
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    if (x.ndim < k || x.shape.slice(x.ndim - k).some((d, i) => d !== this.normalizedShape[i]))
      throw new ShapeError(`LayerNorm: input.shape=${fmtShape(x.shape)} does not end in normalizedShape=${fmtShape(this.normalizedShape)}`);
    const dims = this.normalizedShape.map((_, i) => x.ndim - k + i);
    const centered = x.sub(x.mean(dims, { keepdim: true }));
    const variance = centered.mul(centered).mean(dims, { keepdim: true });
    let y = centered.mul(variance.add(this.eps).rsqrt());
    if (this.weight) y = y.mul(this.weight);
    if (this.bias) y = y.add(this.bias);
    return y;
  }
}
