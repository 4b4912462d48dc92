import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend, setNumThreads, getNumThreads } from '@tapegrad/core';
import type { Conv2dGeometry, View } from '../src/kernels/backend.js';
import { makeView } from '../src/kernels/view.js';
import { f64, normalViews, values } from './conv-views.js';
import { wasmBackend, winogradTileOverride } from '../src/kernels/wasm/index.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads, threadStats, winogradStats } from '../src/kernels/wasm/threads.js';

// The wasm backend runs 3x3, stride-1 convolutions with at least 8 input and output channels
// by Winograd F(2x2, 3x3) (forward, input gradient and weight gradient); these tests compare
// it with the JS reference kernels run in float64 on the same float32 values. Larger outputs
// (7x7 and up) take F(4x4, 3x3) by default (tested in winograd4.test.ts); this file pins
// F(2x2, 3x3) so that it is tested at every size.
//
// Tolerance: the transforms add rounding steps, so the error is not the plain GEMM's. Measured
// on N(0, 1) inputs and weights (C up to 128, padding 0-2, sizes 3x3 to 26x26), the largest
// |wasm - float64 reference| was 2.3e-6 * sqrt(9 K) for Winograd and 2.3e-6 * sqrt(9 K) for
// im2col + GEMM too (K = channels summed over: C forward, O for the input gradient; outputs
// have standard deviation sqrt(9 K)). The tests allow 1e-5 * sqrt(9 K), about 4x that. The
// weight gradient sums over L = N Ho Wo positions: measured at most 3.3e-6 * sqrt(L), allowed
// 2e-5 * sqrt(L).

const tol = (K: number) => ({ rtol: 0, atol: 1e-5 * Math.sqrt(9 * K) });
const tolW = (L: number) => ({ rtol: 0, atol: 2e-5 * Math.sqrt(L) });
const geo = (p: number, s = 1, d = 1): Conv2dGeometry => ({ stride: [s, s], padding: [p, p], dilation: [d, d], groups: 1 });

const normal = normalViews(100);

/**
 * [N, C, O, H, W, padding]: padding 0, 1, 2 on odd and even sizes (3, 4, 5, 7, 17), channels
 * from {1, 3, 8, 17, 32}; the cases with C and O >= 8 take the Winograd path.
 */
const CASES: Array<[number, number, number, number, number, number]> = [];
{
  const sizes = [[3, 3], [4, 4], [5, 7], [7, 17], [17, 5], [17, 17]];
  const channels = [[8, 8], [3, 17], [17, 32], [32, 8], [1, 32], [17, 3], [32, 17], [8, 1], [8, 17]];
  let i = 0;
  for (const p of [0, 1, 2]) {
    for (const [H, W] of sizes) {
      const [C, O] = channels[i % channels.length]!;
      CASES.push([i % 2 ? 3 : 1, C!, O!, H!, W!, p]);
      i++;
    }
  }
}
const winogradCases = CASES.filter(([, C, O]) => C >= 8 && O >= 8).length;

beforeAll(() => {
  expect(wasmRuntime()).not.toBeNull();
  winogradTileOverride.tile = 2;
});
afterAll(() => {
  winogradTileOverride.tile = null;
  setNumThreads(2);
});

describe('conv2d (wasm, Winograd F(2x2, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, odd and even sizes and 1 to 32 channels', () => {
    const before = winogradStats.forward;
    for (const [N, C, O, H, W, p] of CASES) {
      const x = normal([N, C, H, W]);
      const w = normal([O, C, 3, 3]);
      const got = wasmBackend.conv2d(x, w, geo(p));
      const want = jsBackend.conv2d(f64(x), f64(w), geo(p));
      expect(got.shape).toEqual([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      expect(values(got)).toBeAllClose(values(want), tol(C));
    }
    expect(winogradCases).toBeGreaterThanOrEqual(8);
    expect(winogradStats.forward - before).toBe(winogradCases);
  });

  it('reads non-contiguous inputs: a transposed, offset input and a transposed weight', () => {
    const [N, C, O, H, W] = [3, 9, 8, 7, 10];
    // x stored as [N, C, W, H] behind a 5-element offset, viewed as [N, C, H, W]
    const base = normal([N * C * W * H + 5]);
    const x = makeView(base.data, [N, C, H, W], [C * W * H, W * H, 1, H], 5);
    const wt = normal([C, O, 3, 3]);
    const w = makeView(wt.data, [O, C, 3, 3], [9, O * 9, 3, 1]);
    const before = winogradStats.forward;
    for (const p of [0, 1, 2]) {
      expect(values(wasmBackend.conv2d(x, w, geo(p)))).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), geo(p))), tol(C));
    }
    expect(winogradStats.forward - before).toBe(3);
  });

  it('leaves geometries it does not cover (stride 2, dilation 2, 5x5, few channels) to im2col', () => {
    const before = winogradStats.forward;
    const x = normal([2, 8, 11, 9]);
    for (const [w, g] of [
      [normal([8, 8, 3, 3]), geo(1, 2)],
      [normal([8, 8, 3, 3]), geo(1, 1, 2)],
      [normal([8, 8, 5, 5]), geo(2)],
      [normal([3, 8, 3, 3]), geo(1)],
    ] as Array<[View, Conv2dGeometry]>) {
      expect(values(wasmBackend.conv2d(x, w, g))).toBeAllClose(values(jsBackend.conv2d(f64(x), f64(w), g)), tol(8 * 25));
    }
    expect(winogradStats.forward).toBe(before);
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
    const two = values(wasmBackend.conv2d(x, w, geo(1)));
    expect(threadStats.parallel).toBe(parallel + 1);
    expect(two).toEqual(one);
    setNumThreads(saved);
  });
});

