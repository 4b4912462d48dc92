import {
  ShapeError, ValueError, checkOptions, defineOptions, describeValue, fmtShape, parseDType, type DTypeLike, type Generator, type Tensor,
} from '@tapegrad/core';
import { Module, type AnyModule } from '../module.js';
import { ModuleList } from '../containers.js';
import { xavierUniform_ } from '../init.js';
import { gelu, relu } from '../functional/activations.js';
import { causalMask } from '../functional/attention.js';
import { checkDropoutP } from '../functional/layers.js';
import { requireTensor } from '../options.js';
import { Dropout } from './dropout.js';
import { Linear, checkSize } from './linear.js';
import { MultiheadAttention } from './multihead-attention.js';
import { LayerNorm } from './layer-norm.js';

/**
 * The feed-forward activation of a transformer layer: `'relu'`, `'gelu'` (exact, erf-based), a
 * function of a tensor, or a module.
 *
 * @example
 * const act: TransformerActivation = (x) => x.tanh();
 * new TransformerEncoderLayer(4, 2, { activation: act }).call(randn([3, 1, 4])).shape; // [3, 1, 4]
 */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

/**
 * Options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer}.
 *
 * @example
 * const opts: TransformerLayerOptions = { dimFeedforward: 16, dropout: 0, normFirst: true, batchFirst: true };
 * new TransformerEncoderLayer(8, 2, opts).linear1.outFeatures; // 16
 */
export interface TransformerLayerOptions {
  /** Width of the feed-forward network (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability in attention, feed-forward and residual branches (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'). */
  activation?: TransformerActivation;
  /** eps of the layer norms (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are [N, S, E] instead of [S, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: normalise before each block instead of after each residual sum (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers, the attention and the layer norms (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values and dropout masks (default: the global one). */
  generator?: Generator;
}

const LAYER_SPEC = {
  dimFeedforward: 'integer', dropout: 'number', activation: 'string|function', layerNormEps: 'number', batchFirst: 'boolean',
  normFirst: 'boolean', bias: 'boolean', dtype: 'string', generator: 'generator',
} as const;
const ENCODER_LAYER = defineOptions('TransformerEncoderLayer', LAYER_SPEC);
const DECODER_LAYER = defineOptions('TransformerDecoderLayer', LAYER_SPEC);

function activationFn(op: string, a: TransformerActivation | undefined): ((x: Tensor) => Tensor) | Module {
  if (a === undefined || a === 'relu') return relu;
  if (a === 'gelu') return gelu;
  if (typeof a === 'function' || a instanceof Module) return a;
  throw new ValueError(`${op}: activation should be 'relu', 'gelu', a function or a module, not ${JSON.stringify(a)}`);
}

function applyActivation(a: ((x: Tensor) => Tensor) | Module, x: Tensor): Tensor {
  return a instanceof Module ? (a as Module).call(x) : a(x);
}

/**
 * checkOptions for options that may hold modules (core's option types have no "module"): the
 * module-valued keys are checked here and the rest by `spec`.
 */
function checkWithModules<T extends object>(spec: Parameters<typeof checkOptions>[0], opts: T | undefined, keys: string[]): T {
  if (opts === undefined || opts === null || typeof opts !== 'object' || Object.getPrototypeOf(opts) !== Object.prototype)
    return checkOptions(spec, opts as never) as T;
  const rest = { ...opts } as Record<string, unknown>;
  const held: Record<string, unknown> = {};
  for (const k of keys)
    if (k in rest) {
      const v = rest[k];
      delete rest[k];
      if (v instanceof Module) held[k] = v;
      else if (k === 'activation' && (typeof v === 'string' || typeof v === 'function')) rest[k] = v;
      else if (v !== undefined && v !== null)
        throw new ValueError(`${spec.fn}: option ${k} must be ${k === 'activation' ? "'relu', 'gelu', a function or " : ''}a Module${k === 'activation' ? '' : ' or null'}, got ${describeValue(v)}`);
    }
  return { ...(checkOptions(spec, rest as never) as object), ...held } as T;
}

