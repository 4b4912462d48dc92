import { ValueError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor.js';

// Argument checks shared by the shape ops of issue 17, so that a wrong argument from plain
// JavaScript names the op and the value instead of failing deep inside with a TypeError.

/** Throws unless `x` is a Tensor (as ops/operands.ts's checkTensorLike reports a non-tensor). */
export function requireTensorArg(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${describeValue(x)}`);
}

/** A number or a list of numbers as a list of integers, or throws naming `op` and `name`. */
export function intList(op: string, name: string, v: unknown): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? [...(v as unknown[])] : null;
  if (list === null || list.some((n) => typeof n !== 'number' || !Number.isInteger(n)))
    throw new ValueError(`${op}: ${name} must be an integer or a list of integers, got ${describeValue(v)}`);
  return list as number[];
}

/** Throws unless `tensors` is a non-empty array of Tensors. */
export function requireTensorList(op: string, tensors: unknown): asserts tensors is Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}: expected an array of tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new ValueError(`${op}: expected a non-empty list of tensors`);
  tensors.forEach((t, i) => requireTensorArg(op, `tensors[${i}]`, t));
}
