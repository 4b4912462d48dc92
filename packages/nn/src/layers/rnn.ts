import {
  Tensor, ShapeError, ValueError, cat, checkOptions, defineOptions, describeValue, fmtShape, fusedLstmCell, isFloating, isTracing, parseDType, zeros,
  type DType, type DTypeLike, type Generator,
} from '@tapegrad/core';
import { RESET_PARAMETERS, requireTensor } from '../options.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { uniform_ } from '../init.js';
import { dropout, linear } from '../functional/layers.js';
import { checkSize } from './linear.js';
import { PackedSequence } from '../utils/rnn.js';

/** The recurrences: a plain RNN with tanh or ReLU, the LSTM and the GRU. */
/**
 * Which recurrence a recurrent layer runs, with PyTorch's names (`RNN_TANH`, `RNN_RELU`, `LSTM`, `GRU`).
 *
 * @example
 * const m: RNNMode = new GRU(4, 8).mode;
 * m; // 'GRU'
 */
export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
type Mode = RNNMode;
const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** One recurrent weight set: PyTorch's weight_ih, weight_hh, bias_ih, bias_hh, weight_hr. */
interface Weights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  wHr: Tensor | null;
}

/**
 * One time step given the input part of the gates `gi` = x W_ihᵀ + b_ih [b, G*H] and the state
 * (h [b, H_out], and c [b, H] for the LSTM); returns the new state.
 */
