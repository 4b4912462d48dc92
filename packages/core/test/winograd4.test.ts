import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend, setNumThreads, getNumThreads } from '@tapegrad/core';
import type { Conv2dGeometry } from '../src/kernels/backend.js';
import { makeView } from '../src/kernels/view.js';
import { f64, normalViews, values } from './conv-views.js';
import { wasmBackend, winogradTileOverride } from '../src/kernels/wasm/index.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads, threadStats, winogradStats } from '../src/kernels/wasm/threads.js';

// The wasm backend runs 3x3, stride-1 convolutions with at least 8 input and output channels
// and outputs of at least 7x7 (with few partial tiles) by Winograd F(4x4, 3x3): forward, input
// gradient and weight gradient. These tests force that path on every size (partial tiles
// included) and compare it with the JS reference kernels run in float64 on the same float32
// values.
//
// Tolerance: the 6x6 transforms round more than F(2x2, 3x3)'s, most at the corners of each 4x4
// output tile. Measured on N(0, 1) inputs and weights (C and O from 8 to 64, padding 0-2, sizes
// 5x5 to 26x26, the cases below and a wider sweep), the largest |wasm - float64 reference| was
// 8.4e-6 * sqrt(9 K) (K = channels summed over: C forward, O for the input gradient; outputs have
// standard deviation sqrt(9 K)); F(2x2, 3x3) measures 1.9e-6 * sqrt(9 K) on the same cases. The
// tests allow 3e-5 * sqrt(9 K), about 3.5x the measured maximum. The weight gradient sums over
// L = N Ho Wo positions: measured at most 7e-6 * sqrt(L) (F(2x2, 3x3): 2.8e-6 to 3.3e-6), allowed
// 2e-5 * sqrt(L).

const tol = (K: number) => ({ rtol: 0, atol: 3e-5 * Math.sqrt(9 * K) });
const tolW = (L: number) => ({ rtol: 0, atol: 2e-5 * Math.sqrt(L) });
const geo = (p: number): Conv2dGeometry => ({ stride: [1, 1], padding: [p, p], dilation: [1, 1], groups: 1 });

const normal = normalViews(400);

/**
 * [N, C, O, H, W, padding]: padding 0, 1, 2 on sizes below, at and across the 4x4 tile (5, 8,
 * 9, 13, 17, 26; odd and even, square and not), channels from {8, 17, 32, 64}, 1 or 3 images.
 */
const CASES: Array<[number, number, number, number, number, number]> = [];
{
  const sizes = [[5, 5], [8, 9], [9, 13], [13, 8], [17, 17], [26, 26]];
  const channels = [[8, 8], [17, 32], [32, 8], [8, 64], [64, 17], [17, 17], [32, 64]];
  let i = 0;
  for (const p of [0, 1, 2]) {
    for (const [H, W] of sizes) {
      // the 26x26 cases with fewer channels keep the float64 reference quick
      const [C, O] = H === 26 ? channels[i % 3]! : channels[i % channels.length]!;
      CASES.push([i % 2 ? 3 : 1, C!, O!, H!, W!, p]);
      i++;
    }
  }
}

/**
 * [N, C, O, H, W, padding] for the transforms that read rows in place (partial loads at the
 * right edge, zero rows above and below): input widths 4k, 4k + 1, 4k + 2, 4k + 3 with
 * padding 0, 1, 2, partial bottom tile rows, channels that are not multiples of 4 (Winograd
 * needs 8 or more), one image;
 * the last case (64 -> 64 channels, 7 images of 11x11) spans two GEMM blocks, the second partial.
 */
const EDGE_CASES: Array<[number, number, number, number, number, number]> = [
  [1, 9, 10, 10, 11, 0], [2, 9, 10, 7, 12, 1], [1, 10, 9, 13, 14, 2], [2, 11, 13, 9, 15, 0],
  [1, 13, 11, 11, 15, 1], [1, 9, 10, 12, 11, 2], [1, 10, 10, 14, 13, 0], [7, 64, 64, 11, 11, 0],
];

