import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import type { DType } from '../dtype.js';
import { K } from '../kernels/index.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastView, floatResult, reducedResult, requireTensor } from './operands.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';
import { checkOptions } from '../options.js';

const LOGSUMEXP = reduceOptions('logsumexp');

interface LseCtx {
  dims: number[];
  keptShape: number[];
}

/**
 * The shift m of the stable forms of logsumexp and softmax, keepdim shape: the max over `dims`,
 * with 0 where that max is not finite (a slice of -inf would give -inf - -inf = NaN) or where
 * the slice is empty. @internal
 */
export function finiteMax(x: Tensor, dims: readonly number[], dt: DType): Tensor {
  const keptShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  if (dims.some((d) => x.nd.shape[d] === 0)) return zeros(keptShape, { dtype: dt });
  const m = Tensor.fromView(K().reduce('max', x.nd, dims, dt), dt);
  const md = m.data;
  for (let i = 0; i < md.length; i++) if (!Number.isFinite(md[i]!)) md[i] = 0;
  return m;
}

const logsumexpPrimitive = primitive('logsumexp', {
  forward: (x: Tensor, dims: number[], keepdim: boolean) => {
    const dt = x.dtype;
    const k = K();
    // log(sum(exp(x))) = m + log(sum(exp(x - m))): every exp argument is <= 0, so no overflow.
    const m = finiteMax(x, dims, dt);
    const e = k.unary('exp', k.binary('sub', x.nd, broadcastView(m, x.shape), dt), dt);
    const kept = Tensor.fromView(k.binary('add', k.unary('log', k.reduce('sum', e, dims, dt), dt), m.nd, dt), dt);
    const out = reducedResult(kept, x.nd.shape, dims, keepdim);
    return { out, saved: [x, out], ctx: { dims, keptShape: kept.shape } as LseCtx };
  },
  // d lse / d x = softmax(x). exp(x - lse) alone loses precision where lse is large (its rounding
  // error is magnified by exp), so the rule renormalises: with c = lse detached (a constant, so
  // every exp argument is <= 0), softmax = e / sum(e), e = exp(x - c). A function of x alone in
  // tensor ops, so it differentiates again (Hessian diag(p) - p p^T).
  backward: (g, [x, out], { dims, keptShape }) => {
    const e = x!.sub(out!.reshape(keptShape).detach()).exp();
    return [g.reshape(keptShape).mul(e.div(e.sum(dims, { keepdim: true })))];
  },
});

/**
 * `log(sum(exp(x)))` over `dim`, computed stably as `m + log(sum(exp(x - m)))` with m the max of
 * each slice (PyTorch's `torch.logsumexp`). Large inputs do not overflow; a slice of all -inf
 * gives -inf (not NaN); an empty slice gives -inf.
 *
 * x - shape [...S]; returns S without the reduced dims (size 1 there with `keepdim`). Integer
 * inputs compute in float32.
 *
 * Gradient: `softmax(x)` along the reduced dims; twice differentiable. Where the result is
 * infinite (a slice of all -inf, or containing +inf) the gradient is NaN, as in PyTorch.
 *
 * @throws ValueError `logsumexp: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * logsumexp(tensor([1000, 1000]), 0).item(); // 1000.6931
 * logsumexp(tensor([[0, 0], [1, 1]]), 1).toArray(); // [0.6931472, 1.6931472]
 */
export function logsumexp(x: Tensor, dim: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('logsumexp', 'x', x);
  const { keepdim = false } = checkOptions(LOGSUMEXP, opts);
  const dims = normalizeDims('logsumexp', dim, x.shape);
  const dt = floatResult(x.dtype);
  return logsumexpPrimitive(x.dtype === dt ? x : x.to(dt), dims, keepdim);
}
