import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, gradcheck, randn, type Tensor } from '@tapegrad/core';
import { Bilinear, F } from '@tapegrad/nn';
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
