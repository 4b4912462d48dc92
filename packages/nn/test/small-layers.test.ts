import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, ShapeError, ValueError, arange, gradcheck, ones, randn, tensor, type Tensor } from '@tapegrad/core';
import { AlphaDropout, AvgPool3d, Bilinear, Conv3d, Dropout3d, F, FeatureAlphaDropout, MaxPool3d } from '@tapegrad/nn';
import '../../../test/matchers.js';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

describe('Bilinear', () => {
  it('computes x1ᵀ A x2 + b as the plain triple sum', () => {
    const x1 = f64([2, 3, 2], 1), x2 = f64([2, 3, 4], 2), w = f64([5, 2, 4], 3), b = f64([5], 4);
    const a1 = x1.toArray() as number[][][], a2 = x2.toArray() as number[][][], aw = w.toArray() as number[][][], ab = b.toArray() as number[];
    const ref = a1.map((r1, n) => r1.map((v1, s) => aw.map((wo, o) => {
      let acc = ab[o]!;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) acc += v1[i]! * wo[i]![j]! * a2[n]![s]![j]!;
      return acc;
    })));
    const y = F.bilinear(x1, x2, w, b);
    expect(y.shape).toEqual([2, 3, 5]);
    expect(y).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
  });

  it('passes gradcheck in float64 for both inputs, weight and bias', () => {
    const fn = (a: Tensor, c: Tensor, w: Tensor, b: Tensor): Tensor => F.bilinear(a, c, w, b);
    expect(gradcheck(fn as (...t: Tensor[]) => Tensor, [f64([3, 2], 5), f64([3, 3], 6), f64([2, 2, 3], 7), f64([2], 8)]).ok).toBe(true);
  });

  it('builds weight [out, in1, in2] and bias [out] from U(±1/√in1), drawn from its generator', () => {
    const bl = new Bilinear(4, 3, 5, { dtype: 'float64', generator: new Generator(0) });
    expect(bl.weight.shape).toEqual([5, 4, 3]);
    expect(bl.bias!.shape).toEqual([5]);
    expect(bl.weight.abs().max().item()).toBeLessThanOrEqual(0.5);
    expect(bl.bias!.abs().max().item()).toBeLessThanOrEqual(0.5);
    const again = new Bilinear(4, 3, 5, { dtype: 'float64', generator: new Generator(0) });
    expect(again.weight).toBeAllClose(bl.weight);
    expect(new Bilinear(4, 3, 5, { bias: false }).bias).toBeNull();
    expect(bl.call(randn([2, 7, 4], { dtype: 'float64' }), randn([2, 7, 3], { dtype: 'float64' })).shape).toEqual([2, 7, 5]);
    expect(bl.toString()).toContain('in1Features=4, in2Features=3, outFeatures=5, bias=true');
  });

  it('refuses mismatched shapes, bad sizes and unknown or positional options', () => {
    expect(() => F.bilinear(randn([2, 3]), randn([3, 4]), randn([5, 3, 4]))).toThrow(ShapeError);
    expect(() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 3]))).toThrow(/bilinear: input1.shape=\[2,3\]/);
    expect(() => F.bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 4]), randn([4]))).toThrow(ShapeError);
    expect(() => new Bilinear(-1, 2, 3)).toThrow(ValueError);
    // @ts-expect-error: an unknown option
    expect(() => new Bilinear(2, 2, 3, { biass: false })).toThrow(/did you mean/);
    // @ts-expect-error: a positional boolean
    expect(() => new Bilinear(2, 2, 3, false)).toThrow(ValueError);
  });
});

const ALPHA = 1.7580993408473766;
const alphaConsts = (p: number): { a: number; b: number } => {
  const a = 1 / Math.sqrt((1 - p) * (1 + p * ALPHA * ALPHA));
  return { a, b: a * ALPHA * p };
};

