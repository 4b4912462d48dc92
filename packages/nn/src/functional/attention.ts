import {
  Tensor, DTypeError, ShapeError, ValueError, allocate, cat, checkOptions, defineOptions, fmtShape, fusedAttention, isFloating, isTracing,
  unsupported, zeros, type Generator,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { dropout, checkDropoutP, linear } from './layers.js';

const SDPA = defineOptions('scaledDotProductAttention', {
  attnMask: 'tensor|null', dropoutP: 'number', isCausal: 'boolean', scale: 'number|null', generator: 'generator',
  enableGqa: unsupported('enableGqa is not supported (repeat the key and value heads with repeatInterleave)', false),
});

/**
 * Options of {@link scaledDotProductAttention}.
 *
 * @example
 * const opts: F.ScaledDotProductAttentionOptions = { isCausal: true, scale: 0.5 };
 * const q = randn([1, 3, 2]);
 * F.scaledDotProductAttention(q, q, q, opts).shape; // [1, 3, 2]
 */
export interface ScaledDotProductAttentionOptions {
  /**
   * A mask broadcastable to [..., L, S]: a bool mask says which positions **take part** in the
   * attention (true = attend, as PyTorch's SDPA; the opposite of {@link MultiheadAttention}'s
   * masks), a float mask is added to the scores. Default none.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0: pass 0 in evaluation). */
  dropoutP?: number;
  /** Mask out the keys after each query (key j > query i); refused together with attnMask. Default false. */
  isCausal?: boolean;
  /** Factor of the scores (default 1/√E). */
  scale?: number | null;
  /** Generator of the dropout mask (default: the global one). */
  generator?: Generator;
}

/** The bool [L, S] mask of the pairs (i, j) with j > i + diagonal. */
function aboveDiagonal(L: number, S: number, diagonal = 0): Tensor {
  const data = allocate('bool', L * S);
  for (let i = 0; i < L; i++) for (let j = 0; j < S; j++) data[i * S + j] = j > i + diagonal ? 1 : 0;
  return Tensor.fromData(data, [L, S], 'bool');
}

/**
 * The additive causal mask of shape [L, S]: 0 where key j <= query i, -∞ above the diagonal
 * (PyTorch's `Transformer.generate_square_subsequent_mask` for L = S).
 *
 * @internal
 */
export function causalMask(L: number, S: number, dtype: 'float32' | 'float64'): Tensor {
  return zeros([L, S], { dtype }).maskedFill(aboveDiagonal(L, S), -Infinity);
}

function checkMaskDType(op: string, name: string, mask: Tensor): void {
  if (mask.dtype !== 'bool' && !isFloating(mask.dtype))
    throw new DTypeError(`${op}: ${name} must be a bool or floating point tensor, got ${mask.dtype} (shape ${fmtShape(mask.shape)})`);
}

/**
 * Scaled dot-product attention (PyTorch's `F.scaled_dot_product_attention`):
 * `softmax(q kᵀ · scale + mask) v`, with dropout on the attention weights when `dropoutP > 0`.
 *
 * Masks follow PyTorch: a **bool** `attnMask` is true where a query may attend to a key (false
 * positions get -∞ before the softmax); a float `attnMask` is added to the scores; `isCausal`
 * lets query i attend only to keys j <= i. A query row whose keys are all masked gives NaN, as in PyTorch.
 *
 * @param query - shape [..., L, E]
 * @param key - shape [..., S, E]
 * @param value - shape [..., S, Ev]
 * @returns shape [..., L, Ev] (batch dims broadcast)
 * @throws ShapeError when the last dims of query and key differ or key and value have different lengths
 * @throws ValueError for isCausal with an attnMask, or dropoutP outside [0, 1]
 * @throws DTypeError for a mask that is neither bool nor floating point
 * @example
 * const q = randn([2, 4, 3, 8]), k = randn([2, 4, 5, 8]), v = randn([2, 4, 5, 6]);
 * F.scaledDotProductAttention(q, k, v).shape; // [2, 4, 3, 6]
 * const mask = tensor([[true, false], [true, true]]);
 * const x = tensor([[[1, 0], [0, 1]]]);
 * F.scaledDotProductAttention(x, x, x, { attnMask: mask }).select(1, 0).toArray(); // [[1, 0]]
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts?: ScaledDotProductAttentionOptions): Tensor {
  opts = checkOptions(SDPA, opts);
  const op = 'scaledDotProductAttention';
  requireTensor(op, 'query', query);
  requireTensor(op, 'key', key);
  requireTensor(op, 'value', value);
  for (const [n, t] of [['query', query], ['key', key], ['value', value]] as const)
    if (t.ndim < 2) throw new ShapeError(`${op}: ${n} must have at least 2 dims [..., L, E], got ${n}.shape=${fmtShape(t.shape)}`);
  const E = query.shape[query.ndim - 1]!;
  const L = query.shape[query.ndim - 2]!;
  const S = key.shape[key.ndim - 2]!;
  if (key.shape[key.ndim - 1] !== E)
    throw new ShapeError(`${op}: query.shape=${fmtShape(query.shape)} and key.shape=${fmtShape(key.shape)} differ in their last dim (${E} != ${key.shape[key.ndim - 1]})`);
  if (value.shape[value.ndim - 2] !== S)
    throw new ShapeError(`${op}: key.shape=${fmtShape(key.shape)} and value.shape=${fmtShape(value.shape)} have different lengths (${S} != ${value.shape[value.ndim - 2]})`);
  const p = opts.dropoutP ?? 0;
  checkDropoutP(op, p);
  const mask = opts.attnMask ?? null;
  if (opts.isCausal && mask) throw new ValueError(`${op}: isCausal cannot be combined with an explicit attnMask (shape ${fmtShape(mask.shape)})`);
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  // no mask tensor, no dropout, one float dtype and the same batch dims: one kernel each way
  // (an ONNX trace records the ops below instead)
  if (!mask && p === 0 && !isTracing() && fusable(query, key, value)) return fusedAttention(query, key, value, { scale, causal: opts.isCausal ?? false });
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (opts.isCausal) scores = scores.maskedFill(aboveDiagonal(L, S), -Infinity);
  if (mask) {
    requireTensor(op, 'attnMask', mask);
    checkMaskDType(op, 'attnMask', mask);
    if (mask.dtype === 'bool') {
      const out = broadcastable(mask.shape, scores.shape);
      if (!out) throw new ShapeError(`${op}: attnMask.shape=${fmtShape(mask.shape)} does not broadcast to the scores' shape ${fmtShape(scores.shape)}`);
      scores = scores.maskedFill(mask.logicalNot(), -Infinity);
    } else scores = scores.add(mask);
  }
  let weights = scores.softmax(-1);
  if (p > 0) weights = dropout(weights, { p, generator: opts.generator });
  return weights.matmul(value);
}

/** True when q, k and v have one float dtype and the same batch dims (what {@link fusedAttention} takes). */
function fusable(q: Tensor, k: Tensor, v: Tensor): boolean {
  const nd = q.ndim;
  if (!isFloating(q.dtype) || k.dtype !== q.dtype || v.dtype !== q.dtype || k.ndim !== nd || v.ndim !== nd) return false;
  for (let i = 0; i < nd - 2; i++) if (k.shape[i] !== q.shape[i] || v.shape[i] !== q.shape[i]) return false;
  return true;
}

/** True if `from` broadcasts to `to` without changing it. */
function broadcastable(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  return from.every((d, i) => d === 1 || d === to[to.length - from.length + i]);
}

/**
 * An additive float mask from a MultiheadAttention mask: bool true -> -∞ (true = **masked**), false -> 0;
 * a float mask as it is.
 */
function additiveMask(op: string, name: string, mask: Tensor, dtype: 'float32' | 'float64'): Tensor {
  requireTensor(op, name, mask);
  checkMaskDType(op, name, mask);
  return mask.dtype === 'bool' ? zeros(mask.shape, { dtype }).maskedFill(mask, -Infinity) : mask.to(dtype);
}

/**
 * The weights and flags of {@link multiHeadAttentionForward} (a MultiheadAttention's state).
 *
 * @internal
 */
export interface MultiHeadAttentionWeights {
  numHeads: number;
  /** [3E, E] packed q/k/v weights, or null when qProjWeight/kProjWeight/vProjWeight are used. */
  inProjWeight: Tensor | null;
  qProjWeight: Tensor | null;
  kProjWeight: Tensor | null;
  vProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  biasK: Tensor | null;
  biasV: Tensor | null;
  addZeroAttn: boolean;
  dropoutP: number;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  training: boolean;
  generator: Generator | undefined;
}

/**
 * The masks and flags of one multi-head attention call.
 *
 * @internal
 */
export interface MultiHeadAttentionCall {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
  isCausal?: boolean;
}

/**
 * PyTorch's `F.multi_head_attention_forward` on sequence-first inputs: query [L, N, E] (or [L, E]),
 * key [S, N, kdim], value [S, N, vdim]; returns the output [L, N, E] and the attention weights
 * ([N, L, S] averaged, [N, H, L, S] per head, unbatched without N) or null.
 *
 * @internal
 */
export function multiHeadAttentionForward(
  op: string, query: Tensor, key: Tensor, value: Tensor, w: MultiHeadAttentionWeights, call: MultiHeadAttentionCall,
): [Tensor, Tensor | null] {
  requireTensor(op, 'query', query);
  requireTensor(op, 'key', key);
  requireTensor(op, 'value', value);
  const batched = query.ndim === 3;
  if (!batched && query.ndim !== 2)
    throw new ShapeError(`${op}: query must be [L, N, E] (batched) or [L, E] (unbatched), got query.shape=${fmtShape(query.shape)}`);
  if (key.ndim !== query.ndim || value.ndim !== query.ndim)
    throw new ShapeError(
      `${op}: for a ${query.ndim}-D query, key and value must be ${query.ndim}-D too, got query.shape=${fmtShape(query.shape)}, ` +
        `key.shape=${fmtShape(key.shape)}, value.shape=${fmtShape(value.shape)}`,
    );
  let kpm = call.keyPaddingMask ?? null;
  let attnMask = call.attnMask ?? null;
  if (!batched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (kpm) kpm = kpm.unsqueeze(0);
  }
  const [L, N, E] = query.shape as [number, number, number];
  const S0 = key.shape[0]!;
  const H = w.numHeads;
  const hd = E / H;
  if (key.shape[0] !== value.shape[0] || key.shape[1] !== value.shape[1] || key.shape[1] !== N)
    throw new ShapeError(
      `${op}: key.shape=${fmtShape(key.shape)} and value.shape=${fmtShape(value.shape)} must share the sequence and batch dims of each other and the batch dim of query.shape=${fmtShape(query.shape)}`,
    );
  const dtype = isFloating(query.dtype) ? (query.dtype as 'float32' | 'float64') : 'float32';

  // in-projection
  let q: Tensor, k: Tensor, v: Tensor;
  const bias = (i: number) => (w.inProjBias ? w.inProjBias.narrow(0, i * E, E) : null);
  if (w.inProjWeight) {
    const wi = (i: number) => w.inProjWeight!.narrow(0, i * E, E);
    q = linear(query, wi(0), bias(0));
    k = linear(key, wi(1), bias(1));
    v = linear(value, wi(2), bias(2));
  } else {
    q = linear(query, w.qProjWeight!, bias(0));
    k = linear(key, w.kProjWeight!, bias(1));
    v = linear(value, w.vProjWeight!, bias(2));
  }

  // masks, as additive float masks: attnMask [1 or N*H, L, S], kpm [N, S]
  if (attnMask) {
    attnMask = additiveMask(op, 'attnMask', attnMask, dtype);
    if (attnMask.ndim === 2) {
      if (attnMask.shape[0] !== L || attnMask.shape[1] !== S0)
        throw new ShapeError(`${op}: the 2-D attnMask has shape ${fmtShape(attnMask.shape)}, but should be [${L}, ${S0}]`);
      attnMask = attnMask.unsqueeze(0);
    } else if (attnMask.ndim === 3) {
      if (attnMask.shape[0] !== N * H || attnMask.shape[1] !== L || attnMask.shape[2] !== S0)
        throw new ShapeError(`${op}: the 3-D attnMask has shape ${fmtShape(attnMask.shape)}, but should be [${N * H}, ${L}, ${S0}] (N * numHeads, L, S)`);
    } else throw new ShapeError(`${op}: attnMask must be 2-D [L, S] or 3-D [N * numHeads, L, S], got shape ${fmtShape(attnMask.shape)}`);
  } else if (call.isCausal) attnMask = causalMask(L, S0, dtype).unsqueeze(0);
  if (kpm) {
    kpm = additiveMask(op, 'keyPaddingMask', kpm, dtype);
    if (kpm.ndim !== 2 || kpm.shape[0] !== N || kpm.shape[1] !== S0)
      throw new ShapeError(`${op}: keyPaddingMask must have shape ${batched ? `[${N}, ${S0}]` : `[${S0}]`}, got ${fmtShape(call.keyPaddingMask!.shape)}`);
  }
  const padColumn = (m: Tensor | null) => (m ? cat([m, zeros([...m.shape.slice(0, -1), 1], { dtype })], -1) : null);

  if (w.biasK && w.biasV) {
    k = cat([k, w.biasK.expand([1, N, E])]);
    v = cat([v, w.biasV.expand([1, N, E])]);
    attnMask = padColumn(attnMask);
    kpm = padColumn(kpm);
  }
  // [N*H, len, hd]
  q = q.reshape([L, N * H, hd]).transpose(0, 1);
  k = k.reshape([k.shape[0]!, N * H, hd]).transpose(0, 1);
  v = v.reshape([v.shape[0]!, N * H, hd]).transpose(0, 1);
  if (w.addZeroAttn) {
    k = cat([k, zeros([N * H, 1, hd], { dtype: k.dtype })], 1);
    v = cat([v, zeros([N * H, 1, hd], { dtype: v.dtype })], 1);
    attnMask = padColumn(attnMask);
    kpm = padColumn(kpm);
  }
  const S = k.shape[1]!;
  let mask = attnMask;
  if (kpm) {
    const m = kpm.reshape([N, 1, 1, S]).expand([N, H, 1, S]).reshape([N * H, 1, S]);
    mask = mask ? mask.add(m) : m;
  }

  let scores = q.div(Math.sqrt(hd)).matmul(k.transpose(1, 2));
  if (mask) scores = scores.add(mask);
  let weights = scores.softmax(-1);
  if (w.training && w.dropoutP > 0) weights = dropout(weights, { p: w.dropoutP, generator: w.generator });
  let out = weights.matmul(v); // [N*H, L, hd]
  out = out.transpose(0, 1).reshape([L * N, E]);
  out = linear(out, w.outProjWeight, w.outProjBias).reshape([L, N, E]);
  if (!batched) out = out.squeeze(1);
  if (call.needWeights === false) return [out, null];
  let aw = weights.reshape([N, H, L, S]);
  if (call.averageAttnWeights !== false) aw = aw.sum(1).div(H);
  if (!batched) aw = aw.squeeze(0);
  return [out, aw];
}
