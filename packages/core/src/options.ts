import { ValueError } from './errors.js';
import { Generator } from './random.js';

/**
 * One option's accepted values, in a small notation compiled once by {@link defineOptions}:
 * alternatives joined by `|`, each one of
 * `boolean`, `number`, `integer`, `string`, `function`, `object` (a plain object), `array`,
 * `tensor`, `generator` (a {@link Generator}), `null`, `integer[]` / `number[]` / `string[]`, or a quoted string literal (`'mean'`).
 * `undefined` is always accepted and means "not given", as PyTorch's `None` does.
 *
 * @example
 * const t: OptionType = "integer|integer[]|null";
 * defineOptions('sum', { dim: t, reduction: "'mean'|'sum'" }).keys; // ['dim', 'reduction']
 */
export type OptionType = string;

/**
 * An option that PyTorch has but a function refuses, with the reason to print; made by
 * {@link unsupported}.
 *
 * @example
 * const u: UnsupportedOption = unsupported('sparse gradients are not supported', false);
 * u.unsupported; // 'sparse gradients are not supported'
 */
export interface UnsupportedOption {
  readonly unsupported: string;
  readonly accepts?: unknown;
}

/**
 * Marks an option as known but refused (an unsupported PyTorch option, or an old spelling), so
 * that passing it throws `reason` instead of "unknown option". `accepts`, when given, is the one
 * value let through (PyTorch's default, which asks for nothing this function lacks).
 *
 * @example
 * const spec = defineOptions('Embedding', { maxNorm: 'number', sparse: unsupported('sparse gradients are not supported', false) });
 * let caught: unknown;
 * try { checkOptions(spec, { sparse: true }); } catch (e) { caught = e; }
 * (caught as ValueError).message; // 'Embedding: sparse gradients are not supported'
 * checkOptions(spec, { sparse: false }); // PyTorch's default passes
 */
export function unsupported(reason: string, accepts?: unknown): UnsupportedOption {
  return { unsupported: reason, accepts };
}

type Check = (value: unknown) => boolean;

/** The tensor test, set by tensor.ts (importing Tensor here would make a module cycle). */
let isTensor: Check = () => false;