beforeAll(() => {
  expect(wasmRuntime()).not.toBeNull();
  winogradTileOverride.tile = 4;
});
afterEach(() => {
  winogradTileOverride.tile = 4;
});
afterAll(() => {
  winogradTileOverride.tile = null;
  setNumThreads(2);
});

describe('conv2d (wasm, Winograd F(4x4, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, sizes 5 to 26 and 8 to 64 channels', () => {
    const before = winogradStats.forward4;
    for (const [N, C, O, H, W, p] of CASES) {
      const x = normal([N, C, H, W]);
      const w = normal([O, C, 3, 3]);
      const got = wasmBackend.conv2d(x, w, geo(p));
      const want = jsBackend.conv2d(f64(x), f64(w), geo(p));
      expect(got.shape).toEqual([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      expect(values(got)).toBeAllClose(values(want), tol(C));
    }
    expect(winogradStats.forward4 - before).toBe(CASES.length);
  });

  it('matches the float64 reference on widths 4k to 4k + 3, odd channel counts and two GEMM blocks', () => {
    const before = winogradStats.forward4;
    for (const [N, C, O, H, W, p] of EDGE_CASES) {
      const x = normal([N, C, H, W]);
      const w = normal([O, C, 3, 3]);
      const got = wasmBackend.conv2d(x, w, geo(p));
      expect(values(got)).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), geo(p))), tol(C));
    }
    expect(winogradStats.forward4 - before).toBe(EDGE_CASES.length);
  });

  it('adds the bias and reads non-contiguous inputs: a transposed, offset input and a transposed weight', () => {
    const [N, C, O, H, W] = [2, 9, 16, 11, 10];
    // x stored as [N, C, W, H] behind a 5-element offset, viewed as [N, C, H, W]
    const base = normal([N * C * W * H + 5]);
    const x = makeView(base.data, [N, C, H, W], [C * W * H, W * H, 1, H], 5);
    const wt = normal([C, O, 3, 3]);
    const w = makeView(wt.data, [O, C, 3, 3], [9, O * 9, 3, 1]);
    const bias = normal([O]);
    const before = winogradStats.forward4;
    for (const p of [0, 1, 2]) {
      const got = wasmBackend.conv2d(x, w, geo(p), bias);
      expect(values(got)).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), geo(p), f64(bias))), tol(C));
    }
    expect(winogradStats.forward4 - before).toBe(3);
  });

  it('is chosen over F(2x2, 3x3) for outputs of 7x7 and more with few partial tiles', () => {
    winogradTileOverride.tile = null;
    const w = normal([8, 8, 3, 3]);
    const cases: Array<[number, number, number, boolean]> = [
      [7, 7, 0, false], [5, 5, 1, false], [9, 8, 0, false], [9, 9, 0, true], [7, 7, 1, true], [11, 11, 0, false],
      [15, 15, 0, true], [26, 26, 0, true],
    ];
    for (const [H, W, p, tile4] of cases) {
      const x = normal([1, 8, H, W]);
      const [two, four] = [winogradStats.forward, winogradStats.forward4];
      const got = wasmBackend.conv2d(x, w, geo(p));
      expect(values(got)).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), geo(p))), tol(8));
      expect([winogradStats.forward - two, winogradStats.forward4 - four]).toEqual(tile4 ? [0, 1] : [1, 0]);
    }
  });

  it('gives bit-identical results on one and two threads', async () => {
    const x = normal([6, 16, 26, 26]);
    const w = normal([32, 16, 3, 3]);
    const saved = getNumThreads();
    setNumThreads(1);
    const one = values(wasmBackend.conv2d(x, w, geo(1)));
    setNumThreads(2);
    await startThreads(wasmRuntime()!);
    const parallel = threadStats.parallel;
    const before = winogradStats.forward4;
    const two = values(wasmBackend.conv2d(x, w, geo(1)));
    expect(threadStats.parallel).toBe(parallel + 1);
    expect(winogradStats.forward4).toBe(before + 1);
    expect(two).toEqual(one);
    setNumThreads(saved);
  });
});