/** How to build a fresh copy of each layer (for TransformerEncoder/Decoder's clones, PyTorch's deepcopy). */
const factories = new WeakMap<AnyModule, () => AnyModule>();

function cloneLayer<M extends AnyModule>(op: string, layer: M, kind: string): M {
  const make = factories.get(layer);
  if (!make) throw new ValueError(`${op}: expected a ${kind} to copy, got ${layer?.constructor?.name ?? String(layer)}`);
  const copy = make() as M;
  copy.loadStateDict(layer.stateDict());
  copy.train(layer.training);
  return copy;
}

function layerParts(op: string, dModel: number, nhead: number, opts: TransformerLayerOptions) {
  checkSize(op, 'dModel', dModel);
  const dff = opts.dimFeedforward ?? 2048;
  checkSize(op, 'dimFeedforward', dff);
  const p = opts.dropout ?? 0.1;
  checkDropoutP(op, p);
  const dtype = parseDType(op, opts.dtype ?? 'float32');
  const bias = opts.bias !== false;
  const g = opts.generator;
  return {
    dff,
    mha: () => new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst ?? false, bias, dtype, generator: g }),
    norm: () => new LayerNorm(dModel, { eps: opts.layerNormEps ?? 1e-5, bias, dtype }),
    linear: (inFeatures: number, outFeatures: number) => new Linear(inFeatures, outFeatures, { bias, dtype, generator: g }),
    dropout: () => new Dropout(p, { generator: g }),
  };
}

/** The feed-forward block of an encoder or decoder layer: `out(linear2(dropout(activation(linear1(x)))))`. */
function feedForward(
  layer: { linear1: Linear; dropout: Dropout; linear2: Linear; activation: ((x: Tensor) => Tensor) | Module }, out: Dropout, x: Tensor,
): Tensor {
  return out.call(layer.linear2.call(layer.dropout.call(applyActivation(layer.activation, layer.linear1.call(x)))));
}

/** One residual block: `x + block(norm(x))` when normFirst (pre-norm), else `norm(x + block(x))`. */
function residual(normFirst: boolean, x: Tensor, norm: LayerNorm, block: (x: Tensor) => Tensor): Tensor {
  return normFirst ? x.add(block(norm.call(x))) : norm.call(x.add(block(x)));
}

/** The mask for an isCausal call without one: PyTorch's square subsequent mask. */
function maskFor(mask: Tensor | null | undefined, isCausal: boolean | undefined, x: Tensor, batchFirst: boolean): Tensor | null {
  if (mask) return mask;
  if (!isCausal) return null;
  const len = x.shape[x.ndim === 3 && batchFirst ? 1 : 0]!;
  return causalMask(len, len, x.dtype === 'float64' ? 'float64' : 'float32');
}

const ENCODER_LAYER_FORWARD = defineOptions('TransformerEncoderLayer.forward', {
  srcMask: 'tensor|null', srcKeyPaddingMask: 'tensor|null', isCausal: 'boolean',
});

/**
 * Options of {@link TransformerEncoderLayer.forward}.
 *
 * @example
 * const opts: TransformerEncoderLayerForwardOptions = { isCausal: true };
 * new TransformerEncoderLayer(4, 2).call(randn([3, 1, 4]), opts).shape; // [3, 1, 4]
 */
export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask [S, S] or [N * nhead, S, S] (bool true = not attended, or additive floats). */
  srcMask?: Tensor | null;
  /** [N, S] (bool true = padding, ignored as a key). */
  srcKeyPaddingMask?: Tensor | null;
  /** Without srcMask, attend causally (PyTorch's square subsequent mask); with one, a hint. */
  isCausal?: boolean;
}

