import {
  ShapeError, ValueError, checkOptions, defineOptions, fmtShape, noGrad, poolDivisors, poolFirstPositions, poolOutputSize, tensor, where, type Tensor,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { avgPool2d, maxPool2d } from './layers.js';
import { pad } from './conv.js';
import { tripleOf } from './conv3d.js';

const SIZE3 = 'integer|integer[]';
const MAX_POOL3D = defineOptions('maxPool3d', {
  stride: SIZE3, padding: SIZE3, dilation: SIZE3, ceilMode: 'boolean', returnIndices: 'boolean',
});
const AVG_POOL3D = defineOptions('avgPool3d', {
  stride: SIZE3, padding: SIZE3, ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer|null',
});

/**
 * Options of {@link maxPool3d} and {@link avgPool3d}.
 *
 * @example
 * const opts: F.Pool3dOptions = { stride: 1, padding: 1 };
 * F.avgPool3d(ones([1, 1, 3, 3, 3]), 3, opts).shape; // [1, 1, 3, 3, 3]
 */
export interface Pool3dOptions<R extends boolean = false> {
  /** Step of the window, one number or [sD, sH, sW] (default: the kernel size). */
  stride?: number | number[];
  /** Implicit padding on each side, one number or [pD, pH, pW], at most half the kernel (default 0). */
  padding?: number | number[];
  /** maxPool3d only: spacing between window elements, one number or [dD, dH, dW] (default 1). */
  dilation?: number | number[];
  /** Round the output sizes up (default false); a last window starting past the input and its left padding is dropped. */
  ceilMode?: boolean;
  /** maxPool3d only: return `[values, indices]`, int32 flat indices `(d H + h) W + w` per (n, c) volume (default false). */
  returnIndices?: R;
  /** avgPool3d only: whether zero padding counts in the divisor (default true). */
  countIncludePad?: boolean;
  /** avgPool3d only: a non-zero integer dividing every window instead of its size (default null). */
  divisorOverride?: number | null;
}





/** Checks the sizes; returns the 5-D input, the kernel, stride, padding, dilation, output sizes, and whether x was unbatched. */
function pool3dArgs(op: string, x: Tensor, kernelSize: number | number[], opts: Pool3dOptions<boolean>) {
  requireTensor(op, 'input', x);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`${op}: expected a 4-D or 5-D input, got input.shape=${fmtShape(x.shape)}`);
  const k = tripleOf(op, 'kernelSize', kernelSize, 1);
  const s = tripleOf(op, 'stride', opts.stride ?? k, 1);
  const p = tripleOf(op, 'padding', opts.padding ?? 0, 0);
  const d = tripleOf(op, 'dilation', opts.dilation ?? 1, 1);
  if (p.some((v, i) => v * 2 > k[i]!))
    throw new ValueError(`${op}: padding ${JSON.stringify(opts.padding)} must be at most half the kernel size ${JSON.stringify(kernelSize)}`);
  const x5 = x.ndim === 4 ? x.unsqueeze(0) : x;
  const dims = x5.shape.slice(2) as [number, number, number];
  const out = dims.map((n, i) => poolOutputSize(n, k[i]!, s[i]!, p[i]!, d[i]!, opts.ceilMode === true)) as [number, number, number];
  if (out.some((n) => n < 1))
    throw new ShapeError(`${op}: input.shape=${fmtShape(x.shape)} (padded by ${JSON.stringify(p)}) is smaller than the kernel ${JSON.stringify(k)}` +
      `${d.some((v) => v > 1) ? ` dilated by ${JSON.stringify(d)}` : ''} (output size ${JSON.stringify(out)})`);
  return { x5, k, s, p, d, out, unbatched: x.ndim === 4 };
}

/**
 * The flat index `(d H + h) W + w` of each window's maximum, [N, C, Do, Ho, Wo]: the 2-D max pool
 * (with indices) of every depth slice, then along depth a running maximum over the window's taps
 * at depths `o sD - pD + t dD` that takes a later tap only when strictly larger (or NaN first), so
 * ties go to the first element in (d, h, w) order, as PyTorch.
 */