describe('Dropout3d', () => {
  it('zeroes whole D x H x W channels and scales the rest by 1 / (1 - p), batched and unbatched', () => {
    for (const shape of [[6, 5, 2, 3, 2], [40, 2, 2, 3]]) {
      const y = F.dropout3d(ones(shape, { dtype: 'float64' }), { p: 0.4, generator: new Generator(3) });
      const lead = shape.length - 3;
      const chans = y.reshape([...shape.slice(0, lead), -1]).reshape([-1, shape.slice(lead).reduce((a, b) => a * b, 1)]).toArray() as number[][];
      let dropped = 0;
      for (const c of chans) {
        expect(new Set(c.map((v) => v.toFixed(12))).size).toBe(1);
        if (c[0] === 0) dropped++;
        else expect(c[0]).toBeCloseTo(1 / 0.6, 12);
      }
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(chans.length);
    }
  });

  it('is the identity in evaluation and for p = 0, and passes gradcheck in training with a fixed generator', () => {
    const x = randn([1, 2, 2, 2, 2]);
    expect(new Dropout3d(0.7).eval().call(x)).toBe(x);
    expect(F.dropout3d(x, { p: 0 })).toBe(x);
    const fn = (t: Tensor): Tensor => F.dropout3d(t, { p: 0.5, generator: new Generator(1) });
    expect(gradcheck(fn, [f64([2, 3, 2, 2, 2], 9)]).ok).toBe(true);
  });

  it('refuses other ranks, bad p and unknown options', () => {
    expect(() => F.dropout3d(ones([2, 3, 4]))).toThrow(ShapeError);
    expect(() => F.dropout3d(ones([2, 3, 4]))).toThrow(/dropout3d: expected a 4-D or 5-D input, got input.shape=\[2,3,4\]/);
    expect(() => new Dropout3d(1.5)).toThrow(ValueError);
    // @ts-expect-error: an unknown option
    expect(() => F.dropout3d(ones([1, 1, 1, 1]), { q: 0.1 })).toThrow(/did you mean|unknown/);
    // @ts-expect-error: inplace is refused
    expect(() => new Dropout3d(0.5, { inplace: true })).toThrow(ValueError);
  });
});

