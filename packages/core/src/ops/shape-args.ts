import { ValueError } from '../errors.js';
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor.js';
import { requireTensors } from './operands.js';

// Argument checks shared by the shape ops of issue 17, so that a wrong argument from plain
// JavaScript names the op and the value instead of failing deep inside with a TypeError.


/** A number or a list of numbers as a list of integers, or throws naming `op` and `name`. */
export function intList(op: string, name: string, v: unknown): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? [...(v as unknown[])] : null;
  if (list === null || list.some((n) => typeof n !== 'number' || !Number.isInteger(n)))
    throw new ValueError(`${op}: ${name} must be an integer or a list of integers, got ${describeValue(v)}`);
  return list as number[];
}

/** Throws unless `tensors` is a non-empty array of Tensors. */
export function requireTensorList(op: string, tensors: unknown): asserts tensors is Tensor[] {
  requireTensors(op, 'tensors', tensors);
  if (tensors.length === 0) throw new ValueError(`${op}: expected a non-empty list of tensors`);
}
