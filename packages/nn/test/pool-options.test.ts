import { describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, ValueError, gradcheck, gradgradcheck, ones, randn, randperm, tensor, type Tensor,
} from '@tapegrad/core';
import {
  AvgPool1d, AvgPool2d, AvgPool3d, F, MaxPool1d, MaxPool2d, MaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, Sequential,
} from '@tapegrad/nn';
import '../../../test/matchers.js';

type Triple = [number, number, number];
const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

/** Distinct values (no ties for max pooling) in random order. */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return randperm(n, { generator: new Generator(seed) }).to('float64').div(n).reshape(shape).detach().requiresGrad_();
}

/** PyTorch's pooling_output_shape, written out again for the reference. */
function outSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

interface Ref3 { k: Triple; s: Triple; p: Triple; d?: Triple; ceil?: boolean; countIncludePad?: boolean; divisorOverride?: number }

/** 3-D pooling by the definition over [N, C, D, H, W]: max (first on ties) with its flat index, or sum / PyTorch's divisor. */
function refPool3d(kind: 'max' | 'avg', x: Tensor, o: Ref3) {
  const xs = Array.from(x.detach().data as Float64Array);
  const [N, C, D, H, W] = x.shape as [number, number, number, number, number];
  const d = o.d ?? [1, 1, 1];
  const dims = [D, H, W];
  const out = dims.map((n, i) => outSize(n, o.k[i]!, o.s[i]!, o.p[i]!, d[i]!, o.ceil ?? false)) as Triple;
  const values: number[] = [];
  const indices: number[] = [];
  for (let nc = 0; nc < N * C; nc++)
    for (let a = 0; a < out[0]; a++)
      for (let b = 0; b < out[1]; b++)
        for (let c = 0; c < out[2]; c++) {
          const start = [a, b, c].map((q, i) => q * o.s[i]! - o.p[i]!);
          let best = -Infinity, at = -1, sum = 0, count = 0;
          for (let u = 0; u < o.k[0]; u++)
            for (let v = 0; v < o.k[1]; v++)
              for (let w = 0; w < o.k[2]; w++) {
                const z = start[0]! + u * d[0], h = start[1]! + v * d[1], y = start[2]! + w * d[2];
                if (z < 0 || z >= D || h < 0 || h >= H || y < 0 || y >= W) continue;
                const val = xs[((nc * D + z) * H + h) * W + y]!;
                if (at < 0 || val > best) [best, at] = [val, (z * H + h) * W + y];
                sum += val;
                count++;
              }
          const size = start.reduce((acc, st, i) => acc * (Math.min(st + o.k[i]!, dims[i]! + o.p[i]!) - st), 1);
          values.push(kind === 'max' ? best : sum / (o.divisorOverride ?? (o.countIncludePad === false ? count : size)));
          indices.push(at);
        }
  return { shape: [N, C, ...out], values, indices };
}

