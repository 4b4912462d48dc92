import type { Tensor } from '../tensor.js';
import { defineOptions, type OptionSpec } from '../options.js';

/**
 * A tensor, or a JavaScript number used as a scalar (broadcast to any shape).
 *
 * @example
 * const t: TensorLike = 2;
 * add(tensor([1, 2]), t).toArray(); // [3, 4]
 */
export type TensorLike = Tensor | number;

/**
 * One dim or several; negative dims count from the end.
 *
 * @example
 * const d: Dims = [0, 1];
 * sum(ones([2, 3, 4]), d).toArray(); // [6, 6, 6, 6]
 * sum(ones([2, 3, 4]), -1).shape; // [2, 3]
 */
export type Dims = number | readonly number[];

/**
 * Options of reductions.
 *
 * @example
 * mean(ones([2, 3]), 1, { keepdim: true }).shape; // [2, 1]
 * mean(ones([2, 3]), 1).shape; // [2]
 */
export interface ReduceOptions {
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

/** The checked options of each reduction that takes {@link ReduceOptions}. @internal */
export function reduceOptions(op: string): OptionSpec {
  return defineOptions(op, { keepdim: 'boolean' });
}

/** The checked options of each element-wise op that takes {@link OutOptions}. @internal */
export function outOptions(op: string): OptionSpec {
  return defineOptions(op, { out: 'tensor' });
}

/**
 * One entry of {@link Tensor.slice}: a number selects (and drops the dim), null keeps the dim, `[start, end, step]` slices.
 *
 * @example
 * const spec: SliceSpec[] = [null, [0, 3, 2]];
 * slice(arange(8).reshape([2, 4]), spec).toArray(); // [[0, 2], [4, 6]]
 */
export type SliceSpec = number | null | readonly [start?: number | null, end?: number | null, step?: number];

/**
 * Options of {@link conv2d}. A number means the same for height and width.
 *
 * @example
 * const opts: Conv2dOptions = { stride: 2, padding: 1 };
 * conv2d(ones([1, 1, 5, 5]), ones([1, 1, 3, 3]), null, opts).shape; // [1, 1, 3, 3]
 */
export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}

/**
 * Options of {@link maxPool2d} and {@link avgPool2d}. `stride` defaults to the kernel size.
 *
 * @example
 * const opts: Pool2dOptions = { stride: 1 };
 * maxPool2d(ones([1, 1, 6, 6]), 3, opts).shape; // [1, 1, 4, 4]
 */
export interface Pool2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  /**
   * PyTorch's `ceil_mode`: round the output size up instead of down (default false); a last
   * window that would start past the input and its left padding is dropped.
   */
  ceilMode?: boolean;
}

/**
 * Options of {@link maxPool2d}: those of {@link Pool2dOptions}, and PyTorch's `return_indices`
 * (default false; true returns `[values, indices]`, the indices int32 flat `h * W + w` per plane).
 * `R` is the type of `returnIndices`, which decides the result type: `MaxPool2dOptions` (false)
 * gives a tensor, `MaxPool2dOptions<true>` the pair, `MaxPool2dOptions<boolean>` either.
 *
 * @example
 * const opts: MaxPool2dOptions = { stride: 2, ceilMode: true };
 * maxPool2d(ones([1, 1, 5, 5]), 2, opts).shape; // [1, 1, 3, 3]
 */
export interface MaxPool2dOptions<R extends boolean = false> extends Pool2dOptions {
  returnIndices?: R;
}

/**
 * Options of {@link avgPool2d}: those of {@link Pool2dOptions} (`dilation` only 1), and
 * PyTorch's `count_include_pad` (default true: zero padding counts in the divisor; false: each
 * window is divided by the number of input elements it covers) and `divisor_override` (a
 * non-zero integer that replaces every divisor; default null).
 *
 * @example
 * const opts: AvgPool2dOptions = { padding: 1, countIncludePad: false };
 * avgPool2d(ones([1, 1, 2, 2]), 3, { ...opts, stride: 1 }).toArray(); // [[[[1, 1], [1, 1]]]]
 * avgPool2d(ones([1, 1, 2, 2]), 2, { divisorOverride: 1 }).toArray(); // [[[[4]]]]
 */
export interface AvgPool2dOptions extends Pool2dOptions {
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/**
 * The `out` option of the element-wise ops that can write their result into an existing tensor
 * (PyTorch's `out=`): `add`, `sub`, `mul`, `div`, `neg`, `abs`, `exp`, `log`, `sqrt`, `rsqrt`,
 * `tanh`, `sigmoid`, `relu`.
 *
 * @example
 * const a = randn([1000]), b = randn([1000]);
 * const c = zeros([1000], { pinMemory: true });
 * add(a, b, { out: c }) === c; // true: c now holds a + b
 */
export interface OutOptions {
  /**
   * The tensor to write the result into; the op returns it. It must have the result's shape
   * and dtype exactly (it is not resized or cast) and must not be an expanded view. It may
   * share memory with an input (be that input, or overlap it): the result is computed from the
   * inputs as they were before the call (PyTorch refuses partial overlaps instead). The write is
   * not recorded on the tape: with grad enabled, no input may require grad. With the `wasm`
   * backend, a contiguous float32 `out` skips allocating a result; in pinned memory
   * (`pinMemory: true`), with pinned inputs, the kernel reads and writes the tensors where they
   * are, without a copy.
   */
  out?: Tensor;
}