/**
 * One transformer encoder layer (PyTorch's `nn.TransformerEncoderLayer`): self-attention and a
 * feed-forward network, each with dropout and a residual connection and layer norm:
 * post-norm `x = norm1(x + sa(x)); x = norm2(x + ff(x))`, or with normFirst
 * `x = x + sa(norm1(x)); x = x + ff(norm2(x))`, where `ff(x) = linear2(dropout(act(linear1(x))))`.
 *
 * Shape: src [S, N, E] ([N, S, E] with batchFirst, [S, E] unbatched) -> the same shape.
 *
 * Sub-modules (PyTorch's state dict keys): `self_attn` (MultiheadAttention), `linear1`
 * (E -> dimFeedforward), `dropout`, `linear2` (dimFeedforward -> E), `norm1`, `norm2`
 * (LayerNorm(E): weight ones, bias zeros), `dropout1`, `dropout2`.
 *
 * @throws ValueError for bad sizes, dModel not divisible by nhead, or an unknown activation
 * @example
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 32, batchFirst: true });
 * layer.call(randn([4, 10, 8])).shape; // [4, 10, 8]
 */
export class TransformerEncoderLayer extends Module<[Tensor, TransformerEncoderLayerForwardOptions?], Tensor> {
  /** Self-attention. */
  self_attn: MultiheadAttention;
  /** First feed-forward layer [dimFeedforward, E]. */
  linear1: Linear;
  /** Dropout after the activation. */
  dropout: Dropout;
  /** Second feed-forward layer [E, dimFeedforward]. */
  linear2: Linear;
  /** Pre-norm (true) or post-norm. */
  readonly normFirst: boolean;
  /** Norm of the attention block. */
  norm1: LayerNorm;
  /** Norm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout of the attention branch. */
  dropout1: Dropout;
  /** Dropout of the feed-forward branch. */
  dropout2: Dropout;
  /** The feed-forward activation. */
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, opts?: TransformerLayerOptions) {
    super();
    opts = checkWithModules(ENCODER_LAYER, opts, ['activation']);
    const op = 'TransformerEncoderLayer';
    const c = layerParts(op, dModel, nhead, opts);
    this.self_attn = c.mha();
    this.linear1 = c.linear(dModel, c.dff);
    this.dropout = c.dropout();
    this.linear2 = c.linear(c.dff, dModel);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = c.norm();
    this.norm2 = c.norm();
    this.dropout1 = c.dropout();
    this.dropout2 = c.dropout();
    this.activation = activationFn(op, opts.activation);
    const o = opts;
    factories.set(this, () => new TransformerEncoderLayer(dModel, nhead, o));
  }

  override extraRepr(): string {
    return this.normFirst ? 'normFirst=true' : '';
  }

  /**
   * Runs the layer on `src`; see the class doc.
   *
   * @example
   * const layer = new TransformerEncoderLayer(4, 2, { dropout: 0 });
   * const src = randn([3, 2, 4]);
   * layer.call(src, { srcKeyPaddingMask: tensor([[false, false, true], [false, false, false]]) }).shape; // [3, 2, 4]
   */
  forward(src: Tensor, opts?: TransformerEncoderLayerForwardOptions): Tensor {
    opts = checkOptions(ENCODER_LAYER_FORWARD, opts);
    requireTensor('TransformerEncoderLayer', 'src', src);
    const mask = maskFor(opts.srcMask, opts.isCausal, src, this.self_attn.batchFirst);
    const sa = (x: Tensor) =>
      this.dropout1.call(this.self_attn.call(x, x, x, { attnMask: mask, keyPaddingMask: opts!.srcKeyPaddingMask, needWeights: false })[0]);
    const x = residual(this.normFirst, src, this.norm1, sa);
    return residual(this.normFirst, x, this.norm2, (y) => feedForward(this, this.dropout2, y));
  }
}

const DECODER_LAYER_FORWARD = defineOptions('TransformerDecoderLayer.forward', {
  tgtMask: 'tensor|null', memoryMask: 'tensor|null', tgtKeyPaddingMask: 'tensor|null', memoryKeyPaddingMask: 'tensor|null',
  tgtIsCausal: 'boolean', memoryIsCausal: 'boolean',
});

/**
 * Options of {@link TransformerDecoderLayer.forward} and {@link TransformerDecoder.forward}.
 *
 * @example
 * const opts: TransformerDecoderForwardOptions = { tgtIsCausal: true };
 * new TransformerDecoderLayer(4, 2).call(randn([3, 1, 4]), randn([5, 1, 4]), opts).shape; // [3, 1, 4]
 */
