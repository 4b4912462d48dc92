import type { Conv2dGeometry, View } from '../backend.js';
import { alloc, dtypeOf, toContiguous } from './alloc.js';
import { gemm, type FloatArray } from './matmul.js';

/** Output size of a convolution or pooling window along one axis (floor mode). */
export function convOutSize(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Sizes shared by the three convolution kernels, all derived from the shapes and geometry. */
interface ConvDims {
  N: number; C: number; H: number; W: number;
  O: number; Cg: number; Og: number; kH: number; kW: number;
  Ho: number; Wo: number;
  /** Output pixels per plane, Ho * Wo. */
  L: number;
  /** Rows of a column matrix, Cg * kH * kW. */
  R: number;
  groups: number;
}

function convDims(xShape: readonly number[], wShape: readonly number[], g: Conv2dGeometry): ConvDims {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, Cg, kH, kW] = wShape as [number, number, number, number];
  const Ho = convOutSize(H, kH, g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = convOutSize(W, kW, g.stride[1], g.padding[1], g.dilation[1]);
  return { N, C, H, W, O, Cg, Og: O / g.groups, kH, kW, Ho, Wo, L: Ho * Wo, R: Cg * kH * kW, groups: g.groups };
}

/** Whether a column matrix is the input plane itself (1x1 kernel, stride 1, no padding). */
function isPointwise(d: ConvDims, g: Conv2dGeometry): boolean {
  return d.kH === 1 && d.kW === 1 && g.stride[0] === 1 && g.stride[1] === 1 && g.padding[0] === 0 && g.padding[1] === 0;
}

/**
 * im2col: the `Cg` channels of one image starting at `src[sOff]` unrolled into `cols [R, L]`,
 * row `(c * kH + kh) * kW + kw`, column `oh * Wo + ow` holding the input pixel that kernel tap
 * meets at that output position (0 in the padding). A convolution is then one matrix product.
 */
function im2col(src: ArrayLike<number>, sOff: number, d: ConvDims, g: Conv2dGeometry, cols: FloatArray): void {
  const { Cg, H, W, kH, kW, Ho, Wo, L } = d;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  let row = 0;
  for (let c = 0; c < Cg; c++)
    for (let kh = 0; kh < kH; kh++)
      for (let kw = 0; kw < kW; kw++, row++) {
        for (let oh = 0; oh < Ho; oh++) {
          const dst = row * L + oh * Wo;
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) {
            cols.fill(0, dst, dst + Wo);
            continue;
          }
          const base = sOff + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + kw * dw;
            cols[dst + ow] = iw >= 0 && iw < W ? src[base + iw]! : 0;
          }
        }
      }
}

/** col2im: the adjoint of {@link im2col}; adds every column entry back onto its input pixel. */
function col2im(cols: FloatArray, d: ConvDims, g: Conv2dGeometry, dst: FloatArray, dOff: number): void {
  const { Cg, H, W, kH, kW, Ho, Wo, L } = d;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  let row = 0;
  for (let c = 0; c < Cg; c++)
    for (let kh = 0; kh < kH; kh++)
      for (let kw = 0; kw < kW; kw++, row++) {
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          const src = row * L + oh * Wo;
          const base = dOff + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw >= 0 && iw < W) dst[base + iw] += cols[src + ow]!;
          }
        }
      }
}

function newLike(a: FloatArray, n: number): FloatArray {
  return a instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) by im2col and matrix product, per image and
 * group: `out[n, group] [Og, L] = w[group] [Og, R] @ cols [R, L]`.
 */
