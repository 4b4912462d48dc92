import { ShapeError, ValueError, checkOptions, defineOptions, fmtShape, tensor, unsupported, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { avgPool2d, maxPool2d } from './layers.js';
import { pad } from './conv.js';
import { tripleOf } from './conv3d.js';

const SIZE3 = 'integer|integer[]';
const MAX_POOL3D = defineOptions('maxPool3d', {
  stride: SIZE3, padding: SIZE3,
  dilation: unsupported('dilation is not supported', 1),
  ceilMode: unsupported('ceilMode is not supported', false),
  returnIndices: unsupported('returnIndices is not supported', false),
});
const AVG_POOL3D = defineOptions('avgPool3d', {
  stride: SIZE3, padding: SIZE3,
  ceilMode: unsupported('ceilMode is not supported', false),
  countIncludePad: unsupported('countIncludePad: false is not supported (padding always counts in the mean)', true),
  divisorOverride: unsupported('divisorOverride is not supported', null),
});

/**
 * Options of {@link maxPool3d} and {@link avgPool3d}.
 *
 * @example
 * const opts: F.Pool3dOptions = { stride: 1, padding: 1 };
 * F.avgPool3d(ones([1, 1, 3, 3, 3]), 3, opts).shape; // [1, 1, 3, 3, 3]
 */
export interface Pool3dOptions {
  /** Step of the window, one number or [sD, sH, sW] (default: the kernel size). */
  stride?: number | number[];
  /** Implicit padding on each side, one number or [pD, pH, pW], at most half the kernel (default 0). */
  padding?: number | number[];
}

/** Checks the sizes; returns the 5-D input, the kernel, stride, padding, and whether x was unbatched. */
function pool3dArgs(op: string, x: Tensor, kernelSize: number | number[], opts: Pool3dOptions) {
  requireTensor(op, 'input', x);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`${op}: expected a 4-D or 5-D input, got input.shape=${fmtShape(x.shape)}`);
  const k = tripleOf(op, 'kernelSize', kernelSize, 1);
  const s = tripleOf(op, 'stride', opts.stride ?? k, 1);
  const p = tripleOf(op, 'padding', opts.padding ?? 0, 0);
  if (p.some((v, i) => v * 2 > k[i]!))
    throw new ValueError(`${op}: padding ${JSON.stringify(opts.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
  const x5 = x.ndim === 4 ? x.unsqueeze(0) : x;
  const [, , D, H, W] = x5.shape as [number, number, number, number, number];
  if ([D, H, W].some((n, i) => n + 2 * p[i]! < k[i]!))
    throw new ShapeError(`${op}: input.shape=${fmtShape(x.shape)} (padded by ${JSON.stringify(p)}) is smaller than the kernel ${JSON.stringify(k)}`);
  return { x5, k, s, p, unbatched: x.ndim === 4 };
}

/**
 * Reduces the depth windows of x (padded by `pd` of `value` in depth) with `combine`, then pools H, W
 * by `pool2d` on [N, C * D_out, H, W].
 */
function pool3d(x5: Tensor, k: number[], s: number[], p: number[], value: number, combine: (a: Tensor, b: Tensor) => Tensor,
  pool2d: (t: Tensor) => Tensor): Tensor {
  const [N, C, D] = x5.shape as [number, number, number];
  const xp = p[0] ? pad(x5, [0, 0, 0, 0, p[0], p[0]], { value }) : x5;
  const Do = Math.floor((D + 2 * p[0]! - k[0]!) / s[0]!) + 1;
  let acc: Tensor | null = null;
  for (let t = 0; t < k[0]!; t++) {
    const slab = xp.indexSelect(2, tensor(Array.from({ length: Do }, (_, o) => o * s[0]! + t), { dtype: 'int32' }));
    acc = acc ? combine(acc, slab) : slab;
  }
  const y = pool2d(acc!.reshape([N, C * Do, acc!.shape[3]!, acc!.shape[4]!]));
  return y.reshape([N, C, Do, y.shape[2]!, y.shape[3]!]);
}

/**
 * 3-D max pooling (PyTorch's `F.max_pool3d`): the maximum of each `kD x kH x kW` window (padding
 * counts as -∞). Computed as a maximum over depth windows followed by a 2-D max pool over H, W.
 *
 * @param x - shape [N, C, D, H, W] or [C, D, H, W]
 * @param kernelSize - one number or [kD, kH, kW]
 * @returns shape [N, C, D_out, H_out, W_out], `D_out = floor((D + 2 pd - kD) / sd) + 1` (and so for H, W)
 * @throws ShapeError for another rank or an input smaller than the kernel; ValueError for bad sizes or padding over half the kernel
 * @example
 * F.maxPool3d(arange(8, { dtype: 'float32' }).reshape([1, 1, 2, 2, 2]), 2).toArray(); // [[[[[7]]]]]
 */
export function maxPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions): Tensor {
  opts = checkOptions(MAX_POOL3D, opts);
  const { x5, k, s, p, unbatched } = pool3dArgs('maxPool3d', x, kernelSize, opts);
  const y = pool3d(x5, k, s, p, -Infinity, (a, b) => a.maximum(b),
    (t) => maxPool2d(t, [k[1]!, k[2]!], { stride: [s[1]!, s[2]!], padding: [p[1]!, p[2]!] }));
  return unbatched ? y.squeeze(0) : y;
}

/**
 * 3-D average pooling (PyTorch's `F.avg_pool3d`): the mean of each `kD x kH x kW` window (zero
 * padding counted in the mean, as PyTorch's default). Computed as a mean over depth windows
 * followed by a 2-D average pool over H, W.
 *
 * @param x - shape [N, C, D, H, W] or [C, D, H, W]
 * @param kernelSize - one number or [kD, kH, kW]
 * @returns shape [N, C, D_out, H_out, W_out], `D_out = floor((D + 2 pd - kD) / sd) + 1` (and so for H, W)
 * @throws ShapeError for another rank or an input smaller than the kernel; ValueError for bad sizes or padding over half the kernel
 * @example
 * F.avgPool3d(arange(8, { dtype: 'float32' }).reshape([1, 1, 2, 2, 2]), 2).toArray(); // [[[[[3.5]]]]]
 */
export function avgPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions): Tensor {
  opts = checkOptions(AVG_POOL3D, opts);
  const { x5, k, s, p, unbatched } = pool3dArgs('avgPool3d', x, kernelSize, opts);
  const y = pool3d(x5, k, s, p, 0, (a, b) => a.add(b),
    (t) => avgPool2d(t.div(k[0]!), [k[1]!, k[2]!], { stride: [s[1]!, s[2]!], padding: [p[1]!, p[2]!] }));
  return unbatched ? y.squeeze(0) : y;
}
