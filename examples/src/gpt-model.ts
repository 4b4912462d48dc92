// A small GPT (decoder-only transformer) written with tapegrad's layers, as nanoGPT writes it in
// PyTorch: token + learned position embeddings, pre-norm blocks (LayerNorm -> causal multi-head
// self-attention -> residual; LayerNorm -> MLP 4x with GELU -> residual), a final LayerNorm and an
// LM head tied to the token embedding. The parameter names are nanoGPT's without its
// `transformer.` prefix (`wte.weight`, `h.0.attn.c_attn.weight`, ..., `lm_head.weight`), and
// bench/src/torch_bench.py writes the same module in PyTorch. Used by the char-gpt example and by
// the char-gpt figure of `pnpm bench`.
import { Tensor, arange, noGrad, topk, multinomial, cat, ValueError, type Generator } from '@tapegrad/core';
import { Module, ModuleList, Embedding, LayerNorm, Linear, GELU, Dropout, F, init, type Parameter } from '@tapegrad/nn';

/** The sizes of a {@link GPT}. */
export interface GPTConfig {
  /** Number of tokens (characters). */
  vocabSize: number;
  /** The longest context T (number of learned positions). */
  blockSize: number;
  /** Number of transformer blocks. */
  nLayer: number;
  /** Number of attention heads (nEmbd must be divisible by it). */
  nHead: number;
  /** Model width d. */
  nEmbd: number;
  /** Dropout probability on embeddings, attention weights and residual branches (default 0). */
  dropout?: number;
  /**
   * The MLP's activation: 'tanh' (default) is GPT-2's tanh approximation,
   * `nn.GELU({ approximate: 'tanh' })`; 'exact' is `nn.GELU()`, x·Φ(x).
   */
  gelu?: 'tanh' | 'exact';
}

/** Causal multi-head self-attention: one [d, 3d] projection to q, k, v, SDPA with isCausal, an output projection. */
export class CausalSelfAttention extends Module {
  c_attn: Linear;
  c_proj: Linear;
  resid_dropout: Dropout;
  readonly nHead: number;
  readonly dropoutP: number;

  constructor(cfg: GPTConfig) {
    super();
    if (cfg.nEmbd % cfg.nHead !== 0) throw new ValueError(`CausalSelfAttention: nEmbd=${cfg.nEmbd} must be divisible by nHead=${cfg.nHead}`);
    this.c_attn = new Linear(cfg.nEmbd, 3 * cfg.nEmbd);
    this.c_proj = new Linear(cfg.nEmbd, cfg.nEmbd);
    this.resid_dropout = new Dropout(cfg.dropout ?? 0);
    this.nHead = cfg.nHead;
    this.dropoutP = cfg.dropout ?? 0;
  }

  /** x [B, T, d] -> [B, T, d]. */
  forward(x: Tensor): Tensor {
    const [B, T, C] = x.shape as [number, number, number];
    const H = this.nHead;
    const qkv = this.c_attn.call(x); // [B, T, 3d]
    // [B, T, 3d] -> three [B, H, T, d/H]
    const heads = (i: number) => qkv.narrow(2, i * C, C).reshape([B, T, H, C / H]).transpose(1, 2);
    const y = F.scaledDotProductAttention(heads(0), heads(1), heads(2), { isCausal: true, dropoutP: this.training ? this.dropoutP : 0 });
    return this.resid_dropout.call(this.c_proj.call(y.transpose(1, 2).reshape([B, T, C])));
  }
}

/** The feed-forward part of a block: d -> 4d, GELU, 4d -> d. */
export class MLP extends Module {
  c_fc: Linear;
  gelu: Module;
  c_proj: Linear;
  dropout: Dropout;

  constructor(cfg: GPTConfig) {
    super();
    this.c_fc = new Linear(cfg.nEmbd, 4 * cfg.nEmbd);
    // GPT-2's 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) as one kernel each way. minGPT writes it
    // from tensor ops (`NewGELU`); so written, it made 9 results of [B, T, 4d] forward and 15
    // backward, and a step of the bench's model took 1.5x as long (PyTorch's 1.2x).
    this.gelu = new GELU({ approximate: cfg.gelu === 'exact' ? 'none' : 'tanh' });
    this.c_proj = new Linear(4 * cfg.nEmbd, cfg.nEmbd);
    this.dropout = new Dropout(cfg.dropout ?? 0);
  }

  forward(x: Tensor): Tensor {
    return this.dropout.call(this.c_proj.call(this.gelu.call(this.c_fc.call(x))));
  }
}

/** One pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
export class Block extends Module {
  ln_1: LayerNorm;
  attn: CausalSelfAttention;
  ln_2: LayerNorm;
  mlp: MLP;

  constructor(cfg: GPTConfig) {
    super();
    this.ln_1 = new LayerNorm(cfg.nEmbd);
    this.attn = new CausalSelfAttention(cfg);
    this.ln_2 = new LayerNorm(cfg.nEmbd);
    this.mlp = new MLP(cfg);
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.attn.call(this.ln_1.call(x)));
    return x.add(this.mlp.call(this.ln_2.call(x)));
  }
}

/** Sampling options of {@link GPT.generate}. */
export interface GenerateOptions {
  /** Divide the logits by this before the softmax (default 1; lower is more conservative). */
  temperature?: number;
  /** Sample only among the k most likely tokens (default: all). */
  topK?: number;
  /** Generator of the draws (default: the global one). */
  generator?: Generator;
}

