import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('MaxPool2d', {
  stride: 'integer|integer[]', padding: 'integer|integer[]', dilation: 'integer|integer[]',
  ceilMode: 'boolean', returnIndices: 'boolean',
});
import { Module } from '../module.js';
import { maxPool2d } from '../functional/layers.js';
import { checkPoolSizes, fmtSize2, pair, type Size2 } from './conv2d.js';

/**
 * Options of {@link MaxPool2d}.
 *
 * @example
 * new MaxPool2d(3, { stride: 2, padding: 1 }).call(randn([1, 1, 8, 8])).shape; // [1, 1, 4, 4]
 */
export interface MaxPool2dOptions<R extends boolean = false> {
  /** Step of the window (default: the kernel size). */
  stride?: Size2;
  /** Implicit -∞ padding on each side (default 0). */
  padding?: Size2;
  /** Spacing between window elements (default 1). */
  dilation?: Size2;
  /** Round the output size up (default false); a last window starting past the input and its left padding is dropped. */
  ceilMode?: boolean;
  /** Return `[values, indices]` (default false): int32 flat indices `h * W_in + w` per plane, for `MaxUnpool2d`. */
  returnIndices?: R;
}

/**
 * What a max pool module's forward returns: the values, or `[values, indices]` when `R` (the
 * type of its `returnIndices`) is true.
 *
 * @example
 * const pool = new MaxPool2d(2, { returnIndices: true });
 * const [values, indices]: PoolResult<true> = pool.call(randn([1, 1, 4, 4]));
 * [values.shape, indices.dtype]; // [[1, 1, 2, 2], 'int32']
 */
export type PoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/** The pooling flags that differ from PyTorch's defaults, for extraRepr: `, ceilMode=true`... @internal */
export function poolFlags(flags: { ceilMode?: boolean; returnIndices?: boolean; countIncludePad?: boolean; divisorOverride?: number | null }): string {
  let s = '';
  if (flags.ceilMode) s += ', ceilMode=true';
  if (flags.returnIndices) s += ', returnIndices=true';
  if (flags.countIncludePad === false) s += ', countIncludePad=false';
  if (flags.divisorOverride != null) s += `, divisorOverride=${flags.divisorOverride}`;
  return s;
}

/** `divisorOverride` checked (a non-zero integer or null, as PyTorch's "divisor must be not zero"). @internal */
export function checkDivisor(op: string, d: number | null | undefined): number | null {
  if (d === 0) throw new ValueError(`${op}: divisorOverride must not be 0, got 0`);
  return d ?? null;
}

/**
 * 2-D max pooling: the largest value of each window (PyTorch's `nn.MaxPool2d`). No parameters.
 *
 * Shape: input [N, C, H_in, W_in] (or [C, H_in, W_in]) -> output [N, C, H_out, W_out] with
 * `H_out = floor((H_in + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1` (ceil with
 * `ceilMode`, dropping a last window that would start past the input and its left padding).
 * With `returnIndices: true` forward returns `[output, indices]`, indices of output's shape
 * (int32, tapegrad has no int64) holding each maximum's flat index `h * W_in + w` in its plane.
 *
 * @throws ValueError for bad sizes or padding over half the kernel
 * @example
 * new MaxPool2d(2).call(randn([1, 32, 26, 26])).shape; // [1, 32, 13, 13]
 * const [out, indices] = new MaxPool2d(2, { returnIndices: true }).call(tensor([[[[1, 5], [7, 3]]]]));
 * out.toArray(); // [[[[7]]]]
 * indices.toArray(); // [[[[2]]]]
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], PoolResult<R>> {
  /** The window size. */
  readonly kernelSize: Size2;
  /** Step of the window (the kernel size unless given). */
  readonly stride: Size2;
  /** Implicit -∞ padding on each side. */
  readonly padding: Size2;
  /** Spacing between window elements. */
  readonly dilation: Size2;
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: R;

  constructor(kernelSize: Size2, opts?: MaxPool2dOptions<R>) {
    super();
    opts = checkOptions(OPTS, opts);
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    checkPoolSizes('MaxPool2d', kernelSize, this.stride, this.padding);
    this.dilation = opts.dilation ?? 1;
    pair('MaxPool2d', 'dilation', this.dilation, 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = opts.returnIndices ?? (false as R);
  }

  override extraRepr(): string {
    return `kernelSize=${fmtSize2(this.kernelSize)}, stride=${fmtSize2(this.stride)}, padding=${fmtSize2(this.padding)}, ` +
      `dilation=${fmtSize2(this.dilation)}${poolFlags({ ceilMode: this.ceilMode, returnIndices: this.returnIndices })}`;
  }

  forward(x: Tensor): PoolResult<R> {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices,
    }) as PoolResult<R>;
  }
}
