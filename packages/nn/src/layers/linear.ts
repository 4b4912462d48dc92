import { checkOptions, defineOptions, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import type { Parameter } from '../parameter.js';
import { linear } from '../functional/layers.js';
import { WeightBiasLayer, checkSize } from './weight-bias.js';

export { checkSize } from './weight-bias.js';

const OPTS = defineOptions('Linear', { bias: 'boolean', dtype: 'string', generator: 'generator' });

/**
 * Options of {@link Linear}.
 *
 * @example
 * const fc = new Linear(4, 2, { bias: false, dtype: 'float64', generator: new Generator(0) });
 * fc.parameters().length; // 1
 * fc.weight.dtype; // 'float64'
 */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * Fully connected layer, `y = x Wᵀ + b` (PyTorch's `nn.Linear`).
 *
 * Shape: input [N, *, H_in] -> output [N, *, H_out], where `*` is any number of extra dims,
 * `H_in = inFeatures` and `H_out = outFeatures`.
 *
 * Attributes: `weight` [outFeatures, inFeatures] and `bias` [outFeatures] (or null), both
 * initialised from U(-1/√inFeatures, 1/√inFeatures) (Kaiming uniform with a = √5, as PyTorch).
 *
 * @throws ValueError for negative or non-integer sizes
 * @example
 * const fc = new Linear(784, 10);
 * fc.call(randn([32, 784])).shape; // [32, 10]
 */
export class Linear extends WeightBiasLayer {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight, shape [outFeatures, inFeatures]. */
  declare weight: Parameter;
  /** The learnable bias, shape [outFeatures], or null. */
  declare bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts?: LinearOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.initWeightAndBias('Linear', [outFeatures, inFeatures], outFeatures, opts);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
