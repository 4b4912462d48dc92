import { allocate, dtypeOfArray, isFloating, parseDType, type DType, type DTypeLike, type TypedArray } from './dtype.js';
import { ValueError, fmtShape } from './errors.js';
import { MAX_DIMS, checkRank, checkShape, fmtShapeShort, sizeOf, type Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';
import { defaultGenerator, Generator } from './random.js';
import { allocatePinned } from './pinned.js';
import { checkOptions, defineOptions, describeValue, type OptionSpec, type OptionType } from './options.js';

/**
 * Options of the creation functions.
 *
 * @example
 * const w = zeros([2], { dtype: 'float64', requiresGrad: true });
 * w.dtype; // 'float64'
 * w.requiresGrad; // true
 */
export interface CreateOptions {
  /**
   * Element type (float32 unless the function says otherwise; `undefined` is that default).
   * PyTorch's aliases are accepted: `'int64'` and `'long'` give int32 (see {@link DType}).
   */
  dtype?: DTypeLike;
  /** Record operations on the new tensor for autograd (float dtypes only). */
  requiresGrad?: boolean;
  /**
   * Place the data in pinned memory, where the WebAssembly kernels use it without copying
   * (PyTorch's `pin_memory`); see {@link Tensor.pinMemory}. Ignored where there is none.
   */
  pinMemory?: boolean;
}

/**
 * Options of the random creation functions.
 *
 * @example
 * const g = new Generator(1);
 * randn([2], { generator: g, dtype: 'float64' }).dtype; // 'float64'
 */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the global one seeded by {@link manualSeed}). */
  generator?: Generator;
}

const CREATE_TYPES: Record<string, OptionType> = { dtype: 'string', requiresGrad: 'boolean', pinMemory: 'boolean' };

/** The checked options of each creation function, made once. */
const SPECS: Record<string, OptionSpec> = {};
for (const op of ['full', 'zeros', 'ones', 'zerosLike', 'onesLike', 'fullLike', 'arange', 'linspace', 'eye'])
  SPECS[op] = defineOptions(op, CREATE_TYPES);
SPECS.tensor = defineOptions('tensor', { ...CREATE_TYPES, shape: 'array' });
// generator is listed here; its value (a Generator, not a plain object) is checked by randomOptions.
for (const op of ['rand', 'randn', 'randint', 'randperm'])
  SPECS[op] = defineOptions(op, { ...CREATE_TYPES, generator: 'object' });

/** Checks the options of creation function `op` and returns them. */
function createOptions<T extends CreateOptions>(op: string, opts: T | undefined): T {
  return checkOptions(SPECS[op]!, opts);
}

/** Checks the options of random creation function `op`, whose generator must be a {@link Generator}. */
function randomOptions(op: string, opts: RandomOptions | undefined): RandomOptions {
  const g = (opts as { generator?: unknown } | undefined)?.generator;
  if (g === undefined || Object.getPrototypeOf(opts) !== Object.prototype) return checkOptions(SPECS[op]!, opts);
  if (!(g instanceof Generator)) throw new ValueError(`${op}: option generator must be a Generator, got ${describeValue(g)}`);
  const { generator: _, ...rest } = opts!;
  checkOptions(SPECS[op]!, rest);
  return opts!;
}

/**
 * The shape and options of a creation function that takes its shape either as one array
 * (`zeros([2, 3], opts)`) or as numbers (`zeros(2, 3, opts)`), as PyTorch's `*size` does.
 */