export function conv2d(x: View, w: View, g: Conv2dGeometry, bias?: View | null): View {
  const d = convDims(x.shape, w.shape, g);
  const out = alloc(dtypeOf(x), [d.N, d.O, d.Ho, d.Wo]);
  if (out.size === 0) return out;
  const od = out.data as FloatArray;
  const xd = toContiguous(x).data;
  const wd = toContiguous(w).data;
  const pointwise = isPointwise(d, g);
  const cols = newLike(od, pointwise ? 0 : d.R * d.L);
  for (let n = 0; n < d.N; n++)
    for (let gi = 0; gi < d.groups; gi++) {
      const xOff = (n * d.C + gi * d.Cg) * d.H * d.W;
      const B = pointwise ? { data: xd, off: xOff, rs: d.L, cs: 1 } : { data: cols, off: 0, rs: d.L, cs: 1 };
      if (!pointwise) im2col(xd, xOff, d, g, cols);
      gemm(d.Og, d.L, d.R, { data: wd, off: gi * d.Og * d.R, rs: d.R, cs: 1 }, B, od, (n * d.O + gi * d.Og) * d.L);
    }
  if (bias) {
    const bd = toContiguous(bias).data;
    for (let p = 0; p < d.N * d.O; p++) {
      const v = bd[p % d.O]!;
      for (let i = p * d.L, end = i + d.L; i < end; i++) od[i] = od[i]! + v;
    }
  }
  return out;
}

/**
 * Gradient of conv2d with respect to its input (a transposed convolution): per image and group,
 * `cols [R, L] = w[group]^T [R, Og] @ grad[n, group] [Og, L]`, then col2im adds the columns back.
 */
export function conv2dBackwardInput(grad: View, w: View, inputShape: readonly number[], g: Conv2dGeometry): View {
  const d = convDims(inputShape, w.shape, g);
  const dx = alloc(dtypeOf(grad), inputShape);
  if (dx.size === 0 || d.L === 0) return dx;
  const dd = dx.data as FloatArray;
  const gd = toContiguous(grad).data;
  const wd = toContiguous(w).data;
  // w^T of each group, packed once for all images: [groups][R][Og].
  const wt = newLike(dd, d.groups * d.R * d.Og);
  for (let gi = 0; gi < d.groups; gi++)
    for (let o = 0; o < d.Og; o++)
      for (let r = 0; r < d.R; r++) wt[(gi * d.R + r) * d.Og + o] = wd[(gi * d.Og + o) * d.R + r]!;
  const pointwise = isPointwise(d, g);
  const cols = newLike(dd, pointwise ? 0 : d.R * d.L);
  for (let n = 0; n < d.N; n++)
    for (let gi = 0; gi < d.groups; gi++) {
      const A = { data: wt, off: gi * d.R * d.Og, rs: d.Og, cs: 1 };
      const B = { data: gd, off: (n * d.O + gi * d.Og) * d.L, rs: d.L, cs: 1 };
      const xOff = (n * d.C + gi * d.Cg) * d.H * d.W;
      if (pointwise) gemm(d.R, d.L, d.Og, A, B, dd, xOff);
      else {
        gemm(d.R, d.L, d.Og, A, B, cols, 0);
        col2im(cols, d, g, dd, xOff);
      }
    }
  return dx;
}

/**
 * Gradient of conv2d with respect to its weight: summed over images,
 * `dw[group] [Og, R] += grad[n, group] [Og, L] @ cols^T [L, R]`.
 */
export function conv2dBackwardWeight(x: View, grad: View, weightShape: readonly number[], g: Conv2dGeometry): View {
  const d = convDims(x.shape, weightShape, g);
  const dw = alloc(dtypeOf(x), weightShape);
  if (dw.size === 0 || d.L === 0) return dw;
  const wd = dw.data as FloatArray;
  const xd = toContiguous(x).data;
  const gd = toContiguous(grad).data;
  const pointwise = isPointwise(d, g);
  const cols = newLike(wd, pointwise ? 0 : d.R * d.L);
  for (let n = 0; n < d.N; n++)
    for (let gi = 0; gi < d.groups; gi++) {
      const xOff = (n * d.C + gi * d.Cg) * d.H * d.W;
      if (!pointwise) im2col(xd, xOff, d, g, cols);
      // cols^T as a strided operand (row stride 1, column stride L): gemm packs it.
      const B = pointwise ? { data: xd, off: xOff, rs: 1, cs: d.L } : { data: cols, off: 0, rs: 1, cs: d.L };
      gemm(d.Og, d.R, d.L, { data: gd, off: (n * d.O + gi * d.Og) * d.L, rs: d.L, cs: 1 }, B, wd, gi * d.Og * d.R, true);
    }
  return dw;
}