describe('conv2dBackwardInput (wasm, Winograd F(2x2, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, odd and even sizes and 1 to 32 channels', () => {
    const before = winogradStats.backwardInput;
    for (const [N, C, O, H, W, p] of CASES) {
      const w = normal([O, C, 3, 3]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardInput(grad, w, [N, C, H, W], geo(p));
      const want = jsBackend.conv2dBackwardInput(f64(grad), f64(w), [N, C, H, W], geo(p));
      expect(got.shape).toEqual([N, C, H, W]);
      expect(values(got)).toBeAllClose(values(want), tol(O));
    }
    expect(winogradStats.backwardInput - before).toBe(winogradCases);
  });

  it('reads a non-contiguous gradient (every other element of a wider tensor)', () => {
    const [N, C, O, H, W, p] = [3, 8, 17, 9, 6, 1];
    const Ho = H + 2 * p - 2;
    const Wo = W + 2 * p - 2;
    const wide = normal([N * O * Ho * Wo * 2 + 1]);
    const grad = makeView(wide.data, [N, O, Ho, Wo], [O * Ho * Wo * 2, Ho * Wo * 2, Wo * 2, 2], 1);
    const w = normal([O, C, 3, 3]);
    const before = winogradStats.backwardInput;
    const got = wasmBackend.conv2dBackwardInput(grad, w, [N, C, H, W], geo(p));
    expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardInput(f64(grad), f64(w), [N, C, H, W], geo(p))), tol(O));
    expect(winogradStats.backwardInput - before).toBe(1);
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
    const two = values(wasmBackend.conv2dBackwardInput(grad, w, [6, 16, 26, 26], geo(0)));
    expect(threadStats.parallel).toBe(parallel + 1);
    expect(two).toEqual(one);
    setNumThreads(saved);
  });
});

describe('conv2dBackwardWeight (wasm, Winograd F(2x2, 3x3))', () => {
  it('matches the float64 reference for padding 0, 1, 2, odd and even sizes and 1 to 32 channels', () => {
    const before = winogradStats.backwardWeight;
    for (const [N, C, O, H, W, p] of CASES) {
      const x = normal([N, C, H, W]);
      const grad = normal([N, O, H + 2 * p - 2, W + 2 * p - 2]);
      const got = wasmBackend.conv2dBackwardWeight(x, grad, [O, C, 3, 3], geo(p));
      const want = jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [O, C, 3, 3], geo(p));
      expect(got.shape).toEqual([O, C, 3, 3]);
      expect(values(got)).toBeAllClose(values(want), tolW(grad.size / O));
    }
    expect(winogradStats.backwardWeight - before).toBe(winogradCases);
  });

  it('reads non-contiguous inputs: a transposed input and a strided gradient', () => {
    const [N, C, O, H, W, p] = [2, 8, 9, 6, 11, 2];
    const Ho = H + 2 * p - 2;
    const Wo = W + 2 * p - 2;
    const xt = normal([N, C, W, H]);
    const x = makeView(xt.data, [N, C, H, W], [C * W * H, W * H, 1, H]);
    const wide = normal([N * O * Ho * Wo * 2 + 1]);
    const grad = makeView(wide.data, [N, O, Ho, Wo], [O * Ho * Wo * 2, Ho * Wo * 2, Wo * 2, 2], 1);
    const before = winogradStats.backwardWeight;
    const got = wasmBackend.conv2dBackwardWeight(x, grad, [O, C, 3, 3], geo(p));
    expect(values(got)).toBeAllClose(values(jsBackend.conv2dBackwardWeight(f64(x), f64(grad), [O, C, 3, 3], geo(p))), tolW(N * Ho * Wo));
    expect(winogradStats.backwardWeight - before).toBe(1);
  });

  it('gives the same result on one and two threads up to the order of the per-thread sums', async () => {
    const x = normal([6, 16, 26, 26]);
    const grad = normal([6, 32, 24, 24]);
    const saved = getNumThreads();
    setNumThreads(1);
    const one = values(wasmBackend.conv2dBackwardWeight(x, grad, [32, 16, 3, 3], geo(0)));
    setNumThreads(2);
    await startThreads(wasmRuntime()!);
    const parallel = threadStats.parallel;
    const two = values(wasmBackend.conv2dBackwardWeight(x, grad, [32, 16, 3, 3], geo(0)));
    expect(threadStats.parallel).toBe(parallel + 1);
    // images are summed per chunk of the batch, then the chunks' sums are added: the float32
    // rounding differs (measured 1.3e-4 on values of ~13), within the reference tolerance
    expect(two).toBeAllClose(one, tolW(6 * 24 * 24));
    expect(two).not.toEqual(new Array<number>(two.length).fill(0));
    setNumThreads(saved);
  });
});
