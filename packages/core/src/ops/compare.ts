import { noGrad } from '../autograd/grad-mode.js';
import { activeTracer } from '../autograd/trace.js';
import type { BinaryOp } from '../kernels/backend.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

type CompareOp = Extract<BinaryOp, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'>;

// Comparisons are not differentiable: plain functions, no tape. Operands are first promoted
// to a common dtype (as PyTorch), so `float32 tensor == 0.1` compares float32 values.
function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  return noGrad(() => {
    const [x, y] = operands(a, b, undefined, op);
    const { va, vb } = broadcastPair(op, x, y);
    const out = Tensor.fromView(K().binary(op, va, vb, 'bool'), 'bool');
    // Not primitives (no tape), but a tracer must see them: their masks depend on the data.
    if (activeTracer !== null) activeTracer.primitive(op, [x, y], out);
    return out;
  });
}

/**
 * `a == b` elementwise with broadcasting, as a bool tensor (not differentiable).
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws ShapeError `eq: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * eq(tensor([1, 2, 3]), 2).toArray(); // [false, true, false]
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b);
}

/**
 * `a != b` elementwise with broadcasting, as a bool tensor (not differentiable; NaN != NaN).
 *
 * @throws ShapeError `ne: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * ne(tensor([1, 2, 3]), 2).toArray(); // [true, false, true]
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare('ne', a, b);
}

/**
 * `a < b` elementwise with broadcasting, as a bool tensor (not differentiable).
 *
 * @throws ShapeError `lt: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * lt(tensor([1, 2, 3]), 2).toArray(); // [true, false, false]
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b);
}

/**
 * `a <= b` elementwise with broadcasting, as a bool tensor (not differentiable).
 *
 * @throws ShapeError `le: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * le(tensor([1, 2, 3]), 2).toArray(); // [true, true, false]
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b);
}

/**
 * `a > b` elementwise with broadcasting, as a bool tensor (not differentiable).
 *
 * @throws ShapeError `gt: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * gt(tensor([1, 2, 3]), 2).toArray(); // [false, false, true]
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b);
}

/**
 * `a >= b` elementwise with broadcasting, as a bool tensor (not differentiable).
 *
 * @throws ShapeError `ge: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * ge(tensor([1, 2, 3]), 2).toArray(); // [false, true, true]
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b);
}
