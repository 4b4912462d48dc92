import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, Tensor, allocateUninitialized, conv2d, defineFunction, getBackend, setBackend, maxPool2d, randn, setNumThreads, tensor } from '@tapegrad/core';
import { beginRecyclingPass, bufferPoolOptions, bufferPoolStats, drainBufferPool, endRecyclingPass, recycleBuffer, warmStockBytes } from '../src/buffer-pool.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads } from '../src/kernels/wasm/threads.js';

// these tests are about the wasm backend (on Node the default is native where its addon built)
setBackend('wasm');

// The backward pass returns the buffers of gradients it has finished with to a pool, and large
// kernel results reuse them. Every tensor here has at least 16,384 float32 elements (64 KiB),
// the size from which kernel results come from the pool. Each test checks a tensor that leaves
// the engine (through a hook, retainGrad, a user-defined backward, a leaf's .grad) still holds
// what it held when it left, after more passes and kernels of the same sizes have run.

const N = 128;

afterEach(() => {
  bufferPoolOptions.enabled = true;
  drainBufferPool();
});

/** A copy of a tensor's values. */
const snapshot = (t: Tensor): number[] => Array.from(t.contiguous().data);

/** Runs forward and backward passes of the same sizes, to reuse every buffer in the pool. */
function churn(g: Generator): void {
  for (let i = 0; i < 3; i++) {
    const a = randn([N, N], { generator: g, requiresGrad: true });
    const b = randn([N, N], { generator: g, requiresGrad: true });
    a.mul(b).exp().mul(a).tanh().matmul(b).sum().backward();
  }
}

/** A small convnet's parameters and one training step's loss (plain SGD). */
function trainConvnet(steps: number): Tensor[] {
  const g = new Generator(11);
  const w1 = randn([8, 1, 3, 3], { generator: g }).mul(0.3).requiresGrad_();
  const b1 = randn([8], { generator: g }).mul(0.1).requiresGrad_();
  const w2 = randn([16, 8, 3, 3], { generator: g }).mul(0.1).requiresGrad_();
  const w3 = randn([16 * 11 * 11, 10], { generator: g }).mul(0.02).requiresGrad_();
  const x = randn([32, 1, 26, 26], { generator: g });
  const params = [w1, b1, w2, w3];
  for (let s = 0; s < steps; s++) {
    const h = conv2d(x, w1, b1).relu();
    const h2 = maxPool2d(conv2d(h, w2).relu(), 2);
    const logits = h2.reshape([32, -1]).matmul(w3);
    const loss = logits.logSoftmax(1).select(1, 3).neg().mean();
    loss.backward();
    for (const p of params) {
      p.requiresGrad = false;
      p.sub_(p.grad!.mul(0.1));
      p.requiresGrad = true;
      p.grad = null;
    }
  }
  return params.map((p) => p.detach().clone());
}

