import { ShapeError, ValueError, checkOptions, fmtShape, defineOptions, noGrad, parseDType, zeros, type DTypeLike, type Generator, type Tensor } from '@tapegrad/core';
import { RESET_PARAMETERS, requireTensor } from '../options.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { xavierNormal_, xavierUniform_ } from '../init.js';
import { checkDropoutP } from '../functional/layers.js';
import { multiHeadAttentionForward } from '../functional/attention.js';
import { Linear, checkSize } from './linear.js';

const OPTS = defineOptions('MultiheadAttention', {
  dropout: 'number', bias: 'boolean', addBiasKv: 'boolean', addZeroAttn: 'boolean', kdim: 'integer|null', vdim: 'integer|null',
  batchFirst: 'boolean', dtype: 'string', generator: 'generator',
});
const FORWARD = defineOptions('MultiheadAttention.forward', {
  keyPaddingMask: 'tensor|null', needWeights: 'boolean', attnMask: 'tensor|null', averageAttnWeights: 'boolean', isCausal: 'boolean',
});

/**
 * Options of {@link MultiheadAttention}.
 *
 * @example
 * const opts: MultiheadAttentionOptions = { batchFirst: true, kdim: 3, vdim: 5 };
 * new MultiheadAttention(4, 2, opts).k_proj_weight!.shape; // [4, 3]
 */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Biases in the input and output projections (default true). */
  bias?: boolean;
  /** Learn one more key and value (`bias_k`, `bias_v`) appended to the sequences (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value to the sequences (default false). */
  addZeroAttn?: boolean;
  /** Features of the keys (default embedDim). */
  kdim?: number | null;
  /** Features of the values (default embedDim). */
  vdim?: number | null;
  /** Inputs and output are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values and the dropout masks (default: the global one). */
  generator?: Generator;
}

/**
 * Options of {@link MultiheadAttention.forward}.
 *
 * @example
 * const mha = new MultiheadAttention(4, 2);
 * const x = randn([3, 1, 4]);
 * const opts: MultiheadAttentionForwardOptions = { needWeights: false };
 * mha.call(x, x, x, opts)[1]; // null
 */
export interface MultiheadAttentionForwardOptions {
  /**
   * [N, S] (or [S] unbatched): bool true marks a key to **ignore** (padding); a float mask is added
   * to the scores. Default none.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights as well (default true). */
  needWeights?: boolean;
  /**
   * [L, S] or [N * numHeads, L, S]: bool true means the query may **not** attend to the key
   * (the opposite of {@link F.scaledDotProductAttention}'s bool mask); a float mask is added to
   * the scores. Default none.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true); false gives them per head. */
  averageAttnWeights?: boolean;
  /**
   * Causal attention: without an attnMask, query i attends only to keys j <= i; with one, a hint
   * that it is causal (it is used as given). Default false.
   */
  isCausal?: boolean;
}

