import {
  DTypeError, ShapeError, ValueError, checkOptions, defineOptions, fmtShape, zeros, type Tensor,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';

const SIZES = 'integer|integer[]';
const UNPOOL = (op: string) => defineOptions(op, { stride: `${SIZES}|null`, padding: SIZES, outputSize: 'integer[]|null' });
const UNPOOL1D = UNPOOL('maxUnpool1d');
const UNPOOL2D = UNPOOL('maxUnpool2d');
const UNPOOL3D = UNPOOL('maxUnpool3d');

/**
 * Options of {@link maxUnpool1d}, {@link maxUnpool2d} and {@link maxUnpool3d}: those of the max pool
 * that made the indices, and the output size.
 *
 * @example
 * const opts: F.MaxUnpoolOptions = { stride: 2, outputSize: [5, 5] };
 * const [y, indices] = F.maxPool2d(randn([1, 1, 5, 5]), 2, { returnIndices: true });
 * F.maxUnpool2d(y, indices, 2, opts).shape; // [1, 1, 5, 5]
 */
export interface MaxUnpoolOptions {
  /** The pool's stride, one number or one per spatial dim (default: the kernel size). */
  stride?: number | number[] | null;
  /** The pool's padding (default 0). */
  padding?: number | number[];
  /**
   * The spatial output size (optionally with N and C in front); each must lie strictly within
   * `stride` of the default `(in - 1) stride - 2 padding + kernelSize`, as PyTorch checks.
   */
  outputSize?: number[] | null;
}

/** One integer per spatial dim from a number or a list of `nd`. */
function sizes(op: string, name: string, v: number | number[], nd: number, min: number): number[] {
  const a = typeof v === 'number' ? Array<number>(nd).fill(v) : [...v];
  if (a.length !== nd || a.some((k) => !Number.isInteger(k) || k < min))
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} or ${nd} of them, got ${JSON.stringify(v)}`);
  return a;
}

/**
 * PyTorch's `_unpool_output_size`: the default `(in - 1) stride - 2 padding + kernel` per
 * spatial dim, or `outputSize` (N and C dropped) when each lies strictly within `stride` of it.
 */
function unpoolOutputSize(op: string, inSize: number[], k: number[], s: number[], p: number[], outputSize: number[] | null | undefined): number[] {
  const nd = k.length;
  const dflt = inSize.map((n, i) => (n - 1) * s[i]! - 2 * p[i]! + k[i]!);
  if (outputSize == null) return dflt;
  const out = outputSize.length === nd + 2 ? outputSize.slice(2) : outputSize;
  if (out.length !== nd)
    throw new ValueError(`${op}: outputSize must have ${nd} or ${nd + 2} elements, got ${JSON.stringify(outputSize)}`);
  out.forEach((n, i) => {
    const lo = dflt[i]! - s[i]!;
    const hi = dflt[i]! + s[i]!;
    if (!(lo < n && n < hi))
      throw new ValueError(`${op}: invalid outputSize ${JSON.stringify(outputSize)} (dim ${i} must be between ${lo} and ${hi}, exclusive)`);
  });
  return out;
}

/**
 * The inverse of a max pool over `nd` spatial dims: each value of x written at its index in a
 * zero output of the spatial size; a scatter, so the gradient w.r.t. x gathers at the indices.
 */
function maxUnpool(op: string, nd: number, x: Tensor, indices: Tensor, kernelSize: number | number[], opts: MaxUnpoolOptions): Tensor {
  requireTensor(op, 'input', x);
  requireTensor(op, 'indices', indices);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2)
    throw new ShapeError(`${op}: expected a ${nd + 1}-D or ${nd + 2}-D input, got input.shape=${fmtShape(x.shape)}`);
  if (indices.dtype !== 'int32')
    throw new DTypeError(`${op}: indices must be int32 (as a max pool's returnIndices gives), got ${indices.dtype}`);
  if (fmtShape(indices.shape) !== fmtShape(x.shape))
    throw new ShapeError(`${op}: indices.shape=${fmtShape(indices.shape)} must equal input.shape=${fmtShape(x.shape)}`);
  const k = sizes(op, 'kernelSize', kernelSize, nd, 1);
  const s = sizes(op, 'stride', opts.stride ?? k, nd, 1);
  const p = sizes(op, 'padding', opts.padding ?? 0, nd, 0);
  const lead = x.shape.slice(0, -nd);
  const out = unpoolOutputSize(op, x.shape.slice(-nd), k, s, p, opts.outputSize);
  const L = out.reduce((a, b) => a * b, 1);
  const M = x.shape.slice(-nd).reduce((a, b) => a * b, 1);
  const flat = indices.reshape([...lead, M]);
  if (flat.numel() > 0) {
    const lo = flat.min().item();
    const hi = flat.max().item();
    if (lo < 0 || hi >= L)
      throw new ValueError(`${op}: index ${lo < 0 ? lo : hi} is out of range [0, ${L}) for the output size ${JSON.stringify(out)}`);
  }
  return zeros([...lead, L], { dtype: x.dtype }).scatter(-1, flat, x.reshape([...lead, M])).reshape([...lead, ...out]);
}

/**
 * 1-D max unpooling (PyTorch's `F.max_unpool1d`): the partial inverse of `F.maxPool1d`, each
 * input value placed at its index (from `returnIndices: true`) in a zero output, the rest 0.
 *
 * @param x - shape [N, C, L_in] or [C, L_in]
 * @param indices - int32, shape of x: flat indices into L_out
 * @returns [N, C, L_out], `L_out = (L_in - 1) stride - 2 padding + kernelSize` unless `outputSize` is given
 * @throws ShapeError for another rank or indices of another shape; DTypeError for non-int32 indices;
 *   ValueError for bad sizes, an outputSize too far from the default, or an index outside the output
 * @example
 * const [y, indices] = F.maxPool1d(tensor([[[1, 3, 2, 5]]]), 2, { returnIndices: true });
 * F.maxUnpool1d(y, indices, 2).toArray(); // [[[0, 3, 0, 5]]]
 */
export function maxUnpool1d(x: Tensor, indices: Tensor, kernelSize: number | number[], opts?: MaxUnpoolOptions): Tensor {
  opts = checkOptions(UNPOOL1D, opts);
  return maxUnpool('maxUnpool1d', 1, x, indices, kernelSize, opts);
}

/**
 * 2-D max unpooling (PyTorch's `F.max_unpool2d`): the partial inverse of `F.maxPool2d`, each
 * input value placed at its flat index `h * W_out + w` (from `returnIndices: true`) in a zero
 * output plane. Differentiable w.r.t. x (the gradient gathers at the indices).
 *
 * @param x - shape [N, C, H_in, W_in] or [C, H_in, W_in]
 * @param indices - int32, shape of x: flat indices into each H_out x W_out plane
 * @returns [N, C, H_out, W_out], `H_out = (H_in - 1) stride - 2 padding + kH` (likewise W) unless `outputSize` is given
 * @throws ShapeError for another rank or indices of another shape; DTypeError for non-int32 indices;
 *   ValueError for bad sizes, an outputSize too far from the default, or an index outside the output
 * @example
 * const [y, indices] = F.maxPool2d(tensor([[[[1, 2], [4, 3]]]]), 2, { returnIndices: true });
 * F.maxUnpool2d(y, indices, 2).toArray(); // [[[[0, 0], [4, 0]]]]
 * F.maxUnpool2d(y, indices, 2, { outputSize: [3, 3] }).toArray(); // [[[[0, 0, 4], [0, 0, 0], [0, 0, 0]]]]
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: number | number[], opts?: MaxUnpoolOptions): Tensor {
  opts = checkOptions(UNPOOL2D, opts);
  return maxUnpool('maxUnpool2d', 2, x, indices, kernelSize, opts);
}

/**
 * 3-D max unpooling (PyTorch's `F.max_unpool3d`): the partial inverse of `F.maxPool3d`, each
 * input value placed at its flat index `(d H_out + h) W_out + w` in a zero output volume.
 *
 * @param x - shape [N, C, D_in, H_in, W_in] or [C, D_in, H_in, W_in]
 * @param indices - int32, shape of x: flat indices into each D_out x H_out x W_out volume
 * @returns [N, C, D_out, H_out, W_out], `D_out = (D_in - 1) stride - 2 padding + kD` (likewise H, W) unless `outputSize` is given
 * @throws ShapeError for another rank or indices of another shape; DTypeError for non-int32 indices;
 *   ValueError for bad sizes, an outputSize too far from the default, or an index outside the output
 * @example
 * const [y, indices] = F.maxPool3d(arange(8, { dtype: 'float32' }).reshape([1, 1, 2, 2, 2]), 2, { returnIndices: true });
 * F.maxUnpool3d(y, indices, 2).reshape([8]).toArray(); // [0, 0, 0, 0, 0, 0, 0, 7]
 */
export function maxUnpool3d(x: Tensor, indices: Tensor, kernelSize: number | number[], opts?: MaxUnpoolOptions): Tensor {
  opts = checkOptions(UNPOOL3D, opts);
  return maxUnpool('maxUnpool3d', 3, x, indices, kernelSize, opts);
}
