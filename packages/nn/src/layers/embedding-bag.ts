import { checkOptions, defineOptions, parseDType, unsupported, zeros, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import { RESET_PARAMETERS } from '../options.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { embeddingBag } from '../functional/embedding-bag.js';
import { checkSize } from './linear.js';
import { normalizePaddingIdx, resetTable } from './embedding.js';

const OPTS = defineOptions('EmbeddingBag', {
  maxNorm: 'number|null', normType: 'number', mode: "'sum'|'mean'|'max'", includeLastOffset: 'boolean', paddingIdx: 'integer|null',
  dtype: 'string', generator: 'generator',
  scaleGradByFreq: unsupported('scaleGradByFreq is not supported', false),
  sparse: unsupported('sparse gradients are not supported', false),
});
const FORWARD = defineOptions('EmbeddingBag.forward', { offsets: 'tensor|null', perSampleWeights: 'tensor|null' });

/**
 * Options of {@link EmbeddingBag}.
 *
 * @example
 * const opts: EmbeddingBagOptions = { mode: 'sum', paddingIdx: 0 };
 * new EmbeddingBag(10, 3, opts).mode; // 'sum'
 */
export interface EmbeddingBagOptions {
  /** Rescale looked-up rows over this norm in place first (default none). */
  maxNorm?: number | null;
  /** The p of the norm for maxNorm (default 2). */
  normType?: number;
  /** How each bag is reduced (default 'mean'). */
  mode?: 'sum' | 'mean' | 'max';
  /** offsets has one more entry, the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** An index left out of every bag; its row is initialised to zeros (negative counts from the end). */
  paddingIdx?: number | null;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * Sums, means or maxima of bags of embeddings (PyTorch's `nn.EmbeddingBag`); see
 * {@link F.embeddingBag} for the bags.
 *
 * Shape: input [B, N] int32, or [M] with `offsets` [B] (or [B + 1] with includeLastOffset)
 * -> output [B, embeddingDim].
 *
 * Attributes: `weight` [numEmbeddings, embeddingDim] from N(0, 1) (the paddingIdx row zeros).
 *
 * @throws ValueError for bad sizes or a paddingIdx out of range
 * @example
 * const bag = new EmbeddingBag(10, 3, { mode: 'sum' });
 * bag.call(tensor([1, 2, 4, 5, 4, 3], { dtype: 'int32' }), { offsets: tensor([0, 4], { dtype: 'int32' }) }).shape; // [2, 3]
 */
export class EmbeddingBag extends Module<[Tensor, { offsets?: Tensor | null; perSampleWeights?: Tensor | null }?], Tensor> {
  /** The number of rows of the table. */
  readonly numEmbeddings: number;
  /** The size of each vector. */
  readonly embeddingDim: number;
  /** The reduction of each bag. */
  readonly mode: 'sum' | 'mean' | 'max';
  /** The padding index (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Rows looked up with a larger norm are rescaled in place to it, or null. */
  readonly maxNorm: number | null;
  /** The p of the norm for maxNorm. */
  readonly normType: number;
  /** Whether offsets include the end of the last bag. */
  readonly includeLastOffset: boolean;
  /** The learnable table, shape [numEmbeddings, embeddingDim]. */
  weight: Parameter;
  #generator: Generator | undefined;

  constructor(numEmbeddings: number, embeddingDim: number, opts?: EmbeddingBagOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('EmbeddingBag', 'numEmbeddings', numEmbeddings);
    checkSize('EmbeddingBag', 'embeddingDim', embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.mode = opts.mode ?? 'mean';
    this.paddingIdx = normalizePaddingIdx('EmbeddingBag', opts.paddingIdx ?? null, numEmbeddings);
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    this.includeLastOffset = opts.includeLastOffset ?? false;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: parseDType('EmbeddingBag', opts.dtype ?? 'float32'), pinMemory: true }));
    this.#generator = opts.generator;
    this.resetParameters();
  }

  /**
   * Draws new values from N(0, 1) (zeros for the padding row).
   *
   * @example
   * const bag = new EmbeddingBag(5, 2, { paddingIdx: 1 });
   * bag.resetParameters();
   * bag.weight.select(0, 1).toArray(); // [0, 0]
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetTable(this.weight, this.paddingIdx, opts.generator ?? this.#generator);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode='${this.mode}'` + (this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : '');
  }

  /**
   * Reduces each bag of `input` (see the class doc).
   *
   * @example
   * const bag = new EmbeddingBag(4, 2);
   * bag.call(tensor([[0, 1], [2, 3]], { dtype: 'int32' })).shape; // [2, 2]
   */
  forward(input: Tensor, opts?: { offsets?: Tensor | null; perSampleWeights?: Tensor | null }): Tensor {
    opts = checkOptions(FORWARD, opts);
    return embeddingBag(input, this.weight, {
      offsets: opts.offsets, perSampleWeights: opts.perSampleWeights, mode: this.mode, paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm, normType: this.normType, includeLastOffset: this.includeLastOffset,
    });
  }
}
