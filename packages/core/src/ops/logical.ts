import { noGrad } from '../autograd/grad-mode.js';
import { activeTracer } from '../autograd/trace.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, checkTensorLike, scalarTensor } from './operands.js';
import type { TensorLike } from './types.js';

/** `x` as a bool tensor: non-zero (NaN included) is true, as PyTorch. */
function truth(x: TensorLike): Tensor {
  return x instanceof Tensor ? (x.dtype === 'bool' ? x : x.to('bool')) : scalarTensor(x, 'bool');
}

// Not differentiable (bool results): plain functions on the operands' truth values.
function logical(op: 'and' | 'or' | 'ne', name: string, a: TensorLike, b: TensorLike): Tensor {
  checkTensorLike(name, a);
  checkTensorLike(name, b);
  return noGrad(() => {
    const x = truth(a);
    const y = truth(b);
    const { va, vb } = broadcastPair(name, x, y);
    const out = Tensor.fromView(K().binary(op, va, vb, 'bool'), 'bool');
    if (activeTracer !== null) activeTracer.primitive(name, [x, y], out);
    return out;
  });
}

/**
 * `a && b` elementwise with broadcasting, as a bool tensor: any dtype, non-zero (NaN included)
 * counts as true, as PyTorch. Numbers act as scalars. Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, bool.
 *
 * @throws ShapeError `logicalAnd: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * logicalAnd(tensor([1, 0, NaN]), tensor([2, 2, 2])).toArray(); // [true, false, true]
 */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return logical('and', 'logicalAnd', a, b);
}

/**
 * `a || b` elementwise with broadcasting, as a bool tensor (non-zero is true; see
 * {@link logicalAnd}). Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, bool.
 *
 * @throws ShapeError `logicalOr: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * logicalOr(tensor([1, 0, 0]), tensor([0, 0, -3])).toArray(); // [true, false, true]
 */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return logical('or', 'logicalOr', a, b);
}

/**
 * True where exactly one of `a` and `b` is non-zero, elementwise with broadcasting, as a bool
 * tensor (see {@link logicalAnd}). Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, bool.
 *
 * @throws ShapeError `logicalXor: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * logicalXor(tensor([1, 0, 5, 0]), tensor([0, 0, 2, 1])).toArray(); // [true, false, false, true]
 */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return logical('ne', 'logicalXor', a, b);
}
