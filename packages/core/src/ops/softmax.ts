import { primitive } from '../autograd/primitive.js';
import type { DType } from '../dtype.js';
import { K, type View } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { finiteMax } from './logsumexp.js';
import { broadcastView, floatResult, requireTensor } from './operands.js';

/**
 * The pieces of the stable form along `dim`: `shifted = x - m` with m the slice max (0 where
 * that max is not finite or the slice is empty, so -inf - -inf never makes NaN), `e = exp(shifted)`
 * (every argument <= 0: no overflow) and `s = sum(e)` in keepdim shape.
 */
function stableParts(x: Tensor, dim: number): { shifted: View; e: View; s: View } {
  const k = K();
  const dt = x.dtype;
  const m = finiteMax(x, [dim], dt);
  const shifted = k.binary('sub', x.nd, broadcastView(m, x.shape), dt);
  const e = k.unary('exp', shifted, dt);
  return { shifted, e, s: k.reduce('sum', e, [dim], dt) };
}

/** Broadcasts a keepdim-shaped kernel result back over `shape` along the reduced dim. */
function spread(v: View, shape: number[], dt: DType): View {
  return broadcastView(Tensor.fromView(v, dt), shape);
}

const softmaxPrimitive = primitive('softmax', {
  forward: (x: Tensor, dim: number) => {
    const dt = x.dtype;
    const { e, s } = stableParts(x, dim);
    const out = Tensor.fromView(K().binary('div', e, spread(s, x.shape, dt), dt), dt);
    return { out, saved: [out], ctx: dim };
  },
  // Jacobian diag(p) - p p^T applied to g: p * (g - sum(g * p)). Uses the saved output, so it
  // differentiates again.
  backward: (g, [out], dim) => [out!.mul(g.sub(g.mul(out!).sum(dim, { keepdim: true })))],
});

const logSoftmaxPrimitive = primitive('logSoftmax', {
  forward: (x: Tensor, dim: number) => {
    const dt = x.dtype;
    const k = K();
    const { shifted, s } = stableParts(x, dim);
    // (x - m) - log(sum(exp(x - m))): the log's argument is >= 1 unless the slice is all -inf.
    const out = Tensor.fromView(k.binary('sub', shifted, spread(k.unary('log', s, dt), x.shape, dt), dt), dt);
    return { out, saved: [out], ctx: dim };
  },
  // Jacobian I - 1 p^T with p = exp(out): g - p * sum(g).
  backward: (g, [out], dim) => [g.sub(out!.exp().mul(g.sum(dim, { keepdim: true })))],
});

/**
 * Softmax along `dim` (default the last): `exp(x_i) / sum_j exp(x_j)`, computed stably as
 * `exp(x - max) / sum(exp(x - max))` (PyTorch's `torch.softmax`). Logits of +-1000 give finite
 * values and gradients; a slice of all -inf gives NaN, as in PyTorch.
 *
 * x - shape [...S]; returns the same shape, each slice along `dim` summing to 1. Integer inputs
 * compute in float32. Gradient `p * (g - sum(g * p))`; twice differentiable.
 *
 * @throws ValueError `softmax: dim 3 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * softmax(tensor([1000, 1000, -1000])).toArray(); // [0.5, 0.5, 0]
 * softmax(tensor([[1, 2], [3, 4]]), 0).toArray(); // [[0.1192, 0.1192], [0.8808, 0.8808]]
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  requireTensor('softmax', 'x', x);
  const d = normalizeDim('softmax', dim, x.shape);
  const dt = floatResult(x.dtype);
  return softmaxPrimitive(x.dtype === dt ? x : x.to(dt), d);
}

/**
 * Log of softmax along `dim` (default the last): `x - logsumexp(x, dim)`, computed stably as
 * `(x - max) - log(sum(exp(x - max)))` (PyTorch's `torch.log_softmax`). Exact at large logits:
 * `logSoftmax([1000, 0])` is `[0, -1000]`.
 *
 * x - shape [...S]; returns the same shape. Integer inputs compute in float32.
 * Gradient `g - softmax(x) * sum(g)`; twice differentiable.
 *
 * @throws ValueError `logSoftmax: dim 2 is out of range for a tensor of 1 dims (shape [3])`
 * @example
 * logSoftmax(tensor([1000, 0])).toArray(); // [0, -1000]
 * logSoftmax(tensor([0, 0])).toArray();    // [-0.6931472, -0.6931472]
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  requireTensor('logSoftmax', 'x', x);
  const d = normalizeDim('logSoftmax', dim, x.shape);
  const dt = floatResult(x.dtype);
  return logSoftmaxPrimitive(x.dtype === dt ? x : x.to(dt), d);
}
