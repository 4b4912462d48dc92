import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Tensor, conv2d, defineFunction, getBackend, maxPool2d, randn, tensor } from '@tapegrad/core';
import { bufferPoolOptions, bufferPoolStats, drainBufferPool } from '../src/buffer-pool.js';

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