function sizeArgs<O>(op: string, args: readonly unknown[]): [Shape, O | undefined] {
  const first = args[0];
  if (Array.isArray(first)) {
    if (args.length > 2)
      throw new ValueError(`${op}: expected (shape, options), got ${args.length} arguments (a shape array, then ${describeValue(args[1])}, ...)`);
    return [first as Shape, args[1] as O | undefined];
  }
  if (args.length === 0) throw new ValueError(`${op}: expected a shape, such as ${op}([2, 3]) or ${op}(2, 3)`);
  // Sizes as numbers, then maybe an options object (checked as such by checkOptions).
  const last = typeof args[args.length - 1] === 'number' ? args.length : args.length - 1;
  for (let i = 0; i < last; i++)
    if (typeof args[i] !== 'number')
      throw new ValueError(
        `${op}: expected sizes as numbers or one shape array, got ${describeValue(args[i])} as argument ${i + 1}`,
      );
  if (last === 0) throw new ValueError(`${op}: expected a shape, such as ${op}([2, 3]) or ${op}(2, 3), got ${describeValue(first)}`);
  return [args.slice(0, last) as number[], args[last] as O | undefined];
}

/** Refuses a shape given as a number where only the array form is accepted (`full`, `randint`). */
function shapeArray(op: string, shape: unknown, example: string): Shape {
  if (Array.isArray(shape)) return shape as Shape;
  throw new ValueError(`${op}: shape must be an array such as ${example}, got ${describeValue(shape)}`);
}

/** Bytes per element of each dtype. */
const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** The most elements one typed array holds in V8 (Node, Chrome). */
const MAX_ELEMENTS = 2 ** 32 - 1;

function formatBytes(bytes: number): string {
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes < 1e12) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes < 1e15) return `${(bytes / 1e12).toFixed(2)} TB`;
  return `${bytes.toExponential(2)} bytes`;
}

/**
 * Allocates the data of a new `shape` tensor for creation function `op`. A size no typed array
 * can hold, or memory the engine refuses, is a ValueError naming the shape and the bytes, where
 * the engine would throw a bare RangeError.
 */
function allocateFor(op: string, shape: Shape, dtype: DType, pinned = false): TypedArray {
  const n = sizeOf(shape);
  const need = (): string =>
    `shape ${fmtShapeShort(shape)}${shape.length === 1 ? '' : ` (${n} elements)`} needs ${formatBytes(n * ITEM_BYTES[dtype])} of ${dtype}`;
  if (n > MAX_ELEMENTS)
    throw new ValueError(`${op}: ${need()}, more than one JavaScript typed array can hold (${MAX_ELEMENTS} elements)`);
  try {
    return pinned ? allocatePinned(dtype, n) : allocate(dtype, n);
  } catch (e) {
    if (e instanceof RangeError) throw new ValueError(`${op}: ${need()}, which could not be allocated (${e.message})`);
    throw e;
  }
}

/** Refuses a bound that is not a finite number (NaN, inf, or an options object in its place). */
function checkFinite(op: string, name: string, v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new ValueError(`${op}: ${name} must be a finite number, got ${describeValue(v)}`);
}

/** The dtype option of `op`: `fallback` when not given, else the dtype it names. */
function dtypeOption(op: string, dtype: unknown, fallback: DType): DType {
  return dtype === undefined ? fallback : parseDType(op, dtype);
}

/** Refuses a value an Int32Array would wrap silently (PyTorch's int64 data is stored as int32). */
function checkInt32(op: string, value: number, index?: number): void {
  if (value >= -2147483648 && value <= 2147483647) return;
  throw new ValueError(
    `${op}: value ${value}${index === undefined ? '' : ` (at flat index ${index})`} does not fit in int32 (int64/long are stored as int32)`,
  );
}

/** Applies the options every creation function takes: pinned memory (a copy unless the data is pinned already), then requiresGrad. */
function finish(t: Tensor, opts: CreateOptions): Tensor {
  const out = opts.pinMemory ? t.pinMemory() : t;
  if (opts.requiresGrad) out.requiresGrad = true;
  return out;
}

