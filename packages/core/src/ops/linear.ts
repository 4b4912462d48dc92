import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import type { View } from '../kernels/backend.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

// A linear layer's `x Wᵀ + b` as one primitive: the product and the bias in one kernel (the
// native GEMM starts each row of its output from the bias), so the layer makes one result
// instead of the product and then the sum. The rule is in tensor ops (matmul, sum), so
// gradients of any order are exact.

/** `t` with its leading dims merged: [rows, cols] (a view when they merge, else a copy). */
function rows(t: Tensor): Tensor {
  let r = 1;
  for (let d = 0; d < t.ndim - 1; d++) r *= t.shape[d]!;
  return t.reshape([r, t.shape[t.ndim - 1]!]);
}

/** [R, C] as a batch of one, [1, R, C]. */
function one(v: View): View {
  return { data: v.data, shape: [1, v.shape[0]!, v.shape[1]!], stride: [0, v.stride[0]!, v.stride[1]!], offset: v.offset, size: v.size };
}

const linearPrimitive = primitive('linear', {
  forward: (x: Tensor, weight: Tensor, bias: Tensor) => {
    const x2 = rows(x);
    const wt = weight.nd;
    // Wᵀ as a view: [in, out] with the weight's strides swapped
    const w3: View = { data: wt.data, shape: [1, wt.shape[1]!, wt.shape[0]!], stride: [0, wt.stride[1]!, wt.stride[0]!], offset: wt.offset, size: wt.size };
    const out = K().matmulBias(one(x2.nd), w3, bias.nd, x.dtype);
    return { out: Tensor.fromView(out, x.dtype).reshape([...x.shape.slice(0, -1), weight.shape[0]!]), saved: [x, weight] };
  },
  backward: (g, [x, weight], _ctx, needs) => {
    const g2 = rows(g);
    return [
      needs[0] ? g.matmul(weight!) : null,
      needs[1] ? g2.transpose(0, 1).matmul(rows(x!)) : null,
      needs[2] ? g2.sum(0) : null,
    ];
  },
});

/**
 * `x Wᵀ + b` in one kernel (nn's `F.linear` runs it when x, weight and bias have one float
 * dtype). x `[*, in]`, weight `[out, in]`, bias `[out]`; returns `[*, out]`. @internal
 *
 * @throws ValueError when an argument is not a tensor
 * @throws ShapeError when the shapes do not fit
 * @throws DTypeError unless all three have one float dtype
 * @example
 * fusedLinear(tensor([[1, 2]]), tensor([[1, 1], [0, 1], [2, 0]]), tensor([0, 10, 0])).toArray(); // [[3, 12, 2]]
 */
export function fusedLinear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const op = 'fusedLinear';
  requireTensor(op, 'input', x);
  requireTensor(op, 'weight', weight);
  requireTensor(op, 'bias', bias);
  if (x.dtype !== weight.dtype || x.dtype !== bias.dtype || !isFloating(x.dtype))
    throw new DTypeError(`${op}: input, weight and bias must have one float dtype, got ${x.dtype}, ${weight.dtype}, ${bias.dtype}`);
  if (x.ndim < 1 || weight.ndim !== 2 || bias.ndim !== 1 || x.shape[x.ndim - 1] !== weight.shape[1] || bias.shape[0] !== weight.shape[0])
    throw new ShapeError(`${op}: expected input [*, in], weight [out, in] and bias [out], got input.shape=${fmtShape(x.shape)}, weight.shape=${fmtShape(weight.shape)}, bias.shape=${fmtShape(bias.shape)}`);
  return linearPrimitive(x, weight, bias);
}
