import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, fusedAdamUpdate, fusedSgdUpdate, randn, setBackend, setNumThreads, type AdamHyper, type SgdHyper } from '@tapegrad/core';
import { jsBackend } from '../src/kernels/js/index.js';
import { wasmBackend } from '../src/kernels/wasm/index.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads, threadStats } from '../src/kernels/wasm/threads.js';

// The fused optimizer kernels: the wasm backend (float32 SIMD arithmetic) against the js
// reference loops (float64 arithmetic, each store rounded to float32) within 2e-6 relative +
// 1e-7 absolute (measured: up to ~7e-7 relative where the moment update cancels), after three updates, on sizes large enough for the wasm path
// (>= 1024) including sizes that are not a multiple of the vector width, with NaN and infinite
// gradients in the same places; and the reference loops against the update equations written
// out here, one element at a time, bit for bit.

function normal(n: number, seed: number, scale = 1): Float32Array {
  const d = new Float32Array(randn([n], { generator: new Generator(seed) }).data as Float32Array);
  for (let i = 0; i < n; i++) d[i] = d[i]! * scale;
  return d;
}

/** Several float32 state arrays of length n with some exact zeros and a NaN and infinity in the gradient. */
function problem(n: number, seed: number) {
  const grad = normal(n, seed);
  grad[0] = 0;
  grad[n - 1] = Number.NaN;
  grad[n >> 1] = Number.POSITIVE_INFINITY;
  return {
    param: normal(n, seed + 1),
    grad,
    m: normal(n, seed + 2, 0.1),
    v: normal(n, seed + 3, 0.01).map(Math.abs),
    vmax: normal(n, seed + 4, 0.01).map(Math.abs),
    buf: normal(n, seed + 5, 0.1),
  };
}

const copy = (p: ReturnType<typeof problem>) => ({
  param: p.param.slice(), grad: p.grad.slice(), m: p.m.slice(), v: p.v.slice(), vmax: p.vmax.slice(), buf: p.buf.slice(),
});

/** Element-wise closeness of two float32 arrays (NaN only where the other is NaN). */
function expectClose(a: Float32Array, b: Float32Array): void {
  let bad = -1;
  for (let i = 0; i < a.length && bad < 0; i++) {
    const x = a[i]!, y = b[i]!;
    const ok = Number.isNaN(x) || Number.isNaN(y) ? Number.isNaN(x) && Number.isNaN(y) : x === y || Math.abs(x - y) <= 2e-6 * Math.abs(y) + 1e-7;
    if (!ok) bad = i;
  }
  expect(bad, bad < 0 ? '' : `element ${bad}: ${a[bad]} vs ${b[bad]}`).toBe(-1);
}

const adamCases: Array<[string, Partial<AdamHyper>, boolean]> = [
  ['plain Adam', {}, false],
  ['Adam with L2 weight decay', { l2: 0.01 }, false],
  ['AdamW (decoupled decay)', { decay: 1 - 1e-3 * 0.01 }, false],
  ['maximize', { maximize: true }, false],
  ['amsgrad', {}, true],
  ['everything at once', { l2: 0.1, decay: 0.999, maximize: true }, true],
];

const sgdCases: Array<[string, Partial<SgdHyper>]> = [
  ['plain SGD', { momentum: 0 }],
  ['momentum, first step', { firstStep: true }],
  ['momentum with dampening', { dampening: 0.3 }],
  ['Nesterov', { nesterov: true }],
  ['weight decay and maximize', { weightDecay: 0.05, maximize: true }],
];

const adamBase: AdamHyper = {
  beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / (1 - 0.9 ** 3), bc2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-8, l2: 0, decay: 1, maximize: false,
};
const sgdBase: SgdHyper = { lr: 0.05, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, firstStep: false };

describe('fused Adam kernel', () => {
  for (const [name, h, amsgrad] of adamCases) {
    for (const n of [1024, 1027, 4099]) {
      it(`${name}: wasm agrees with the js loop (n = ${n}, three steps)`, () => {
        const a = problem(n, n + name.length);
        const b = copy(a);
        for (let s = 0; s < 3; s++) {
          jsBackend.adamUpdate(a.param, a.grad, a.m, a.v, amsgrad ? a.vmax : null, { ...adamBase, ...h });
          wasmBackend.adamUpdate(b.param, b.grad, b.m, b.v, amsgrad ? b.vmax : null, { ...adamBase, ...h });
        }
        expectClose(b.param, a.param);
        expectClose(b.m, a.m);
        expectClose(b.v, a.v);
        if (amsgrad) expectClose(b.vmax, a.vmax);
      });
    }
  }

  it('the js loop follows the written-out rule, element by element', () => {
    const h: AdamHyper = { ...adamBase, l2: 0.1, decay: 0.99, maximize: true };
    const a = problem(7, 3);
    const e = copy(a);
    jsBackend.adamUpdate(a.param, a.grad, a.m, a.v, a.vmax, h);
    for (let i = 0; i < 7; i++) {
      const g = -e.grad[i]! + 0.1 * e.param[i]!;
      const p = Math.fround(e.param[i]! * 0.99);
      const m = Math.fround(0.9 * e.m[i]! + 0.1 * g);
      const v = Math.fround(0.999 * e.v[i]! + (1 - 0.999) * g * g);
      const vmax = v > e.vmax[i]! ? v : e.vmax[i]!;
      expect(a.m[i]).toBe(m);
      expect(a.v[i]).toBe(v);
      expect(a.vmax[i]).toBe(vmax);
      expect(a.param[i]).toBe(Math.fround(p - h.stepSize * (m / (Math.sqrt(vmax) / h.bc2Sqrt + h.eps))));
    }
  });
});