function inferNested(data: unknown, op: string): { shape: number[]; flat: Array<number | boolean> } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
    // An array nested deeper than a tensor can be is refused below; stop early on one that holds itself.
    if (shape.length > 100 * MAX_DIMS) break;
  }
  checkRank(op, shape);
  const flat: Array<number | boolean> = [];
  const walk = (x: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof x !== 'number' && typeof x !== 'boolean')
        throw new ValueError(`${op}: expected a number or boolean at ${path || 'the top'}, got ${Array.isArray(x) ? 'an array' : typeof x}`);
      flat.push(x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth])
      throw new ValueError(
        `${op}: ragged nested array: expected length ${shape[depth]} at ${path || 'the top'}, got ${Array.isArray(x) ? x.length : typeof x}`,
      );
    x.forEach((v, i) => walk(v, depth + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return { shape, flat };
}

/**
 * Creates a tensor from nested arrays, a typed array or a number.
 *
 * Numbers give `float32` unless `dtype` says otherwise (JavaScript has no integer type to infer
 * from); booleans give `bool`; a `Float32Array`, `Float64Array` or `Int32Array` keeps its dtype
 * and is copied. A typed array is 1-D unless `shape` is given.
 *
 * @throws ValueError for ragged arrays or data that does not fill `shape`
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const labels = tensor([0, 2, 1], { dtype: 'int32' });
 * const img = tensor(new Float32Array(784), { shape: [1, 28, 28] });
 * x.shape; // [2, 2]
 * labels.dtype; // 'int32'
 * img.shape; // [1, 28, 28]
 */
export function tensor(
  data: NestedArray | TypedArray | ArrayLike<number>,
  opts?: CreateOptions & { shape?: Shape },
): Tensor {
  opts = createOptions('tensor', opts);
  let values: ArrayLike<number | boolean>;
  let shape: number[];
  let inferred: DType;
  if (ArrayBuffer.isView(data)) {
    const arr = data as unknown as ArrayLike<number> & ArrayBufferView;
    values = arr;
    shape = [arr.length];
    const d = dtypeOfArray(arr);
    inferred = d === undefined || d === 'bool' ? 'float32' : d;
  } else if (typeof data === 'number' || typeof data === 'boolean') {
    values = [data];
    shape = [];
    inferred = typeof data === 'boolean' ? 'bool' : 'float32';
  } else {
    const r = inferNested(data, 'tensor');
    values = r.flat;
    shape = r.shape;
    inferred = r.flat.length > 0 && r.flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32';
  }
  if (opts.shape) {
    const s = checkShape('tensor', opts.shape);
    if (sizeOf(s) !== values.length)
      throw new ValueError(`tensor: ${values.length} values do not fill shape ${fmtShape(s)}`);
    shape = s;
  }
  const dtype = dtypeOption('tensor', opts.dtype, inferred);
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (dtype === 'int32') checkInt32('tensor', n, i);
    out[i] = dtype === 'bool' ? (n !== 0 ? 1 : 0) : n; // NaN is non-zero: true
  }
  return finish(Tensor.fromData(out, shape, dtype), opts);
}

/** The body of {@link full} and its kin: `op` names the errors, `fallback` is the default dtype. */
function filled(op: string, shape: Shape, value: number, opts: CreateOptions | undefined, fallback: DType): Tensor {
  opts = createOptions(op, opts);
  const s = checkShape(op, shape);
  const dtype = dtypeOption(op, opts.dtype, fallback);
  if (dtype === 'int32') checkInt32(op, value);
  const data = allocateFor(op, s, dtype, opts.pinMemory === true);
  if (value !== 0) data.fill(dtype === 'bool' ? 1 : value); // any non-zero, NaN included, is true
  return finish(Tensor.fromData(data, s, dtype), opts);
}

/**
 * A tensor of `shape` filled with `value`. The shape is always an array here (`full(2, 3)`
 * would be ambiguous).
 *
 * @throws ValueError `full: shape must be an array such as [2, 3] (full([2, 3], value)), got 2 (a number)`
 * @example
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 */
export function full(shape: Shape, value: number, opts?: CreateOptions): Tensor {
  return filled('full', shapeArray('full', shape, '[2, 3] (full([2, 3], value))'), value, opts, 'float32');
}