function maxPool3dIndices(x5: Tensor, k: number[], s: number[], p: number[], d: number[], Do: number, ceilMode: boolean): Tensor {
  const [N, C, D, H, W] = x5.shape as [number, number, number, number, number];
  const lowest = x5.dtype === 'int32' ? -2147483648 : -Infinity;
  return noGrad(() => {
    const [v2, i2] = maxPool2d(x5.detach().reshape([N, C * D, H, W]), [k[1]!, k[2]!], {
      stride: [s[1]!, s[2]!], padding: [p[1]!, p[2]!], dilation: [d[1]!, d[2]!], ceilMode, returnIndices: true,
    });
    const [Ho, Wo] = v2.shape.slice(2) as [number, number];
    const v = v2.reshape([N, C, D, Ho, Wo]);
    const i = i2.reshape([N, C, D, Ho, Wo]);
    let best: Tensor | null = null;
    let bestAt: Tensor | null = null;
    for (let t = 0; t < k[0]!; t++) {
      const depth = Array.from({ length: Do }, (_, o) => o * s[0]! - p[0]! + t * d[0]!);
      const at = tensor(depth.map((z) => Math.min(Math.max(z, 0), D - 1)), { dtype: 'int32' });
      let vt = v.indexSelect(2, at);
      const it = i.indexSelect(2, at).add(at.mul(H * W).reshape([1, 1, Do, 1, 1]));
      // a tap in the depth padding is -∞ (the slice read in its place is only a stand-in)
      if (depth.some((z) => z < 0 || z >= D))
        vt = where(tensor(depth.map((z) => z >= 0 && z < D), { dtype: 'bool' }).reshape([1, 1, Do, 1, 1]), vt, lowest);
      if (!best || !bestAt) {
        [best, bestAt] = [vt, it];
        continue;
      }
      let take = vt.gt(best);
      if (x5.dtype !== 'int32') take = take.logicalOr(vt.ne(vt).logicalAnd(best.eq(best)));
      best = where(take, vt, best);
      bestAt = where(take, it, bestAt);
    }
    return bestAt!;
  });
}

/**
 * 3-D max pooling (PyTorch's `F.max_pool3d`): the maximum of each `kD x kH x kW` window (padding
 * counts as -∞). The gradient goes to the chosen element of each window (the first in (d, h, w)
 * order on ties), as PyTorch's.
 *
 * Options: `stride`, `padding` (at most half the kernel), `dilation`; `ceilMode` rounds the output
 * sizes up (a last window starting past the input and its left padding is dropped);
 * `returnIndices` returns `[values, indices]`, the indices (int32: tapegrad has no int64) flat
 * `(d H + h) W + w` in each (n, c) volume, as PyTorch's, for `F.maxUnpool3d`.
 *
 * @param x - shape [N, C, D, H, W] or [C, D, H, W]
 * @param kernelSize - one number or [kD, kH, kW]
 * @returns shape [N, C, D_out, H_out, W_out], `D_out = floor((D + 2 pd - dd (kD - 1) - 1) / sd) + 1` (and so for H, W; ceil with `ceilMode`)
 * @throws ShapeError for another rank or an input smaller than the kernel; ValueError for bad sizes or padding over half the kernel
 * @example
 * F.maxPool3d(arange(8, { dtype: 'float32' }).reshape([1, 1, 2, 2, 2]), 2).toArray(); // [[[[[7]]]]]
 * const [, indices] = F.maxPool3d(arange(27, { dtype: 'float32' }).reshape([1, 1, 3, 3, 3]), 2, { ceilMode: true, returnIndices: true });
 * indices.shape; // [1, 1, 2, 2, 2]
 */
export function maxPool3d(x: Tensor, kernelSize: number | number[], opts: Pool3dOptions<true> & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions): Tensor;
export function maxPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions<boolean>): Tensor | [Tensor, Tensor];
export function maxPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions<boolean>): Tensor | [Tensor, Tensor] {
  opts = checkOptions(MAX_POOL3D, opts);
  const { x5, k, s, p, d, out, unbatched } = pool3dArgs('maxPool3d', x, kernelSize, opts);
  const [N, C, D, H, W] = x5.shape as [number, number, number, number, number];
  let indices = maxPool3dIndices(x5, k, s, p, d, out[0], opts.ceilMode === true);
  const L = out[0] * out[1] * out[2];
  // A window that sees only padding (possible with dilation) gives -∞ and, as PyTorch, the index
  // of its first position at or past 0 (outside the volume); it gets no gradient.
  const pos = [D, H, W].map((n, i) => poolFirstPositions(n, k[i]!, s[i]!, p[i]!, d[i]!, out[i]!));
  let seen: Tensor | null = null;
  if (pos.some((q) => q.inside.includes(false))) {
    const [pd, ph, pw] = pos as [typeof pos[0], typeof pos[0], typeof pos[0]];
    const inside: boolean[] = [];
    const first: number[] = [];
    pd.first.forEach((z, a) => ph.first.forEach((h, b) => pw.first.forEach((w, c) => {
      inside.push(pd.inside[a]! && ph.inside[b]! && pw.inside[c]!);
      first.push((z * H + h) * W + w);
    })));
    seen = tensor(inside, { dtype: 'bool' }).reshape(out);
    indices = where(seen, indices, tensor(first, { dtype: 'int32' }).reshape(out));
  }
  // gathered from x: the gradient (gather's, a scatter-add) reaches each window's maximum alone
  const at = seen ? where(seen, indices, 0) : indices;
  let values = x5.reshape([N, C, D * H * W]).gather(2, at.reshape([N, C, L])).reshape([N, C, ...out]);
  if (seen) values = where(seen, values, x5.dtype === 'int32' ? -2147483648 : -Infinity);
  const batch = (t: Tensor) => (unbatched ? t.squeeze(0) : t);
  return opts.returnIndices ? [batch(values), batch(indices)] : batch(values);
}