describe('fused SGD kernel', () => {
  for (const [name, h] of sgdCases) {
    for (const n of [1024, 1031]) {
      it(`${name}: wasm agrees with the js loop (n = ${n}, two steps)`, () => {
        const a = problem(n, n + name.length);
        const b = copy(a);
        for (let s = 0; s < 2; s++) {
          const hs = { ...sgdBase, ...h, firstStep: s === 0 && (h.firstStep ?? false) };
          jsBackend.sgdUpdate(a.param, a.grad, a.buf, hs);
          wasmBackend.sgdUpdate(b.param, b.grad, b.buf, hs);
        }
        expectClose(b.param, a.param);
        expectClose(b.buf, a.buf);
      });
    }
  }

  it('the js loop follows the written-out rule (Nesterov, dampening, weight decay)', () => {
    const h: SgdHyper = { ...sgdBase, nesterov: true, dampening: 0.2, weightDecay: 0.01 };
    const a = problem(5, 11);
    const e = copy(a);
    jsBackend.sgdUpdate(a.param, a.grad, a.buf, h);
    for (let i = 1; i < 4; i++) {
      if (!Number.isFinite(e.grad[i]!)) continue;
      const g = e.grad[i]! + 0.01 * e.param[i]!;
      const b = Math.fround(0.9 * e.buf[i]! + 0.8 * g);
      expect(a.buf[i]).toBe(b);
      expect(a.param[i]).toBe(Math.fround(e.param[i]! - 0.05 * (g + 0.9 * b)));
    }
  });
});

describe('fusedAdamUpdate and fusedSgdUpdate', () => {
  it('run the current backend and reject arrays of different lengths, naming them', () => {
    setBackend('wasm');
    const p = new Float32Array(2000).fill(1);
    fusedSgdUpdate(p, new Float32Array(2000).fill(2), null, { ...sgdBase, momentum: 0 });
    expect(p[1999]).toBe(Math.fround(1 - 0.05 * 2));
    expect(() => fusedAdamUpdate(new Float32Array(3), new Float32Array(2), new Float32Array(3), new Float32Array(3), null, adamBase))
      .toThrow(new ShapeError('fusedAdamUpdate: every array must have the parameter\'s length, got param 3, grad 2, expAvg 3, expAvgSq 3'));
    expect(() => fusedSgdUpdate(new Float32Array(3), new Float32Array(3), new Float32Array(1), sgdBase)).toThrow(/fusedSgdUpdate: .*momentumBuffer 1/);
  });
});

describe('fused updates on several threads', () => {
  // 600,003 elements: enough to be split across the thread pool in slices of 4,096, with a last
  // slice that is not a multiple of the vector width
  const n = 600_003;
  it('give the same bits on one thread as on two, and agree with the js loop', async () => {
    const rt = wasmRuntime()!;
    const ref = problem(n, 5);
    const runs: Array<ReturnType<typeof problem>> = [];
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      expect(await startThreads(rt)).toBe(threads);
      const s = copy(ref);
      const before = threadStats.parallel;
      wasmBackend.adamUpdate(s.param, s.grad, s.m, s.v, s.vmax, adamBase);
      wasmBackend.sgdUpdate(s.m, s.grad, s.buf, sgdBase);
      expect(threadStats.parallel - before).toBe(threads > 1 ? 2 : 0);
      runs.push(s);
    }
    setNumThreads(2);
    for (const k of ['param', 'm', 'v', 'vmax', 'buf'] as const) expect(runs[1]![k]).toEqual(runs[0]![k]);
    jsBackend.adamUpdate(ref.param, ref.grad, ref.m, ref.v, ref.vmax, adamBase);
    jsBackend.sgdUpdate(ref.m, ref.grad, ref.buf, sgdBase);
    for (const k of ['param', 'm', 'v', 'vmax', 'buf'] as const) expectClose(runs[1]![k], ref[k]);
  });
});
