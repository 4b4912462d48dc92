import { isFloating, promoteTypes, type DType } from '../dtype.js';
import { AutogradError, DTypeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, checkTensorLike, scalarTensor } from './operands.js';
import type { TensorLike } from './types.js';

// Shared by the element-wise math ops of issue 17 (atan2 ... bitwise): type promotion over more
// than two operands, the integer division-by-zero check and the rule of ops PyTorch does not
// differentiate.

/**
 * PyTorch's combine_categories: `higher` (the result so far) keeps its dtype unless `lower`
 * belongs to a higher category (bool < integer < floating), then they promote.
 */
function combine(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null || isFloating(higher)) return higher;
  return higher === 'bool' || isFloating(lower) ? promoteTypes(higher, lower) : higher;
}

/**
 * The result dtype of an op on any number of operands, by PyTorch's `result_type`: tensors with
 * dims decide; 0-d tensors, then numbers (wrapped scalars: int32 or float32), only raise the
 * category. For two operands it agrees with operands.ts's `resultType`. @internal
 */
export function resultTypeOf(op: string, xs: readonly TensorLike[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  for (const x of xs) {
    checkTensorLike(op, x);
    if (x instanceof Tensor) {
      if (x.ndim > 0) dim = dim === null ? x.dtype : promoteTypes(dim, x.dtype);
      else zero = zero === null ? x.dtype : promoteTypes(zero, x.dtype);
    } else {
      const d: DType = Number.isInteger(x) ? 'int32' : 'float32';
      wrapped = wrapped === null ? d : promoteTypes(wrapped, d);
    }
  }
  return combine(dim, combine(zero, wrapped)) ?? 'float32';
}

/** `x` as a tensor of `dtype`: a number becomes a 0-d tensor, a tensor is cast (differentiably). @internal */
export function asDType(x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return x.dtype === dtype ? x : x.to(dtype);
  return scalarTensor(x, dtype);
}

/**
 * Throws PyTorch's ZeroDivisionError as a ValueError when an integer divisor holds a 0 (a float
 * divisor gives Infinity or NaN instead). Every element of `divisor` is used when the result is
 * not empty. @internal
 */
export function checkIntegerDivisor(op: string, divisor: Tensor, resultSize: number): void {
  if (isFloating(divisor.dtype) || resultSize === 0) return;
  if (divisor.data.includes(0))
    throw new ValueError(
      `${op}: integer division by zero (the ${divisor.dtype} divisor of shape ${fmtShape(divisor.shape)} holds 0; PyTorch raises ZeroDivisionError)`,
    );
}

/** Throws unless the result dtype `dt` of `op` is floating point (ops PyTorch defines for floats only). @internal */
export function requireFloatResult(op: string, dt: DType, ...inputs: TensorLike[]): void {
  if (isFloating(dt)) return;
  const what = inputs.map((x) => (x instanceof Tensor ? `${x.dtype} (shape ${fmtShape(x.shape)})` : `the number ${x}`));
  throw new DTypeError(`${op}: expected floating point inputs, got ${what.join(' and ')}; cast first, e.g. x.to('float32')`);
}

/**
 * The backward rule of an op PyTorch does not differentiate (floorDivide, heaviside): reaching it
 * throws, as PyTorch's "derivative for ... is not implemented". @internal
 */
export function notDifferentiable(op: string): () => never {
  return () => {
    throw new AutogradError(`${op}: not differentiable (PyTorch defines no derivative); detach its inputs or compute it under noGrad`);
  };
}

/** The rounded quotient of `a` and `b` (one dtype, not bool, no integer 0 divisor). @internal */
export function roundedQuotient(op: string, a: Tensor, b: Tensor, mode: 'floor' | 'trunc'): Tensor {
  const { va, vb } = broadcastPair(op, a, b);
  return Tensor.fromView(K().binary(mode === 'floor' ? 'divFloor' : 'divTrunc', va, vb, a.dtype), a.dtype);
}

/**
 * Refuses bool results and integer division by zero for the rounding divisions (div with a
 * rounding mode, floorDivide, remainder, fmod), as PyTorch. @internal
 */
export function checkRoundedDivision(op: string, x: Tensor, y: Tensor): void {
  if (x.dtype === 'bool')
    throw new DTypeError(`${op}: not defined for bool operands (shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}); cast to int32 first`);
  checkIntegerDivisor(op, y, sizeOf(broadcastShapes(op, x.shape, y.shape)));
}
