import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { maxUnpool1d, maxUnpool2d, maxUnpool3d, type MaxUnpoolOptions } from '../functional/unpool.js';

/**
 * Options of {@link MaxUnpool1d}, {@link MaxUnpool2d} and {@link MaxUnpool3d}: those of the max
 * pool that made the indices.
 *
 * @example
 * const opts: MaxUnpoolNdOptions = { stride: 2, padding: 0 };
 * new MaxUnpool2d(2, opts).stride; // [2, 2]
 */
export interface MaxUnpoolNdOptions {
  /** The pool's stride, one number or one per spatial dim (default: the kernel size). */
  stride?: number | number[] | null;
  /** The pool's padding (default 0). */
  padding?: number | number[];
}

const FIELDS = { stride: 'integer|integer[]|null', padding: 'integer|integer[]' } as const;
const SPECS = {
  MaxUnpool1d: defineOptions('MaxUnpool1d', FIELDS),
  MaxUnpool2d: defineOptions('MaxUnpool2d', FIELDS),
  MaxUnpool3d: defineOptions('MaxUnpool3d', FIELDS),
};

/** The inverse of an `nd`-D max pool; forward(x, indices, outputSize?). */
abstract class MaxUnpoolNd extends Module<[x: Tensor, indices: Tensor, outputSize?: number[] | null], Tensor> {
  /** The pool's window size, one per spatial dim. */
  readonly kernelSize: number[];
  /** The pool's stride, one per spatial dim. */
  readonly stride: number[];
  /** The pool's padding, one per spatial dim. */
  readonly padding: number[];

  constructor(op: keyof typeof SPECS, nd: number, kernelSize: number | number[], opts: MaxUnpoolNdOptions | undefined) {
    super();
    opts = checkOptions(SPECS[op], opts);
    const per = (name: string, v: number | number[], min: number) => {
      const a = typeof v === 'number' ? Array<number>(nd).fill(v) : [...v];
      if (a.length !== nd || a.some((k) => !Number.isInteger(k) || k < min))
        throw new ValueError(`${op}: ${name} must be an integer >= ${min} or ${nd} of them, got ${JSON.stringify(v)}`);
      return a;
    };
    this.kernelSize = per('kernelSize', kernelSize, 1);
    this.stride = per('stride', opts.stride ?? this.kernelSize, 1);
    this.padding = per('padding', opts.padding ?? 0, 0);
  }

  override extraRepr(): string {
    const f = (a: number[]) => (a.length === 1 ? String(a[0]) : JSON.stringify(a));
    return `kernelSize=${f(this.kernelSize)}, stride=${f(this.stride)}, padding=${f(this.padding)}`;
  }

  protected opts(outputSize: number[] | null | undefined): MaxUnpoolOptions {
    return { stride: this.stride, padding: this.padding, outputSize: outputSize ?? null };
  }
}

/**
 * 1-D max unpooling (PyTorch's `nn.MaxUnpool1d`): the partial inverse of {@link MaxPool1d}; see
 * {@link F.maxUnpool1d}. `forward(x, indices, outputSize?)` with the pool's indices
 * (`returnIndices: true`); no parameters.
 *
 * Shape: [N, C, L_in] (or [C, L_in]) -> [N, C, L_out], `L_out = (L_in - 1) stride - 2 padding + kernelSize`
 * unless `outputSize` is given (within `stride` of it).
 *
 * @throws ValueError for bad sizes
 * @example
 * const pool = new MaxPool1d(2, { returnIndices: true });
 * const [y, indices] = pool.call(tensor([[[1, 3, 2, 5, 4]]]));
 * new MaxUnpool1d(2).call(y, indices, [5]).toArray(); // [[[0, 3, 0, 5, 0]]]
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: number | number[], opts?: MaxUnpoolNdOptions) {
    super('MaxUnpool1d', 1, kernelSize, opts);
  }
  forward(x: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return maxUnpool1d(x, indices, this.kernelSize, this.opts(outputSize));
  }
}

/**
 * 2-D max unpooling (PyTorch's `nn.MaxUnpool2d`): the partial inverse of {@link MaxPool2d}, each
 * value written at its index in a zero plane; see {@link F.maxUnpool2d}. `forward(x, indices,
 * outputSize?)` with the pool's indices (`returnIndices: true`); no parameters.
 *
 * Shape: [N, C, H_in, W_in] (or [C, H_in, W_in]) -> [N, C, H_out, W_out],
 * `H_out = (H_in - 1) stride[0] - 2 padding[0] + kernelSize[0]` (likewise W) unless `outputSize`
 * is given (within `stride` of it; N and C may lead).
 *
 * @throws ValueError for bad sizes
 * @example
 * const pool = new MaxPool2d(2, { returnIndices: true });
 * const unpool = new MaxUnpool2d(2);
 * const x = randn([1, 3, 5, 5]);
 * const [y, indices] = pool.call(x);
 * unpool.call(y, indices, x.shape).shape; // [1, 3, 5, 5]
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: number | number[], opts?: MaxUnpoolNdOptions) {
    super('MaxUnpool2d', 2, kernelSize, opts);
  }
  forward(x: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return maxUnpool2d(x, indices, this.kernelSize, this.opts(outputSize));
  }
}

/**
 * 3-D max unpooling (PyTorch's `nn.MaxUnpool3d`): the partial inverse of {@link MaxPool3d}; see
 * {@link F.maxUnpool3d}. `forward(x, indices, outputSize?)`; no parameters.
 *
 * Shape: [N, C, D_in, H_in, W_in] (or without N) -> [N, C, D_out, H_out, W_out],
 * `D_out = (D_in - 1) stride[0] - 2 padding[0] + kernelSize[0]` (likewise H, W) unless `outputSize` is given.
 *
 * @throws ValueError for bad sizes
 * @example
 * const [y, indices] = new MaxPool3d(2, { returnIndices: true }).call(randn([2, 4, 4, 4]));
 * new MaxUnpool3d(2).call(y, indices).shape; // [2, 4, 4, 4]
 */
export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(kernelSize: number | number[], opts?: MaxUnpoolNdOptions) {
    super('MaxUnpool3d', 3, kernelSize, opts);
  }
  forward(x: Tensor, indices: Tensor, outputSize?: number[] | null): Tensor {
    return maxUnpool3d(x, indices, this.kernelSize, this.opts(outputSize));
  }
}
