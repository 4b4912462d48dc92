import type { Tensor } from '../tensor.js';

/** A tensor, or a JavaScript number used as a scalar (broadcast to any shape). */
export type TensorLike = Tensor | number;

/** One dim or several; negative dims count from the end. */
export type Dims = number | readonly number[];

/** Options of reductions. */
export interface ReduceOptions {
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

/** One entry of {@link Tensor.slice}: a number selects (and drops the dim), null keeps the dim, `[start, end, step]` slices. */
export type SliceSpec = number | null | readonly [start?: number | null, end?: number | null, step?: number];

/** Options of {@link conv2d}. A number means the same for height and width. */
export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}

/** Options of {@link maxPool2d} and {@link avgPool2d}. `stride` defaults to the kernel size. */
export interface Pool2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
}