describe('AlphaDropout and FeatureAlphaDropout', () => {
  it('maps kept elements to a x + b and dropped ones to a α\' + b (PyTorch\'s constants)', () => {
    const p = 0.3, { a, b } = alphaConsts(p);
    const x = arange(0, 200, { dtype: 'float64' }).div(100);
    const y = F.alphaDropout(x, { p, training: true, generator: new Generator(5) }).toArray() as number[];
    const xs = x.toArray() as number[];
    let dropped = 0;
    y.forEach((v, i) => {
      if (Math.abs(v - (a * xs[i]! + b)) < 1e-12) return;
      expect(v).toBeCloseTo(-a * ALPHA + b, 12);
      dropped++;
    });
    expect(dropped).toBeGreaterThan(30);
    expect(dropped).toBeLessThan(90);
  });

  it('keeps zero mean and unit variance of a standard normal input', () => {
    const y = new AlphaDropout(0.2, { generator: new Generator(0) }).call(randn([40000], { dtype: 'float64', generator: new Generator(1) }));
    expect(Math.abs(y.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(y.std().item() - 1)).toBeLessThan(0.03);
  });

  it('drops whole channels in the feature variant', () => {
    const p = 0.5, { a, b } = alphaConsts(p);
    const y = F.featureAlphaDropout(ones([8, 6, 3, 2], { dtype: 'float64' }), { p, training: true, generator: new Generator(2) });
    const chans = y.reshape([48, 6]).toArray() as number[][];
    const values = new Set<string>();
    for (const c of chans) {
      expect(new Set(c.map((v) => v.toFixed(12))).size).toBe(1);
      values.add(c[0]!.toFixed(12));
    }
    expect(values).toEqual(new Set([(a + b).toFixed(12), (-a * ALPHA + b).toFixed(12)]));
  });

  it('is the identity in evaluation, by default in F (as PyTorch), and for p = 0; p = 1 gives zeros', () => {
    const x = randn([3, 4]);
    expect(new AlphaDropout(0.5).eval().call(x)).toBe(x);
    expect(new FeatureAlphaDropout(0.5).eval().call(x)).toBe(x);
    expect(F.alphaDropout(x, { p: 0.5 })).toBe(x);
    expect(F.featureAlphaDropout(x, { p: 0.5 })).toBe(x);
    expect(F.alphaDropout(x, { p: 0, training: true })).toBe(x);
    expect(F.alphaDropout(x, { p: 1, training: true }).abs().sum().item()).toBe(0);
  });

  it('passes gradcheck in float64 with a fixed generator', () => {
    const fn = (t: Tensor): Tensor => F.alphaDropout(t, { p: 0.4, training: true, generator: new Generator(4) });
    expect(gradcheck(fn, [f64([3, 5], 10)]).ok).toBe(true);
    const gn = (t: Tensor): Tensor => F.featureAlphaDropout(t, { p: 0.4, training: true, generator: new Generator(4) });
    expect(gradcheck(gn, [f64([3, 4, 2], 11)]).ok).toBe(true);
  });

  it('refuses bad p, integer inputs, 1-D feature inputs and inplace', () => {
    expect(() => new AlphaDropout(-0.1)).toThrow(ValueError);
    expect(() => F.alphaDropout(ones([2], { dtype: 'int32' }), { training: true })).toThrow(DTypeError);
    expect(() => F.featureAlphaDropout(ones([4]), { training: true })).toThrow(ShapeError);
    // @ts-expect-error: inplace is refused
    expect(() => new FeatureAlphaDropout(0.5, { inplace: true })).toThrow(ValueError);
    // @ts-expect-error: a positional boolean
    expect(() => F.alphaDropout(ones([2]), true)).toThrow(ValueError);
  });
});

/** The 3-D cross-correlation by its definition (zero padding, per group). */
function conv3dReference(x: Tensor, w: Tensor, b: Tensor | null, s: number[], p: number[], d: number[], groups: number): Tensor {
  const [N, , D, H, W] = x.shape as number[] as [number, number, number, number, number];
  const [O, Cg, kD, kH, kW] = w.shape as number[] as [number, number, number, number, number];
  const out = (n: number, k: number, i: number): number => Math.floor((n + 2 * p[i]! - d[i]! * (k - 1) - 1) / s[i]!) + 1;
  const [Do, Ho, Wo] = [out(D, kD, 0), out(H, kH, 1), out(W, kW, 2)];
  const xa = x.toArray() as number[][][][][], wa = w.toArray() as number[][][][][], ba = b ? (b.toArray() as number[]) : null;
  const y: number[] = [];
  const Og = O / groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Do; i++)
        for (let j = 0; j < Ho; j++)
          for (let l = 0; l < Wo; l++) {
            let acc = ba ? ba[o]! : 0;
            const g = Math.floor(o / Og);
            for (let c = 0; c < Cg; c++)
              for (let a = 0; a < kD; a++)
                for (let q = 0; q < kH; q++)
                  for (let r = 0; r < kW; r++) {
                    const zi = i * s[0]! + a * d[0]! - p[0]!, zj = j * s[1]! + q * d[1]! - p[1]!, zl = l * s[2]! + r * d[2]! - p[2]!;
                    if (zi < 0 || zi >= D || zj < 0 || zj >= H || zl < 0 || zl >= W) continue;
                    acc += xa[n]![g * Cg + c]![zi]![zj]![zl]! * wa[o]![c]![a]![q]![r]!;
                  }
            y.push(acc);
          }
  return tensorOf(y, [N, O, Do, Ho, Wo]);
}
const tensorOf = (data: number[], shape: number[]): Tensor => tensor(data, { dtype: 'float64' }).reshape(shape);

