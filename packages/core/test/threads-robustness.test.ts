import { afterEach, describe, expect, it } from 'vitest';
import { setNumThreads, getNumThreads, ValueError, matmul, randn, Generator, getBackend, setBackend, type Tensor } from '@tapegrad/core';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { killWorkerForTests, poolRunning, startThreads, threadStats } from '../src/kernels/wasm/threads.js';
import { WorkerError } from '../src/kernels/runtime-errors.js';

// these tests are about the wasm backend (on Node the default is native where its addon built)
setBackend('wasm');

// The worker pool under misuse and failure: thread counts it must refuse, and workers that die.

describe('setNumThreads', () => {
  const saved = getNumThreads();
  afterEach(() => setNumThreads(saved));

  it('refuses more than 64 threads, naming the limit and why', () => {
    expect(() => setNumThreads(1000)).toThrow(ValueError);
    expect(() => setNumThreads(1000)).toThrow(/^setNumThreads: expected at most 64 threads, got 1000 \(each thread is a JavaScript isolate/);
    expect(() => setNumThreads(65)).toThrow('setNumThreads: expected at most 64 threads, got 65');
    expect(getNumThreads()).toBe(saved);
  });

  it('takes any count from 1 to 64', () => {
    setNumThreads(64);
    expect(getNumThreads()).toBe(64);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });

  it('refuses counts that are not positive integers, naming the value and its type', () => {
    for (const bad of [0, -2, 1.5, NaN, Infinity]) expect(() => setNumThreads(bad)).toThrow(`setNumThreads: expected a positive integer, got ${bad}`);
    expect(() => setNumThreads('4' as unknown as number)).toThrow("setNumThreads: expected a positive integer, got '4' (a string)");
  });
});

describe('a worker that dies during a job', () => {
  const a = randn([192, 256], { generator: new Generator(1) });
  const b = randn([256, 160], { generator: new Generator(2) });
  const want = Array.from(matmul(a, b).data as Float32Array);
  afterEach(() => setNumThreads(2));

  /** Runs parallel products until one fails (the worker must hold a chunk to die); returns its error. */
  async function productUntilFailure(): Promise<unknown> {
    for (let i = 0; i < 200; i++) {
      try {
        matmul(a, b);
      } catch (e) {
        return e;
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    return 'no product failed';
  }

  async function expectNextProductsWork(): Promise<void> {
    expect(poolRunning()).toBe(false); // stopped, and started afresh by the next job
    expect(await startThreads(wasmRuntime()!)).toBe(2);
    const before = threadStats.parallel;
    let got: Tensor = a;
    for (let i = 0; i < 3; i++) got = matmul(a, b);
    expect(threadStats.parallel - before).toBe(3);
    expect(Array.from(got.data as Float32Array)).toEqual(want);
  }

  for (const [how, code] of [['exit', 7], ['vanish', 9], ['throw', 1]] as const) {
    it(`fails the job with a WorkerError instead of hanging, and the next jobs run on a new pool (${how})`, { timeout: 20_000 }, async () => {
      expect(getBackend()).toBe('wasm');
      setNumThreads(2);
      expect(await startThreads(wasmRuntime()!)).toBe(2);
      killWorkerForTests(0, how);
      const e = await productUntilFailure();
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as WorkerError).message).toBe(
        `matmul: worker 1 of the thread pool exited with code ${code} during a job; the pool restarts on the next job`,
      );
      await expectNextProductsWork();
    });
  }
});
