import { describe, expect, it } from 'vitest';
import { makeView as ndarray } from '../src/kernels/view.js'; // ndarray(data, shape, stride?, offset?)
import { setNumThreads, getNumThreads, randn, conv2d, add, exp, getBackend, setBackend, Generator } from '@tapegrad/core';
import { wasmBackend } from '../src/kernels/wasm/index.js';
import { jsBackend } from '../src/kernels/js/index.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads, threadStats } from '../src/kernels/wasm/threads.js';

// these tests are about the wasm backend (on Node the default is native where its addon built)
setBackend('wasm');

/**
 * Runs `job` on 1, 2 and 3 threads and returns a copy of its result on each: the job must run
 * as one parallel job whenever more than one thread may take part. The pool is left at 2.
 */
async function onOneTwoThree(job: () => Float32Array, what = 'job'): Promise<Float32Array[]> {
  const rt = wasmRuntime()!;
  const results: Float32Array[] = [];
  for (const n of [1, 2, 3]) {
    setNumThreads(n);
    expect(await startThreads(rt)).toBe(n);
    const before = threadStats.parallel;
    results.push(Float32Array.from(job()));
    expect(threadStats.parallel - before, `${what} on ${n} threads`).toBe(n > 1 ? 1 : 0);
  }
  setNumThreads(2);
  return results;
}

/** Expects the same bits in both arrays, naming the first element that differs. */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  const i = got.findIndex((v, k) => !Object.is(v, want[k]));
  expect(i === -1 ? 'same' : `element ${i}: ${got[i]} != ${want[i]}`, what).toBe('same');
}

describe('setNumThreads', () => {
  it('rejects a count that is not a positive integer', () => {
    expect(() => setNumThreads(0)).toThrow('setNumThreads: expected a positive integer, got 0');
    expect(() => setNumThreads(1.5)).toThrow('setNumThreads: expected a positive integer, got 1.5');
  });
  it('starts a pool of workers that share the kernels memory', async () => {
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    const rt = wasmRuntime()!;
    expect(rt.shared).toBe(true);
    expect(await startThreads(rt)).toBe(3);
    // a product large enough to be split three ways equals the reference
    const a = ndarray(Float32Array.from({ length: 240 * 200 }, (_, i) => Math.sin(i)), [1, 240, 200]);
    const b = ndarray(Float32Array.from({ length: 200 * 150 }, (_, i) => Math.cos(i)), [1, 200, 150]);
    const got = wasmBackend.matmul(a, b, 'float32').data;
    for (const [i, j] of [[0, 0], [239, 149], [120, 77], [61, 3]] as const) {
      let s = 0;
      for (let k = 0; k < 200; k++) s += a.data[i * 200 + k]! * b.data[k * 150 + j]!;
      expect(got[i * 150 + j]).toBeCloseTo(s, 3);
    }
    setNumThreads(2);
  });
});

describe('wasm memory', () => {
  it('stays flat over repeated large calls: scratch space is reused', () => {
    expect(getBackend()).toBe('wasm');
    const rt = wasmRuntime()!;
    const x = randn([8, 8, 16, 16]);
    const w = randn([16, 8, 3, 3]);
    const a = randn([256, 300]);
    // results written into pinned tensors (on one thread and split across the pool)
    const p = randn([3_000_000]).pinMemory();
    const q = randn([3_000_000]).pinMemory();
    const out = randn([3_000_000]).pinMemory();
    expect(out.isPinned()).toBe(true);
    conv2d(x, w).sum();
    a.matmul(a.mT);
    const bytes = rt.memory.buffer.byteLength;
    const mark = rt.mark();
    for (let i = 0; i < 30; i++) {
      conv2d(x, w, null, { padding: 1 }).relu().sum();
      a.matmul(a.mT).exp().sum(1);
      add(p.narrow(0, 0, 1000), q.narrow(0, 0, 1000), { out: out.narrow(0, 0, 1000) });
      add(p, q, { out });
      exp(p, { out });
      out.mul_(q);
    }
    expect(rt.memory.buffer.byteLength).toBe(bytes);
    expect(rt.mark()).toBe(mark);
  });
});

