import { allocateUninitialized } from '../../dtype.js';
import type { Conv2dGeometry, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { makeView } from '../view.js';
import { isF32, outSize } from './layout.js';
import type { WasmRuntime } from './module.js';
import { contiguous, MIN_ELEMENTWISE, takeF32, withRuntime } from './staging.js';
import { parallelFor } from './threads.js';

function maxPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): { out: View; argmax: View } {
  if (!isF32(x) || x.size < MIN_ELEMENTWISE) return jsBackend.maxPool2d(x, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
    const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
    const n = N * C * Ho * Wo;
    if (n === 0) return jsBackend.maxPool2d(x, kernel, g);
    const xp = contiguous(rt, x);
    const geo = rt.putInts([H, W, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo]);
    const out = rt.alloc(n * 4);
    const arg = rt.alloc(n * 4);
    // about one compare per input element (the 2x2 case is vectorised): short jobs stay on this thread
    parallelFor(rt, n * kernel[0] * kernel[1], N * C, 'maxPool2dF32', 0, 6, (p0, p1) => [p0, p1, geo, xp, out, arg, 0]);
    const argmax = makeView(allocateUninitialized('int32', n), [N, C, Ho, Wo]);
    (argmax.data as Int32Array).set(rt.i32.subarray(arg >> 2, (arg >> 2) + n));
    return { out: takeF32(rt, out, [N, C, Ho, Wo]), argmax };
  });
}

/** The int32 pooling geometry the pool kernels read: [H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo]. */
function poolGeo(rt: WasmRuntime, H: number, W: number, kernel: [number, number], g: Conv2dGeometry) {
  const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  const geo = rt.putInts([H, W, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo]);
  return { Ho, Wo, geo };
}

function avgPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): View {
  if (!isF32(x) || x.size < MIN_ELEMENTWISE) return jsBackend.avgPool2d(x, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const { Ho, Wo, geo } = poolGeo(rt, H, W, kernel, g);
    if (N * C * Ho * Wo === 0) return jsBackend.avgPool2d(x, kernel, g);
    const xp = contiguous(rt, x);
    const out = rt.alloc(N * C * Ho * Wo * 4);
    parallelFor(rt, 2 * N * C * Ho * Wo * kernel[0] * kernel[1], N * C, 'avgPool2dF32', 0, 5, (p0, p1) => [p0, p1, geo, xp, out, 0]);
    return takeF32(rt, out, [N, C, Ho, Wo]);
  });
}

function avgPool2dBackward(grad: View, inputShape: readonly number[], kernel: [number, number], g: Conv2dGeometry): View {
  if (!isF32(grad) || grad.size < MIN_ELEMENTWISE) return jsBackend.avgPool2dBackward(grad, inputShape, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = inputShape as [number, number, number, number];
    const { geo } = poolGeo(rt, H, W, kernel, g);
    if (N * C * H * W === 0) return jsBackend.avgPool2dBackward(grad, inputShape, kernel, g);
    const gp = contiguous(rt, grad);
    const dx = rt.alloc(N * C * H * W * 4);
    parallelFor(rt, 2 * grad.size * kernel[0] * kernel[1], N * C, 'avgPool2dBackwardF32', 0, 5, (p0, p1) => [p0, p1, geo, gp, dx, 0]);
    return takeF32(rt, dx, inputShape);
  });
}

/** The pooling kernels of the wasm backend. @internal */
export const poolKernels = { maxPool2d, avgPool2d, avgPool2dBackward };