describe('conv2dBackwardInput (wasm, Winograd F(4x4, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, sizes 5 to 26 and 8 to 64 channels', () => {
    const before = winogradStats.backwardInput4;
    for (const [N, C, O, H, W, p] of CASES) {
      const w = normal([O, C, 3, 3]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardInput(grad, w, [N, C, H, W], geo(p));
      const want = jsBackend.conv2dBackwardInput(f64(grad), f64(w), [N, C, H, W], geo(p));
      expect(got.shape).toEqual([N, C, H, W]);
      expect(values(got)).toBeAllClose(values(want), tol(O));
    }
    expect(winogradStats.backwardInput4 - before).toBe(CASES.length);
  });

  it('matches the float64 reference on widths 4k to 4k + 3, odd channel counts and two GEMM blocks', () => {
    const before = winogradStats.backwardInput4;
    for (const [N, C, O, H, W, p] of EDGE_CASES) {
      const w = normal([O, C, 3, 3]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardInput(grad, w, [N, C, H, W], geo(p));
      const want = jsBackend.conv2dBackwardInput(f64(grad), f64(w), [N, C, H, W], geo(p));
      expect(values(got)).toBeAllClose(values(want), tol(O));
    }
    expect(winogradStats.backwardInput4 - before).toBe(EDGE_CASES.length);
  });

  it('reads a non-contiguous gradient (every other element of a wider tensor)', () => {
    const [N, C, O, H, W, p] = [3, 8, 17, 9, 14, 1];
    const Ho = H + 2 * p - 2;
    const Wo = W + 2 * p - 2;
    const wide = normal([N * O * Ho * Wo * 2 + 1]);
    const grad = makeView(wide.data, [N, O, Ho, Wo], [O * Ho * Wo * 2, Ho * Wo * 2, Wo * 2, 2], 1);
    const w = normal([O, C, 3, 3]);
    const before = winogradStats.backwardInput4;
    const got = wasmBackend.conv2dBackwardInput(grad, w, [N, C, H, W], geo(p));
    expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardInput(f64(grad), f64(w), [N, C, H, W], geo(p))), tol(O));
    expect(winogradStats.backwardInput4 - before).toBe(1);
  });

  it('is chosen over F(2x2, 3x3) when the input (its output) is 7x7 or more with few partial tiles', () => {
    winogradTileOverride.tile = null;
    const w = normal([8, 8, 3, 3]);
    for (const [H, p, tile4] of [[6, 1, false], [7, 0, true], [10, 1, false], [26, 0, true]] as Array<[number, number, boolean]>) {
      const grad = normal([1, 8, H + 2 * p - 2, H + 2 * p - 2]);
      const [two, four] = [winogradStats.backwardInput, winogradStats.backwardInput4];
      const got = wasmBackend.conv2dBackwardInput(grad, w, [1, 8, H, H], geo(p));
      expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardInput(f64(grad), f64(w), [1, 8, H, H], geo(p))), tol(8));
      expect([winogradStats.backwardInput - two, winogradStats.backwardInput4 - four]).toEqual(tile4 ? [0, 1] : [1, 0]);
    }
  });

  it('gives bit-identical results on one and two threads', async () => {
    const grad = normal([6, 32, 24, 24]);
    const w = normal([32, 16, 3, 3]);
    const saved = getNumThreads();
    setNumThreads(1);
    const one = values(wasmBackend.conv2dBackwardInput(grad, w, [6, 16, 26, 26], geo(0)));
    setNumThreads(2);
    await startThreads(wasmRuntime()!);
    const parallel = threadStats.parallel;
    const before = winogradStats.backwardInput4;
    const two = values(wasmBackend.conv2dBackwardInput(grad, w, [6, 16, 26, 26], geo(0)));
    expect(threadStats.parallel).toBe(parallel + 1);
    expect(winogradStats.backwardInput4).toBe(before + 1);
    expect(two).toEqual(one);
    setNumThreads(saved);
  });
});

