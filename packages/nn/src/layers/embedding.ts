import { ValueError, checkOptions, defineOptions, unsupported, zeros, noGrad, parseDType, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import { RESET_PARAMETERS } from '../options.js';

const OPTS = defineOptions('Embedding', {
  paddingIdx: 'integer|null', dtype: 'string', generator: 'generator', maxNorm: 'number|null', normType: 'number',
  scaleGradByFreq: unsupported('scaleGradByFreq is not supported', false),
  sparse: unsupported('sparse gradients are not supported', false),
});
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { normal_ } from '../init.js';
import { embedding } from '../functional/layers.js';
import { checkSize } from './linear.js';

/**
 * Returns `paddingIdx` made non-negative (null stays null).
 *
 * @throws ValueError `Embedding: paddingIdx 5 must be an integer in [-5, 5)`
 * @internal
 */
export function normalizePaddingIdx(op: string, pad: number | null, numEmbeddings: number): number | null {
  if (pad === null) return null;
  if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings)
    throw new ValueError(`${op}: paddingIdx ${pad} must be an integer in [-${numEmbeddings}, ${numEmbeddings})`);
  return pad < 0 ? pad + numEmbeddings : pad;
}

/**
 * Draws an embedding table from N(0, 1), then zeros its padding row (PyTorch's reset of Embedding and EmbeddingBag).
 *
 * @internal
 */
export function resetTable(weight: Tensor, paddingIdx: number | null, generator: Generator | undefined): void {
  normal_(weight, 0, 1, { generator });
  if (paddingIdx !== null) noGrad(() => weight.select(0, paddingIdx).zero_());
}

/**
 * Options of {@link Embedding}.
 *
 * @example
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.call(tensor([0], { dtype: 'int32' })).toArray(); // [[0, 0, 0]]
 */
export interface EmbeddingOptions {
  /** An index whose row is initialised to zeros and receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up with a larger norm are rescaled in place to this norm (default none). */
  maxNorm?: number | null;
  /** The p of the norm for maxNorm (default 2). */
  normType?: number;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (PyTorch's `nn.Embedding`):
 * `out[..., :] = weight[input[...], :]`.
 *
 * Shape: input [*] int32 indices in [0, numEmbeddings) -> output [*, embeddingDim].
 *
 * Attributes: `weight` [numEmbeddings, embeddingDim], initialised from N(0, 1) (the row
 * `paddingIdx`, if given, with zeros).
 *
 * @throws ValueError for bad sizes or a paddingIdx out of range
 * @example
 * const emb = new Embedding(1000, 16);
 * emb.call(tensor([[1, 5, 7]], { dtype: 'int32' })).shape; // [1, 3, 16]
 */
export class Embedding extends Module {
  /** The number of rows of the table. */
  readonly numEmbeddings: number;
  /** The size of each vector. */
  readonly embeddingDim: number;
  /** The padding index (normalised to be non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Rows looked up with a larger norm are rescaled in place to it, or null. */
  readonly maxNorm: number | null;
  /** The p of the norm for maxNorm. */
  readonly normType: number;
  /** The learnable table, shape [numEmbeddings, embeddingDim]. */
  weight: Parameter;
  #generator: Generator | undefined;

  constructor(numEmbeddings: number, embeddingDim: number, opts?: EmbeddingOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('Embedding', 'numEmbeddings', numEmbeddings);
    checkSize('Embedding', 'embeddingDim', embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = normalizePaddingIdx('Embedding', opts.paddingIdx ?? null, numEmbeddings);
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: parseDType('Embedding', opts.dtype ?? 'float32'), pinMemory: true }));
    this.#generator = opts.generator;
    this.resetParameters();
  }

  /**
   * Draws new values from N(0, 1) (zeros for the padding row).
   *
   * @example
   * const emb = new Embedding(5, 2, { paddingIdx: 0 });
   * emb.resetParameters();
   * emb.weight.select(0, 0).toArray(); // [0, 0]
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetTable(this.weight, this.paddingIdx, opts.generator ?? this.#generator);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}` + (this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : '') +
      (this.maxNorm !== null ? `, maxNorm=${this.maxNorm}` : '');
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType });
  }
}
