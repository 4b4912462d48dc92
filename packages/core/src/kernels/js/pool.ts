import type { Conv2dGeometry, View } from '../backend.js';
import { alloc, dtypeOf, toContiguous } from './alloc.js';
import { convOutSize } from './conv.js';

/** Planes (N * C), plane sizes and output sizes of a pooling window over `[N, C, H, W]`. */
function poolDims(shape: readonly number[], kernel: [number, number], g: Conv2dGeometry) {
  const [N, C, H, W] = shape as [number, number, number, number];
  const Ho = convOutSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = convOutSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  return { N, C, H, W, Ho, Wo, planes: N * C };
}

/**
 * Max pooling over each `(n, c)` plane; padding never wins (it acts as -Infinity). Ties keep the
 * first element in window order; a NaN in the window wins (NaN propagates, as PyTorch).
 */
export function maxPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): { out: View; argmax: View } {
  const { N, C, H, W, Ho, Wo, planes } = poolDims(x.shape, kernel, g);
  const out = alloc(dtypeOf(x), [N, C, Ho, Wo]);
  const argmax = alloc('int32', [N, C, Ho, Wo]);
  const xd = toContiguous(x).data;
  const od = out.data;
  const ad = argmax.data;
  const [kH, kW] = kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < Ho; oh++)
      for (let ow = 0; ow < Wo; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const v = xd[xOff + ih * W + iw]!;
            if (v > best || at < 0 || (Number.isNaN(v) && !Number.isNaN(best))) {
              best = v;
              at = ih * W + iw;
            }
          }
        }
        const o = (p * Ho + oh) * Wo + ow;
        od[o] = best;
        ad[o] = at;
      }
  }
  return { out, argmax };
}

/** Average pooling; the divisor is the full window `kH * kW`, padding included (PyTorch's default). */
export function avgPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): View {
  const { N, C, H, W, Ho, Wo, planes } = poolDims(x.shape, kernel, g);
  const out = alloc(dtypeOf(x), [N, C, Ho, Wo]);
  const xd = toContiguous(x).data;
  const od = out.data;
  const [kH, kW] = kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  const scale = 1 / (kH * kW);
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < Ho; oh++)
      for (let ow = 0; ow < Wo; ow++) {
        let s = 0;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw >= 0 && iw < W) s += xd[xOff + ih * W + iw]!;
          }
        }
        od[(p * Ho + oh) * Wo + ow] = s * scale;
      }
  }
  return out;
}

/** Gradient of {@link avgPool2d} (its adjoint): each output gradient spread evenly over its window. */
export function avgPool2dBackward(grad: View, inputShape: readonly number[], kernel: [number, number], g: Conv2dGeometry): View {
  const { H, W, Ho, Wo, planes } = poolDims(inputShape, kernel, g);
  const dx = alloc(dtypeOf(grad), inputShape);
  const gd = toContiguous(grad).data;
  const dd = dx.data;
  const [kH, kW] = kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  const scale = 1 / (kH * kW);
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < Ho; oh++)
      for (let ow = 0; ow < Wo; ow++) {
        const v = gd[(p * Ho + oh) * Wo + ow]! * scale;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw >= 0 && iw < W) dd[xOff + ih * W + iw] += v;
          }
        }
      }
  }
  return dx;
}