describe('conv2dBackwardWeight (wasm, Winograd F(4x4, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, sizes 5 to 26 and 8 to 64 channels', () => {
    const before = winogradStats.backwardWeight4;
    for (const [N, C, O, H, W, p] of CASES) {
      const x = normal([N, C, H, W]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardWeight(x, grad, [O, C, 3, 3], geo(p));
      const want = jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [O, C, 3, 3], geo(p));
      expect(got.shape).toEqual([O, C, 3, 3]);
      expect(values(got)).toBeAllClose(values(want), tolW(grad.size / O));
    }
    expect(winogradStats.backwardWeight4 - before).toBe(CASES.length);
  });

  it('matches the float64 reference on widths 4k to 4k + 3, odd channel counts and two GEMM blocks', () => {
    const before = winogradStats.backwardWeight4;
    for (const [N, C, O, H, W, p] of EDGE_CASES) {
      const x = normal([N, C, H, W]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardWeight(x, grad, [O, C, 3, 3], geo(p));
      const want = jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [O, C, 3, 3], geo(p));
      expect(values(got)).toBeAllClose(values(want), tolW(grad.size / O));
    }
    expect(winogradStats.backwardWeight4 - before).toBe(EDGE_CASES.length);
  });

  it('reads non-contiguous inputs: a transposed input and a strided gradient', () => {
    const [N, C, O, H, W, p] = [2, 8, 9, 10, 13, 2];
    const Ho = H + 2 * p - 2;
    const Wo = W + 2 * p - 2;
    const xt = normal([N, C, W, H]);
    const x = makeView(xt.data, [N, C, H, W], [C * W * H, W * H, 1, H]);
    const wide = normal([N * O * Ho * Wo * 2 + 1]);
    const grad = makeView(wide.data, [N, O, Ho, Wo], [O * Ho * Wo * 2, Ho * Wo * 2, Wo * 2, 2], 1);
    const before = winogradStats.backwardWeight4;
    const got = wasmBackend.conv2dBackwardWeight(x, grad, [O, C, 3, 3], geo(p));
    expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [O, C, 3, 3], geo(p))), tolW(N * Ho * Wo));
    expect(winogradStats.backwardWeight4 - before).toBe(1);
  });

  it('is chosen over F(2x2, 3x3) for outputs of 7x7 and more with few partial tiles', () => {
    winogradTileOverride.tile = null;
    for (const [H, p, tile4] of [[7, 0, false], [7, 1, true], [11, 0, false], [26, 0, true]] as Array<[number, number, boolean]>) {
      const x = normal([1, 8, H, H]);
      const grad = normal([1, 8, H + 2 * p - 2, H + 2 * p - 2]);
      const [two, four] = [winogradStats.backwardWeight, winogradStats.backwardWeight4];
      const got = wasmBackend.conv2dBackwardWeight(x, grad, [8, 8, 3, 3], geo(p));
      expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [8, 8, 3, 3], geo(p))), tolW(grad.size / 8));
      expect([winogradStats.backwardWeight - two, winogradStats.backwardWeight4 - four]).toEqual(tile4 ? [0, 1] : [1, 0]);
    }
  });

  it('gives the same result on one and two threads up to the order of the per-thread sums', async () => {
    const x = normal([8, 16, 26, 26]);
    const grad = normal([8, 32, 24, 24]);
    const saved = getNumThreads();
    setNumThreads(1);
    const one = values(wasmBackend.conv2dBackwardWeight(x, grad, [32, 16, 3, 3], geo(0)));
    setNumThreads(2);
    await startThreads(wasmRuntime()!);
    const parallel = threadStats.parallel;
    const before = winogradStats.backwardWeight4;
    const two = values(wasmBackend.conv2dBackwardWeight(x, grad, [32, 16, 3, 3], geo(0)));
    expect(threadStats.parallel).toBe(parallel + 1);
    expect(winogradStats.backwardWeight4).toBe(before + 1);
    // images are summed per chunk of the batch, then the chunks' sums are added: the float32
    // rounding differs, within the reference tolerance
    expect(two).toBeAllClose(one, tolW(8 * 24 * 24));
    expect(two).not.toEqual(new Array<number>(two.length).fill(0));
    setNumThreads(saved);
  });
});
