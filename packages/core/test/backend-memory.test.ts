import { afterEach, describe, expect, it } from 'vitest';
import {
  add, exp, fusedAdamUpdate, Generator, getBackend, jsBackend, matmul, mul, randn, registerBackend, setBackend, zeros,
  type Backend, type DType, type Tensor,
} from '@tapegrad/core';

// Pinned memory and buffer reuse go through the Backend's optional memory hooks (allocPinned,
// isPinned, activate). A backend without them must run every pinned and out= path as the
// reference does; a backend with them gets the pinned allocations while it is current.

const gen = (seed: number) => ({ generator: new Generator(seed) });
const values = (t: Tensor) => Array.from(t.contiguous().data as Float32Array);
const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;
const adam = { beta1: 0.9, beta2: 0.999, stepSize: 0.01, bc2Sqrt: 0.05, eps: 1e-8, l2: 0.01, decay: 1, maximize: false };

/** Pinned tensors, out= into them, a fused update of them and a product, as plain arrays. */
function workload(): number[][] {
  const p = randn([2048], { pinMemory: true, ...gen(1) });
  const g = randn([2048], gen(2));
  const m = zeros([2048], { pinMemory: true });
  const v = zeros([2048], { pinMemory: true });
  const o = zeros([2048], { pinMemory: true });
  add(p, g, { out: o });
  mul(o, o, { out: o });
  exp(g.narrow(0, 0, 1024).neg(), { out: v.narrow(0, 0, 1024) });
  fusedAdamUpdate(p.data as Float32Array, g.data as Float32Array, m.data as Float32Array, v.data as Float32Array, null, adam);
  const w = randn([64, 32], gen(3)).pinMemory();
  return [values(o), values(p), values(m), values(v), values(matmul(randn([16, 64], gen(4)), w))];
}

afterEach(() => setBackend('wasm'));

describe('backend memory hooks', () => {
  it('are optional: a registered backend without them runs pinned tensors and out= like the reference', () => {
    let calls = 0;
    const counted = <K extends keyof Backend>(k: K) => (...a: unknown[]) => {
      calls++;
      return (jsBackend[k] as (...a: unknown[]) => unknown)(...a);
    };
    registerBackend({
      ...jsBackend, name: 'plain-memory',
      binaryInto: counted('binaryInto') as Backend['binaryInto'], adamUpdate: counted('adamUpdate') as Backend['adamUpdate'],
    });
    expect('allocPinned' in jsBackend || 'isPinned' in jsBackend || 'activate' in jsBackend).toBe(false);
    setBackend('js');
    const reference = workload();
    setBackend('plain-memory');
    expect(workload()).toEqual(reference);
    expect(calls).toBeGreaterThanOrEqual(3);
    // pinned memory then comes from another registered backend that has some (wasm, in Node)
    expect(zeros([3], { pinMemory: true }).isPinned()).toBe(true);
    expect(zeros([3]).isPinned()).toBe(false);
  });

  it('fall back to ordinary arrays when the current backend has no pinned memory here', () => {
    registerBackend({ ...jsBackend, name: 'no-pinned-memory', allocPinned: () => null });
    setBackend('js');
    const reference = workload();
    setBackend('no-pinned-memory');
    const x = zeros([3], { pinMemory: true });
    expect(x.isPinned()).toBe(false);
    expect(x.toArray()).toEqual([0, 0, 0]);
    expect(workload()).toEqual(reference);
  });

  it('give the current backend the pinned allocations and tell it when it is chosen and replaced', () => {
    const mine = new Set<ArrayBufferView>();
    const told: boolean[] = [];
    registerBackend({
      ...jsBackend, name: 'own-memory',
      allocPinned: (dtype: DType, n: number) => {
        const a = new CTORS[dtype](n);
        mine.add(a);
        return a;
      },
      isPinned: (a) => mine.has(a),
      activate: (active) => told.push(active),
    });
    setBackend('own-memory');
    expect(told).toEqual([true]);
    const x = zeros([4], { pinMemory: true });
    const y = randn([2, 3], gen(5)).pinMemory();
    expect(x.isPinned() && y.isPinned()).toBe(true);
    expect(mine.has(x.data) && mine.has(y.data)).toBe(true);
    expect(y.pinMemory()).toBe(y);
    setBackend('js');
    expect(told).toEqual([true, false]);
    expect(x.isPinned()).toBe(true); // pinned by a registered backend, whichever runs now
    expect(mine.has(zeros([4], { pinMemory: true }).data)).toBe(false); // js has none: the first registered that has
    expect(getBackend()).toBe('js');
  });
});