/**
 * A GPT language model: idx [B, T] (int32 token ids, T <= blockSize) -> logits [B, T, vocabSize].
 * Initialised as nanoGPT: N(0, 0.02) weights and embeddings, zero biases, the residual output
 * projections (`*.c_proj.weight`) N(0, 0.02/√(2·nLayer)); LayerNorms at weight 1, bias 0.
 */
export class GPT extends Module<[Tensor], Tensor> {
  wte: Embedding;
  wpe: Embedding;
  drop: Dropout;
  h: ModuleList;
  ln_f: LayerNorm;
  lm_head: Linear;
  readonly config: GPTConfig;

  constructor(cfg: GPTConfig) {
    super();
    this.config = { ...cfg };
    this.wte = new Embedding(cfg.vocabSize, cfg.nEmbd);
    this.wpe = new Embedding(cfg.blockSize, cfg.nEmbd);
    this.drop = new Dropout(cfg.dropout ?? 0);
    this.h = new ModuleList(Array.from({ length: cfg.nLayer }, () => new Block(cfg)));
    this.ln_f = new LayerNorm(cfg.nEmbd);
    this.lm_head = new Linear(cfg.nEmbd, cfg.vocabSize, { bias: false });
    // Weight tying: the LM head and the token embedding are one parameter (listed once by
    // parameters(); the state dict holds it under both names, as PyTorch's does).
    this.lm_head.weight = this.wte.weight;
    this.resetParameters();
  }

  /** nanoGPT's initialisation (see the class comment). */
  resetParameters(): void {
    for (const [name, p] of this.namedParameters()) {
      if (name.endsWith('c_proj.weight')) init.normal_(p, 0, 0.02 / Math.sqrt(2 * this.config.nLayer));
      else if (name.startsWith('ln_') || name.includes('.ln_')) init.constant_(p, name.endsWith('weight') ? 1 : 0);
      else if (name.endsWith('.bias')) init.zeros_(p);
      else init.normal_(p, 0, 0.02);
    }
  }

  forward(idx: Tensor): Tensor {
    const T = idx.shape[1]!;
    if (T > this.config.blockSize) throw new ValueError(`GPT: sequence length ${T} exceeds blockSize ${this.config.blockSize} (idx.shape=[${idx.shape.join(', ')}])`);
    const pos = arange(T, { dtype: 'int32' });
    let x = this.drop.call(this.wte.call(idx).add(this.wpe.call(pos))); // [B, T, d]
    for (const block of this.h) x = (block as Block).call(x);
    return this.lm_head.call(this.ln_f.call(x));
  }

  /** Mean cross-entropy of the next-token predictions: idx, targets [B, T] -> scalar. */
  loss(idx: Tensor, targets: Tensor): Tensor {
    const logits = this.call(idx);
    const V = this.config.vocabSize;
    return F.crossEntropy(logits.reshape([-1, V]), targets.reshape([-1]));
  }

  /**
   * nanoGPT's AdamW parameter groups: weight decay on the matrices (the embeddings and Linear
   * weights, ndim >= 2), none on biases and LayerNorm parameters.
   */
  paramGroups(weightDecay: number): Array<{ params: Parameter[]; weightDecay: number }> {
    const ps = this.parameters();
    return [
      { params: ps.filter((p) => p.ndim >= 2), weightDecay },
      { params: ps.filter((p) => p.ndim < 2), weightDecay: 0 },
    ];
  }

  /**
   * Appends `maxNewTokens` sampled tokens to idx [B, T0] (the context is cut to the last
   * blockSize tokens): logits / temperature, keep the top k, softmax, `multinomial`.
   * Runs without recording; call `eval()` first to switch dropout off.
   */
  generate(idx: Tensor, maxNewTokens: number, opts: GenerateOptions = {}): Tensor {
    const { temperature = 1, topK, generator } = opts;
    if (!(temperature > 0)) throw new ValueError(`GPT.generate: temperature must be > 0, got ${temperature}`);
    return noGrad(() => {
      for (let i = 0; i < maxNewTokens; i++) {
        const T = idx.shape[1]!;
        const ctx = T > this.config.blockSize ? idx.narrow(1, T - this.config.blockSize, this.config.blockSize) : idx;
        let logits = this.call(ctx).select(1, ctx.shape[1]! - 1).div(temperature); // [B, V]
        if (topK !== undefined && topK < this.config.vocabSize) {
          const kth = topk(logits, topK, -1).values.narrow(1, topK - 1, 1); // [B, 1]
          logits = logits.maskedFill(logits.lt(kth), -Infinity);
        }
        const next = multinomial(logits.softmax(-1), 1, { generator }); // [B, 1]
        idx = cat([idx, next], 1);
      }
      return idx;
    });
  }
}

/** The number of parameters of a GPT, counting the tied LM head once. */
export function countParameters(model: GPT): number {
  return model.parameters().reduce((n, p) => n + p.numel(), 0);
}