export interface TransformerDecoderForwardOptions {
  /** Self-attention mask [T, T] or [N * nhead, T, T] (bool true = not attended, or additive floats). */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S] or [N * nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T] (bool true = padding). */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S] (bool true = padding). */
  memoryKeyPaddingMask?: Tensor | null;
  /** Without tgtMask, the self-attention is causal; with one, a hint. */
  tgtIsCausal?: boolean;
  /** Without memoryMask, the cross-attention is causal (T = S); with one, a hint. */
  memoryIsCausal?: boolean;
}

/**
 * One transformer decoder layer (PyTorch's `nn.TransformerDecoderLayer`): self-attention,
 * cross-attention to `memory`, and a feed-forward network, each with dropout, residual
 * connection and layer norm (post-norm, or pre-norm with normFirst as in
 * {@link TransformerEncoderLayer}).
 *
 * Shape: tgt [T, N, E], memory [S, N, E] ([N, T, E], [N, S, E] with batchFirst) -> [T, N, E].
 *
 * Sub-modules (PyTorch's keys): `self_attn`, `multihead_attn`, `linear1`, `dropout`, `linear2`,
 * `norm1`, `norm2`, `norm3`, `dropout1`, `dropout2`, `dropout3`.
 *
 * @throws ValueError for bad sizes, dModel not divisible by nhead, or an unknown activation
 * @example
 * const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 32, batchFirst: true });
 * layer.call(randn([4, 6, 8]), randn([4, 10, 8]), { tgtIsCausal: true }).shape; // [4, 6, 8]
 */
export class TransformerDecoderLayer extends Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor> {
  /** Self-attention over the target. */
  self_attn: MultiheadAttention;
  /** Cross-attention to the memory. */
  multihead_attn: MultiheadAttention;
  /** First feed-forward layer. */
  linear1: Linear;
  /** Dropout after the activation. */
  dropout: Dropout;
  /** Second feed-forward layer. */
  linear2: Linear;
  /** Pre-norm (true) or post-norm. */
  readonly normFirst: boolean;
  /** Norm of the self-attention block. */
  norm1: LayerNorm;
  /** Norm of the cross-attention block. */
  norm2: LayerNorm;
  /** Norm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout of the self-attention branch. */
  dropout1: Dropout;
  /** Dropout of the cross-attention branch. */
  dropout2: Dropout;
  /** Dropout of the feed-forward branch. */
  dropout3: Dropout;
  /** The feed-forward activation. */
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, opts?: TransformerLayerOptions) {
    super();
    opts = checkWithModules(DECODER_LAYER, opts, ['activation']);
    const op = 'TransformerDecoderLayer';
    const c = layerParts(op, dModel, nhead, opts);
    this.self_attn = c.mha();
    this.multihead_attn = c.mha();
    this.linear1 = c.linear(dModel, c.dff);
    this.dropout = c.dropout();
    this.linear2 = c.linear(c.dff, dModel);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = c.norm();
    this.norm2 = c.norm();
    this.norm3 = c.norm();
    this.dropout1 = c.dropout();
    this.dropout2 = c.dropout();
    this.dropout3 = c.dropout();
    this.activation = activationFn(op, opts.activation);
    const o = opts;
    factories.set(this, () => new TransformerDecoderLayer(dModel, nhead, o));
  }

  override extraRepr(): string {
    return this.normFirst ? 'normFirst=true' : '';
  }

  /**
   * Runs the layer on `tgt` attending to `memory`; see the class doc.
   *
   * @example
   * const layer = new TransformerDecoderLayer(4, 2, { dropout: 0 });
   * layer.call(randn([3, 2, 4]), randn([5, 2, 4])).shape; // [3, 2, 4]
   */
  forward(tgt: Tensor, memory: Tensor, opts?: TransformerDecoderForwardOptions): Tensor {
    opts = checkOptions(DECODER_LAYER_FORWARD, opts);
    requireTensor('TransformerDecoderLayer', 'tgt', tgt);
    requireTensor('TransformerDecoderLayer', 'memory', memory);
    const bf = this.self_attn.batchFirst;
    const tgtMask = maskFor(opts.tgtMask, opts.tgtIsCausal, tgt, bf);
    const memMask = maskFor(opts.memoryMask, opts.memoryIsCausal, tgt, bf);
    const o = opts;
    const sa = (x: Tensor) =>
      this.dropout1.call(this.self_attn.call(x, x, x, { attnMask: tgtMask, keyPaddingMask: o.tgtKeyPaddingMask, needWeights: false })[0]);
    const mha = (x: Tensor) =>
      this.dropout2.call(
        this.multihead_attn.call(x, memory, memory, { attnMask: memMask, keyPaddingMask: o.memoryKeyPaddingMask, needWeights: false })[0],
      );
    let x = residual(this.normFirst, tgt, this.norm1, sa);
    x = residual(this.normFirst, x, this.norm2, mha);
    return residual(this.normFirst, x, this.norm3, (y) => feedForward(this, this.dropout3, y));
  }
}