describe('buffer reuse in backward', () => {
  it('runs on the wasm backend, where large kernel results come from the pool', () => {
    expect(getBackend()).toBe('wasm');
  });

  it('trains a small convnet to the same bits with and without reuse, and does reuse', () => {
    const before = { ...bufferPoolStats };
    const reused = trainConvnet(4);
    expect(bufferPoolStats.recycled - before.recycled).toBeGreaterThan(8);
    expect(bufferPoolStats.reused - before.reused).toBeGreaterThan(8);
    bufferPoolOptions.enabled = false;
    drainBufferPool();
    const fresh = trainConvnet(4);
    reused.forEach((p, i) => expect(snapshot(p)).toEqual(snapshot(fresh[i]!)));
  });

  it('leaves what a hook saw and returned untouched', () => {
    const g = new Generator(1);
    const x = randn([N, N], { generator: g, requiresGrad: true });
    const seen: Tensor[] = [];
    const y = x.exp();
    y.registerHook((grad) => {
      seen.push(grad);
      const r = grad.mul(2);
      seen.push(r);
      return r;
    });
    y.tanh().mul(3).sum().backward();
    const copies = seen.map(snapshot);
    churn(g);
    seen.forEach((t, i) => expect(snapshot(t)).toEqual(copies[i]));
  });

  it('leaves a retained gradient and leaf gradients untouched', () => {
    const g = new Generator(2);
    const x = randn([N, N], { generator: g, requiresGrad: true });
    const w = randn([N, N], { generator: g, requiresGrad: true });
    const h = x.matmul(w);
    h.retainGrad();
    // h's gradient is also the gradient of the leaf-bound branch: add's rule passes it on as is
    h.add(x).sigmoid().sum().backward();
    const kept = [h.grad!, x.grad!, w.grad!];
    const copies = kept.map(snapshot);
    churn(g);
    kept.forEach((t, i) => expect(snapshot(t)).toEqual(copies[i]));
  });

  it('leaves the gradients a user-defined backward was given and returned untouched', () => {
    const g = new Generator(3);
    const stash: Tensor[] = [];
    const double = defineFunction({
      name: 'double',
      forward: (_ctx, a: Tensor) => a.mul(2),
      backward: (_ctx, grad) => {
        stash.push(grad);
        const out = grad.mul(2);
        stash.push(out);
        return [out];
      },
    });
    const x = randn([N, N], { generator: g, requiresGrad: true });
    double(x.exp()).tanh().sum().backward();
    const copies = stash.map(snapshot);
    churn(g);
    stash.forEach((t, i) => expect(snapshot(t)).toEqual(copies[i]));
  });

  it('gives the same gradients with and without reuse through shared, viewed and broadcast gradients', () => {
    const run = () => {
      const g = new Generator(4);
      const x = randn([N, N], { generator: g, requiresGrad: true });
      const b = randn([N], { generator: g, requiresGrad: true });
      const h = x.exp();
      // h feeds three branches: itself twice (add of h and h), a reshaped view and a broadcast add
      const y = h.add(h).mul(h.reshape([N * N]).reshape([N, N])).add(b).tanh();
      y.mul(y).sum().backward();
      churn(g);
      return [snapshot(x.grad!), snapshot(b.grad!)];
    };
    const reused = run();
    bufferPoolOptions.enabled = false;
    const fresh = run();
    expect(reused).toEqual(fresh);
  });

  it('never reuses memory from before the pass (a leaf gradient that was already there)', () => {
    const g = new Generator(5);
    const x = randn([N, N], { generator: g, requiresGrad: true });
    x.exp().sum().backward();
    const first = x.grad!;
    const copy = snapshot(first);
    x.exp().sum().backward(); // adds into a new tensor; the old one is the user's
    churn(g);
    expect(snapshot(first)).toEqual(copy);
    expect(tensor(snapshot(x.grad!))).toBeAllClose(tensor(copy).mul(2));
  });
});

