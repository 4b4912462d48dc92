import { noteAllocation, takeBuffer } from './buffer-pool.js';
import { ValueError } from './errors.js';
import { describeValue } from './options.js';

/**
 * Element types a {@link Tensor} can hold.
 *
 * - `float32` (default) and `float64`: floating point, differentiable;
 * - `int32`: labels and indices;
 * - `bool`: masks, stored as one byte per element (0 or 1).
 *
 * Wherever a dtype is taken (creation options, {@link Tensor.to}), PyTorch's spellings are
 * accepted too (see {@link DTypeLike}): `'float'` is float32, `'double'` float64, and `'int'`,
 * `'int64'` and `'long'` are int32 (tapegrad has no 64-bit integers: a value outside int32's
 * range is refused rather than wrapped). `{ dtype: undefined }` means the function's default, as
 * PyTorch's `dtype=None` does. The constants {@link float32}, {@link float64}, {@link int32} and
 * {@link bool} name the four dtypes.
 *
 * @example
 * const dt: DType = 'float64';
 * zeros([2], { dtype: dt }).dtype; // 'float64'
 * tensor([1, 2], { dtype: 'int32' }).dtype; // 'int32'
 * tensor([1, 2], { dtype: 'int64' }).dtype; // 'int32'
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/**
 * A dtype as an argument may spell it: one of the four {@link DType}s, or PyTorch's aliases
 * `'float'` (float32), `'double'` (float64), `'int'`, `'int64'` and `'long'` (all int32).
 *
 * @example
 * const d: DTypeLike = 'long';
 * zeros([2], { dtype: d }).dtype; // 'int32'
 * parseDType('zeros', 'double'); // 'float64'
 */
export type DTypeLike = DType | 'float' | 'double' | 'int' | 'int64' | 'long';

/**
 * The `float32` dtype (32-bit floating point, the default), as a constant.
 *
 * @example
 * zeros([2], { dtype: float32 }).dtype; // 'float32'
 */
export const float32 = 'float32' satisfies DType;

/**
 * The `float64` dtype (64-bit floating point), as a constant.
 *
 * @example
 * zeros([2], { dtype: float64 }).dtype; // 'float64'
 */
export const float64 = 'float64' satisfies DType;

/**
 * The `int32` dtype (32-bit integers: labels and indices), as a constant.
 *
 * @example
 * tensor([1, 2], { dtype: int32 }).dtype; // 'int32'
 */
export const int32 = 'int32' satisfies DType;

/**
 * The `bool` dtype (masks, one byte per element), as a constant.
 *
 * @example
 * tensor([1, 0], { dtype: bool }).toArray(); // [true, false]
 */
export const bool = 'bool' satisfies DType;

/** Every accepted spelling of a dtype, mapped to the dtype (no prototype: 'constructor' is unknown). */
const DTYPE_NAMES: Readonly<Record<string, DType>> = Object.assign(Object.create(null) as Record<string, DType>, {
  float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool',
  float: 'float32', double: 'float64', int: 'int32', int64: 'int32', long: 'int32',
});

/**
 * Checks a dtype argument and returns the {@link DType} it names, with PyTorch's aliases
 * resolved ({@link DTypeLike}). Every function that takes a dtype calls it; callers treat
 * `undefined` as their default before calling.
 *
 * @throws ValueError `zeros: unknown dtype 'float16'; tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)`
 * @example
 * parseDType('zeros', 'int64'); // 'int32'
 * parseDType('zeros', 'float'); // 'float32'
 * let caught: unknown;
 * try { parseDType('zeros', 'float16'); } catch (e) { caught = e; }
 * (caught as ValueError).message; // "zeros: unknown dtype 'float16'; tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)"
 */
export function parseDType(op: string, value: unknown): DType {
  const d = typeof value === 'string' ? DTYPE_NAMES[value] : undefined;
  if (d !== undefined) return d;
  const shown = typeof value === 'string' ? `unknown dtype '${value}'` : `a dtype is a string, got ${describeValue(value)}`;
  throw new ValueError(
    `${op}: ${shown}; tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)`,
  );
}