/**
 * A tensor of zeros. The shape is an array or the sizes as numbers, as PyTorch's:
 * `zeros([2, 3])`, `zeros(2, 3)`, `zeros(2, 3, { dtype: 'float64' })`.
 *
 * @throws ValueError `zeros: invalid shape [2,-1]: sizes must be non-negative integers`
 * @example
 * zeros([2, 3]).shape; // [2, 3]
 * zeros(2, 3).shape; // [2, 3]
 * zeros([2], { dtype: 'int32' }).toArray(); // [0, 0]
 * zeros(2, { dtype: 'int32' }).toArray(); // [0, 0]
 */
export function zeros(shape: Shape, opts?: CreateOptions): Tensor;
export function zeros(...sizes: number[]): Tensor;
export function zeros(...sizesThenOptions: [...sizes: number[], opts: CreateOptions | undefined]): Tensor;
export function zeros(...args: unknown[]): Tensor {
  const [shape, opts] = sizeArgs<CreateOptions>('zeros', args);
  return filled('zeros', shape, 0, opts, 'float32');
}

/**
 * A tensor of ones. The shape is an array or the sizes as numbers: `ones([2, 3])`, `ones(2, 3)`,
 * `ones(2, 3, { dtype: 'float64' })`.
 *
 * @example
 * ones([3]).toArray(); // [1, 1, 1]
 * ones(1, 2).toArray(); // [[1, 1]]
 */
export function ones(shape: Shape, opts?: CreateOptions): Tensor;
export function ones(...sizes: number[]): Tensor;
export function ones(...sizesThenOptions: [...sizes: number[], opts: CreateOptions | undefined]): Tensor;
export function ones(...args: unknown[]): Tensor {
  const [shape, opts] = sizeArgs<CreateOptions>('ones', args);
  return filled('ones', shape, 1, opts, 'float32');
}

/**
 * Zeros of `t`'s shape and (unless given) dtype.
 *
 * @example
 * zerosLike(tensor([[1, 2]], { dtype: 'int32' })).toArray(); // [[0, 0]]
 * zerosLike(tensor([1, 2], { dtype: 'int32' })).dtype; // 'int32'
 */
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filled('zerosLike', t.shape, 0, opts, t.dtype);
}

/**
 * Ones of `t`'s shape and (unless given) dtype.
 *
 * @example
 * onesLike(zeros([2, 2])).toArray(); // [[1, 1], [1, 1]]
 */
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return filled('onesLike', t.shape, 1, opts, t.dtype);
}

/**
 * `value` in `t`'s shape and (unless given) dtype.
 *
 * @example
 * fullLike(zeros([3]), 7).toArray(); // [7, 7, 7]
 */
