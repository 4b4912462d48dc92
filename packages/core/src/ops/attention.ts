import { isGradEnabled } from '../autograd/grad-mode.js';
import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

// Scaled dot-product attention as one primitive: softmax(q kᵀ · scale) v, optionally causal.
// The forward keeps the attention weights W; the first-order backward is one kernel from them
// (dv = Wᵀ g, dS = scale · W ∘ (g vᵀ - rowsum(g vᵀ ∘ W)), dq = dS k, dk = dSᵀ q). When the
// backward itself records (createGraph), the rule recomputes W from q and k in tensor ops and
// writes the same gradients in tensor ops, so gradients of any order are exact.

interface Ctx {
  scale: number;
  causal: boolean;
}

/** The bool [L, S] mask of the keys a query may not see under causal attention (j > i). */
function futureKeys(L: number, S: number): Tensor {
  const data = new Uint8Array(L * S);
  for (let i = 0; i < L; i++) data.fill(1, i * S + Math.min(i + 1, S), (i + 1) * S);
  return Tensor.fromData(data, [L, S], 'bool');
}

/** The attention weights in tensor ops (differentiable in q and k). */
function weightsOf(q: Tensor, k: Tensor, { scale, causal }: Ctx): Tensor {
  let s = q.matmul(k.transpose(-2, -1)).mul(scale);
  if (causal) s = s.maskedFill(futureKeys(q.shape[q.ndim - 2]!, k.shape[k.ndim - 2]!), -Infinity);
  return s.softmax(-1);
}

const attentionPrimitive = primitive('scaledDotProductAttention', {
  forward: (q: Tensor, k: Tensor, v: Tensor, ctx: Ctx) => {
    const r = K().attention(q.nd, k.nd, v.nd, ctx.scale, ctx.causal);
    const weights = Tensor.fromView(r.weights, q.dtype);
    return { out: Tensor.fromView(r.out, q.dtype), saved: [q, k, v, weights], ctx };
  },
  backward: (g, saved, ctx, needs) => {
    const [q, k, v, w] = saved as [Tensor, Tensor, Tensor, Tensor];
    if (isGradEnabled()) {
      // recording: the gradients as tensor ops of q, k, v and g
      const wt = weightsOf(q, k, ctx);
      const dp = g.matmul(v.transpose(-2, -1));
      const ds = wt.mul(dp.sub(dp.mul(wt).sum(-1, { keepdim: true }))).mul(ctx.scale);
      return [needs[0] ? ds.matmul(k) : null, needs[1] ? ds.transpose(-2, -1).matmul(q) : null, needs[2] ? wt.transpose(-2, -1).matmul(g) : null];
    }
    const r = K().attentionBackward(g.nd, q.nd, k.nd, v.nd, w.nd, ctx.scale);
    return [needs[0] ? Tensor.fromView(r.dq, q.dtype) : null, needs[1] ? Tensor.fromView(r.dk, q.dtype) : null, needs[2] ? Tensor.fromView(r.dv, q.dtype) : null];
  },
});

const FUSED_ATTENTION = defineOptions('fusedAttention', { scale: 'number', causal: 'boolean' });

/**
 * Options of {@link fusedAttention}, both required. @internal
 *
 * @example
 * const opts: FusedAttentionOptions = { scale: 0.5, causal: true };
 */
export interface FusedAttentionOptions {
  /** The factor of the scores. */
  scale: number;
  /** Query i attends to keys j <= i only. */
  causal: boolean;
}

/**
 * Scaled dot-product attention `softmax(q kᵀ · scale) v` in one kernel each way (nn's
 * `F.scaledDotProductAttention` runs it when no mask tensor and no dropout are asked for).
 * q `[..., L, E]`, k `[..., S, E]`, v `[..., S, Ev]`, with the same batch dims and one float
 * dtype; returns `[..., L, Ev]`. @internal
 *
 * @throws ValueError when q, k or v is not a tensor, or `scale` (a finite number) or `causal` (a boolean) is missing or wrong
 * @throws ShapeError when the batch dims differ, the last dims of q and k differ, or k and v have different lengths
 * @throws DTypeError unless q, k and v have one float dtype
 * @example
 * const q = tensor([[[1, 0], [0, 1]]]);
 * // the second query sees both keys; the first only the first (causal)
 * fusedAttention(q, q, q, { scale: 1, causal: true }).select(0, 0).select(0, 0).toArray(); // [1, 0]
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, opts: FusedAttentionOptions): Tensor {
  const op = 'fusedAttention';
  requireTensor(op, 'query', q);
  requireTensor(op, 'key', k);
  requireTensor(op, 'value', v);
  const shapes = `query.shape=${fmtShape(q.shape)}, key.shape=${fmtShape(k.shape)}, value.shape=${fmtShape(v.shape)}`;
  if (q.dtype !== k.dtype || q.dtype !== v.dtype || !isFloating(q.dtype))
    throw new DTypeError(`${op}: query, key and value must have one float dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype} (${shapes})`);
  const nd = q.ndim;
  if (nd < 2 || k.ndim !== nd || v.ndim !== nd || q.shape.slice(0, nd - 2).some((n, i) => k.shape[i] !== n || v.shape[i] !== n))
    throw new ShapeError(`${op}: the fused kernel needs query, key and value with the same batch dims, got ${shapes}`);
  if (k.shape[nd - 1] !== q.shape[nd - 1] || v.shape[nd - 2] !== k.shape[nd - 2])
    throw new ShapeError(`${op}: expected query [..., L, E], key [..., S, E] and value [..., S, Ev], got ${shapes}`);
  const { scale, causal } = checkOptions(FUSED_ATTENTION, opts) ?? {};
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    throw new ValueError(`${op}: option scale must be a finite number, got ${describeValue(scale)}`);
  if (typeof causal !== 'boolean') throw new ValueError(`${op}: option causal must be true or false, got ${describeValue(causal)}`);
  return attentionPrimitive(q, k, v, { scale, causal });
}