const STACK = defineOptions('TransformerEncoder', { norm: 'null', enableNestedTensor: 'boolean', maskCheck: 'boolean' });
const DECODER_STACK = defineOptions('TransformerDecoder', { norm: 'null' });
const ENCODER_FORWARD = defineOptions('TransformerEncoder.forward', { mask: 'tensor|null', srcKeyPaddingMask: 'tensor|null', isCausal: 'boolean' });

/**
 * Options of {@link TransformerEncoder.forward}.
 *
 * @example
 * const opts: TransformerEncoderForwardOptions = { isCausal: true };
 * new TransformerEncoder(new TransformerEncoderLayer(4, 2), 2).call(randn([3, 1, 4]), opts).shape; // [3, 1, 4]
 */
export interface TransformerEncoderForwardOptions {
  /** Attention mask of every layer (see {@link TransformerEncoderLayerForwardOptions.srcMask}). */
  mask?: Tensor | null;
  /** [N, S] (bool true = padding). */
  srcKeyPaddingMask?: Tensor | null;
  /** Without mask, attend causally; with one, a hint. */
  isCausal?: boolean;
}

function checkNorm(op: string, norm: unknown): Module | null {
  if (norm === undefined || norm === null) return null;
  if (!(norm instanceof Module)) throw new ValueError(`${op}: norm must be a Module or null, got ${norm?.constructor?.name ?? typeof norm}`);
  return norm as Module;
}

/**
 * A stack of `numLayers` copies of an encoder layer (PyTorch's `nn.TransformerEncoder`), with an
 * optional final norm. Each copy starts with the given layer's parameters (PyTorch deep-copies it).
 *
 * Shape: src [S, N, E] ([N, S, E] with batchFirst) -> the same shape.
 *
 * Sub-modules (PyTorch's keys): `layers.0`, `layers.1`, ... and `norm` (if given).
 *
 * @throws ValueError unless encoderLayer is a TransformerEncoderLayer and numLayers a non-negative integer
 * @example
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 3);
 * encoder.layers.length; // 3
 * encoder.call(randn([10, 4, 8])).shape; // [10, 4, 8]
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  /** The layers. */
  layers: ModuleList;
  /** The number of layers. */
  readonly numLayers: number;
  /** The final norm, or null. */
  norm: Module | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts?: { norm?: Module | null; enableNestedTensor?: boolean; maskCheck?: boolean }) {
    super();
    opts = checkWithModules(STACK, opts, ['norm']);
    checkSize('TransformerEncoder', 'numLayers', numLayers);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => cloneLayer('TransformerEncoder', encoderLayer, 'TransformerEncoderLayer')));
    this.numLayers = numLayers;
    this.norm = checkNorm('TransformerEncoder', opts.norm);
  }

  /**
   * Runs every layer in turn with the same masks, then the norm.
   *
   * @example
   * const encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, { batchFirst: true }), 2);
   * encoder.call(randn([2, 5, 4]), { srcKeyPaddingMask: tensor([[false, false, false, true, true], [false, false, false, false, false]]) }).shape; // [2, 5, 4]
   */
  forward(src: Tensor, opts?: TransformerEncoderForwardOptions): Tensor {
    opts = checkOptions(ENCODER_FORWARD, opts);
    let x = src;
    for (const layer of this.layers.children() as TransformerEncoderLayer[])
      x = layer.call(x, { srcMask: opts.mask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal });
    return this.norm ? (this.norm as Module).call(x) : x;
  }
}

