import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  zeros, ones, full, onesLike, arange, linspace, eye, rand, randn, randint, randperm, tensor, Generator, conv2d, getBackend, setBackend, fusedAdamUpdate, type Tensor,
} from '@tapegrad/core';
import { wasmRuntime } from '../src/kernels/wasm/module.js';

// these tests are about the wasm backend (on Node the default is native where its addon built)
setBackend('wasm');

// Pinned memory: tensor data inside the WebAssembly kernels' memory, read and updated there
// instead of being copied in and out. These tests check that kernels give the same results on
// pinned and ordinary data, that a kernel never writes into a pinned operand it only reads, and
// that pinned memory comes back when its tensors are garbage-collected.

const gen = (seed: number) => ({ generator: new Generator(seed) });
const same = (a: Tensor, b: Tensor) => expect(Array.from(a.contiguous().data as Float32Array)).toEqual(Array.from(b.contiguous().data as Float32Array));

describe('pinned memory', () => {
  it('is available on the wasm backend in Node', () => {
    expect(getBackend()).toBe('wasm');
    expect(zeros([3], { pinMemory: true }).isPinned()).toBe(true);
    expect(ones([3], { pinMemory: true }).toArray()).toEqual([1, 1, 1]);
    expect(zeros([3]).isPinned()).toBe(false);
  });

  it('is honoured by every creation function that takes pinMemory, with the same values', () => {
    const made: Array<[string, (pin: boolean) => Tensor]> = [
      ['tensor', (pin) => tensor([[1, 2], [3, 4]], { pinMemory: pin })],
      ['zeros', (pin) => zeros([5], { pinMemory: pin })],
      ['full', (pin) => full([2, 3], 7, { pinMemory: pin })],
      ['onesLike', (pin) => onesLike(zeros([4]), { pinMemory: pin })],
      ['arange', (pin) => arange(0, 10, 3, { pinMemory: pin })],
      ['linspace', (pin) => linspace(0, 1, 5, { pinMemory: pin })],
      ['eye', (pin) => eye(3, 3, { pinMemory: pin })],
      ['rand', (pin) => rand([3, 4], { pinMemory: pin, ...gen(4) })],
      ['randn', (pin) => randn([3, 4], { pinMemory: pin, requiresGrad: true, ...gen(5) })],
      ['randint', (pin) => randint(0, 9, [6], { pinMemory: pin, ...gen(6) })],
      ['randperm', (pin) => randperm(7, { pinMemory: pin, ...gen(7) })],
    ];
    for (const [name, make] of made) {
      const p = make(true);
      const q = make(false);
      expect(p.isPinned(), name).toBe(true);
      expect(q.isPinned(), name).toBe(false);
      expect(p.toArray(), name).toEqual(q.toArray());
      expect([p.dtype, p.requiresGrad], name).toEqual([q.dtype, q.requiresGrad]);
    }
  });

  it('pinMemory() copies the values (views included) and returns a pinned tensor as it is', () => {
    const x = randn([4, 6], gen(1));
    const v = x.T.narrow(0, 1, 3);
    const p = v.pinMemory();
    expect(p.isPinned()).toBe(true);
    expect(p.shape).toEqual([3, 4]);
    same(p, v);
    expect(p.pinMemory()).toBe(p);
  });

  it('gives kernels the same results as ordinary memory (matmul with a transposed weight, conv2d, element-wise, reductions)', () => {
    const x = randn([64, 96], gen(2));
    const w = randn([80, 96], gen(3));
    const wp = w.pinMemory();
    same(x.matmul(wp.T), x.matmul(w.T));
    same(wp.matmul(x.T), w.matmul(x.T));
    const img = randn([2, 8, 10, 10], gen(4));
    const k = randn([16, 8, 3, 3], gen(5));
    same(conv2d(img.pinMemory(), k.pinMemory(), null, { padding: 1 }), conv2d(img, k, null, { padding: 1 }));
    // views of pinned data with an offset and strides are read at the right place
    same(wp.narrow(0, 3, 40).matmul(x.T), w.narrow(0, 3, 40).matmul(x.T));
    same(wp.narrow(1, 5, 60).T.exp(), w.narrow(1, 5, 60).T.exp());
    same(wp.exp().add(wp.T.T), w.exp().add(w));
    same(wp.sum(1), w.sum(1));
  });

  it('is never written by a kernel that only reads it (scatterAdd adds into a copy)', () => {
    const x = randn([8, 50], gen(6)).pinMemory();
    const before = Array.from(x.data as Float32Array);
    const index = randint(0, 50, [8, 40], gen(7));
    const out = x.scatterAdd(1, index, ones([8, 40]));
    expect(Array.from(x.data as Float32Array)).toEqual(before);
    same(out, x.clone().scatterAdd(1, index, ones([8, 40])));
  });

  it('is updated in place by the fused Adam kernel, as ordinary arrays are', () => {
    const n = 4099;
    const make = (pin: boolean) => ({
      p: randn([n], gen(8)).pinMemory(), g: randn([n], gen(9)),
      m: zeros([n], { pinMemory: pin }), v: zeros([n], { pinMemory: pin }),
    });
    const a = make(true);
    const b = make(false);
    b.p = randn([n], gen(8));
    const h = { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: 0.05, eps: 1e-8, l2: 0.01, decay: 1, maximize: false };
    for (let i = 0; i < 3; i++) {
      for (const s of [a, b]) fusedAdamUpdate(s.p.data as Float32Array, s.g.data as Float32Array, s.m.data as Float32Array, s.v.data as Float32Array, null, h);
    }
    expect(a.p.isPinned() && a.m.isPinned() && !b.p.isPinned()).toBe(true);
    same(a.p, b.p);
    same(a.m, b.m);
    same(a.v, b.v);
    expect(tensor(Array.from(a.m.data as Float32Array)).abs().sum().item()).toBeGreaterThan(0);
  });

  it('is reused, not grown, over many steps once the state exists', () => {
    const rt = wasmRuntime()!;
    const w = randn([32, 16], gen(10)).pinMemory();
    const m = zeros([32, 16], { pinMemory: true });
    const x = randn([8, 16], gen(11));
    const step = () => {
      const g = x.matmul(w.T).relu().sum(0, { keepdim: true }).T.mul(0.01).expand([32, 16]).contiguous();
      fusedAdamUpdate(w.data as Float32Array, g.data as Float32Array, m.data as Float32Array, m.data.slice() as Float32Array, null,
        { beta1: 0.9, beta2: 0.999, stepSize: 1e-3, bc2Sqrt: 0.1, eps: 1e-8, l2: 0, decay: 1, maximize: false });
    };
    step();
    const pinned = rt.pinnedBytes();
    const bytes = rt.memory.buffer.byteLength;
    for (let i = 0; i < 2000; i++) step();
    expect(rt.pinnedBytes()).toBe(pinned);
    expect(rt.memory.buffer.byteLength).toBe(bytes);
  });

  it('comes back when its tensors are garbage-collected (child process with --expose-gc)', () => {
    const script = fileURLToPath(new URL('./fixtures/pinned-gc.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      rounds: Array<{ pinned: number; memory: number; live: number }>; keepSum: number; keepPinned: boolean;
    };
    const block = 256 * 257 * 4;
    for (const round of out.rounds) {
      expect(round.live).toBeGreaterThanOrEqual(20 * block); // 20 tensors alive before they are dropped
      expect(round.pinned).toBeLessThan(block); // only the kept tensor afterwards
    }
    // freed blocks are reused: the memory does not grow after the first round
    expect(new Set(out.rounds.map((r) => r.memory)).size).toBe(1);
    expect(out.keepPinned).toBe(true);
    expect(out.keepSum).toBe(3000); // a live pinned tensor is never freed or overwritten
  });
});
