import { describe, expect, it } from 'vitest';
import {
  Generator, arange, avgPool2d, gradcheck, gradgradcheck, maxPool2d, randn, randperm, tensor, type Tensor,
} from '@tapegrad/core';
import '../../../test/matchers.js';

type Pair = [number, number];
const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

/** Distinct values (no ties for max pooling) in random order. */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return randperm(n, { generator: new Generator(seed) }).to('float64').div(n).reshape(shape).detach().requiresGrad_();
}

/** PyTorch's output size rule (pooling_output_shape), written out again for the reference. */
function outSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

interface RefOpts { s: Pair; p: Pair; d?: Pair; ceil?: boolean; countIncludePad?: boolean; divisorOverride?: number }

/**
 * The definition, one window at a time: max (first in window order on ties) with its flat index,
 * or the window sum over PyTorch's divisor (pool_size clipped at the padded input's end, or the
 * number of input elements, or the override).
 */
function refPool(kind: 'max' | 'avg', x: Tensor, k: Pair, o: RefOpts) {
  const xs = x.detach().toArray() as number[][][][];
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const d = o.d ?? [1, 1];
  const Ho = outSize(H, k[0], o.s[0], o.p[0], d[0], o.ceil ?? false);
  const Wo = outSize(W, k[1], o.s[1], o.p[1], d[1], o.ceil ?? false);
  const values: number[] = [];
  const indices: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          let best = -Infinity;
          let at = -1;
          let sum = 0;
          let count = 0;
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++) {
              const h = i * o.s[0] - o.p[0] + a * d[0];
              const w = j * o.s[1] - o.p[1] + b * d[1];
              if (h < 0 || h >= H || w < 0 || w >= W) continue;
              const v = xs[n]![c]![h]![w]!;
              if (at < 0 || v > best) [best, at] = [v, h * W + w];
              sum += v;
              count++;
            }
          const hs = i * o.s[0] - o.p[0];
          const ws = j * o.s[1] - o.p[1];
          const size = (Math.min(hs + k[0], H + o.p[0]) - hs) * (Math.min(ws + k[1], W + o.p[1]) - ws);
          const div = o.divisorOverride ?? (o.countIncludePad === false ? count : size);
          values.push(kind === 'max' ? best : sum / div);
          indices.push(at);
        }
  return { shape: [N, C, Ho, Wo], values, indices };
}

describe('maxPool2d with ceilMode and returnIndices', () => {
  const cases: Array<{ name: string; x: number[]; k: Pair; o: RefOpts }> = [
    { name: 'ceilMode keeps a last window hanging over the edge', x: [2, 2, 5, 5], k: [2, 2], o: { s: [2, 2], p: [0, 0], ceil: true } },
    { name: 'ceilMode drops a last window starting in the right padding', x: [1, 1, 5, 5], k: [2, 2], o: { s: [3, 3], p: [1, 1], ceil: true } },
    { name: 'ceilMode with padding, dilation and a non-square kernel', x: [1, 2, 8, 9], k: [3, 2], o: { s: [2, 3], p: [1, 1], d: [2, 1], ceil: true } },
    { name: 'floor mode', x: [2, 1, 6, 7], k: [3, 3], o: { s: [2, 1], p: [1, 0] } },
  ];
  for (const c of cases) {
    it(`${c.name}: values and flat indices equal the definition, gradcheck passes`, () => {
      const x = distinct(c.x, 3);
      const opts = { stride: c.o.s, padding: c.o.p, dilation: c.o.d, ceilMode: c.o.ceil };
      const [values, indices] = maxPool2d(x, c.k, { ...opts, returnIndices: true });
      const ref = refPool('max', x, c.k, c.o);
      expect(values.shape).toEqual(ref.shape);
      expect(values).toBeAllClose(tensor(ref.values, { dtype: 'float64' }).reshape(ref.shape), { rtol: 0, atol: 0 });
      expect(indices.dtype).toBe('int32');
      expect(Array.from(indices.data as Int32Array)).toEqual(ref.indices);
      expect(maxPool2d(x, c.k, opts)).toBeAllClose(values, { rtol: 0, atol: 0 });
      expect(gradcheck((t) => maxPool2d(t!, c.k, opts), [x]).ok).toBe(true);
      expect(gradcheck((t) => maxPool2d(t!, c.k, { ...opts, returnIndices: true })[0], [x]).ok).toBe(true);
    });
  }

  it('ceilMode turns a too-small floor output into one window, as PyTorch', () => {
    expect(maxPool2d(tensor([[[[1, 2], [3, 4]]]]), 3, { stride: 2, ceilMode: true }).toArray()).toEqual([[[[4]]]]);
    expect(() => maxPool2d(tensor([[[[1, 2], [3, 4]]]]), 3, { stride: 2 })).toThrow(/output size \[0,0\] is too small/);
  });

  it('returnIndices picks the first maximum in window order on ties and keeps an unbatched shape', () => {
    const [v, i] = maxPool2d(tensor([[[1, 1, 0], [1, 1, 0], [0, 0, 0]]]), 2, { stride: 1, returnIndices: true });
    expect(v.toArray()).toEqual([[[1, 1], [1, 1]]]);
    expect(i.toArray()).toEqual([[[0, 1], [3, 4]]]);
  });

  it('returns int32 indices for int32 inputs in ceil mode (padding never wins over the int32 minimum)', () => {
    const x = tensor([[[[-2147483648, -5, -2147483648]]]], { dtype: 'int32' });
    const [v, i] = maxPool2d(x, [1, 2], { ceilMode: true, returnIndices: true });
    expect(v.toArray()).toEqual([[[[-5, -2147483648]]]]);
    expect(i.toArray()).toEqual([[[[1, 2]]]]);
  });

  it('gives -Infinity, the index PyTorch gives, and no gradient for windows that see only padding (dilation)', () => {
    // PyTorch 1.13: values -inf, indices [[4, 6]] (the first position at or past 0, outside the
    // plane); its backward then writes into the next plane, which tapegrad does not copy.
    const x = f64([1, 2, 1, 4], 9);
    const opts = { stride: [1, 2] as Pair, padding: [1, 0] as Pair, dilation: [2, 1] as Pair };
    const [v, i] = maxPool2d(x, 2, { ...opts, returnIndices: true });
    expect(v.toArray()).toEqual([[[[-Infinity, -Infinity]], [[-Infinity, -Infinity]]]]);
    expect(i.toArray()).toEqual([[[[4, 6]], [[4, 6]]]]);
    const y = maxPool2d(x, 2, opts);
    expect(y.toArray()).toEqual([[[[-Infinity, -Infinity]], [[-Infinity, -Infinity]]]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[0, 0, 0, 0]], [[0, 0, 0, 0]]]]);
  });

  it('agrees in float32 on an input large enough for the default backend', () => {
    const x = randn([2, 8, 33, 31], { generator: new Generator(4) });
    const [v32, i32] = maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true });
    const [v64, i64] = maxPool2d(x.to('float64'), 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true });
    expect(v32.shape).toEqual([2, 8, 17, 16]);
    expect(v32).toBeAllClose(v64, { rtol: 0, atol: 0 });
    expect(i32.toArray()).toEqual(i64.toArray());
  });

  it('is twice differentiable in ceil mode and on the returnIndices path', () => {
    const x = distinct([1, 2, 5, 5], 5);
    const f = (t: Tensor) => maxPool2d(t, 2, { ceilMode: true }).square();
    expect(gradgradcheck((t) => f(t!), [x]).ok).toBe(true);
    expect(gradgradcheck((t) => maxPool2d(t!, 3, { stride: 2, padding: 1, returnIndices: true })[0].square(), [x]).ok).toBe(true);
  });
});