/**
 * A stack of `numLayers` copies of a decoder layer (PyTorch's `nn.TransformerDecoder`), with an
 * optional final norm. Each copy starts with the given layer's parameters.
 *
 * Shape: tgt [T, N, E], memory [S, N, E] ([N, T, E], [N, S, E] with batchFirst) -> [T, N, E].
 *
 * Sub-modules (PyTorch's keys): `layers.0`, ... and `norm` (if given).
 *
 * @throws ValueError unless decoderLayer is a TransformerDecoderLayer and numLayers a non-negative integer
 * @example
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2);
 * decoder.call(randn([6, 4, 8]), randn([10, 4, 8])).shape; // [6, 4, 8]
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor> {
  /** The layers. */
  layers: ModuleList;
  /** The number of layers. */
  readonly numLayers: number;
  /** The final norm, or null. */
  norm: Module | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts?: { norm?: Module | null }) {
    super();
    opts = checkWithModules(DECODER_STACK, opts, ['norm']);
    checkSize('TransformerDecoder', 'numLayers', numLayers);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => cloneLayer('TransformerDecoder', decoderLayer, 'TransformerDecoderLayer')));
    this.numLayers = numLayers;
    this.norm = checkNorm('TransformerDecoder', opts.norm);
  }

  /**
   * Runs every layer in turn (each attending to `memory`), then the norm.
   *
   * @example
   * const decoder = new TransformerDecoder(new TransformerDecoderLayer(4, 2), 2);
   * decoder.call(randn([3, 1, 4]), randn([5, 1, 4]), { tgtIsCausal: true }).shape; // [3, 1, 4]
   */
  forward(tgt: Tensor, memory: Tensor, opts?: TransformerDecoderForwardOptions): Tensor {
    opts = checkOptions(DECODER_LAYER_FORWARD, opts);
    let x = tgt;
    for (const layer of this.layers.children() as TransformerDecoderLayer[]) x = layer.call(x, memory, opts);
    return this.norm ? (this.norm as Module).call(x) : x;
  }
}

/**
 * Options of {@link Transformer}.
 *
 * @example
 * const opts: TransformerOptions = { dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 };
 * (new Transformer(opts).encoder as TransformerEncoder).layers.length; // 1
 */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Model dimension E (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** An encoder to use instead of the built one. */
  customEncoder?: Module | null;
  /** A decoder to use instead of the built one. */
  customDecoder?: Module | null;
}

const TRANSFORMER = defineOptions('Transformer', {
  ...LAYER_SPEC, dModel: 'integer', nhead: 'integer', numEncoderLayers: 'integer', numDecoderLayers: 'integer',
  customEncoder: 'null', customDecoder: 'null',
});
const TRANSFORMER_FORWARD = defineOptions('Transformer.forward', {
  srcMask: 'tensor|null', tgtMask: 'tensor|null', memoryMask: 'tensor|null', srcKeyPaddingMask: 'tensor|null',
  tgtKeyPaddingMask: 'tensor|null', memoryKeyPaddingMask: 'tensor|null', srcIsCausal: 'boolean', tgtIsCausal: 'boolean',
  memoryIsCausal: 'boolean',
});

/**
 * Options of {@link Transformer.forward}: the masks of the encoder (`src*`), the decoder's
 * self-attention (`tgt*`) and its cross-attention (`memory*`).
 *
 * @example
 * const opts: TransformerForwardOptions = { tgtMask: Transformer.generateSquareSubsequentMask(3) };
 * opts.tgtMask!.shape; // [3, 3]
 */
export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

