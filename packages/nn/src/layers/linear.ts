import { ValueError, checkOptions, defineOptions, describeValue, parseDType, zeros, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import { RESET_PARAMETERS } from '../options.js';

const OPTS = defineOptions('Linear', { bias: 'boolean', dtype: 'string', generator: 'generator' });
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { linear } from '../functional/layers.js';

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
 * @throws ValueError unless `n` is a non-negative integer
 *
 * @internal
 */
export function checkSize(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${describeValue(n)}`);
}

/**
 * PyTorch's default initialisation of a Linear or Conv layer: the weight by Kaiming uniform with
 * a = √5, which is U(-1/√fanIn, 1/√fanIn), and the bias from the same U(-1/√fanIn, 1/√fanIn).
 *
 * @internal
 */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null, generator: Generator | undefined): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
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
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight, shape [outFeatures, inFeatures]. */
  weight: Parameter;
  /** The learnable bias, shape [outFeatures], or null. */
  bias: Parameter | null;
  #generator: Generator | undefined;

  constructor(inFeatures: number, outFeatures: number, opts?: LinearOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = parseDType('Linear', opts.dtype ?? 'float32');
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype, pinMemory: true }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([outFeatures], { dtype, pinMemory: true }));
    this.#generator = opts.generator;
    this.resetParameters();
  }

  /**
   * Draws new initial values (see the class doc), from `generator` or the layer's own.
   *
   * @example
   * const fc = new Linear(3, 2);
   * init.zeros_(fc.weight);
   * fc.resetParameters();
   * fc.weight.abs().sum().item() > 0; // true
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetWeightAndBias(this.weight, this.bias, opts.generator ?? this.#generator);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
