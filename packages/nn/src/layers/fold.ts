import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireInteger } from '../options.js';
import { fold, unfold, type FoldOptions } from '../functional/fold.js';

const SIZE2 = 'integer|integer[]';
const UNFOLD = defineOptions('Unfold', { dilation: SIZE2, padding: SIZE2, stride: SIZE2 });
const FOLD = defineOptions('Fold', { dilation: SIZE2, padding: SIZE2, stride: SIZE2 });

/**
 * Extracts sliding blocks (PyTorch's `nn.Unfold`); see {@link F.unfold}.
 *
 * Shape: [N, C, H, W] -> [N, C kH kW, L].
 *
 * @example
 * new Unfold(2, { stride: 2 }).call(randn([1, 3, 4, 4])).shape; // [1, 12, 4]
 */
export class Unfold extends Module {
  /** [kH, kW] or one number. */
  readonly kernelSize: number | readonly number[];
  /** The options passed to {@link F.unfold}. */
  readonly options: FoldOptions;
  constructor(kernelSize: number | readonly number[], opts?: FoldOptions) {
    super();
    this.options = { ...checkOptions(UNFOLD, opts) };
    this.kernelSize = kernelSize;
  }
  override extraRepr(): string { return `kernelSize=${JSON.stringify(this.kernelSize)}`; }
  forward(x: Tensor): Tensor { return unfold(x, this.kernelSize, this.options); }
}

/**
 * Sums sliding blocks into an image (PyTorch's `nn.Fold`); see {@link F.fold}.
 *
 * Shape: [N, C kH kW, L] -> [N, C, H, W] with `[H, W] = outputSize`.
 *
 * @example
 * new Fold([4, 4], 2, { stride: 2 }).call(randn([1, 12, 4])).shape; // [1, 3, 4, 4]
 */
export class Fold extends Module {
  /** [H, W] or one number. */
  readonly outputSize: number | readonly number[];
  /** [kH, kW] or one number. */
  readonly kernelSize: number | readonly number[];
  /** The options passed to {@link F.fold}. */
  readonly options: FoldOptions;
  constructor(outputSize: number | readonly number[], kernelSize: number | readonly number[], opts?: FoldOptions) {
    super();
    this.options = { ...checkOptions(FOLD, opts) };
    this.outputSize = outputSize;
    this.kernelSize = kernelSize;
  }
  override extraRepr(): string { return `outputSize=${JSON.stringify(this.outputSize)}, kernelSize=${JSON.stringify(this.kernelSize)}`; }
  forward(x: Tensor): Tensor { return fold(x, this.outputSize, this.kernelSize, this.options); }
}

/**
 * Splits one dim into several (PyTorch's `nn.Unflatten`), the inverse of Flatten.
 *
 * Shape: [*, S, *] at `dim` -> [*, ...unflattenedSize, *], where the product of unflattenedSize
 * (one entry may be -1) is S.
 *
 * @throws ValueError for a non-integer dim or sizes; ShapeError (from reshape) when the sizes do not multiply to S
 * @example
 * new Unflatten(1, [2, 3]).call(randn([4, 6, 5])).shape; // [4, 2, 3, 5]
 */
export class Unflatten extends Module {
  /** The dim split. */
  readonly dim: number;
  /** The sizes it becomes. */
  readonly unflattenedSize: readonly number[];
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    requireInteger('Unflatten', 'dim', dim);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.some((s) => !Number.isInteger(s) || s < -1))
      throw new ValueError(`Unflatten: unflattenedSize must be an array of integers >= -1, got ${JSON.stringify(unflattenedSize)}`);
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  override extraRepr(): string { return `dim=${this.dim}, unflattenedSize=${JSON.stringify(this.unflattenedSize)}`; }
  forward(x: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim;
    if (d < 0 || d >= x.ndim) throw new ValueError(`Unflatten: dim ${this.dim} is out of range for input.shape=[${x.shape}]`);
    return x.reshape([...x.shape.slice(0, d), ...this.unflattenedSize, ...x.shape.slice(d + 1)]);
  }
}
