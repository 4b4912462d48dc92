import { Generator, Tensor, ValueError, checkOptions, defineOptions, describeValue, type OptionSpec } from '@tapegrad/core';

/**
 * `checkOptions` for options that may hold a `generator`: core's option types cannot name a
 * class, so the generator is checked here (a {@link Generator} instance) and the rest by the spec,
 * which lists `generator` too.
 *
 * @internal
 */
export function checkGeneratorOptions<T extends object>(spec: OptionSpec, opts: T | undefined): T {
  if (opts === null || typeof opts !== 'object') return checkOptions<T>(spec, opts);
  const proto = Object.getPrototypeOf(opts) as unknown;
  if ((proto !== Object.prototype && proto !== null) || !('generator' in opts)) return checkOptions(spec, opts);
  const g = (opts as { generator?: unknown }).generator;
  if (g !== undefined && !(g instanceof Generator))
    throw new ValueError(`${spec.fn}: option generator must be a Generator, got ${describeValue(g)}`);
  checkOptions(spec, { ...opts, generator: undefined });
  return opts;
}

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
export const RESET_PARAMETERS = defineOptions('resetParameters', { generator: 'object' });
