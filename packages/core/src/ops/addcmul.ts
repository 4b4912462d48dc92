import { requireTensor } from './operands.js';
import { isFloating, type DType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions } from '../options.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { asDType, resultTypeOf } from './math-helpers.js';
import { mul } from './mul.js';

const ADDCMUL = defineOptions('addcmul', { value: 'number' });
const ADDCDIV = defineOptions('addcdiv', { value: 'number' });

/**
 * Options of {@link addcmul} and {@link addcdiv}.
 *
 * @example
 * const opts: AddcOptions = { value: 0.5 };
 * addcmul(ones([2]), tensor([2, 3]), tensor([4, 5]), opts).toArray(); // [5, 8.5]
 */
export interface AddcOptions {
  /** The factor of the product or quotient (default 1); an integer for int32 inputs. */
  value?: number;
}

/** The common dtype of the three tensors, the inputs cast to it, and the value checked against it. */
function prepare(op: string, input: Tensor, t1: Tensor, t2: Tensor, value: number): [Tensor, Tensor, Tensor] {
  requireTensor(op, 'input', input);
  requireTensor(op, 't1', t1);
  requireTensor(op, 't2', t2);
  const dt: DType = resultTypeOf(op, [input, t1, t2]);
  if (!isFloating(dt) && !Number.isInteger(value))
    throw new ValueError(`${op}: value must be an integer for ${dt} inputs, got ${value}`);
  broadcastShapes(op, input.shape, t1.shape, t2.shape);
  return [asDType(input, dt), asDType(t1, dt), asDType(t2, dt)];
}

/**
 * `input + value * t1 * t2` elementwise with broadcasting (composed of mul and add in the order
 * PyTorch's kernel rounds: `(value * t1) * t2`). All three tensors promote to one dtype first.
 *
 * input - shape [...A], t1 - shape [...B], t2 - shape [...C], broadcastable; returns the
 * broadcast shape. Differentiable in all three.
 *
 * @throws ValueError `addcmul: value must be an integer for int32 inputs, got 0.5`
 * @throws ShapeError `addcmul: cannot broadcast shapes [2] and [3] and [2] ...`
 * @example
 * addcmul(tensor([1, 1]), tensor([2, 3]), tensor([4, 5]), { value: 0.5 }).toArray(); // [5, 8.5]
 */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, opts?: AddcOptions): Tensor {
  const { value = 1 } = checkOptions(ADDCMUL, opts);
  const [x, a, b] = prepare('addcmul', input, t1, t2, value);
  return add(x, mul(value === 1 ? a : mul(a, value), b));
}

/**
 * `input + value * t1 / t2` elementwise with broadcasting (composed of mul, div and add in the
 * order PyTorch's kernel rounds: `(value * t1) / t2`). All three promote to one dtype first; two
 * integer divisors are refused, as PyTorch (use {@link div} with a rounding mode).
 *
 * input - shape [...A], t1 - shape [...B], t2 - shape [...C], broadcastable; returns the
 * broadcast shape. Differentiable in all three.
 *
 * @throws DTypeError `addcdiv: integer division is not supported (t1 int32 (shape [2]), t2 int32 (shape [2])); ...`
 * @throws ShapeError `addcdiv: cannot broadcast shapes [2] and [3] and [2] ...`
 * @example
 * addcdiv(tensor([1, 1]), tensor([2, 3]), tensor([4, 6]), { value: 2 }).toArray(); // [2, 2]
 */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, opts?: AddcOptions): Tensor {
  const { value = 1 } = checkOptions(ADDCDIV, opts);
  requireTensor('addcdiv', 't1', t1);
  requireTensor('addcdiv', 't2', t2);
  if (!isFloating(t1.dtype) && !isFloating(t2.dtype))
    throw new DTypeError(
      `addcdiv: integer division is not supported (t1 ${t1.dtype} (shape ${fmtShape(t1.shape)}), t2 ${t2.dtype} (shape ${fmtShape(t2.shape)})); ` +
        'cast one to a floating point dtype, as PyTorch asks',
    );
  const [x, a, b] = prepare('addcdiv', input, t1, t2, value);
  return add(x, div(value === 1 ? a : mul(a, value), b));
}