describe('avgPool2d with ceilMode, countIncludePad and divisorOverride', () => {
  const cases: Array<{ name: string; x: number[]; k: Pair; o: RefOpts }> = [
    { name: 'ceilMode divides a window over the edge by its clipped size', x: [2, 2, 5, 5], k: [2, 2], o: { s: [2, 2], p: [0, 0], ceil: true } },
    { name: 'ceilMode with padding counted (clipped at the right padding)', x: [1, 2, 6, 6], k: [3, 3], o: { s: [2, 2], p: [1, 1], ceil: true } },
    { name: 'ceilMode drops a last window starting in the right padding', x: [1, 1, 5, 5], k: [2, 2], o: { s: [3, 3], p: [1, 1], ceil: true } },
    { name: 'countIncludePad false with padding', x: [2, 1, 5, 6], k: [3, 3], o: { s: [2, 2], p: [1, 1], countIncludePad: false } },
    { name: 'countIncludePad false in ceil mode', x: [1, 2, 6, 5], k: [3, 2], o: { s: [2, 2], p: [1, 1], ceil: true, countIncludePad: false } },
    { name: 'divisorOverride 3', x: [1, 2, 5, 5], k: [3, 3], o: { s: [2, 2], p: [1, 1], divisorOverride: 3 } },
    { name: 'a negative divisorOverride in ceil mode', x: [1, 1, 5, 7], k: [2, 2], o: { s: [2, 2], p: [0, 0], ceil: true, divisorOverride: -2 } },
  ];
  for (const c of cases) {
    it(`${c.name}: equals the definition and passes gradcheck`, () => {
      const x = f64(c.x, 6);
      const opts = { stride: c.o.s, padding: c.o.p, ceilMode: c.o.ceil, countIncludePad: c.o.countIncludePad, divisorOverride: c.o.divisorOverride };
      const out = avgPool2d(x, c.k, opts);
      const ref = refPool('avg', x, c.k, c.o);
      expect(out).toBeAllClose(tensor(ref.values, { dtype: 'float64' }).reshape(ref.shape), { rtol: 1e-12, atol: 1e-14 });
      expect(gradcheck((t) => avgPool2d(t!, c.k, opts), [x]).ok).toBe(true);
    });
  }

  it('gives the worked examples of PyTorch: ceil mode clipped at the right padding even with padding counted', () => {
    const x = arange(1, 26, { dtype: 'float64' }).reshape([1, 1, 5, 5]);
    expect(avgPool2d(x, 2, { stride: 2, ceilMode: true })).toBeAllClose([[[[4, 6, 7.5], [14, 16, 17.5], [21.5, 23.5, 25]]]]);
    expect(avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })).toBeAllClose(
      [[[[4, 5.5, 7], [11.5, 13, 14.5], [19, 20.5, 22]]]],
    );
  });

  it('agrees in float32 on an input large enough for the default backend', () => {
    const x = randn([2, 8, 33, 31], { generator: new Generator(7) });
    const opts = { stride: 2, padding: 1, ceilMode: true, countIncludePad: false };
    expect(avgPool2d(x, 3, opts)).toBeAllClose(avgPool2d(x.to('float64'), 3, opts), { rtol: 1e-5, atol: 1e-6 });
  });

  it('is twice differentiable with the divisor options', () => {
    const f = (t: Tensor) => avgPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).mul(t.sum());
    expect(gradgradcheck((t) => f(t!), [f64([1, 1, 5, 5], 8)]).ok).toBe(true);
  });

  it('refuses a zero divisor', () => {
    expect(() => avgPool2d(randn([1, 1, 4, 4]), 2, { divisorOverride: 0 })).toThrow('avgPool2d: divisorOverride must not be 0, got 0');
  });
});