describe('wasm memory over a long training run', () => {
  it('stays flat over 10,000 steps of a small MLP (scratch is released after every kernel)', async () => {
    const { Generator, randn: rn, randint } = await import('@tapegrad/core');
    const rt = wasmRuntime()!;
    const g = new Generator(3);
    const w1 = rn([16, 32], { generator: g }).mul(0.2).requiresGrad_();
    const w2 = rn([32, 4], { generator: g }).mul(0.2).requiresGrad_();
    const x = rn([8, 16], { generator: g });
    const y = randint(0, 4, [8], { generator: g });
    const step = () => {
      const logits = x.matmul(w1).relu().matmul(w2);
      const loss = logits.logSoftmax(1).gather(1, y.reshape([8, 1])).neg().mean();
      loss.backward();
      for (const w of [w1, w2]) {
        w.requiresGrad = false;
        w.sub_(w.grad!.mul(0.05));
        w.requiresGrad = true;
        w.grad = null;
      }
      return loss;
    };
    const first = step().item();
    for (let i = 0; i < 99; i++) step();
    const bytes = rt.memory.buffer.byteLength;
    const mark = rt.mark();
    let last = 0;
    for (let i = 0; i < 9900; i++) last = step().item();
    expect(rt.memory.buffer.byteLength).toBe(bytes);
    expect(rt.mark()).toBe(mark);
    expect(last).toBeLessThan(first);
  });
});

describe('a product split by its depth', () => {
  // 8 x 2000 times 2000 x 6 (and transposed operands): K dwarfs M and N, so the depth is
  // split into slices whose partial products are added up after
  const cases = [
    { M: 8, K: 2000, N: 6, ta: false, tb: false },
    { M: 5, K: 1100, N: 9, ta: true, tb: true },
    { M: 16, K: 4096, N: 3, ta: false, tb: true },
  ];
  it('equals a float64 reference, with or without transposed operands', async () => {
    const rt = wasmRuntime()!;
    await startThreads(rt);
    for (const { M, K, N, ta, tb } of cases) {
      const a = ndarray(Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37)), ta ? [1, M, K] : [1, M, K], ta ? [M * K, 1, M] : [M * K, K, 1]);
      const b = ndarray(Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.11)), [1, K, N], tb ? [K * N, 1, K] : [K * N, N, 1]);
      const got = wasmBackend.matmul(a, b, 'float32').data;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a.data[i * a.stride[1]! + k * a.stride[2]!]! * b.data[k * b.stride[1]! + j * b.stride[2]!]!;
          expect(Math.abs(got[i * N + j]! - s)).toBeLessThan(2e-4 * Math.sqrt(K));
        }
      }
    }
  });
  it('gives the same bits on one thread as on two and three', async () => {
    // 48 x 4096 times 4096 x 40: 16 MFLOP, enough to run on three threads
    const a = ndarray(Float32Array.from({ length: 48 * 4096 }, (_, i) => Math.sin(i * 0.37)), [1, 48, 4096]);
    const b = ndarray(Float32Array.from({ length: 4096 * 40 }, (_, i) => Math.cos(i * 0.11)), [1, 4096, 40]);
    const results = await onOneTwoThree(() => wasmBackend.matmul(a, b, 'float32').data as Float32Array);
    expectSameBits(results[1]!, results[0]!, 'two threads');
    expectSameBits(results[2]!, results[0]!, 'three threads');
  });
});

