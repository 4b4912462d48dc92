import type { Conv2dGeometry, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { isF32, outSize, sizeOf } from './layout.js';
import type { WasmRuntime } from './module.js';
import { contiguous, takeF32, withRuntime } from './staging.js';
import { parallelFor, winogradStats } from './threads.js';

/** The int32 geometry block the conv kernels read: [C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo]. */
function convGeo(rt: WasmRuntime, xShape: readonly number[], wShape: readonly number[], g: Conv2dGeometry) {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , kh, kw] = wShape as [number, number, number, number];
  const Ho = outSize(H, kh, g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kw, g.stride[1], g.padding[1], g.dilation[1]);
  const geo = rt.putInts([C, H, W, O, kh, kw, g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo, 0, 0]);
  return { N, C, H, W, O, kh, kw, Ho, Wo, geo, colsBytes: C * kh * kw * Ho * Wo * 4, flops: 2 * N * O * C * kh * kw * Ho * Wo };
}

function convSupported(g: Conv2dGeometry, ...views: View[]): boolean {
  return g.groups === 1 && views.every(isF32);
}

/**
 * Fewest input and output channels for which Winograd F(2x2, 3x3) replaces im2col + GEMM. With
 * few channels its GEMMs are thin and the transforms dominate. Measured on one thread, 16
 * images of 28x28, padding 1 (im2col / Winograd time): 8 -> 8 channels 1.5x forward, 1.4x input
 * gradient, 1.4x weight gradient; 8 -> 32: 1.4x, 1.2x, 1.2x; 4 -> 32: 1.1x, 0.8x (slower);
 * 32 -> 64 at 26x26: 1.9x, 1.4x, 1.9x.
 */
const WINOGRAD_MIN_CHANNELS = 8;

/** True when a conv of this geometry (3x3, stride 1, dilation 1, padding <= 2) runs faster by Winograd. */
function winogradFits(C: number, O: number, wShape: readonly number[], g: Conv2dGeometry): boolean {
  return (
    wShape[2] === 3 && wShape[3] === 3 && g.stride[0] === 1 && g.stride[1] === 1 && g.dilation[0] === 1 &&
    g.dilation[1] === 1 && g.padding[0] <= 2 && g.padding[1] <= 2 && Math.min(C, O) >= WINOGRAD_MIN_CHANNELS
  );
}

/**
 * When Winograd F(4x4, 3x3) replaces F(2x2, 3x3) (both need {@link WINOGRAD_MIN_CHANNELS}):
 * outputs of at least WINOGRAD4_MIN_SIZE rows and columns on which its GEMMs (36 per 4x4
 * tile) do at most WINOGRAD4_MAX_FLOPS of F(2x2, 3x3)'s (16 per 2x2 tile); partial tiles make
 * that ratio 0.56 at 7x7, 8x8, 11x11, 12x12, 0.81 at 9x9, 10x10, 0.73 at 13x13, 14x14, 1 at
 * 5x5, 6x6. Measured on one thread, F(2x2) / F(4x4) time for forward, input and weight
 * gradient, padding 1: 32 -> 32 channels, 64 images of 4x4: 0.94x, 0.92x, -; 5x5: 0.89x,
 * 0.91x, 0.76x; 7x7: 1.30x, 1.30x, 1.16x; 9x9: 0.95-1.06x, 1.05x, 1.00x; 13x13: 1.47x, 1.48x,
 * -; 8 -> 8 channels at 7x7: 1.30x, 1.30x, 1.21x, at 14x14: 1.22x, 1.22x, 1.20x; 64 -> 64 at
 * 16x16: 1.34x, 1.44x, 1.27x; 32 -> 64 at 26x26, padding 0: 1.39-1.57x, 1.27-1.31x, 1.48x.
 */
const WINOGRAD4_MIN_SIZE = 7;
const WINOGRAD4_MAX_FLOPS = 0.8;

/** @internal Test and benchmark hook: `tile` 2 or 4 forces F(2x2, 3x3) or F(4x4, 3x3) on every Winograd-fit conv. */
export const winogradTileOverride: { tile: 2 | 4 | null } = { tile: null };

/** True when a Winograd-fit conv (see {@link winogradFits}) with output [Ho, Wo] runs faster by F(4x4, 3x3). */
function winograd4Fits(Ho: number, Wo: number): boolean {
  if (winogradTileOverride.tile !== null) return winogradTileOverride.tile === 4;
  const flops4 = 36 * Math.ceil(Ho / 4) * Math.ceil(Wo / 4);
  const flops2 = 16 * Math.ceil(Ho / 2) * Math.ceil(Wo / 2);
  return Math.min(Ho, Wo) >= WINOGRAD4_MIN_SIZE && flops4 <= WINOGRAD4_MAX_FLOPS * flops2;
}