describe('MaxPool1d/2d/3d with ceilMode and returnIndices', () => {
  it('MaxPool2d with returnIndices returns [values, indices] from forward, indices int32 into each plane', () => {
    const pool = new MaxPool2d(2, { returnIndices: true, ceilMode: true });
    const [v, i] = pool.call(tensor([[[[1, 5, 2], [7, 3, 0], [4, 8, 6]]]]));
    expect(v.toArray()).toEqual([[[[7, 2], [8, 6]]]]);
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([[[[3, 2], [7, 8]]]]);
    expect(pool.extraRepr()).toBe('kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=true, returnIndices=true');
    // the default type stays a Tensor -> Tensor module, usable in Sequential
    const seq = new Sequential(new MaxPool2d(2, { ceilMode: true }), new AvgPool2d(2, { ceilMode: true }));
    expect(seq.call(randn([1, 1, 7, 7])).shape).toEqual([1, 1, 2, 2]);
  });

  it('MaxPool1d with ceilMode keeps the last partial window and returns indices into L', () => {
    const [v, i] = new MaxPool1d(2, { ceilMode: true, returnIndices: true }).call(tensor([[[1, 3, 2, 5, 4]]]));
    expect(v.toArray()).toEqual([[[3, 5, 4]]]);
    expect(i.toArray()).toEqual([[[1, 3, 4]]]);
    expect(F.maxPool1d(tensor([[1, 3, 2, 5, 4]]), 2, { ceilMode: true }).toArray()).toEqual([[3, 5, 4]]);
  });

  const cases: Array<{ name: string; x: number[]; o: Ref3 }> = [
    { name: 'ceilMode keeps windows over the edges', x: [2, 1, 5, 5, 3], o: { k: [2, 2, 2], s: [2, 2, 2], p: [0, 0, 0], ceil: true } },
    { name: 'ceilMode drops a depth window starting in the right padding', x: [1, 2, 5, 4, 4], o: { k: [2, 2, 2], s: [3, 2, 2], p: [1, 0, 0], ceil: true } },
    { name: 'dilation, padding and ceilMode', x: [1, 1, 6, 5, 7], o: { k: [2, 2, 2], s: [2, 2, 2], p: [1, 0, 1], d: [2, 1, 2], ceil: true } },
    { name: 'floor mode, overlapping windows', x: [1, 2, 4, 5, 4], o: { k: [3, 2, 2], s: [1, 2, 1], p: [1, 1, 0] } },
  ];
  for (const c of cases) {
    it(`maxPool3d ${c.name}: values and flat indices equal the definition, gradcheck passes`, () => {
      const x = distinct(c.x, 11);
      const opts = { stride: c.o.s, padding: c.o.p, dilation: c.o.d, ceilMode: c.o.ceil };
      const [v, i] = F.maxPool3d(x, c.o.k, { ...opts, returnIndices: true });
      const ref = refPool3d('max', x, c.o);
      expect(v).toBeAllClose(tensor(ref.values, { dtype: 'float64' }).reshape(ref.shape), { rtol: 0, atol: 0 });
      expect(Array.from(i.data as Int32Array)).toEqual(ref.indices);
      expect(F.maxPool3d(x, c.o.k, opts)).toBeAllClose(v, { rtol: 0, atol: 0 });
      expect(gradcheck((t) => F.maxPool3d(t!, c.o.k, opts), [x]).ok).toBe(true);
    });
  }

  it('maxPool3d gives the whole gradient to the first maximum on ties (as PyTorch, not split)', () => {
    const x = ones([1, 1, 2, 2, 2], { dtype: 'float64', requiresGrad: true });
    F.maxPool3d(x, 2).sum().backward();
    expect(x.grad!.reshape([8]).toArray()).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    const [, i] = F.maxPool3d(x, 2, { returnIndices: true });
    expect(i.toArray()).toEqual([[[[[0]]]]]);
  });

  it('maxPool3d gives -Infinity, the index PyTorch gives, and no gradient for windows that see only padding', () => {
    // PyTorch 1.13 prints -inf and indices [[9, 10], [12, 13]] here (then corrupts its heap in backward).
    const x = f64([1, 1, 1, 3, 3], 20);
    const [v, i] = F.maxPool3d(x, 2, { stride: 1, padding: [1, 0, 0], dilation: [2, 1, 1], returnIndices: true });
    expect(v.toArray()).toEqual([[[[[-Infinity, -Infinity], [-Infinity, -Infinity]]]]]);
    expect(i.toArray()).toEqual([[[[[9, 10], [12, 13]]]]]);
    v.sum().backward();
    expect(x.grad!.abs().sum().item()).toBe(0);
  });

  it('maxPool3d propagates NaN (its first one in window order) and pools int32 inputs', () => {
    const x = tensor([1, 2, 3, 4, 5, NaN, 7, NaN], { dtype: 'float64' }).reshape([1, 1, 2, 2, 2]);
    const [v, i] = F.maxPool3d(x, 2, { returnIndices: true });
    expect(Number.isNaN(v.item())).toBe(true);
    expect(i.item()).toBe(5);
    const xi = tensor([3, -2147483648, 9, 1, -5, 9, 0, 2], { dtype: 'int32' }).reshape([1, 1, 2, 2, 2]);
    const [vi, ii] = F.maxPool3d(xi, [2, 1, 2], { ceilMode: true, returnIndices: true });
    expect(vi.dtype).toBe('int32');
    expect(vi.toArray()).toEqual([[[[[9], [9]]]]]);
    expect(ii.toArray()).toEqual([[[[[5], [2]]]]]);
  });

  it('maxPool3d is twice differentiable and keeps an unbatched shape', () => {
    expect(gradgradcheck((t) => F.maxPool3d(t!, 2, { ceilMode: true }).square(), [distinct([1, 1, 3, 3, 3], 12)]).ok).toBe(true);
    const [v, i] = new MaxPool3d([2, 1, 2], { returnIndices: true, ceilMode: true }).call(randn([2, 3, 3, 3]));
    expect(v.shape).toEqual([2, 2, 3, 2]);
    expect(i.shape).toEqual([2, 2, 3, 2]);
  });
});