/**
 * 3-D average pooling (PyTorch's `F.avg_pool3d`): the mean of each `kD x kH x kW` window, with
 * PyTorch's divisors: `kD kH kW` (zero padding counted), the number of input elements covered
 * (`countIncludePad: false`), or `divisorOverride`; a `ceilMode` window hanging past the right
 * padding is divided by its size clipped to the input and padding. Computed as sums over depth
 * windows followed by 2-D window sums over H, W.
 *
 * @param x - shape [N, C, D, H, W] or [C, D, H, W]
 * @param kernelSize - one number or [kD, kH, kW]
 * @returns shape [N, C, D_out, H_out, W_out], `D_out = floor((D + 2 pd - kD) / sd) + 1` (and so for H, W; ceil with `ceilMode`)
 * @throws ShapeError for another rank or an input smaller than the kernel; ValueError for bad sizes, padding over half the kernel or `divisorOverride: 0`
 * @example
 * F.avgPool3d(arange(8, { dtype: 'float32' }).reshape([1, 1, 2, 2, 2]), 2).toArray(); // [[[[[3.5]]]]]
 * F.avgPool3d(ones([1, 1, 2, 2, 2]), 3, { padding: 1, countIncludePad: false }).toArray(); // [[[[[1]]]]]
 */
export function avgPool3d(x: Tensor, kernelSize: number | number[], opts?: Pool3dOptions): Tensor {
  opts = checkOptions(AVG_POOL3D, opts);
  const { x5, k, s, p, out, unbatched } = pool3dArgs('avgPool3d', x, kernelSize, opts);
  if (opts.divisorOverride === 0) throw new ValueError('avgPool3d: divisorOverride must not be 0, got 0');
  const [N, C, D] = x5.shape as [number, number, number];
  const [Do, Ho, Wo] = out;
  // zeros past the right padding for ceil mode's last depth window: they add nothing
  const beyond = Math.max(0, (Do - 1) * s[0]! + k[0]! - (D + 2 * p[0]!));
  const xp = p[0] || beyond ? pad(x5, [0, 0, 0, 0, p[0]!, p[0]! + beyond]) : x5;
  let acc: Tensor | null = null;
  for (let t = 0; t < k[0]!; t++) {
    const slab = xp.indexSelect(2, tensor(Array.from({ length: Do }, (_, o) => o * s[0]! + t), { dtype: 'int32' }));
    acc = acc ? acc.add(slab) : slab;
  }
  const sums = avgPool2d(acc!.reshape([N, C * Do, acc!.shape[3]!, acc!.shape[4]!]), [k[1]!, k[2]!], {
    stride: [s[1]!, s[2]!], padding: [p[1]!, p[2]!], ceilMode: opts.ceilMode, divisorOverride: 1,
  });
  const y = sums.reshape([N, C, Do, Ho, Wo]).mul(inverseDivisors(x5, k, s, p, out, opts));
  return unbatched ? y.squeeze(0) : y;
}

/** 1 / PyTorch's avg_pool3d divisor of each output, [Do, Ho, Wo] (a scalar when they are all equal). */
function inverseDivisors(x5: Tensor, k: number[], s: number[], p: number[], out: number[], opts: Pool3dOptions): Tensor | number {
  const dims = x5.shape.slice(2);
  if (opts.divisorOverride != null) return 1 / opts.divisorOverride;
  const per = dims.map((n, i) => {
    const { size, count } = poolDivisors(n, k[i]!, s[i]!, p[i]!, out[i]!);
    return opts.countIncludePad === false ? count : size;
  });
  const inv: number[] = [];
  for (const a of per[0]!) for (const b of per[1]!) for (const c of per[2]!) inv.push(1 / (a * b * c));
  return inv.every((v) => v === inv[0]) ? inv[0]! : tensor(inv, { dtype: x5.dtype }).reshape(out);
}
