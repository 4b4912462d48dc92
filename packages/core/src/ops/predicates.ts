import { noGrad } from '../autograd/grad-mode.js';
import type { UnaryOp } from '../kernels/backend.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireTensorInput } from './unary-input.js';

type PredicateOp = Extract<UnaryOp, 'isnan' | 'isinf' | 'isposinf' | 'isneginf' | 'isfinite' | 'logicalNot'>;

// Bool results carry no gradient: plain functions, no tape.
function predicate(op: PredicateOp, x: Tensor): Tensor {
  requireTensorInput(op, x);
  return noGrad(() => Tensor.fromView(K().unary(op, x.nd, 'bool'), 'bool'));
}

/**
 * True where x is NaN, elementwise, as a bool tensor (false everywhere for int32 and bool tensors).
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `isnan: expected a Tensor, got number`
 * @example
 * isnan(tensor([1, NaN, Infinity])).toArray(); // [false, true, false]
 */
export function isnan(x: Tensor): Tensor {
  return predicate('isnan', x);
}

/**
 * True where x is +Infinity or -Infinity, elementwise, as a bool tensor.
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `isinf: expected a Tensor, got number`
 * @example
 * isinf(tensor([1, NaN, Infinity, -Infinity])).toArray(); // [false, false, true, true]
 */
export function isinf(x: Tensor): Tensor {
  return predicate('isinf', x);
}

/**
 * True where x is +Infinity, elementwise, as a bool tensor.
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `isposinf: expected a Tensor, got number`
 * @example
 * isposinf(tensor([1, Infinity, -Infinity])).toArray(); // [false, true, false]
 */
export function isposinf(x: Tensor): Tensor {
  return predicate('isposinf', x);
}

/**
 * True where x is -Infinity, elementwise, as a bool tensor.
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `isneginf: expected a Tensor, got number`
 * @example
 * isneginf(tensor([1, Infinity, -Infinity])).toArray(); // [false, false, true]
 */
export function isneginf(x: Tensor): Tensor {
  return predicate('isneginf', x);
}

/**
 * True where x is neither NaN nor ±Infinity, elementwise, as a bool tensor (true everywhere for
 * int32 and bool tensors).
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `isfinite: expected a Tensor, got number`
 * @example
 * isfinite(tensor([1, NaN, Infinity])).toArray(); // [true, false, false]
 */
export function isfinite(x: Tensor): Tensor {
  return predicate('isfinite', x);
}

/**
 * Logical not elementwise, as a bool tensor: true where x is 0 (or false), false elsewhere, NaN
 * included (it is non-zero), as PyTorch's `logical_not`.
 *
 * x - shape [...S]; returns [...S] bool.
 *
 * @throws TypeError `logicalNot: expected a Tensor, got number`
 * @example
 * logicalNot(tensor([0, 2, NaN])).toArray(); // [true, false, false]
 * logicalNot(tensor([true, false])).toArray(); // [false, true]
 */
export function logicalNot(x: Tensor): Tensor {
  return predicate('logicalNot', x);
}