describe('AvgPool1d/2d/3d with ceilMode, countIncludePad and divisorOverride', () => {
  it('AvgPool2d divides by the clipped window, the input count or the override', () => {
    const x = ones([1, 1, 3, 3]);
    expect(new AvgPool2d(2, { ceilMode: true }).call(x).toArray()).toEqual([[[[1, 1], [1, 1]]]]);
    expect(new AvgPool2d(3, { stride: 1, padding: 1 }).call(x)).toBeAllClose([[[[4 / 9, 6 / 9, 4 / 9], [6 / 9, 1, 6 / 9], [4 / 9, 6 / 9, 4 / 9]]]]);
    expect(new AvgPool2d(3, { stride: 1, padding: 1, countIncludePad: false }).call(x).toArray()).toEqual([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]);
    expect(new AvgPool2d(2, { divisorOverride: 1 }).call(x).toArray()).toEqual([[[[4]]]]);
    expect(new AvgPool2d(2, { divisorOverride: 2, countIncludePad: false }).extraRepr()).toBe(
      'kernelSize=2, stride=2, padding=0, countIncludePad=false, divisorOverride=2',
    );
  });

  it('AvgPool1d takes ceilMode and countIncludePad: false', () => {
    const x = tensor([[[1, 3, 2, 6, 5]]]);
    expect(new AvgPool1d(2, { ceilMode: true }).call(x).toArray()).toEqual([[[2, 4, 5]]]);
    expect(F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false })).toBeAllClose([[[2, 11 / 3, 5.5]]]);
    expect(gradcheck((t) => F.avgPool1d(t!, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [f64([2, 2, 8], 13)]).ok).toBe(true);
  });

  const cases: Array<{ name: string; x: number[]; o: Ref3 }> = [
    { name: 'ceilMode, padding counted (clipped at the right padding)', x: [1, 2, 5, 6, 5], o: { k: [3, 3, 3], s: [2, 2, 2], p: [1, 1, 1], ceil: true } },
    { name: 'countIncludePad false with padding', x: [2, 1, 4, 5, 4], o: { k: [2, 3, 2], s: [2, 2, 1], p: [1, 1, 1], countIncludePad: false } },
    { name: 'ceilMode and countIncludePad false', x: [1, 1, 5, 5, 4], o: { k: [3, 2, 3], s: [2, 2, 2], p: [1, 1, 1], ceil: true, countIncludePad: false } },
    { name: 'divisorOverride in ceil mode', x: [1, 2, 5, 5, 5], o: { k: [2, 2, 2], s: [2, 2, 2], p: [0, 0, 0], ceil: true, divisorOverride: 5 } },
  ];
  for (const c of cases) {
    it(`avgPool3d ${c.name}: equals the definition and passes gradcheck`, () => {
      const x = f64(c.x, 14);
      const opts = { stride: c.o.s, padding: c.o.p, ceilMode: c.o.ceil, countIncludePad: c.o.countIncludePad, divisorOverride: c.o.divisorOverride };
      const ref = refPool3d('avg', x, c.o);
      expect(F.avgPool3d(x, c.o.k, opts)).toBeAllClose(tensor(ref.values, { dtype: 'float64' }).reshape(ref.shape), { rtol: 1e-12, atol: 1e-14 });
      expect(gradcheck((t) => F.avgPool3d(t!, c.o.k, opts), [x]).ok).toBe(true);
    });
  }

  it('AvgPool3d keeps float32 inputs float32 with a divisor map', () => {
    const y = new AvgPool3d(2, { ceilMode: true, countIncludePad: false }).call(randn([1, 1, 3, 3, 3]));
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([1, 1, 2, 2, 2]);
  });

  it('refuse a zero divisor, wrong types, and options the pool does not have', () => {
    expect(message(() => new AvgPool2d(2, { divisorOverride: 0 }))).toBe('AvgPool2d: divisorOverride must not be 0, got 0');
    expect(message(() => new AvgPool3d(2, { divisorOverride: 0 }))).toBe('AvgPool3d: divisorOverride must not be 0, got 0');
    expect(message(() => F.avgPool3d(randn([1, 1, 2, 2, 2]), 2, { divisorOverride: 0 }))).toBe('avgPool3d: divisorOverride must not be 0, got 0');
    expect(message(() => F.avgPool2d(randn([1, 1, 2, 2]), 2, { divisorOverride: 0 }))).toBe('avgPool2d: divisorOverride must not be 0, got 0');
    expect(message(() => new AvgPool1d(2, { divisorOverride: 2 } as never))).toMatch(/^AvgPool1d: unknown option 'divisorOverride'/);
    expect(message(() => F.avgPool3d(randn([1, 1, 2, 2, 2]), 2, { returnIndices: true } as never))).toMatch(/^avgPool3d: unknown option 'returnIndices'/);
    expect(message(() => new MaxPool3d(2, { countIncludePad: false } as never))).toMatch(/^MaxPool3d: unknown option 'countIncludePad'/);
    expect(message(() => new MaxPool2d(2, { returnIndices: 'yes' } as never))).toMatch(/^MaxPool2d: option returnIndices must be a boolean/);
  });
});

