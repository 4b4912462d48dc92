import { checkOptions, defineOptions, parseDType, zeros, type Generator, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { RESET_PARAMETERS } from '../options.js';
import { uniform_ } from '../init.js';
import { bilinear } from '../functional/bilinear.js';
import { checkSize, type WeightBiasOptions } from './weight-bias.js';

const OPTS = defineOptions('Bilinear', { bias: 'boolean', dtype: 'string', generator: 'generator' });

/**
 * Bilinear layer, `y = x1ᵀ A x2 + b` (PyTorch's `nn.Bilinear`). See {@link F.bilinear}.
 *
 * Shape: inputs (N, *, H_in1) and (N, *, H_in2) -> output (N, *, H_out), where `*` is any number
 * of extra dims (the same in both inputs), `H_in1 = in1Features`, `H_in2 = in2Features`,
 * `H_out = outFeatures`.
 *
 * Attributes: `weight` [outFeatures, in1Features, in2Features] and `bias` [outFeatures] (or null),
 * both initialised from U(-1/√in1Features, 1/√in1Features) (as PyTorch).
 *
 * @throws ValueError for negative or non-integer sizes
 * @example
 * const bl = new Bilinear(3, 4, 5);
 * bl.call(randn([8, 3]), randn([8, 4])).shape; // [8, 5]
 */
export class Bilinear extends Module<[Tensor, Tensor]> {
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight, shape [outFeatures, in1Features, in2Features]. */
  weight: Parameter;
  /** The learnable bias, shape [outFeatures], or null. */
  bias: Parameter | null;
  #gen: Generator | undefined;

  constructor(in1Features: number, in2Features: number, outFeatures: number, opts?: WeightBiasOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('Bilinear', 'in1Features', in1Features);
    checkSize('Bilinear', 'in2Features', in2Features);
    checkSize('Bilinear', 'outFeatures', outFeatures);
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.#gen = opts.generator;
    const dtype = parseDType('Bilinear', opts.dtype ?? 'float32');
    this.weight = new Parameter(zeros([outFeatures, in1Features, in2Features], { dtype, pinMemory: true }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([outFeatures], { dtype, pinMemory: true }));
    this.resetParameters();
  }

  /**
   * Draws new initial values, U(-1/√in1Features, 1/√in1Features) for weight and bias, from
   * `generator` or the layer's own.
   *
   * @example
   * const bl = new Bilinear(2, 3, 4, { generator: new Generator(0) });
   * bl.resetParameters({ generator: new Generator(1) });
   * bl.weight.abs().max().item() <= 1 / Math.sqrt(2); // true
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    const generator = opts.generator ?? this.#gen;
    const bound = this.weight.shape[1]! > 0 ? 1 / Math.sqrt(this.weight.shape[1]!) : 0;
    uniform_(this.weight, -bound, bound, { generator });
    if (this.bias) uniform_(this.bias, -bound, bound, { generator });
  }

  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
}