function step(mode: Mode, w: Weights, gi: Tensor, h: Tensor, c: Tensor | null): [Tensor, Tensor | null] {
  const gh = linear(h, w.wHh, w.bHh);
  switch (mode) {
    case 'RNN_TANH': return [gi.add(gh).tanh(), null];
    case 'RNN_RELU': return [gi.add(gh).relu(), null];
    case 'LSTM': {
      let h1: Tensor, c1: Tensor;
      // the gates' pointwise part in one kernel each way (a tracer records the ops instead)
      if (!isTracing() && isFloating(c!.dtype) && gi.dtype === c!.dtype && gh.dtype === c!.dtype) [h1, c1] = fusedLstmCell(gi, gh, c!);
      else {
        const [i, f, g, o] = gi.add(gh).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
        c1 = f.sigmoid().mul(c!).add(i.sigmoid().mul(g.tanh()));
        h1 = o.sigmoid().mul(c1.tanh());
      }
      return [w.wHr ? h1.matmul(w.wHr.t()) : h1, c1];
    }
    case 'GRU': {
      const [ir, iz, inn] = gi.chunk(3, 1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = gh.chunk(3, 1) as [Tensor, Tensor, Tensor];
      const r = ir.add(hr).sigmoid();
      const z = iz.add(hz).sigmoid();
      const n = inn.add(r.mul(hn)).tanh();
      return [n.sub(z.mul(n)).add(z.mul(h)), null]; // (1 - z) n + z h
    }
  }
}

/**
 * Runs one direction of one layer over packed steps: `x` [N, I] with `sizes[t]` rows per step
 * (all equal to B for a padded batch), from the state h0 [B, H_out] (c0 [B, H]). The input part
 * of the gates is one GEMM for all steps; each step adds one matmul of the hidden state. When
 * the batch shrinks (shorter sequences ended), the rows that leave hold those sequences' final
 * states. Returns the outputs [N, H_out] and the final states in batch order.
 */
function runDirection(
  mode: Mode, w: Weights, x: Tensor, sizes: number[], h0: Tensor, c0: Tensor | null, reverse: boolean,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  const gi = linear(x, w.wIh, w.bIh);
  const offsets: number[] = [];
  sizes.reduce((off, b) => (offsets.push(off), off + b), 0);
  const outs: Tensor[] = new Array<Tensor>(sizes.length);
  if (!reverse) {
    let h = h0, c = c0;
    const doneH: Tensor[] = [], doneC: Tensor[] = [];
    for (let t = 0; t < sizes.length; t++) {
      const b = sizes[t]!, cur = h.shape[0]!;
      if (b < cur) {
        doneH.push(h.narrow(0, b, cur - b));
        h = h.narrow(0, 0, b);
        if (c) { doneC.push(c.narrow(0, b, cur - b)); c = c.narrow(0, 0, b); }
      }
      [h, c] = step(mode, w, gi.narrow(0, offsets[t]!, b), h, c);
      outs[t] = h;
    }
    const hN = doneH.length ? cat([h, ...doneH.reverse()], 0) : h;
    const cN = c && doneC.length ? cat([c, ...doneC.reverse()], 0) : c;
    return { out: cat(outs, 0), h: hN, c: cN };
  }
  const last = sizes[sizes.length - 1]!;
  let h = h0.narrow(0, 0, last), c = c0 ? c0.narrow(0, 0, last) : null;
  for (let t = sizes.length - 1; t >= 0; t--) {
    const b = sizes[t]!, cur = h.shape[0]!;
    if (b > cur) {
      h = cat([h, h0.narrow(0, cur, b - cur)], 0);
      if (c) c = cat([c, c0!.narrow(0, cur, b - cur)], 0);
    }
    [h, c] = step(mode, w, gi.narrow(0, offsets[t]!, b), h, c);
    outs[t] = h;
  }
  return { out: cat(outs, 0), h, c };
}

/** PyTorch's reset of recurrent layers and cells: every parameter of `m` from U(-1/√hiddenSize, 1/√hiddenSize). */
function resetUniform(m: Module, hiddenSize: number, generator: Generator | undefined): void {
  const bound = 1 / Math.sqrt(hiddenSize);
  for (const p of m.parameters()) uniform_(p, -bound, bound, { generator });
}

const RNN_OPTS = {
  numLayers: 'integer', nonlinearity: "'tanh'|'relu'", bias: 'boolean', batchFirst: 'boolean', dropout: 'number',
  bidirectional: 'boolean', projSize: 'integer', dtype: 'string', generator: 'generator',
} as const;
const RNN_SPEC = defineOptions('RNN', { ...RNN_OPTS, projSize: 'null' });
const LSTM_SPEC = defineOptions('LSTM', { ...RNN_OPTS, nonlinearity: 'null' });
const GRU_SPEC = defineOptions('GRU', { ...RNN_OPTS, nonlinearity: 'null', projSize: 'null' });

/**
 * Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's constructor arguments).
 *
 * @example
 * const opts: RNNOptions = { numLayers: 2, bidirectional: true, batchFirst: true };
 * new GRU(3, 5, opts).getParameter('weight_hh_l1_reverse').shape; // [15, 5]
 */
export interface RNNOptions {
  /** Number of stacked layers (default 1); layer k > 0 reads the output of layer k - 1. */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output as [B, T, *] instead of [T, B, *] (default false; the states stay [D*L, B, H]). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Run a second layer over the reversed sequence and concatenate (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values and the dropout masks (default: the global one). */
  generator?: Generator;
}

/**
 * The shared machinery of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's `nn.RNNBase`):
 * parameters named as PyTorch's (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`,
 * `weight_hr_l0` with projSize, `_reverse` for the backward direction), so state dicts load by key.
 *
 * @example
 * const rnn = new RNN(4, 8, { numLayers: 2 });
 * rnn.namedParameters().map(([n]) => n).slice(0, 4); // ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
 */
export abstract class RNNBase extends Module<[input: Tensor | PackedSequence, hx?: any], any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Features of the input, I. */
  readonly inputSize: number;
  /** Features of the hidden state, H. */
  readonly hiddenSize: number;
  /** Stacked layers, L. */
  readonly numLayers: number;
  /** Whether the biases exist. */
  readonly bias: boolean;
  /** Whether input and output are batch-first. */
  readonly batchFirst: boolean;
  /** Dropout between layers. */
  readonly dropout: number;
  /** Whether there are two directions (D = 2) or one (D = 1). */
  readonly bidirectional: boolean;
  /** LSTM projection size (0: none). */
  readonly projSize: number;
  /** @internal */
  readonly mode: RNNMode;
  #generator: Generator | undefined;

  constructor(mode: Mode, name: string, inputSize: number, hiddenSize: number, opts: RNNOptions & { projSize?: number }) {
    super();
    checkSize(name, 'inputSize', inputSize);
    checkSize(name, 'hiddenSize', hiddenSize);
    if (hiddenSize < 1) throw new ValueError(`${name}: hiddenSize must be positive, got ${hiddenSize}`);
    const numLayers = opts.numLayers ?? 1;
    if (numLayers < 1) throw new ValueError(`${name}: numLayers must be at least 1, got ${numLayers}`);
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new ValueError(`${name}: dropout must be in [0, 1], got ${p}`);
    const projSize = opts.projSize ?? 0;
    checkSize(name, 'projSize', projSize);
    if (projSize >= hiddenSize && projSize > 0)
      throw new ValueError(`${name}: projSize (${projSize}) must be smaller than hiddenSize (${hiddenSize})`);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = opts.bias !== false;
    this.batchFirst = opts.batchFirst === true;
    this.dropout = p;
    this.bidirectional = opts.bidirectional === true;
    this.projSize = projSize;
    this.#generator = opts.generator;
    const dtype = parseDType(name, opts.dtype ?? 'float32');
    const G = GATES[mode] * hiddenSize, Hout = projSize || hiddenSize, D = this.bidirectional ? 2 : 1;
    const param = (shape: number[]) => new Parameter(zeros(shape, { dtype, pinMemory: true }));
    for (let k = 0; k < numLayers; k++) {
      for (let d = 0; d < D; d++) {
        const s = `_l${k}${d ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${s}`, param([G, k === 0 ? inputSize : Hout * D]));
        this.registerParameter(`weight_hh${s}`, param([G, Hout]));
        if (this.bias) {
          this.registerParameter(`bias_ih${s}`, param([G]));
          this.registerParameter(`bias_hh${s}`, param([G]));
        }
        if (projSize) this.registerParameter(`weight_hr${s}`, param([projSize, hiddenSize]));
      }
    }
    this.resetParameters();
  }

  /**
   * Draws every weight and bias from U(-1/√H, 1/√H), as PyTorch, from `generator` or the layer's own.
   *
   * @example
   * const lstm = new LSTM(3, 4);
   * lstm.resetParameters({ generator: new Generator(0) });
   * lstm.getParameter('weight_ih_l0').abs().max().item() <= 0.5; // true
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetUniform(this, this.hiddenSize, opts.generator ?? this.#generator);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize) s += `, projSize=${this.projSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batchFirst=true';
    if (this.dropout) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    return s;
  }

  /**
   * The parameter named `name` (PyTorch's key, such as `'weight_hh_l1_reverse'`).
   *
   * @throws ValueError for a name the layer does not have
   * @example
   * new LSTM(3, 4, { numLayers: 2 }).getParameter('bias_hh_l1').shape; // [16]
   */
  getParameter(name: string): Parameter {
    const p = this.namedOwnParameters().find(([n]) => n === name);
    if (!p) throw new ValueError(`${this.typeName()}.getParameter: no parameter named ${describeValue(name)}`);
    return p[1];
  }

  #weights(k: number, d: number): Weights {
    const s = `_l${k}${d ? '_reverse' : ''}`;
    const own = new Map(this.namedOwnParameters());
    const get = (n: string): Tensor | null => own.get(n + s) ?? null;
    return { wIh: get('weight_ih')!, wHh: get('weight_hh')!, bIh: get('bias_ih'), bHh: get('bias_hh'), wHr: get('weight_hr') };
  }

  /**
   * Runs the stacked recurrence; `hx` is h0 [D*L, B, H_out] (and c0 [D*L, B, H] for the LSTM),
   * default zeros. Returns the output and the final states in the input's layout.
   *
   * @internal
   */
  protected run(name: string, input: Tensor | PackedSequence, h0?: Tensor | null, c0?: Tensor | null):
    [Tensor | PackedSequence, Tensor, Tensor | null] {
    const packed = input instanceof PackedSequence;
    if (!packed) requireTensor(name, 'input', input);
    const D = this.bidirectional ? 2 : 1, L = this.numLayers, Hout = this.projSize || this.hiddenSize;
    let x: Tensor, sizes: number[], B: number, unbatched = false, T = 0;
    if (packed) {
      x = input.data;
      sizes = input.sizes();
      B = sizes[0] ?? 0;
      if (x.ndim !== 2) throw new ShapeError(`${name}: packed data must be 2-D [N, ${this.inputSize}], got ${fmtShape(x.shape)}`);
    } else {
      if (input.ndim !== 2 && input.ndim !== 3)
        throw new ShapeError(`${name}: input must be 3-D [T, B, ${this.inputSize}] or 2-D [T, ${this.inputSize}], got ${fmtShape(input.shape)}`);
      unbatched = input.ndim === 2;
      let seq = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
      [T, B] = seq.shape as [number, number];
      seq = seq.contiguous();
      x = seq.reshape([T * B, seq.shape[2]!]);
      sizes = new Array<number>(T).fill(B);
    }
    if (x.shape[x.ndim - 1] !== this.inputSize)
      throw new ShapeError(`${name}: expected input with ${this.inputSize} features, got shape ${fmtShape(packed ? x.shape : (input as Tensor).shape)}`);
    const state = (s: Tensor | null | undefined, what: string, H: number): Tensor => {
      if (s === null || s === undefined) return zeros([D * L, B, H], { dtype: x.dtype });
      requireTensor(name, what, s);
      const st = unbatched ? s.unsqueeze(1) : s;
      const want = [D * L, B, H];
      if (st.shape.join() !== want.join())
        throw new ShapeError(`${name}: expected ${what} of shape ${fmtShape(unbatched ? [D * L, H] : want)}, got ${fmtShape(s.shape)}`);
      // A packed batch runs in sorted order: bring the states to it.
      return packed && input.sortedIndices ? st.indexSelect(1, input.sortedIndices) : st;
    };
    const hx = state(h0, 'h0', Hout);
    const cx = this.mode === 'LSTM' ? state(c0, 'c0', this.hiddenSize) : null;
    const hs: Tensor[] = [], cs: Tensor[] = [];
    for (let k = 0; k < L; k++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const i = k * D + d;
        const r = runDirection(this.mode, this.#weights(k, d), x, sizes, hx.select(0, i), cx ? cx.select(0, i) : null, d === 1);
        outs.push(r.out);
        hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      x = D === 1 ? outs[0]! : cat(outs, 1);
      if (k < L - 1 && this.dropout > 0 && this.training)
        x = dropout(x, { p: this.dropout, training: true, generator: this.#generator });
    }
    let hN = hs.length ? stackStates(hs) : hx, cN = cx ? stackStates(cs) : null;
    if (packed) {
      if (input.unsortedIndices) {
        hN = hN.indexSelect(1, input.unsortedIndices);
        if (cN) cN = cN.indexSelect(1, input.unsortedIndices);
      }
      return [new PackedSequence(x, input.batchSizes, input.sortedIndices, input.unsortedIndices), hN, cN];
    }
    let out = x.reshape([T, B, D * Hout]);
    if (unbatched) {
      out = out.squeeze(1);
      hN = hN.squeeze(1);
      if (cN) cN = cN.squeeze(1);
    } else if (this.batchFirst) out = out.transpose(0, 1);
    return [out, hN, cN];
  }
}

function stackStates(s: Tensor[]): Tensor {
  return cat(s.map((t) => t.unsqueeze(0)), 0);
}

/**
 * Options of {@link RNN}: {@link RNNOptions} and the nonlinearity.
 *
 * @example
 * const opts: RNNLayerOptions = { nonlinearity: 'relu' };
 * new RNN(3, 4, opts).nonlinearity; // 'relu'
 */
export interface RNNLayerOptions extends RNNOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Multi-layer Elman RNN (PyTorch's `nn.RNN`): for each step,
 * `h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)`, act = tanh or ReLU.
 *
 * `call(input, h0?)` returns the tuple `[output, hN]` as PyTorch does.
 *
 * Shape: input [T, B, I] ([B, T, I] with batchFirst, [T, I] unbatched, or a {@link PackedSequence});
 * h0 [D*L, B, H] (default zeros) -> output [T, B, D*H] (a PackedSequence for a packed input),
 * hN [D*L, B, H], where D = 2 if bidirectional else 1 and L = numLayers.
 *
 * Attributes: `weight_ih_l{k}` [H, I] (k = 0) or [H, D*H], `weight_hh_l{k}` [H, H],
 * `bias_ih_l{k}`, `bias_hh_l{k}` [H], with `_reverse` copies for the backward direction; all
 * initialised from U(-1/√H, 1/√H).
 *
 * @throws ValueError for invalid sizes or dropout; ShapeError for inputs or states of the wrong shape
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.call(randn([5, 3, 10]), randn([2, 3, 20]));
 * output.shape; // [5, 3, 20]
 * hN.shape; // [2, 3, 20]
 */
export class RNN extends RNNBase {
  /** The activation, `'tanh'` or `'relu'`. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts?: RNNLayerOptions) {
    const o = checkOptions(RNN_SPEC, opts);
    super(o.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH', 'RNN', inputSize, hiddenSize, o);
    this.nonlinearity = o.nonlinearity ?? 'tanh';
  }
  override call(input: Tensor, h0?: Tensor | null): readonly [Tensor, Tensor];
  override call(input: PackedSequence, h0?: Tensor | null): readonly [PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor] {
    return super.call(input, h0) as readonly [Tensor | PackedSequence, Tensor];
  }
  forward(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor] {
    const [out, h] = this.run('RNN', input, h0);
    return [out, h] as const;
  }
}

/**
 * Options of {@link LSTM}: {@link RNNOptions} and the projection size.
 *
 * @example
 * const opts: LSTMOptions = { projSize: 2 };
 * new LSTM(3, 4, opts).getParameter('weight_hr_l0').shape; // [2, 4]
 */
export interface LSTMOptions extends RNNOptions {
  /** Project each h_t to this size by `weight_hr` (0, the default: no projection; must be < hiddenSize). */
  projSize?: number;
}

/**
 * Multi-layer long short-term memory (PyTorch's `nn.LSTM`): for each step, with gates
 * `[i, f, g, o] = x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh` split in four,
 * `c_t = σ(f) c_{t-1} + σ(i) tanh(g)`, `h_t = σ(o) tanh(c_t)` (times `W_hrᵀ` with projSize).
 *
 * `call(input, [h0, c0]?)` returns the tuple `[output, [hN, cN]]` as PyTorch does.
 *
 * Shape: input [T, B, I] ([B, T, I] with batchFirst, [T, I] unbatched, or a {@link PackedSequence});
 * h0 [D*L, B, H_out], c0 [D*L, B, H] (default zeros) -> output [T, B, D*H_out], hN [D*L, B, H_out],
 * cN [D*L, B, H], where H_out = projSize or H, D = 2 if bidirectional else 1, L = numLayers.
 *
 * Attributes: `weight_ih_l{k}` [4H, I] (k = 0) or [4H, D*H_out], `weight_hh_l{k}` [4H, H_out],
 * `bias_ih_l{k}`, `bias_hh_l{k}` [4H], `weight_hr_l{k}` [H_out, H] with projSize, `_reverse`
 * copies for the backward direction; all from U(-1/√H, 1/√H).
 *
 * @throws ValueError for invalid sizes, dropout or projSize; ShapeError for inputs or states of the wrong shape
 * @example
 * const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true, batchFirst: true });
 * const [output, [hN, cN]] = lstm.call(randn([3, 5, 10]));
 * output.shape; // [3, 5, 40]
 * hN.shape; // [4, 3, 20]
 * cN.shape; // [4, 3, 20]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts?: LSTMOptions) {
    super('LSTM', 'LSTM', inputSize, hiddenSize, checkOptions(LSTM_SPEC, opts));
  }
  override call(input: Tensor, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor, readonly [Tensor, Tensor]];
  override call(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): readonly [PackedSequence, readonly [Tensor, Tensor]];
  override call(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor | PackedSequence, readonly [Tensor, Tensor]];
  override call(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor | PackedSequence, readonly [Tensor, Tensor]] {
    return super.call(input, hx) as readonly [Tensor | PackedSequence, readonly [Tensor, Tensor]];
  }
  forward(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor | PackedSequence, readonly [Tensor, Tensor]] {
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2))
      throw new ValueError(`LSTM: the state must be a pair [h0, c0], got ${describeValue(hx)}`);
    const [out, h, c] = this.run('LSTM', input, hx?.[0], hx?.[1]);
    return [out, [h, c!] as const] as const;
  }
}

/**
 * Multi-layer gated recurrent unit (PyTorch's `nn.GRU`): for each step,
 * `r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)`, `z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)`,
 * `n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn))`, `h_t = (1 - z) n + z h_{t-1}`.
 *
 * `call(input, h0?)` returns the tuple `[output, hN]` as PyTorch does.
 *
 * Shape: as {@link RNN}. Attributes: `weight_ih_l{k}` [3H, I] (k = 0) or [3H, D*H],
 * `weight_hh_l{k}` [3H, H], `bias_ih_l{k}`, `bias_hh_l{k}` [3H] (gates in the order r, z, n),
 * `_reverse` copies for the backward direction; all from U(-1/√H, 1/√H).
 *
 * @throws ValueError for invalid sizes or dropout; ShapeError for inputs or states of the wrong shape
 * @example
 * const gru = new GRU(10, 20);
 * const [output, hN] = gru.call(randn([5, 3, 10]));
 * output.shape; // [5, 3, 20]
 * hN.shape; // [1, 3, 20]
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts?: RNNOptions) {
    super('GRU', 'GRU', inputSize, hiddenSize, checkOptions(GRU_SPEC, opts));
  }
  override call(input: Tensor, h0?: Tensor | null): readonly [Tensor, Tensor];
  override call(input: PackedSequence, h0?: Tensor | null): readonly [PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor];
  override call(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor] {
    return super.call(input, h0) as readonly [Tensor | PackedSequence, Tensor];
  }
  forward(input: Tensor | PackedSequence, h0?: Tensor | null): readonly [Tensor | PackedSequence, Tensor] {
    const [out, h] = this.run('GRU', input, h0);
    return [out, h] as const;
  }
}

// ---------------------------------------------------------------- cells

const CELL_OPTS = { bias: 'boolean', dtype: 'string', generator: 'generator' } as const;
const RNN_CELL = defineOptions('RNNCell', { ...CELL_OPTS, nonlinearity: "'tanh'|'relu'" });
const LSTM_CELL = defineOptions('LSTMCell', CELL_OPTS);
const GRU_CELL = defineOptions('GRUCell', CELL_OPTS);

/**
 * Options of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}.
 *
 * @example
 * const opts: RNNCellOptions = { bias: false };
 * new GRUCell(3, 4, opts).bias_ih; // null
 */
export interface RNNCellOptions {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/**
 * The shared machinery of the cells (PyTorch's `nn.RNNCellBase`): parameters `weight_ih`
 * [G*H, I], `weight_hh` [G*H, H], `bias_ih`, `bias_hh` [G*H], all from U(-1/√H, 1/√H).
 *
 * @example
 * new LSTMCell(3, 4).namedParameters().map(([n]) => n); // ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']
 */
export abstract class RNNCellBase extends Module<[input: Tensor, hx?: any], any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Features of the input, I. */
  readonly inputSize: number;
  /** Features of the hidden state, H. */
  readonly hiddenSize: number;
  /** The input weight, [G*H, I]. */
  weight_ih: Parameter;
  /** The hidden weight, [G*H, H]. */
  weight_hh: Parameter;
  /** The input bias, [G*H], or null. */
  bias_ih: Parameter | null;
  /** The hidden bias, [G*H], or null. */
  bias_hh: Parameter | null;
  /** @internal */
  readonly mode: RNNMode;
  #generator: Generator | undefined;

  constructor(mode: Mode, name: string, inputSize: number, hiddenSize: number, opts: RNNCellOptions) {
    super();
    checkSize(name, 'inputSize', inputSize);
    checkSize(name, 'hiddenSize', hiddenSize);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const dtype: DType = parseDType(name, opts.dtype ?? 'float32');
    const G = GATES[mode] * hiddenSize;
    const param = (shape: number[]) => new Parameter(zeros(shape, { dtype, pinMemory: true }));
    this.weight_ih = param([G, inputSize]);
    this.weight_hh = param([G, hiddenSize]);
    this.bias_ih = opts.bias === false ? null : param([G]);
    this.bias_hh = opts.bias === false ? null : param([G]);
    this.#generator = opts.generator;
    this.resetParameters();
  }

  /**
   * Draws every weight and bias from U(-1/√H, 1/√H), from `generator` or the cell's own.
   *
   * @example
   * const cell = new GRUCell(3, 4);
   * cell.resetParameters();
   * cell.weight_hh.abs().max().item() <= 0.5; // true
   */
  resetParameters(opts?: { generator?: Generator }): void {
    opts = checkOptions(RESET_PARAMETERS, opts);
    resetUniform(this, this.hiddenSize, opts.generator ?? this.#generator);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? '' : ', bias=false'}`;
  }

  /** @internal */
  protected runCell(name: string, x: Tensor, h0?: Tensor | null, c0?: Tensor | null): [Tensor, Tensor | null] {
    requireTensor(name, 'input', x);
    if ((x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize)
      throw new ShapeError(`${name}: input must be [B, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(x.shape)}`);
    const unbatched = x.ndim === 1;
    const xb = unbatched ? x.unsqueeze(0) : x;
    const B = xb.shape[0]!;
    const state = (s: Tensor | null | undefined, what: string) => {
      if (s === null || s === undefined) return zeros([B, this.hiddenSize], { dtype: x.dtype });
      requireTensor(name, what, s);
      if (s.ndim !== x.ndim || s.shape.join() !== (unbatched ? [this.hiddenSize] : [B, this.hiddenSize]).join())
        throw new ShapeError(`${name}: ${what} must have shape ${fmtShape(unbatched ? [this.hiddenSize] : [B, this.hiddenSize])}, got ${fmtShape(s.shape)}`);
      return unbatched ? s.unsqueeze(0) : s;
    };
    const h = state(h0, 'hx'), c = this.mode === 'LSTM' ? state(c0, 'cx') : null;
    const w: Weights = { wIh: this.weight_ih, wHh: this.weight_hh, bIh: this.bias_ih, bHh: this.bias_hh, wHr: null };
    const [h1, c1] = step(this.mode, w, linear(xb, w.wIh, w.bIh), h, c);
    return unbatched ? [h1.squeeze(0), c1 ? c1.squeeze(0) : null] : [h1, c1];
  }
}

/**
 * An Elman RNN cell (PyTorch's `nn.RNNCell`): `h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`.
 *
 * Shape: input [B, I] or [I], hx [B, H] or [H] (default zeros) -> h' [B, H] or [H].
 *
 * @throws ShapeError for an input or state of the wrong shape
 * @example
 * const cell = new RNNCell(10, 20, { nonlinearity: 'relu' });
 * let h = zeros([3, 20]);
 * for (const x of randn([6, 3, 10]).unbind(0)) h = cell.call(x, h);
 * h.shape; // [3, 20]
 */
export class RNNCell extends RNNCellBase {
  /** The activation, `'tanh'` or `'relu'`. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts?: RNNCellOptions & { nonlinearity?: 'tanh' | 'relu' }) {
    const o = checkOptions(RNN_CELL, opts);
    super(o.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH', 'RNNCell', inputSize, hiddenSize, o);
    this.nonlinearity = o.nonlinearity ?? 'tanh';
  }
  override call(input: Tensor, hx?: Tensor | null): Tensor {
    return super.call(input, hx) as Tensor;
  }
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.runCell('RNNCell', input, hx)[0];
  }
}

/**
 * An LSTM cell (PyTorch's `nn.LSTMCell`): one step of {@link LSTM}; `call(x, [h, c]?)` returns `[h', c']`.
 *
 * Shape: input [B, I] or [I], h and c [B, H] or [H] (default zeros) -> h', c' of the same shape.
 *
 * @throws ShapeError for an input or state of the wrong shape
 * @example
 * const cell = new LSTMCell(10, 20);
 * const [h, c] = cell.call(randn([3, 10]));
 * h.shape; // [3, 20]
 * c.shape; // [3, 20]
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts?: RNNCellOptions) {
    super('LSTM', 'LSTMCell', inputSize, hiddenSize, checkOptions(LSTM_CELL, opts));
  }
  override call(input: Tensor, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor, Tensor] {
    return super.call(input, hx) as readonly [Tensor, Tensor];
  }
  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): readonly [Tensor, Tensor] {
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2))
      throw new ValueError(`LSTMCell: the state must be a pair [h, c], got ${describeValue(hx)}`);
    const [h, c] = this.runCell('LSTMCell', input, hx?.[0], hx?.[1]);
    return [h, c!] as const;
  }
}

/**
 * A GRU cell (PyTorch's `nn.GRUCell`): one step of {@link GRU}.
 *
 * Shape: input [B, I] or [I], hx [B, H] or [H] (default zeros) -> h' [B, H] or [H].
 *
 * @throws ShapeError for an input or state of the wrong shape
 * @example
 * const cell = new GRUCell(10, 20);
 * cell.call(randn([3, 10]), randn([3, 20])).shape; // [3, 20]
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts?: RNNCellOptions) {
    super('GRU', 'GRUCell', inputSize, hiddenSize, checkOptions(GRU_CELL, opts));
  }
  override call(input: Tensor, hx?: Tensor | null): Tensor {
    return super.call(input, hx) as Tensor;
  }
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.runCell('GRUCell', input, hx)[0];
  }
}