/**
 * The encoder-decoder transformer of "Attention Is All You Need" (PyTorch's `nn.Transformer`):
 * `decoder(tgt, encoder(src))`, each stack ending in a LayerNorm. All parameters with more than
 * one dim are re-drawn from Xavier uniform, as PyTorch's `_reset_parameters`.
 *
 * Shape: src [S, N, E], tgt [T, N, E] ([N, S, E], [N, T, E] with batchFirst) -> [T, N, E].
 *
 * Sub-modules (PyTorch's keys): `encoder` (TransformerEncoder with `norm`), `decoder`
 * (TransformerDecoder with `norm`).
 *
 * @throws ValueError for bad sizes; ShapeError when src and tgt differ in batch size or features
 * @example
 * const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16 });
 * const src = randn([10, 3, 8]), tgt = randn([6, 3, 8]);
 * model.call(src, tgt, { tgtMask: Transformer.generateSquareSubsequentMask(6) }).shape; // [6, 3, 8]
 */
export class Transformer extends Module<[Tensor, Tensor, TransformerForwardOptions?], Tensor> {
  /** The encoder stack. */
  encoder: Module<[Tensor, TransformerEncoderForwardOptions?], Tensor>;
  /** The decoder stack. */
  decoder: Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor>;
  /** Model dimension E. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** [N, S, E] layout. */
  readonly batchFirst: boolean;

  constructor(opts?: TransformerOptions) {
    super();
    opts = checkWithModules(TRANSFORMER, opts, ['activation', 'customEncoder', 'customDecoder']);
    const dModel = opts.dModel ?? 512;
    const nhead = opts.nhead ?? 8;
    const { dModel: _d, nhead: _n, numEncoderLayers, numDecoderLayers, customEncoder, customDecoder, ...layerOpts } = opts;
    const c = layerParts('Transformer', dModel, nhead, layerOpts);
    if (customEncoder) this.encoder = customEncoder as Transformer['encoder'];
    else this.encoder = new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOpts), numEncoderLayers ?? 6, { norm: c.norm() });
    if (customDecoder) this.decoder = customDecoder as Transformer['decoder'];
    else this.decoder = new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOpts), numDecoderLayers ?? 6, { norm: c.norm() });
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = opts.batchFirst ?? false;
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p, { generator: opts.generator });
  }

  /**
   * PyTorch's `generate_square_subsequent_mask`: an [sz, sz] float mask with -∞ above the
   * diagonal and 0 elsewhere (position i attends to positions <= i).
   *
   * @example
   * Transformer.generateSquareSubsequentMask(3).toArray(); // [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]
   */
  static generateSquareSubsequentMask(sz: number, opts?: { dtype?: DTypeLike }): Tensor {
    checkSize('generateSquareSubsequentMask', 'sz', sz);
    const dtype = parseDType('generateSquareSubsequentMask', opts?.dtype ?? 'float32');
    return causalMask(sz, sz, dtype === 'float64' ? 'float64' : 'float32');
  }

  /**
   * Encodes `src` and decodes `tgt` against it; see the class doc.
   *
   * @example
   * const model = new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
   * model.call(randn([5, 2, 4]), randn([3, 2, 4]), { tgtIsCausal: true }).shape; // [3, 2, 4]
   */
  forward(src: Tensor, tgt: Tensor, opts?: TransformerForwardOptions): Tensor {
    opts = checkOptions(TRANSFORMER_FORWARD, opts);
    requireTensor('Transformer', 'src', src);
    requireTensor('Transformer', 'tgt', tgt);
    const b = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[b] !== tgt.shape[b])
      throw new ShapeError(`Transformer: the batch sizes of src.shape=${fmtShape(src.shape)} and tgt.shape=${fmtShape(tgt.shape)} must be equal`);
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel)
      throw new ShapeError(`Transformer: src.shape=${fmtShape(src.shape)} and tgt.shape=${fmtShape(tgt.shape)} must end in dModel=${this.dModel}`);
    const memory = this.encoder.call(src, { mask: opts.srcMask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.srcIsCausal });
    return this.decoder.call(tgt, memory, {
      tgtMask: opts.tgtMask, memoryMask: opts.memoryMask, tgtKeyPaddingMask: opts.tgtKeyPaddingMask,
      memoryKeyPaddingMask: opts.memoryKeyPaddingMask, tgtIsCausal: opts.tgtIsCausal, memoryIsCausal: opts.memoryIsCausal,
    });
  }
}
