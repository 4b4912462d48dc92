import { noGrad } from '../autograd/grad-mode.js';
import { isFloating } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions } from '../options.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { all } from './all-any.js';
import { eq, le, lt, ne } from './compare.js';
import { logicalAnd, logicalOr } from './logical.js';
import { mul } from './mul.js';
import { checkTensorLike, operands } from './operands.js';
import { sub } from './sub.js';
import type { TensorLike } from './types.js';

const ISCLOSE = defineOptions('isclose', { rtol: 'number', atol: 'number', equalNan: 'boolean' });
const ALLCLOSE = defineOptions('allclose', { rtol: 'number', atol: 'number', equalNan: 'boolean' });

/**
 * Options of {@link isclose} and {@link allclose}: `|a - b| <= atol + rtol * |b|`.
 *
 * @example
 * const opts: IscloseOptions = { rtol: 0, atol: 0.1 };
 * isclose(tensor([1, 2]), tensor([1.05, 2.2]), opts).toArray(); // [true, false]
 */
export interface IscloseOptions {
  /** Relative tolerance, >= 0 (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance, >= 0 (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

function closeness(op: string, a: TensorLike, b: TensorLike, rtol: number, atol: number, equalNan: boolean): Tensor {
  checkTensorLike(op, a);
  checkTensorLike(op, b);
  if (a instanceof Tensor && b instanceof Tensor && a.dtype !== b.dtype)
    throw new DTypeError(
      `${op}: a and b must have the same dtype, got ${a.dtype} (shape ${fmtShape(a.shape)}) and ${b.dtype} (shape ${fmtShape(b.shape)}); cast one first`,
    );
  for (const [name, v] of [['rtol', rtol], ['atol', atol]] as const)
    if (!(v >= 0)) throw new ValueError(`${op}: ${name} must be greater than or equal to zero, got ${v}`);
  return noGrad(() => {
    const [x, y] = operands(a, b, undefined, op);
    broadcastShapes(op, x.shape, y.shape);
    let close = eq(x, y); // equal values, infinities of one sign included
    if (equalNan && isFloating(x.dtype)) close = logicalOr(close, logicalAnd(ne(x, x), ne(y, y)));
    if (rtol === 0 && atol === 0) return close;
    // The allowed error in x's float dtype (float32 for integers), the actual one in x's dtype,
    // as PyTorch; bool differences in int32. A NaN or infinite error is never within tolerance.
    const fy = isFloating(y.dtype) ? y : y.to('float32');
    const allowed = abs(mul(fy, rtol)).add(atol);
    const actual = x.dtype === 'bool' ? abs(sub(x.to('int32'), y.to('int32'))) : abs(sub(x, y));
    return logicalOr(close, logicalAnd(lt(actual, Infinity), le(actual, allowed)));
  });
}

/**
 * Whether `a` and `b` are close, elementwise with broadcasting, as a bool tensor:
 * `|a - b| <= atol + rtol * |b|` (not symmetric: `b` is the reference), or equal (infinities of
 * one sign are close; NaN is close to NaN only with `equalNan`). A number acts as a scalar; two
 * tensors must share a dtype, as PyTorch. Not differentiable.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape, bool.
 *
 * @throws DTypeError `isclose: a and b must have the same dtype, got float32 (shape [2]) and float64 (shape [2]); cast one first`
 * @throws ValueError `isclose: rtol must be greater than or equal to zero, got -1`
 * @example
 * isclose(tensor([1, 1, NaN]), tensor([1 + 1e-6, 1.1, NaN])).toArray(); // [true, false, false]
 * isclose(tensor([NaN]), tensor([NaN]), { equalNan: true }).toArray(); // [true]
 */
export function isclose(a: TensorLike, b: TensorLike, opts?: IscloseOptions): Tensor {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = checkOptions(ISCLOSE, opts);
  return closeness('isclose', a, b, rtol, atol, equalNan);
}

/**
 * True if every element of `a` is close to the one of `b` it broadcasts with (see {@link isclose}),
 * as a JavaScript boolean; true for empty tensors.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A.
 *
 * @throws DTypeError `allclose: a and b must have the same dtype, got float32 (shape [2]) and float64 (shape [2]); cast one first`
 * @throws ShapeError `allclose: cannot broadcast shapes [2] and [3] ...`
 * @example
 * allclose(tensor([1, 2]), tensor([1, 2 + 1e-7])); // true
 * allclose(tensor([1, 2]), tensor([1, 2.1]));      // false
 */
export function allclose(a: TensorLike, b: TensorLike, opts?: IscloseOptions): boolean {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = checkOptions(ALLCLOSE, opts);
  return all(closeness('allclose', a, b, rtol, atol, equalNan)).item() !== 0;
}