/**
 * Multi-head attention (PyTorch's `nn.MultiheadAttention`):
 * `MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W_O + b_O` with
 * `head_i = softmax((Q W_Q,i)(K W_K,i)ᵀ / √d + mask) (V W_V,i)`, `d = embedDim / numHeads`.
 *
 * Shape (batchFirst false; with batchFirst, N comes first): query [L, N, E], key [S, N, kdim],
 * value [S, N, vdim] -> output [L, N, E] and weights [N, L, S] (averaged over heads) or
 * [N, numHeads, L, S]; unbatched inputs [L, E], [S, kdim], [S, vdim] give [L, E] and [L, S] or
 * [numHeads, L, S].
 *
 * Masks follow PyTorch: in `attnMask` and `keyPaddingMask` a bool **true** marks a position that
 * is **not** attended; float masks are added to the scores.
 *
 * Attributes (PyTorch's state dict keys): `in_proj_weight` [3E, E] when kdim = vdim = E,
 * otherwise `q_proj_weight` [E, E], `k_proj_weight` [E, kdim], `v_proj_weight` [E, vdim], all
 * Xavier uniform; `in_proj_bias` [3E] zeros; `out_proj` a Linear(E, E) with bias zeros;
 * `bias_k`, `bias_v` [1, 1, E] Xavier normal (with addBiasKv).
 *
 * @throws ValueError unless embedDim is divisible by numHeads, or for a dropout outside [0, 1]
 * @example
 * const mha = new MultiheadAttention(8, 2, { batchFirst: true });
 * const x = randn([4, 5, 8]);
 * const [out, weights] = mha.call(x, x, x);
 * out.shape; // [4, 5, 8]
 * weights!.shape; // [4, 5, 5]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  /** The model dimension E. */
  readonly embedDim: number;
  /** Features of the keys. */
  readonly kdim: number;
  /** Features of the values. */
  readonly vdim: number;
  /** The number of heads. */
  readonly numHeads: number;
  /** E / numHeads. */
  readonly headDim: number;
  /** Dropout probability on the attention weights. */
  readonly dropout: number;
  /** [N, L, E] layout. */
  readonly batchFirst: boolean;
  /** Whether a zero key and value are appended. */
  readonly addZeroAttn: boolean;
  /** Packed q/k/v projection [3E, E] (kdim = vdim = E), or null. */
  in_proj_weight: Parameter | null = null;
  /** Query projection [E, E] (kdim or vdim != E), or null. */
  q_proj_weight: Parameter | null = null;
  /** Key projection [E, kdim], or null. */
  k_proj_weight: Parameter | null = null;
  /** Value projection [E, vdim], or null. */
  v_proj_weight: Parameter | null = null;
  /** Packed q/k/v projection bias [3E], or null. */
  in_proj_bias: Parameter | null = null;
  /** The learned extra key [1, 1, E], or null. */
  bias_k: Parameter | null = null;
  /** The learned extra value [1, 1, E], or null. */
  bias_v: Parameter | null = null;
  /** The output projection. */
  out_proj: Linear;
  #generator: Generator | undefined;

  constructor(embedDim: number, numHeads: number, opts?: MultiheadAttentionOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    checkSize('MultiheadAttention', 'embedDim', embedDim);
    checkSize('MultiheadAttention', 'numHeads', numHeads);
    if (numHeads === 0 || embedDim % numHeads !== 0)
      throw new ValueError(`MultiheadAttention: embedDim must be divisible by numHeads, got embedDim=${embedDim}, numHeads=${numHeads}`);
    const p = opts.dropout ?? 0;
    checkDropoutP('MultiheadAttention', p);
    this.embedDim = embedDim;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    checkSize('MultiheadAttention', 'kdim', this.kdim);
    checkSize('MultiheadAttention', 'vdim', this.vdim);
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.dropout = p;
    this.batchFirst = opts.batchFirst ?? false;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    this.#generator = opts.generator;
    const dtype = parseDType('MultiheadAttention', opts.dtype ?? 'float32');
    const param = (shape: number[]) => new Parameter(zeros(shape, { dtype, pinMemory: true }));
    const E = embedDim;
    if (this.kdim === E && this.vdim === E) this.in_proj_weight = param([3 * E, E]);
    else {
      this.q_proj_weight = param([E, E]);
      this.k_proj_weight = param([E, this.kdim]);
      this.v_proj_weight = param([E, this.vdim]);
    }
    if (opts.bias !== false) this.in_proj_bias = param([3 * E]);
    this.out_proj = new Linear(E, E, { bias: opts.bias !== false, dtype, generator: opts.generator });
    if (opts.addBiasKv) {
      this.bias_k = param([1, 1, E]);
      this.bias_v = param([1, 1, E]);
    }
    this.resetParameters();
  }

  /**
   * Draws new initial values as PyTorch's `_reset_parameters`: Xavier uniform projections, zero
   * biases (out_proj's weight keeps its Linear initialisation), Xavier normal bias_k and bias_v.
   *
   * @example
   * const mha = new MultiheadAttention(4, 2);
   * mha.resetParameters();
   * mha.in_proj_bias!.abs().sum().item(); // 0
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    const generator = opts.generator ?? this.#generator;
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight])
      if (w) xavierUniform_(w, { generator });
    if (this.in_proj_bias) {
      noGrad(() => this.in_proj_bias!.zero_());
      if (this.out_proj.bias) noGrad(() => this.out_proj.bias!.zero_());
    }
    if (this.bias_k) xavierNormal_(this.bias_k, { generator });
    if (this.bias_v) xavierNormal_(this.bias_v, { generator });
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}` + (this.batchFirst ? ', batchFirst=true' : '');
  }

  /**
   * Attends from `query` to `key`/`value`; returns the output and the attention weights (null
   * with `needWeights: false`). See the class doc for the shapes and masks.
   *
   * @throws ShapeError for inputs or masks of the wrong shape
   * @example
   * const mha = new MultiheadAttention(4, 2);
   * const x = randn([3, 2, 4]); // [L, N, E]
   * const [, w] = mha.call(x, x, x, { averageAttnWeights: false });
   * w!.shape; // [2, 2, 3, 3]
   */
  forward(query: Tensor, key: Tensor, value: Tensor, opts?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null] {
    opts = checkOptions(FORWARD, opts);
    const E = this.embedDim;
    const last = (x: Tensor) => (x.ndim ? x.shape[x.ndim - 1] : undefined);
    for (const [name, x, want] of [['query', query, E], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      requireTensor('MultiheadAttention', name, x);
      if (last(x) !== want)
        throw new ShapeError(`MultiheadAttention: ${name}.shape=${fmtShape(x.shape)} must end in ${name === 'query' ? 'embedDim' : name === 'key' ? 'kdim' : 'vdim'}=${want}`);
    }
    const swap = this.batchFirst && query.ndim === 3;
    const t = (x: Tensor) => (swap ? x.transpose(0, 1) : x);
    const [out, weights] = multiHeadAttentionForward(
      'MultiheadAttention', t(query), t(key), t(value),
      {
        numHeads: this.numHeads, inProjWeight: this.in_proj_weight, qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight, inProjBias: this.in_proj_bias,
        biasK: this.bias_k, biasV: this.bias_v, addZeroAttn: this.addZeroAttn, dropoutP: this.dropout,
        outProjWeight: this.out_proj.weight, outProjBias: this.out_proj.bias, training: this.training, generator: this.#generator,
      },
      opts,
    );
    return [t(out), weights];
  }
}