/** @internal Called once by tensor.ts. */
export function setTensorCheck(check: Check): void {
  isTensor = check;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const ATOMS: Record<string, Check> = {
  boolean: (v) => typeof v === 'boolean',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  string: (v) => typeof v === 'string',
  function: (v) => typeof v === 'function',
  object: isPlainObject,
  array: (v) => Array.isArray(v),
  tensor: (v) => isTensor(v),
  generator: (v) => v instanceof Generator,
  null: (v) => v === null,
  'integer[]': (v) => Array.isArray(v) && v.every((x) => Number.isInteger(x)),
  'number[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'number'),
  'string[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
};

interface CompiledOption {
  readonly check: Check;
  readonly expected: string;
  readonly unsupported?: string;
  readonly accepts?: unknown;
}

/**
 * The compiled options of one function: made once at module load by {@link defineOptions},
 * used on every call by {@link checkOptions}.
 *
 * @example
 * const spec: OptionSpec = defineOptions('mean', { keepdim: 'boolean' });
 * spec.fn; // 'mean'
 */
export interface OptionSpec {
  /** The function's name, which every error starts with. */
  readonly fn: string;
  /** The option names, in the order given. */
  readonly keys: readonly string[];
}

/** Each spec's compiled checks, kept out of the public type. */
const compiled = new WeakMap<OptionSpec, ReadonlyMap<string, CompiledOption>>();

function compile(fn: string, key: string, type: OptionType): Check {
  const checks = type.split('|').map((alt) => {
    const literal = /^'(.*)'$/.exec(alt);
    if (literal) {
      const value = literal[1];
      return (v: unknown) => v === value;
    }
    const atom = ATOMS[alt];
    if (!atom) throw new Error(`defineOptions: ${fn}: option ${key} has an unknown type '${alt}'`);
    return atom;
  });
  return checks.length === 1 ? checks[0]! : (v) => checks.some((c) => c(v));
}

function describeType(type: OptionType): string {
  const names = type.split('|').map((alt) => {
    if (alt.startsWith("'")) return alt;
    if (alt === 'integer[]') return 'an array of integers';
    if (alt === 'number[]') return 'an array of numbers';
    if (alt === 'string[]') return 'an array of strings';
    if (alt === 'null') return 'null';
    if (alt === 'object') return 'a plain object';
    if (alt === 'array') return 'an array';
    if (alt === 'integer') return 'an integer';
    if (alt === 'generator') return 'a Generator';
    return `a ${alt}`;
  });
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Compiles the option names and types a function accepts; pass the result to
 * {@link checkOptions} on every call. Define it once, at module level: checking then costs a
 * few property reads per given option.
 *
 * @example
 * const MEAN = defineOptions('mean', { keepdim: 'boolean' });
 * checkOptions(MEAN, { keepdim: true }); // { keepdim: true }
 */
export function defineOptions(fn: string, types: Readonly<Record<string, OptionType | UnsupportedOption>>): OptionSpec {
  const options = new Map<string, CompiledOption>();
  for (const [key, type] of Object.entries(types)) {
    if (typeof type === 'string') options.set(key, { check: compile(fn, key, type), expected: describeType(type) });
    else options.set(key, { check: (v) => v === type.accepts, expected: '', unsupported: type.unsupported });
  }
  const spec: OptionSpec = { fn, keys: Object.keys(types) };
  compiled.set(spec, options);
  return spec;
}

/** Edit distance, for "did you mean" (option names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function suggestion(key: string, keys: readonly string[]): string {
  const lower = key.toLowerCase().replace(/_/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of keys) {
    const d = k.toLowerCase() === lower ? 0 : distance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, key.length / 3) ? ` (did you mean '${best}'?)` : '';
}

/**
 * Prints a value as tapegrad's error messages show it: strings quoted, numbers and booleans with
 * their type, objects by kind.
 *
 * @example
 * describeValue('false'); // "'false' (a string)"
 * describeValue(0.1); // '0.1 (a number)'
 * describeValue(ones([2])); // 'a Tensor'
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}' (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${String(v)} (a ${typeof v})`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array [${v.slice(0, 4).map(String).join(', ')}${v.length > 4 ? ', ...' : ''}]`;
  if (isTensor(v)) return 'a Tensor';
  if (typeof v === 'function') return 'a function';
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

const NO_OPTIONS = Object.freeze({});

/**
 * Checks an options argument against its {@link OptionSpec} and returns it (an empty object
 * when `opts` is `undefined`). Throws a {@link ValueError} naming the function when `opts` is
 * not a plain object (a positional boolean or number, as PyTorch code passes them), when a key
 * is unknown (listing the known ones and suggesting the close spelling), when a value has the
 * wrong type, and when an option is known but unsupported.
 *
 * @throws ValueError `mean: unknown option 'keepDim' (did you mean 'keepdim'?); mean takes keepdim`
 * @example
 * const MEAN = defineOptions('mean', { keepdim: 'boolean' });
 * checkOptions(MEAN, undefined); // {}
 * let caught: unknown;
 * try { checkOptions(MEAN, { keepdim: 'false' }); } catch (e) { caught = e; }
 * (caught as ValueError).message; // "mean: option keepdim must be a boolean, got 'false' (a string)"
 */
export function checkOptions<T extends object>(spec: OptionSpec, opts: T | undefined): T {
  if (opts === undefined) return NO_OPTIONS as T;
  if (!isPlainObject(opts)) {
    throw new ValueError(
      `${spec.fn}: expected an options object such as { ${spec.keys[0] ?? ''}: ... }, got ${describeValue(opts)}` +
        (spec.keys.length > 0 ? `; ${spec.fn} takes ${spec.keys.join(', ')}` : ''),
    );
  }
  const options = compiled.get(spec)!;
  for (const key in opts) {
    const value = (opts as Record<string, unknown>)[key];
    const option = options.get(key);
    if (option === undefined) {
      const known = spec.keys.length > 0 ? `${spec.fn} takes ${spec.keys.join(', ')}` : `${spec.fn} takes no options`;
      throw new ValueError(`${spec.fn}: unknown option '${key}'${suggestion(key, spec.keys)}; ${known}`);
    }
    if (value === undefined) continue;
    if (option.check(value)) continue;
    if (option.unsupported !== undefined) throw new ValueError(`${spec.fn}: ${option.unsupported}`);
    throw new ValueError(`${spec.fn}: option ${key} must be ${option.expected}, got ${describeValue(value)}`);
  }
  return opts;
}
