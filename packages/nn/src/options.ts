import { Tensor, ValueError, defineOptions, describeValue } from '@tapegrad/core';

/**
 * Throws unless `x` is a Tensor: `mseLoss: input must be a Tensor, got an array [1, 2]`.
 *
 * @internal
 */
export function requireTensor(fn: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${fn}: ${name} must be a Tensor, got ${describeValue(x)}`);
}

/**
 * Throws unless `v` is a number (a positional numeric argument such as LeakyReLU's slope).
 *
 * @internal
 */
export function requireNumber(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new ValueError(`${fn}: ${name} must be a number, got ${describeValue(v)}`);
}

/**
 * Throws unless `v` is an integer (a positional dim).
 *
 * @internal
 */
export function requireInteger(fn: string, name: string, v: unknown): asserts v is number {
  if (!Number.isInteger(v)) throw new ValueError(`${fn}: ${name} must be an integer, got ${describeValue(v)}`);
}

/**
 * The options of a layer's `resetParameters`.
 *
 * @internal
 */
export const RESET_PARAMETERS = defineOptions('resetParameters', { generator: 'generator' });
