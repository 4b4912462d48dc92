import { requireTensor } from './operands.js';
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands, resultType, scalarTensor } from './operands.js';
import type { TensorLike } from './types.js';

type BitOp = 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor' | 'leftShift' | 'rightShift';

/** `what` as the error prints it: a tensor's dtype and shape, or the number. */
function describe(x: TensorLike): string {
  return x instanceof Tensor ? `${x.dtype} (shape ${fmtShape(x.shape)})` : `the number ${x}`;
}

// Integer results only (int32 or bool): not differentiable, plain functions.
function bitwise(kernel: BitOp, op: string, a: TensorLike, b: TensorLike, boolOk: boolean): Tensor {
  const dt = resultType(a, b);
  const [x, y] = operands(a, b, dt, op);
  if (isFloating(dt) || (dt === 'bool' && !boolOk))
    throw new DTypeError(
      `${op}: expected int32${boolOk ? ' or bool' : ''} operands, got ${describe(a)} and ${describe(b)}`,
    );
  return noGrad(() => {
    const { va, vb } = broadcastPair(op, x, y);
    return Tensor.fromView(K().binary(kernel, va, vb, dt), dt);
  });
}

/**
 * `a & b` bit by bit, elementwise with broadcasting, on int32 or bool tensors (numbers act as
 * integer scalars); bool with bool stays bool, as PyTorch. Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws DTypeError `bitwiseAnd: expected int32 or bool operands, got float32 (shape [2]) and the number 1`
 * @throws ShapeError `bitwiseAnd: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * bitwiseAnd(tensor([12, -1], { dtype: 'int32' }), 10).toArray(); // [8, 10]
 * bitwiseAnd(tensor([true, true]), tensor([true, false])).toArray(); // [true, false]
 */
export function bitwiseAnd(a: TensorLike, b: TensorLike): Tensor {
  return bitwise('bitwiseAnd', 'bitwiseAnd', a, b, true);
}

/**
 * `a | b` bit by bit, elementwise with broadcasting, on int32 or bool tensors (see
 * {@link bitwiseAnd}). Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws DTypeError `bitwiseOr: expected int32 or bool operands, got float32 (shape [2]) and the number 1`
 * @throws ShapeError `bitwiseOr: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * bitwiseOr(tensor([12, 0], { dtype: 'int32' }), 10).toArray(); // [14, 10]
 */
export function bitwiseOr(a: TensorLike, b: TensorLike): Tensor {
  return bitwise('bitwiseOr', 'bitwiseOr', a, b, true);
}

/**
 * `a ^ b` bit by bit, elementwise with broadcasting, on int32 or bool tensors (see
 * {@link bitwiseAnd}). Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws DTypeError `bitwiseXor: expected int32 or bool operands, got float32 (shape [2]) and the number 1`
 * @throws ShapeError `bitwiseXor: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * bitwiseXor(tensor([12, 0], { dtype: 'int32' }), 10).toArray(); // [6, 10]
 */
export function bitwiseXor(a: TensorLike, b: TensorLike): Tensor {
  return bitwise('bitwiseXor', 'bitwiseXor', a, b, true);
}

/**
 * `~x` bit by bit (`-x - 1`) on an int32 tensor, logical not on a bool tensor. Not differentiable.
 *
 * x - shape [...S]; returns [...S] in x's dtype.
 *
 * @throws DTypeError `bitwiseNot: expected int32 or bool operands, got float32 (shape [2]) and the number -1`
 * @example
 * bitwiseNot(tensor([0, 5, -1], { dtype: 'int32' })).toArray(); // [-1, -6, 0]
 * bitwiseNot(tensor([true, false])).toArray(); // [false, true]
 */
export function bitwiseNot(x: Tensor): Tensor {
  requireTensor('bitwiseNot', 'x', x);
  // x ^ (all bits set): -1 for int32, true for bool (a number would promote bool to int32).
  return bitwise('bitwiseXor', 'bitwiseNot', x, x.dtype === 'bool' ? scalarTensor(1, 'bool') : -1, true);
}

/**
 * `a << b` elementwise with broadcasting, on int32 tensors (numbers act as integer scalars);
 * bits shifted past bit 31 are lost (the sign may change). A count outside [0, 31] gives 0, as
 * PyTorch 2's definition (JavaScript would take it mod 32). Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, int32.
 *
 * @throws DTypeError `bitwiseLeftShift: expected int32 operands, got bool (shape [2]) and bool (shape [2])`
 * @throws ShapeError `bitwiseLeftShift: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * bitwiseLeftShift(tensor([1, 3, -1], { dtype: 'int32' }), 2).toArray(); // [4, 12, -4]
 * bitwiseLeftShift(tensor([1, 1], { dtype: 'int32' }), tensor([31, 32], { dtype: 'int32' })).toArray(); // [-2147483648, 0]
 */
export function bitwiseLeftShift(a: TensorLike, b: TensorLike): Tensor {
  return bitwise('leftShift', 'bitwiseLeftShift', a, b, false);
}

/**
 * `a >> b` elementwise with broadcasting, on int32 tensors: an arithmetic shift (the sign bit
 * fills in, so it is `floor(a / 2^b)`). A count outside [0, 31] gives the sign (0 or -1), as
 * PyTorch 2's definition. Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, int32.
 *
 * @throws DTypeError `bitwiseRightShift: expected int32 operands, got float32 (shape [2]) and the number 1`
 * @throws ShapeError `bitwiseRightShift: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * bitwiseRightShift(tensor([16, -16, -1], { dtype: 'int32' }), 2).toArray(); // [4, -4, -1]
 */
export function bitwiseRightShift(a: TensorLike, b: TensorLike): Tensor {
  return bitwise('rightShift', 'bitwiseRightShift', a, b, false);
}
