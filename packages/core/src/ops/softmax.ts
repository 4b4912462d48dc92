import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';

// softmax and logSoftmax are primitives with fused kernels (one pass per line: max, sum of exp,
// normalise). Their gradients are primitives too, computed from the saved output in one pass,
// whose own rules are written in tensor ops: gradients of any order.

const softmaxPrimitive = primitive('softmax', {
  forward: (x: Tensor, dim: number) => {
    const out = Tensor.fromView(K().softmax(x.nd, dim, false), x.dtype);
    return { out, saved: [out], ctx: dim };
  },
  // Jacobian diag(p) - p p^T applied to g: p * (g - sum(g * p)), from the saved output.
  backward: (g, [out], dim) => [softmaxBackward(g, out!, dim)],
});

/**
 * `y * (g - sum(g * y))` along `dim` in one kernel: softmax's gradient from its output `y`.
 * Linear in g with a symmetric Jacobian (its g-gradient is itself applied to gg); in y,
 * `gg (g - sum(g y)) - g sum(gg y)`.
 */
const softmaxBackward: (g: Tensor, y: Tensor, dim: number) => Tensor = primitive('softmaxBackward', {
  forward: (g: Tensor, y: Tensor, dim: number) => ({
    out: Tensor.fromView(K().softmaxBackward(g.nd, y.nd, dim, false), g.dtype),
    saved: [g, y],
    ctx: dim,
  }),
  backward: (gg, [g, y], dim, [needG, needY]) => [
    needG ? softmaxBackward(gg, y!, dim) : null,
    needY ? gg.mul(g!.sub(g!.mul(y!).sum(dim, { keepdim: true }))).sub(g!.mul(gg.mul(y!).sum(dim, { keepdim: true }))) : null,
  ],
});

const logSoftmaxPrimitive = primitive('logSoftmax', {
  forward: (x: Tensor, dim: number) => {
    const out = Tensor.fromView(K().softmax(x.nd, dim, true), x.dtype);
    return { out, saved: [out], ctx: dim };
  },
  // Jacobian I - 1 p^T with p = exp(out): g - p * sum(g).
  backward: (g, [out], dim) => [logSoftmaxBackward(g, out!, dim)],
});

/**
 * `g - exp(y) * sum(g)` along `dim` in one kernel: logSoftmax's gradient from its output `y`.
 * Its g-gradient is `gg - sum(gg exp(y))`, its y-gradient `-gg exp(y) sum(g)`.
 */
const logSoftmaxBackward: (g: Tensor, y: Tensor, dim: number) => Tensor = primitive('logSoftmaxBackward', {
  forward: (g: Tensor, y: Tensor, dim: number) => ({
    out: Tensor.fromView(K().softmaxBackward(g.nd, y.nd, dim, true), g.dtype),
    saved: [g, y],
    ctx: dim,
  }),
  backward: (gg, [g, y], dim, [needG, needY]) => {
    const ggp = gg.mul(y!.exp());
    return [
      needG ? gg.sub(ggp.sum(dim, { keepdim: true })) : null,
      needY ? ggp.mul(g!.sum(dim, { keepdim: true })).neg() : null,
    ];
  },
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