describe('warm buffers for results that garbage collection frees', () => {
  // A large result that misses the pool (forward activations die by garbage collection, so
  // every training step misses them) orders a warm replacement: the first worker allocates it,
  // touches its pages while idle and moves it back. These tests wait for orders to arrive by
  // yielding between allocations; nothing here is timed.
  const MB = 1 << 20;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  afterEach(() => {
    bufferPoolOptions.warm = true;
    setNumThreads(2);
  });

  /** Allocates (and drops) results of `bytes` bytes until `n` of them came warm or 5 s passed; returns the warm ones. */
  async function untilWarm(bytes: number, n: number): Promise<Float32Array[]> {
    const got: Float32Array[] = [];
    const start = Date.now();
    while (got.length < n && Date.now() - start < 5000) {
      const before = bufferPoolStats.warm;
      const a = allocateUninitialized('float32', bytes / 4);
      if (bufferPoolStats.warm > before) got.push(a);
      await sleep(2);
    }
    return got;
  }

  it('hands out plain ArrayBuffers of the size that keeps missing, which stay as the caller wrote them', async () => {
    setNumThreads(2);
    await startThreads(wasmRuntime()!);
    const bytes = 3 * MB + 4096;
    const warm = await untilWarm(bytes, 2);
    expect(warm.length).toBe(2);
    for (const a of warm) {
      expect(a.buffer).toBeInstanceOf(ArrayBuffer);
      expect(a.buffer.byteLength).toBe(bytes);
      a.fill(7.5);
    }
    // more orders of the same size keep the worker busy; what the caller holds is its own
    await untilWarm(bytes, 3);
    for (const a of warm) expect(a.every((v) => v === 7.5)).toBe(true);
  });

  it('orders nothing when switched off, and at most 64 MB at a time when on', async () => {
    await startThreads(wasmRuntime()!);
    bufferPoolOptions.warm = false;
    drainBufferPool();
    const before = bufferPoolStats.warm;
    const ordered = warmStockBytes(); // orders of earlier tests may still be on their way
    for (let i = 0; i < 20; i++) allocateUninitialized('float32', (2 * MB) / 4);
    expect(bufferPoolStats.warm).toBe(before);
    expect(warmStockBytes()).toBe(ordered);
    bufferPoolOptions.warm = true;
    for (let i = 0; i < 60; i++) {
      allocateUninitialized('float32', (3 * MB + i * 4096) / 4);
      expect(warmStockBytes()).toBeLessThanOrEqual(64 * MB);
    }
    expect(warmStockBytes()).toBeGreaterThan(32 * MB);
  });

  it('keeps working after the thread pool restarts with another size', async () => {
    setNumThreads(3);
    const warm = await untilWarm(2 * MB, 1);
    expect(warm.length).toBe(1);
  });

  it('gives the same results with warm buffers as without', async () => {
    await startThreads(wasmRuntime()!);
    const g = new Generator(4);
    const x = randn([8, 8, 64, 64], { generator: g });
    const w = randn([16, 8, 3, 3], { generator: g });
    const forward = () => snapshot(conv2d(x, w).relu().exp().mul(0.5));
    bufferPoolOptions.warm = false;
    const plain = forward();
    bufferPoolOptions.warm = true;
    const before = bufferPoolStats.warm;
    let last = plain;
    for (let i = 0; i < 40 && bufferPoolStats.warm - before < 4; i++) {
      last = forward();
      await sleep(5);
    }
    expect(bufferPoolStats.warm - before).toBeGreaterThanOrEqual(4);
    expect(last).toEqual(plain);
  });
});

describe('warm buffers and the js backend', () => {
  it('ordering warm buffers starts no worker threads while the js backend is the current one', async () => {
    // fresh copies of the modules, with no pool started by earlier tests
    vi.resetModules();
    try {
      const core = await import('../src/index.js');
      const threads = await import('../src/kernels/wasm/threads.js');
      core.setBackend('js');
      expect(threads.poolRunning()).toBe(false);
      for (let i = 0; i < 8; i++) core.allocateUninitialized('float32', (2 << 20) + i * 1024); // 8 misses of >= 8 MB
      core.randn([1 << 20]).add(1).sum();
      expect(threads.poolRunning()).toBe(false);
      // under wasm the same misses start the pool that prepares warm buffers
      core.setBackend('wasm');
      for (let i = 0; i < 8; i++) core.allocateUninitialized('float32', (2 << 20) + i * 1024);
      expect(threads.poolRunning()).toBe(true);
    } finally {
      vi.resetModules();
    }
  });
});

describe('which buffers the pool records', () => {
  it('takes back only results issued while a backward pass runs (forward results are not recorded)', () => {
    const before = allocateUninitialized('float32', N * N).buffer as ArrayBuffer;
    const since = beginRecyclingPass();
    try {
      const during = allocateUninitialized('float32', N * N).buffer as ArrayBuffer;
      const recycled = bufferPoolStats.recycled;
      recycleBuffer(before, since);
      expect(bufferPoolStats.recycled).toBe(recycled);
      recycleBuffer(during, since);
      expect(bufferPoolStats.recycled).toBe(recycled + 1);
      recycleBuffer(during, since); // a second return of the same buffer is refused
      expect(bufferPoolStats.recycled).toBe(recycled + 1);
    } finally {
      endRecyclingPass();
    }
    const after = allocateUninitialized('float32', N * N).buffer as ArrayBuffer;
    const nested = beginRecyclingPass();
    try {
      const recycled = bufferPoolStats.recycled;
      recycleBuffer(after, since); // issued between passes: never recorded, though after `since`
      expect(bufferPoolStats.recycled).toBe(recycled);
      expect(nested).toBeGreaterThan(since);
    } finally {
      endRecyclingPass();
    }
  });
});