describe('a convolution weight gradient', () => {
  // summed over images in a fixed number of groups whose partial sums are added in order
  it('gives the same bits on one thread as on two and three (Winograd and im2col)', async () => {
    const g = new Generator(9);
    const x = randn([16, 32, 24, 24], { generator: g }).nd;
    for (const k of [3, 5]) {
      const grad = randn([16, 32, 25 - k, 25 - k], { generator: g }).nd;
      const geom = { stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
      const results = await onOneTwoThree(() => wasmBackend.conv2dBackwardWeight(x, grad, [32, 32, k, k], geom).data as Float32Array);
      expectSameBits(results[1]!, results[0]!, `${k}x${k}, two threads`);
      expectSameBits(results[2]!, results[0]!, `${k}x${k}, three threads`);
    }
  });
});

describe('element-wise ops over pinned operands into a pinned output', () => {
  it('split across threads and give the reference values, the same on one, two and three threads', async () => {
    const rt = wasmRuntime()!;
    // 2.1M elements: add (about 4 pool flops per element) and exp (about 20) both split
    const n = 2_100_001;
    const pin = (f: (i: number) => number) => {
      const d = rt.pinArray(Float32Array, n)!;
      for (let k = 0; k < n; k++) d[k] = f(k);
      return ndarray(d, [n]);
    };
    const a = pin((i) => Math.sin(i * 0.01) * 3);
    const b = pin((i) => Math.cos(i * 0.003));
    const out = pin(() => 0);
    const runs: Array<[string, () => void, () => Float32Array]> = [
      ['add', () => wasmBackend.binaryInto('add', a, b, out), () => jsBackend.binary('add', a, b, 'float32').data as Float32Array],
      ['exp', () => wasmBackend.unaryInto('exp', a, out), () => wasmBackend.unary('exp', a, 'float32').data as Float32Array],
    ];
    for (const [name, run, reference] of runs) {
      const want = reference();
      const results = await onOneTwoThree(() => {
        out.data.fill(NaN);
        run();
        return out.data as Float32Array;
      }, name);
      results.forEach((r, i) => expectSameBits(r, want, `${name} on ${i + 1} threads`));
    }
  });
});

describe('a product split by rows or by columns', () => {
  // Column chunks share all of A, packed once (packAWhole); row chunks share all of B
  // (packBWhole). These shapes have several depth blocks (KC 256), row blocks (MC 128) and, for
  // the row split, column blocks (NC 1024), so every offset into the packed operand is used;
  // the last case is too large to pack whole.
  const cases: Array<[string, number, number, number, boolean, boolean]> = [
    ['by columns', 200, 700, 600, false, false],
    ['by columns, A transposed', 201, 530, 600, true, false],
    ['by rows', 1200, 300, 1100, false, false],
    ['by rows, B transposed', 1203, 290, 1100, false, true],
    // A packed is 1100 x 1000 x 4 bytes, more than gemm packs whole: each chunk packs its own
    ['by columns, A packed chunk by chunk', 1100, 1000, 1200, false, false],
  ];
  const mat = (rows: number, cols: number, transposed: boolean, seed: number) => {
    const d = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37 + seed));
    return transposed ? ndarray(d, [1, rows, cols], [0, 1, rows]) : ndarray(d, [1, rows, cols]);
  };
  for (const [name, M, K, N, ta, tb] of cases)
    it(`${name} (${M}x${K} times ${K}x${N}) equals a float64 reference, the same bits on 1, 2 and 3 threads`, async () => {
      const a = mat(M, K, ta, 1);
      const b = mat(K, N, tb, 2);
      const results = await onOneTwoThree(() => wasmBackend.matmul(a, b, 'float32').data as Float32Array);
      const at = (v: ReturnType<typeof mat>, i: number, j: number) => v.data[v.offset + i * v.stride[1]! + j * v.stride[2]!]!;
      for (let s = 0; s < 200; s++) {
        const i = (s * 7919) % M;
        const j = (s * 104729) % N;
        let ref = 0;
        let mag = 0;
        for (let k = 0; k < K; k++) {
          ref += at(a, i, k) * at(b, k, j);
          mag += Math.abs(at(a, i, k) * at(b, k, j));
        }
        expect(Math.abs(results[0]![i * N + j]! - ref)).toBeLessThanOrEqual((K + 2) * 2 ** -24 * mag);
      }
      expectSameBits(results[1]!, results[0]!, 'two threads');
      expectSameBits(results[2]!, results[0]!, 'three threads');
    });
});
