import { Tensor, ValueError, checkOptions, defineOptions, describeValue, type OptionSpec, type OptionType } from '@tapegrad/core';

/** An option whose values core's type notation cannot name (a class instance, a Map, a stream). */
export interface CustomOption {
  readonly test: (v: unknown) => boolean;
  readonly expected: string;
}

/**
 * An option checked by `test`, printed as `expected` in the error (`an optimizer with zeroGrad() and step()`).
 *
 * @internal
 */
export function custom(expected: string, test: (v: unknown) => boolean): CustomOption {
  return { test, expected };
}

/**
 * Options of one train function: core's spec for the plain types, plus the custom checks.
 *
 * @internal
 */
export interface TrainOptionSpec {
  readonly spec: OptionSpec;
  readonly custom: ReadonlyArray<readonly [string, CustomOption]>;
}

/**
 * {@link defineOptions} with options that need their own test (see {@link custom}); define it
 * once at module level and pass it to {@link checkTrainOptions}.
 *
 * @internal
 */
export function defineTrainOptions(fn: string, types: Readonly<Record<string, OptionType | CustomOption>>): TrainOptionSpec {
  const plain: Record<string, OptionType> = {};
  const customs: Array<readonly [string, CustomOption]> = [];
  for (const [key, type] of Object.entries(types)) {
    if (typeof type === 'string') plain[key] = type;
    else {
      plain[key] = 'null'; // only undefined reaches core's check (see checkTrainOptions)
      customs.push([key, type]);
    }
  }
  return { spec: defineOptions(fn, plain), custom: customs };
}

/**
 * {@link checkOptions} for a {@link TrainOptionSpec}: refuses a non-object, unknown keys (with
 * core's did-you-mean) and wrong-typed values, the custom ones included.
 *
 * @internal
 */
export function checkTrainOptions<T extends object>(s: TrainOptionSpec, opts: T | undefined): T {
  const o = opts as Record<string, unknown> | undefined;
  if (!isPlainObject(o) || s.custom.length === 0) return checkOptions(s.spec, opts);
  let rest: Record<string, unknown> | null = null;
  for (const [key] of s.custom)
    if (o[key] !== undefined) {
      rest ??= { ...o };
      rest[key] = undefined;
    }
  checkOptions(s.spec, rest ?? o);
  for (const [key, c] of s.custom) {
    const v = o[key];
    if (v !== undefined && !c.test(v)) throw new ValueError(`${s.spec.fn}: option ${key} must be ${c.expected}, got ${describeValue(v)}`);
  }
  return opts as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Throws unless `x` is a Tensor: `accuracy: outputs must be a Tensor, got an array [1, 2]`.
 *
 * @internal
 */
export function requireTensor(fn: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${fn}: ${name} must be a Tensor, got ${describeValue(x)}`);
}

/**
 * Throws unless `v` is a number: `logEpoch: seconds must be a number, got '1.2' (a string)`.
 *
 * @internal
 */
export function requireNumber(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new ValueError(`${fn}: ${name} must be a number, got ${describeValue(v)}`);
}

/**
 * Throws unless `v` is an integer.
 *
 * @internal
 */
export function requireInteger(fn: string, name: string, v: unknown): asserts v is number {
  if (!Number.isInteger(v)) throw new ValueError(`${fn}: ${name} must be an integer, got ${describeValue(v)}`);
}

/**
 * Throws unless `v` is a string.
 *
 * @internal
 */
export function requireString(fn: string, name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new ValueError(`${fn}: ${name} must be a string, got ${describeValue(v)}`);
}

/**
 * True for a non-null object that is not an array.
 *
 * @internal
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
