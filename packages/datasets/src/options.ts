// Options checking for the datasets functions: core's checkOptions, plus the one type its
// notation lacks here, a Generator (a class instance, which the 'object' type refuses).
import { Generator, ValueError, checkOptions, describeValue, type OptionSpec } from '@tapegrad/core';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * checkOptions(spec, opts), where the option `generator` (listed in `spec` with any type) must
 * be a core Generator. Returns `opts`, or an empty object when it is undefined.
 */
export function checkDatasetOptions<T extends object>(spec: OptionSpec, opts: T | undefined): T {
  if (!isPlainObject(opts) || !Object.hasOwn(opts, 'generator')) return checkOptions(spec, opts);
  checkOptions(spec, { ...opts, generator: undefined });
  const g = opts.generator;
  if (g !== undefined && !(g instanceof Generator))
    throw new ValueError(`${spec.fn}: option generator must be a Generator, got ${describeValue(g)}`);
  return opts as T;
}