describe('MaxUnpool1d/2d/3d', () => {
  it('put each value at its index in zeros: the inverse of a max pool on its maxima', () => {
    const x = tensor([[[[1, 5, 2, 0], [7, 3, 9, 4], [4, 8, 6, 1], [2, 2, 3, 0]]]]);
    const [y, i] = F.maxPool2d(x, 2, { returnIndices: true });
    expect(new MaxUnpool2d(2).call(y, i).toArray()).toEqual([[[[0, 0, 0, 0], [7, 0, 9, 0], [0, 8, 6, 0], [0, 0, 0, 0]]]]);
    // outputSize with N and C in front, as PyTorch allows
    expect(F.maxUnpool2d(y, i, 2, { outputSize: [1, 1, 5, 4] }).shape).toEqual([1, 1, 5, 4]);
    const [y1, i1] = F.maxPool1d(tensor([[1, 3, 2, 5, 4]]), 2, { returnIndices: true });
    expect(new MaxUnpool1d(2).call(y1, i1, [5]).toArray()).toEqual([[0, 3, 0, 5, 0]]);
    const x3 = distinct([2, 3, 4, 4, 6], 15);
    const [y3, i3] = F.maxPool3d(x3, 2, { returnIndices: true });
    const u3 = new MaxUnpool3d(2).call(y3, i3);
    expect(u3.shape).toEqual([2, 3, 4, 4, 6]);
    expect(F.maxPool3d(u3, 2)).toBeAllClose(y3, { rtol: 0, atol: 0 });
    expect(u3.sum()).toBeAllClose(y3.sum(), { rtol: 1e-12, atol: 0 });
  });

  it('are differentiable w.r.t. the input: the gradient gathers at the indices', () => {
    const [y, i] = F.maxPool2d(distinct([1, 2, 5, 5], 16), 2, { stride: 2, ceilMode: true, returnIndices: true });
    const yy = y.detach().requiresGrad_();
    expect(gradcheck((t) => F.maxUnpool2d(t!, i, 2, { outputSize: [5, 5] }), [yy]).ok).toBe(true);
    const g = randn([1, 2, 5, 5], { dtype: 'float64', generator: new Generator(17) });
    F.maxUnpool2d(yy, i, 2, { outputSize: [5, 5] }).backward(g);
    expect(yy.grad!).toBeAllClose(g.reshape([1, 2, 25]).gather(2, i.reshape([1, 2, 9])).reshape([1, 2, 3, 3]), { rtol: 0, atol: 0 });
    expect(gradgradcheck((t) => F.maxUnpool1d(t!, tensor([[1, 2, 5]], { dtype: 'int32' }), 2).mul(t!.sum()), [f64([1, 3], 18)]).ok).toBe(true);
    const [y3, i3] = F.maxPool3d(distinct([1, 1, 4, 4, 4], 19), 2, { returnIndices: true });
    expect(gradcheck((t) => F.maxUnpool3d(t!, i3, 2), [y3.detach().requiresGrad_()]).ok).toBe(true);
  });

  it('refuse bad output sizes, out-of-range or non-int32 indices, and mismatched shapes', () => {
    const [y, i] = F.maxPool2d(randn([1, 1, 4, 4]), 2, { returnIndices: true });
    expect(message(() => F.maxUnpool2d(y, i, 2, { outputSize: [6, 4] }))).toBe(
      'maxUnpool2d: invalid outputSize [6,4] (dim 0 must be between 2 and 6, exclusive)',
    );
    expect(message(() => F.maxUnpool2d(y, i, 2, { outputSize: [4] }))).toBe('maxUnpool2d: outputSize must have 2 or 4 elements, got [4]');
    expect(() => F.maxUnpool2d(y, i.to('float32'), 2)).toThrow(DTypeError);
    expect(() => F.maxUnpool2d(y, i.reshape([1, 4]), 2)).toThrow(ShapeError);
    expect(() => F.maxUnpool2d(y.reshape([4]), i.reshape([4]), 2)).toThrow(/^maxUnpool2d: expected a 3-D or 4-D input/);
    expect(message(() => F.maxUnpool2d(y, tensor([[[[0, 1], [2, 16]]]], { dtype: 'int32' }), 2))).toBe(
      'maxUnpool2d: index 16 is out of range [0, 16) for the output size [4,4]',
    );
    expect(() => new MaxUnpool3d([2, 2])).toThrow(ValueError);
    expect(message(() => new MaxUnpool2d(2, { outputSize: [4, 4] } as never))).toMatch(/^MaxUnpool2d: unknown option 'outputSize'/);
    expect(new MaxUnpool2d([2, 3], { stride: 1, padding: [0, 1] }).extraRepr()).toBe('kernelSize=[2,3], stride=[1,1], padding=[0,1]');
  });
});