export function fullLike(t: Tensor, value: number, opts?: CreateOptions): Tensor {
  return filled('fullLike', t.shape, value, opts, t.dtype);
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`; `arange(n)` is 0..n-1.
 * The dtype is int32 when all arguments are integers, float32 otherwise. The options object
 * may follow any of the numbers: `arange(5, { dtype: 'float64' })`.
 *
 * @throws ValueError `arange: step must be non-zero` or when the step points away from end
 * @throws ValueError `arange: end must be a finite number, got NaN (a number)`
 * @throws ValueError `arange: shape [1000000000000] needs 4.00 TB of float32, more than one JavaScript typed array can hold (4294967295 elements)`
 * @example
 * arange(5).toArray();         // [0, 1, 2, 3, 4]
 * arange(0, 1, 0.25).toArray(); // [0, 0.25, 0.5, 0.75]
 * arange(3, { dtype: 'float64' }).dtype; // 'float64'
 */
export function arange(end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end?: number, step?: number, opts?: CreateOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  // Numbers (end; start, end; start, end, step), then maybe the options object.
  let count = 0;
  while (count < 3 && count < args.length && typeof args[count] !== 'object') count++;
  if (args.length > count + 1)
    throw new ValueError(`arange: expected (start, end, step, options), got ${args.length} arguments`);
  const opts = createOptions('arange', args[count] as CreateOptions | undefined);
  const [a, b, c] = args.slice(0, count);
  const oneBound = b === undefined; // arange(end)
  const start = oneBound ? 0 : checkFinite('arange', 'start', a);
  const end = checkFinite('arange', 'end', oneBound ? a : b);
  const step = count < 3 || c === undefined ? 1 : checkFinite('arange', 'step', c);
  if (step === 0) throw new ValueError('arange: step must be non-zero');
  if ((end - start) / step < 0)
    throw new ValueError(`arange: step ${step} points away from end (start=${start}, end=${end})`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = dtypeOption('arange', opts.dtype, [start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  if (dtype === 'int32' && n > 0 && n <= MAX_ELEMENTS) {
    checkInt32('arange', start);
    checkInt32('arange', start + (n - 1) * step);
  }
  const data = allocateFor('arange', [n], dtype);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(Tensor.fromData(data, [n], dtype), opts);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @example
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  opts = createOptions('linspace', opts);
  checkFinite('linspace', 'start', start);
  checkFinite('linspace', 'end', end);
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(`linspace: steps must be a non-negative integer, got ${describeValue(steps)}`);
  const dtype = dtypeOption('linspace', opts.dtype, 'float32');
  if (dtype === 'int32' && steps > 0) {
    checkInt32('linspace', start);
    checkInt32('linspace', end);
  }
  const data = allocateFor('linspace', [steps], dtype);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends so the last value is exactly `end`.
  for (let i = 0; i < steps; i++) data[i] = i < steps / 2 ? start + i * delta : end - (steps - 1 - i) * delta;
  return finish(Tensor.fromData(data, [steps], dtype), opts);
}

/**
 * The `n` x `m` identity matrix (ones on the diagonal); `m` defaults to `n`, and the options
 * object may come second: `eye(3, { dtype: 'int32' })`.
 *
 * @example
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * eye(2, { dtype: 'int32' }).toArray(); // [[1, 0], [0, 1]]
 */
export function eye(n: number, opts?: CreateOptions): Tensor;
export function eye(n: number, m?: number, opts?: CreateOptions): Tensor;
export function eye(n: number, second?: number | CreateOptions, third?: CreateOptions): Tensor {
  const optsSecond = typeof second === 'object' && second !== null;
  if (optsSecond && third !== undefined) throw new ValueError(`eye: expected (n, m, options), got options then ${describeValue(third)}`);
  const m = optsSecond || second === undefined ? n : second;
  const opts = optsSecond ? second : third;
  const t = filled('eye', [n, m], 0, opts, 'float32');
  const d = t.data;
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return t;
}

function randomTensor(op: string, shape: Shape, opts: RandomOptions | undefined, draw: (g: Generator, out: Float32Array | Float64Array) => void): Tensor {
  opts = randomOptions(op, opts);
  const s = checkShape(op, shape);
  const dtype = dtypeOption(op, opts.dtype, 'float32');
  if (!isFloating(dtype)) throw new ValueError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const g = opts.generator ?? defaultGenerator;
  const data = allocateFor(op, s, dtype) as Float32Array | Float64Array;
  draw(g, data);
  if (dtype === 'float32') {
    // Rounding to float32 can turn 0.99999999 into 1; keep rand in [0, 1).
    if (op === 'rand') for (let i = 0; i < data.length; i++) if (data[i] === 1) data[i] = 0.99999994;
  }
  return finish(Tensor.fromData(data, s, dtype), opts);
}

/**
 * Uniform samples from [0, 1). The shape is an array or the sizes as numbers: `rand([2, 3])`,
 * `rand(2, 3)`, `rand(2, 3, { generator })`.
 *
 * @example
 * manualSeed(0);
 * const a = rand([2, 3]); // uniform in [0, 1)
 * manualSeed(0);
 * rand([2, 3]).sub(a).abs().max().item(); // 0 (same values on every run)
 */
export function rand(shape: Shape, opts?: RandomOptions): Tensor;
export function rand(...sizes: number[]): Tensor;
export function rand(...sizesThenOptions: [...sizes: number[], opts: RandomOptions | undefined]): Tensor;
export function rand(...args: unknown[]): Tensor {
  const [shape, opts] = sizeArgs<RandomOptions>('rand', args);
  return randomTensor('rand', shape, opts, (g, out) => g.fillRandom(out));
}

/**
 * Standard normal samples N(0, 1). The shape is an array or the sizes as numbers:
 * `randn([2, 3])`, `randn(2, 3)`, `randn(2, 3, { dtype: 'float64' })`.
 *
 * @example
 * const w = randn([3, 3], { generator: new Generator(1) });
 * w.shape; // [3, 3]
 * randn(2, 3, { dtype: 'float64' }).shape; // [2, 3]
 * randn([10000]).std().item(); // about 1
 */
export function randn(shape: Shape, opts?: RandomOptions): Tensor;
export function randn(...sizes: number[]): Tensor;
export function randn(...sizesThenOptions: [...sizes: number[], opts: RandomOptions | undefined]): Tensor;
export function randn(...args: unknown[]): Tensor {
  const [shape, opts] = sizeArgs<RandomOptions>('randn', args);
  return randomTensor('randn', shape, opts, (g, out) => {
    for (let i = 0; i < out.length; i++) out[i] = g.normal();
  });
}

/**
 * Uniform integers in [low, high), int32 by default. As in PyTorch, the shape comes after the
 * bounds and is always an array; `randint(high, shape)` draws from [0, high).
 *
 * @throws ValueError `randint: expected low < high, got low=3, high=3`
 * @throws ValueError `randint: shape must be an array such as [5] (randint(low, high, [5])), got 5 (a number)`
 * @example
 * randint(0, 10, [5]).dtype; // 'int32'
 * randint(0, 10, [5]).shape; // [5]
 * randint(6, [2, 2]).shape; // [2, 2] (values in 0..5)
 */
export function randint(low: number, high: number, shape: Shape, opts?: RandomOptions): Tensor;
export function randint(high: number, shape: Shape, opts?: RandomOptions): Tensor;
export function randint(first: number, second: number | Shape, third?: Shape | RandomOptions, fourth?: RandomOptions): Tensor {
  let low = first, high: unknown = second, shape: unknown = third, opts: unknown = fourth;
  if (Array.isArray(second)) {
    if (fourth !== undefined) throw new ValueError(`randint: expected (high, shape, options) after a shape in second place, got a fourth argument ${describeValue(fourth)}`);
    [low, high, shape, opts] = [0, first, second, third];
  }
  const o = randomOptions('randint', opts as RandomOptions | undefined);
  if (!Number.isInteger(low) || !Number.isInteger(high))
    throw new ValueError(`randint: low and high must be integers, got low=${describeValue(low)}, high=${describeValue(high)}`);
  const hi = high as number;
  if (!(hi > low)) throw new ValueError(`randint: expected low < high, got low=${low}, high=${hi}`);
  const s = checkShape('randint', shapeArray('randint', shape, '[5] (randint(low, high, [5]))'));
  const dtype = dtypeOption('randint', o.dtype, 'int32');
  if (dtype === 'int32') {
    checkInt32('randint', low);
    checkInt32('randint', hi - 1);
  }
  const g = o.generator ?? defaultGenerator;
  const data = allocateFor('randint', s, dtype);
  for (let i = 0; i < data.length; i++) data[i] = g.randint(low, hi);
  return finish(Tensor.fromData(data, s, dtype), o);
}

/**
 * A random permutation of 0..n-1 (Fisher-Yates), int32.
 *
 * @example
 * randperm(4).toArray(); // e.g. [2, 0, 3, 1]
 * randperm(5).sum().item(); // 10 (each of 0..4 once)
 */
export function randperm(n: number, opts?: RandomOptions): Tensor {
  opts = randomOptions('randperm', opts);
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm: n must be a non-negative integer, got ${n}`);
  const dtype = dtypeOption('randperm', opts.dtype, 'int32');
  const g = opts.generator ?? defaultGenerator;
  const p = allocateFor('randperm', [n], 'int32') as Int32Array;
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  const t = Tensor.fromData(p, [n], 'int32');
  return finish(dtype !== 'int32' ? t.to(dtype) : t, opts);
}