/**
 * The typed array behind each {@link DType}.
 *
 * @example
 * const data: TypedArray = tensor([1, 2]).data;
 * data instanceof Float32Array; // true
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Maps a dtype to the typed array that stores it.
 *
 * @example
 * const a: DTypeArrayMap['int32'] = allocate('int32', 2);
 * a instanceof Int32Array; // true
 */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/**
 * All dtypes, in promotion order (a later one wins).
 *
 * @example
 * DTYPES; // ['bool', 'int32', 'float32', 'float64']
 */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/**
 * The dtype used when none is given and the data is floating point.
 *
 * @example
 * DEFAULT_FLOAT; // 'float32'
 * tensor([0.5]).dtype; // 'float32'
 */
export const DEFAULT_FLOAT: DType = 'float32';

/**
 * True for `float32` and `float64`, the dtypes that can require gradients.
 *
 * @example
 * isFloating('float64'); // true
 * isFloating('int32'); // false
 */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * Allocates a zero-filled typed array of `n` elements for `dtype`.
 *
 * @example
 * const a = allocate('int32', 3);
 * a instanceof Int32Array; // true
 * a.length; // 3
 */
export function allocate<D extends DType>(dtype: D, n: number): DTypeArrayMap[D];
export function allocate(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Node's `Buffer`, when present: its `allocUnsafeSlow` hands out memory without zero-filling it. */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): Uint8Array } }).Buffer;

/** Bytes per element of each dtype. */
const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Below this many bytes a zero-filled array is as cheap as an unfilled one. */
const UNINITIALIZED_MIN_BYTES = 1 << 16;

/**
 * Allocates a typed array of `n` elements for `dtype` whose contents are unspecified, for a
 * result that is about to be written in full (a kernel's output). Arrays of 64 KiB and more
 * reuse the buffer of a gradient the backward pass has finished with when one of the same size
 * is free; in Node, arrays of 1 MB and more then take a buffer that a worker thread has already
 * touched, if one of that size is ready (each such miss orders the next); otherwise they skip
 * the zero fill (`Buffer.allocUnsafeSlow`): for a fresh 4 MB result, filling and first touching
 * the memory costs more than the kernel itself. Small arrays are {@link allocate}d.
 *
 * @example
 * const out = allocateUninitialized('float32', 1 << 20);
 * out.fill(1); // every element must be written before it is read
 */
export function allocateUninitialized<D extends DType>(dtype: D, n: number): DTypeArrayMap[D];
export function allocateUninitialized(dtype: DType, n: number): TypedArray {
  const bytes = n * BYTES_PER_ELEMENT[dtype];
  if (bytes < UNINITIALIZED_MIN_BYTES) return allocate(dtype, n);
  const buffer = takeBuffer(bytes) ?? (nodeBuffer ? nodeBuffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer : new ArrayBuffer(bytes));
  noteAllocation(buffer);
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, 0, n);
    case 'float64': return new Float64Array(buffer, 0, n);
    case 'int32': return new Int32Array(buffer, 0, n);
    case 'bool': return new Uint8Array(buffer, 0, n);
  }
}

/**
 * The dtype of a typed array, or undefined for arrays tapegrad does not store directly.
 *
 * @example
 * dtypeOfArray(new Float64Array(2)); // 'float64'
 * dtypeOfArray(new Int16Array(2)); // undefined
 */
export function dtypeOfArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

/**
 * The result dtype of an operation on two tensors, following PyTorch's type promotion:
 * bool < int32 < float32 < float64.
 *
 * @example
 * promoteTypes('int32', 'float32'); // 'float32'
 * promoteTypes('bool', 'int32'); // 'int32'
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/**
 * The result dtype of an operation between a tensor of dtype `t` and a JavaScript number `x`
 * (a "wrapped scalar" in PyTorch's terms): the scalar only changes the category.
 * An integral tensor with a non-integer number becomes `float32`; a bool tensor with a
 * number becomes `int32` (integer number) or `float32`.
 *
 * @example
 * promoteWithScalar('int32', 0.5); // 'float32'
 * promoteWithScalar('int32', 2); // 'int32'
 * tensor([1, 2], { dtype: 'int32' }).mul(0.5).dtype; // 'float32'
 */
export function promoteWithScalar(t: DType, x: number | boolean): DType {
  if (typeof x === 'boolean') return t;
  if (isFloating(t)) return t;
  if (!Number.isInteger(x)) return DEFAULT_FLOAT;
  return t === 'bool' ? 'int32' : t;
}