describe('Conv3d', () => {
  it('matches the definition with stride, padding, dilation, groups and bias', () => {
    const cases: Array<[number[], number[], number[], number[], number[], number]> = [
      [[2, 2, 4, 5, 4], [3, 2, 2, 3, 2], [1, 1, 1], [0, 0, 0], [1, 1, 1], 1],
      [[1, 4, 6, 5, 7], [4, 2, 3, 2, 3], [2, 1, 2], [1, 2, 0], [1, 2, 1], 2],
      [[2, 3, 7, 6, 5], [2, 3, 2, 2, 2], [3, 2, 1], [2, 0, 1], [2, 1, 2], 1],
    ];
    cases.forEach(([xs, ws, s, p, d, g], k) => {
      const x = f64(xs, 20 + k), w = f64(ws, 30 + k), b = f64([ws[0]!], 40 + k);
      const y = F.conv3d(x, w, b, { stride: s, padding: p, dilation: d, groups: g });
      expect(y).toBeAllClose(conv3dReference(x, w, b, s, p, d, g), { rtol: 1e-12, atol: 1e-12 });
    });
  });

  it("keeps the size with padding 'same' (even kernels pad one more at the end) and takes unbatched input", () => {
    const x = f64([2, 5, 4, 6], 50), w = f64([3, 2, 4, 3, 2], 51);
    const y = F.conv3d(x, w, null, { padding: 'same', dilation: [1, 2, 1] });
    expect(y.shape).toEqual([3, 5, 4, 6]);
    const ref = conv3dReference(F.pad(x.unsqueeze(0), [0, 1, 2, 2, 1, 2]), w, null, [1, 1, 1], [0, 0, 0], [1, 2, 1], 1).squeeze(0);
    expect(y).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
    expect(F.conv3d(x, w, null, { padding: 'valid' }).shape).toEqual([3, 2, 2, 5]);
  });

  it('passes gradcheck in float64 for input, weight and bias', () => {
    const fn = (x: Tensor, w: Tensor, b: Tensor): Tensor => F.conv3d(x, w, b, { stride: [2, 1, 1], padding: 1, groups: 2 });
    expect(gradcheck(fn as (...t: Tensor[]) => Tensor, [f64([1, 2, 4, 3, 3], 60), f64([2, 1, 2, 2, 2], 61), f64([2], 62)]).ok).toBe(true);
  });

  it('builds weight [C_out, C_in/groups, kD, kH, kW] from U(±1/√fanIn) and runs the layer', () => {
    const conv = new Conv3d(4, 6, [2, 3, 1], { groups: 2, dtype: 'float64', generator: new Generator(0) });
    expect(conv.weight.shape).toEqual([6, 2, 2, 3, 1]);
    expect(conv.weight.abs().max().item()).toBeLessThanOrEqual(1 / Math.sqrt(12));
    expect(conv.bias!.abs().max().item()).toBeLessThanOrEqual(1 / Math.sqrt(12));
    expect(conv.call(randn([2, 4, 3, 5, 2], { dtype: 'float64' })).shape).toEqual([2, 6, 2, 3, 2]);
    expect(new Conv3d(1, 1, 3, { padding: 'same' }).call(randn([1, 1, 3, 4, 5])).shape).toEqual([1, 1, 3, 4, 5]);
  });

  it('refuses bad ranks, channels, strides with same padding and other padding modes', () => {
    expect(() => F.conv3d(randn([2, 3, 4]), randn([1, 3, 1, 1, 1]))).toThrow(ShapeError);
    expect(() => F.conv3d(randn([1, 3, 4, 4, 4]), randn([1, 2, 1, 1, 1]))).toThrow(/conv3d: input.shape=\[1,3,4,4,4\] and weight.shape=\[1,2,1,1,1\]/);
    expect(() => F.conv3d(randn([1, 1, 2, 2, 2]), randn([1, 1, 3, 1, 1]))).toThrow(ShapeError);
    expect(() => F.conv3d(randn([1, 1, 4, 4, 4]), randn([1, 1, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(ValueError);
    expect(() => new Conv3d(3, 4, 3, { groups: 2 })).toThrow(ValueError);
    expect(() => new Conv3d(3, 4, [3, 3])).toThrow(ValueError);
    // @ts-expect-error: only zeros padding
    expect(() => new Conv3d(3, 4, 3, { paddingMode: 'reflect' })).toThrow(/paddingMode/);
    // @ts-expect-error: an unknown option
    expect(() => F.conv3d(randn([1, 1, 1, 1, 1]), randn([1, 1, 1, 1, 1]), null, { strides: 1 })).toThrow(/did you mean/);
  });
});

/** 3-D pooling by its definition: max (padding -∞) or mean (zero padding counted). */
function pool3dReference(x: Tensor, k: number[], s: number[], p: number[], kind: 'max' | 'avg'): Tensor {
  const [N, C, D, H, W] = x.shape as number[] as [number, number, number, number, number];
  const o = (n: number, i: number): number => Math.floor((n + 2 * p[i]! - k[i]!) / s[i]!) + 1;
  const [Do, Ho, Wo] = [o(D, 0), o(H, 1), o(W, 2)];
  const xa = x.toArray() as number[][][][][];
  const y: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < Do; i++)
        for (let j = 0; j < Ho; j++)
          for (let l = 0; l < Wo; l++) {
            let acc = kind === 'max' ? -Infinity : 0;
            for (let a = 0; a < k[0]!; a++)
              for (let q = 0; q < k[1]!; q++)
                for (let r = 0; r < k[2]!; r++) {
                  const zi = i * s[0]! + a - p[0]!, zj = j * s[1]! + q - p[1]!, zl = l * s[2]! + r - p[2]!;
                  const v = zi < 0 || zi >= D || zj < 0 || zj >= H || zl < 0 || zl >= W ? (kind === 'max' ? -Infinity : 0) : xa[n]![c]![zi]![zj]![zl]!;
                  acc = kind === 'max' ? Math.max(acc, v) : acc + v;
                }
            y.push(kind === 'max' ? acc : acc / (k[0]! * k[1]! * k[2]!));
          }
  return tensor(y, { dtype: 'float64' }).reshape([N, C, Do, Ho, Wo]);
}

describe('MaxPool3d and AvgPool3d', () => {
  const cases: Array<[number[], number[], number[], number[]]> = [
    [[2, 2, 4, 4, 4], [2, 2, 2], [2, 2, 2], [0, 0, 0]],
    [[1, 3, 5, 6, 7], [3, 2, 3], [2, 1, 2], [1, 1, 1]],
    [[2, 1, 6, 5, 4], [2, 3, 2], [1, 2, 3], [1, 0, 1]],
  ];
  it('match the definition with kernel, stride and padding', () => {
    cases.forEach(([xs, k, s, p], c) => {
      const x = f64(xs, 70 + c);
      expect(F.maxPool3d(x, k, { stride: s, padding: p })).toBeAllClose(pool3dReference(x, k, s, p, 'max'), { rtol: 1e-12, atol: 1e-12 });
      expect(F.avgPool3d(x, k, { stride: s, padding: p })).toBeAllClose(pool3dReference(x, k, s, p, 'avg'), { rtol: 1e-12, atol: 1e-12 });
    });
  });

  it('default the stride to the kernel and take unbatched input', () => {
    expect(new MaxPool3d(2).call(randn([3, 4, 6, 8])).shape).toEqual([3, 2, 3, 4]);
    expect(new AvgPool3d([1, 2, 3], { padding: [0, 1, 1] }).call(randn([1, 2, 3, 4, 5])).shape).toEqual([1, 2, 3, 3, 2]);
  });

  it('pass gradcheck in float64', () => {
    const mx = (x: Tensor): Tensor => F.maxPool3d(x, [2, 2, 2], { stride: [1, 2, 1], padding: [1, 0, 1] });
    expect(gradcheck(mx, [f64([1, 2, 3, 4, 3], 80)]).ok).toBe(true);
    const av = (x: Tensor): Tensor => F.avgPool3d(x, [3, 2, 2], { stride: [2, 1, 2], padding: 1 });
    expect(gradcheck(av, [f64([2, 1, 4, 3, 4], 81)]).ok).toBe(true);
  });

  it('refuse bad ranks and padding over half the kernel, and take ceilMode and countIncludePad: false', () => {
    expect(() => F.maxPool3d(randn([2, 3, 4]), 2)).toThrow(ShapeError);
    expect(() => F.avgPool3d(randn([1, 1, 4, 4, 4]), 2, { padding: 2 })).toThrow(/avgPool3d: padding 2 must be at most half/);
    expect(() => new MaxPool3d(2, { padding: [0, 0, 2] })).toThrow(ValueError);
    expect(() => F.maxPool3d(randn([1, 1, 1, 4, 4]), 2)).toThrow(ShapeError);
    expect(new MaxPool3d(2, { ceilMode: true }).call(randn([1, 1, 3, 3, 3])).shape).toEqual([1, 1, 2, 2, 2]);
    expect(F.avgPool3d(ones([1, 1, 2, 2, 2]), 3, { padding: 1, countIncludePad: false }).toArray()).toEqual([[[[[1]]]]]);
    expect(() => new MaxPool3d(2, { ceilMode: 1 } as never)).toThrow(/^MaxPool3d: option ceilMode must be a boolean/);
  });
});
