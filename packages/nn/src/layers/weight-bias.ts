import { ValueError, checkOptions, describeValue, parseDType, zeros, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import { RESET_PARAMETERS } from '../options.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';

/**
 * @throws ValueError unless `n` is a non-negative integer
 *
 * @internal
 */
export function checkSize(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${describeValue(n)}`);
}

/**
 * Checks the channel counts and `groups` of a convolution layer and returns them.
 *
 * @throws ValueError for negative sizes, a non-positive groups, or channels not divisible by groups
 * @internal
 */
export function checkChannels(op: string, inChannels: number, outChannels: number, groups = 1): [number, number, number] {
  checkSize(op, 'inChannels', inChannels);
  checkSize(op, 'outChannels', outChannels);
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  if (inChannels % groups || outChannels % groups)
    throw new ValueError(`${op}: inChannels=${inChannels} and outChannels=${outChannels} must both be divisible by groups=${groups}`);
  return [inChannels, outChannels, groups];
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
 * The options every layer with a `weight` and an optional `bias` takes (Linear, the Conv and
 * ConvTranspose layers), beside its own.
 *
 * @example
 * const opts: WeightBiasOptions = { bias: false, dtype: 'float64', generator: new Generator(0) };
 * new Linear(3, 2, opts).bias; // null
 */
export interface WeightBiasOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** The parameters' dtype (default float32). */
  dtype?: DTypeLike;
  /** The generator the initial values are drawn from (default: the global one). */
  generator?: Generator;
}

/**
 * The part Linear and the Conv / ConvTranspose layers share: a learnable `weight` and optional
 * `bias`, created as zeros of the layer's dtype and drawn by {@link resetWeightAndBias} (PyTorch's
 * default initialisation) from the layer's own generator, now and on every `resetParameters()`.
 *
 * @internal
 */
export abstract class WeightBiasLayer extends Module {
  /** The learnable weight. */
  declare weight: Parameter;
  /** The learnable bias, shape [C_out], or null. */
  declare bias: Parameter | null;
  #generator: Generator | undefined;

  /**
   * Creates `weight` (shape `weightShape`) and, unless `opts.bias` is false, `bias` (shape
   * [biasSize]), then draws their initial values. Subclasses call it last in their constructor.
   *
   * @internal
   */
  protected initWeightAndBias(op: string, weightShape: readonly number[], biasSize: number, opts: WeightBiasOptions): void {
    const dtype = parseDType(op, opts.dtype ?? 'float32');
    this.weight = new Parameter(zeros([...weightShape], { dtype, pinMemory: true }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([biasSize], { dtype, pinMemory: true }));
    this.#generator = opts.generator;
    this.resetParameters();
  }

  /**
   * Draws new initial values (see the class doc), from `generator` or the layer's own.
   *
   * @example
   * const conv = new Conv2d(1, 4, 3, { generator: new Generator(0) });
   * const before = conv.weight.clone();
   * conv.resetParameters({ generator: new Generator(0) });
   * conv.weight.sub(before).abs().max().item(); // 0 (the same draw again)
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetWeightAndBias(this.weight, this.bias, opts.generator ?? this.#generator);
  }
}