/** The two Winograd variants: output tile size, transformed planes per tile and their kernels. */
function winogradKind(rt: WasmRuntime, tile4: boolean) {
  const E = rt.exports;
  return tile4
    ? { tile: 4, planes: 36, conv: 'winograd4Conv' as const, weightGrad: 'winograd4ConvWeightGrad' as const, weights: E.winograd4Weights,
        weightsBackward: E.winograd4WeightsBackward, workBytes: E.winograd4WorkBytes }
    : { tile: 2, planes: 16, conv: 'winogradConv' as const, weightGrad: 'winogradConvWeightGrad' as const, weights: E.winogradWeights,
        weightsBackward: E.winogradWeightsBackward, workBytes: E.winogradWorkBytes };
}

/** GEMM flops of a Winograd pass: `planes` products of [A, B] by [B, tiles] per image. */
function winogradFlops(k: { tile: number; planes: number }, N: number, A: number, B: number, Ho: number, Wo: number): number {
  return 2 * k.planes * N * A * B * Math.ceil(Ho / k.tile) * Math.ceil(Wo / k.tile);
}

/**
 * Winograd convolution of the contiguous images at `xp` ([N, Ci, H, W], `inp` = [Ci, H, W]) to
 * a fresh [N, Co, Ho, Wo] block (`outp` = [Co, Ho, Wo]) with zero padding `pad`; returns its
 * address. F(4x4, 3x3) with `tile4`, else F(2x2, 3x3). The filters are those of `wp` (a weight
 * [O, C, 3, 3]) or, with `flip`, those of its transposed, rotated kernel (the input gradient's
 * convolution).
 */
function winogradConv(
  rt: WasmRuntime, N: number, inp: number[], outp: number[], pad: number[], xp: number, wp: number,
  O: number, C: number, flip: boolean, tile4: boolean,
): number {
  const k = winogradKind(rt, tile4);
  const [Ci, H, W] = inp as [number, number, number];
  const [Co, Ho, Wo] = outp as [number, number, number];
  const geo = rt.putInts([Ci, H, W, Co, Ho, Wo, pad[0]!, pad[1]!]);
  const out = rt.alloc(N * Co * Ho * Wo * 4);
  const u = rt.alloc(k.planes * O * C * 4);
  k.weights(O, C, wp, flip ? 1 : 0, u);
  const flops = winogradFlops(k, N, Co, Ci, Ho, Wo);
  parallelFor(rt, flops, N, k.conv, k.workBytes(geo), 6, (n0, n1) => [n0, n1, geo, xp, u, out, 0]);
  return out;
}

/**
 * The weight gradient [O, C, 3, 3] by Winograd F(4x4, 3x3) with `tile4`, else F(2x2, 3x3), for
 * the contiguous input `xp` and output gradient `gp`; returns its address. Each chunk of images
 * sums its Winograd-domain gradient (36 or 16 [O, C] matrices) into its own block; the blocks
 * are added, then transformed back.
 */
function winogradWeightGrad(rt: WasmRuntime, d: ReturnType<typeof convGeo>, g: Conv2dGeometry, xp: number, gp: number, tile4: boolean): number {
  const k = winogradKind(rt, tile4);
  const geo = rt.putInts([d.C, d.H, d.W, d.O, d.Ho, d.Wo, g.padding[0], g.padding[1]]);
  const size = k.planes * d.O * d.C;
  const parts: number[] = [];
  const P = weightGradParts(d.N);
  parallelFor(rt, winogradFlops(k, d.N, d.O, d.C, d.Ho, d.Wo), P, k.weightGrad, k.workBytes(geo), 6, (i) => {
    const du = rt.alloc(size * 4);
    parts[i] = du;
    return [Math.floor((d.N * i) / P), Math.floor((d.N * (i + 1)) / P), geo, xp, gp, du, 0];
  }, true);
  const dw = rt.alloc(d.O * d.C * 9 * 4);
  k.weightsBackward(d.O, d.C, sumParts(rt, parts, size), dw);
  return dw;
}

function conv2d(x: View, w: View, g: Conv2dGeometry, bias?: View | null): View {
  if (!convSupported(g, x, w) || (bias && !isF32(bias))) return jsBackend.conv2d(x, w, g, bias);
  return withRuntime((rt) => {
    const d = convGeo(rt, x.shape, w.shape, g);
    if (d.N * d.O * d.Ho * d.Wo === 0 || d.C === 0) return jsBackend.conv2d(x, w, g, bias);
    const xp = contiguous(rt, x);
    const wp = contiguous(rt, w);
    if (winogradFits(d.C, d.O, w.shape, g)) {
      const tile4 = winograd4Fits(d.Ho, d.Wo);
      if (tile4) winogradStats.forward4++;
      else winogradStats.forward++;
      const out = winogradConv(rt, d.N, [d.C, d.H, d.W], [d.O, d.Ho, d.Wo], g.padding, xp, wp, d.O, d.C, false, tile4);
      if (bias) addChannelBias(rt, out, contiguous(rt, bias), d.N, d.O, d.Ho * d.Wo);
      return takeF32(rt, out, [d.N, d.O, d.Ho, d.Wo]);
    }
    const out = rt.alloc(d.N * d.O * d.Ho * d.Wo * 4);
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    parallelFor(rt, d.flops, d.N, 'conv2dForward', work, 6, (n0, n1) => [n0, n1, d.geo, xp, wp, out, 0]);
    if (bias) addChannelBias(rt, out, contiguous(rt, bias), d.N, d.O, d.Ho * d.Wo);
    return takeF32(rt, out, [d.N, d.O, d.Ho, d.Wo]);
  });
}

