import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { setNumThreads, getNumThreads, randn, conv2d, getBackend } from '@tapegrad/core';
import { wasmBackend } from '../src/kernels/wasm/index.js';
import { wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads } from '../src/kernels/wasm/threads.js';

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
    conv2d(x, w).sum();
    a.matmul(a.mT);
    const bytes = rt.memory.buffer.byteLength;
    const mark = rt.mark();
    for (let i = 0; i < 30; i++) {
      conv2d(x, w, null, { padding: 1 }).relu().sum();
      a.matmul(a.mT).exp().sum(1);
    }
    expect(rt.memory.buffer.byteLength).toBe(bytes);
    expect(rt.mark()).toBe(mark);
  });
});