/**
 * How many groups of images a weight gradient sums separately (the partial sums are added up
 * after): a fixed number, so that it comes out the same on any number of threads.
 */
function weightGradParts(N: number): number {
  return Math.min(N, 8);
}

/** Adds the partial sums (`size` floats at each address) into the first, in order; returns its address. */
function sumParts(rt: WasmRuntime, parts: number[], size: number): number {
  const first = parts[0]!;
  for (let t = 1; t < parts.length; t++) rt.exports.binaryF32(0, 1, size, first, 0, 1, parts[t]!, 0, 1, first);
  return first;
}

/** `out [N, O, L] += bias [O]` in place. */
function addChannelBias(rt: WasmRuntime, out: number, bias: number, N: number, O: number, L: number): void {
  rt.exports.addRowBiasF32(N * O, L, out, bias, O);
}

function conv2dBackwardInput(grad: View, w: View, inputShape: readonly number[], g: Conv2dGeometry): View {
  if (!convSupported(g, grad, w)) return jsBackend.conv2dBackwardInput(grad, w, inputShape, g);
  return withRuntime((rt) => {
    const d = convGeo(rt, inputShape, w.shape, g);
    if (d.N * d.C * d.H * d.W === 0 || d.O * d.Ho * d.Wo === 0) return jsBackend.conv2dBackwardInput(grad, w, inputShape, g);
    const gp = contiguous(rt, grad);
    const wp = contiguous(rt, w);
    if (winogradFits(d.C, d.O, w.shape, g)) {
      // dx = conv2d(grad, w') with padding 2 - p, w'[c, o, i, j] = w[o, c, 2 - i, 2 - j]
      const tile4 = winograd4Fits(d.H, d.W);
      if (tile4) winogradStats.backwardInput4++;
      else winogradStats.backwardInput++;
      const pad = [2 - g.padding[0], 2 - g.padding[1]];
      const dx = winogradConv(rt, d.N, [d.O, d.Ho, d.Wo], [d.C, d.H, d.W], pad, gp, wp, d.O, d.C, true, tile4);
      return takeF32(rt, dx, inputShape);
    }
    const dx = rt.alloc(d.N * d.C * d.H * d.W * 4);
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    parallelFor(rt, d.flops, d.N, 'conv2dBackwardInput', work, 6, (n0, n1) => [n0, n1, d.geo, gp, wp, dx, 0]);
    return takeF32(rt, dx, inputShape);
  });
}

function conv2dBackwardWeight(x: View, grad: View, weightShape: readonly number[], g: Conv2dGeometry): View {
  if (!convSupported(g, x, grad)) return jsBackend.conv2dBackwardWeight(x, grad, weightShape, g);
  return withRuntime((rt) => {
    const d = convGeo(rt, x.shape, weightShape, g);
    const wSize = sizeOf(weightShape);
    if (d.N * d.Ho * d.Wo === 0 || wSize === 0) return jsBackend.conv2dBackwardWeight(x, grad, weightShape, g);
    const xp = contiguous(rt, x);
    const gp = contiguous(rt, grad);
    if (winogradFits(d.C, d.O, weightShape, g)) {
      const tile4 = winograd4Fits(d.Ho, d.Wo);
      if (tile4) winogradStats.backwardWeight4++;
      else winogradStats.backwardWeight++;
      return takeF32(rt, winogradWeightGrad(rt, d, g, xp, gp, tile4), weightShape);
    }
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    // each group of images sums into its own partial gradient; the partials are added up after
    const parts: number[] = [];
    const P = weightGradParts(d.N);
    parallelFor(rt, d.flops, P, 'conv2dBackwardWeight', work, 7, (i) => {
      const dw = rt.alloc(wSize * 4);
      parts[i] = dw;
      return [Math.floor((d.N * i) / P), Math.floor((d.N * (i + 1)) / P), d.geo, xp, gp, dw, 0, 0];
    }, true);
    return takeF32(rt, sumParts(rt, parts, wSize), weightShape);
  });
}

/** The convolution kernels of the wasm backend. @internal */
export const convKernels = { conv2d, conv2dBackwardInput, conv2dBackwardWeight };
