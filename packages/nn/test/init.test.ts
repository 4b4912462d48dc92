import { describe, expect, it } from 'vitest';
import { Generator, zeros, tensor, manualSeed, ValueError, DTypeError, type Tensor } from '@tapegrad/core';
import { init, Parameter } from '@tapegrad/nn';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = Array.from(t.data as ArrayLike<number>);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const v = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  return { mean, std: Math.sqrt(v), min: Math.min(...d), max: Math.max(...d) };
}

describe('calculateGain', () => {
  it('gives PyTorch gains for each nonlinearity', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.sqrt(2), 15);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
  });

  it('rejects an unknown nonlinearity', () => {
    expect(() => init.calculateGain('swish' as never)).toThrow(/calculateGain: unsupported nonlinearity "swish"/);
  });
});

describe('calculateFanInAndFanOut', () => {
  it('multiplies the channel dims by the receptive field', () => {
    expect(init.calculateFanInAndFanOut(zeros([64, 32, 3, 3]))).toEqual({ fanIn: 288, fanOut: 576 });
    expect(init.calculateFanInAndFanOut([10, 784])).toEqual({ fanIn: 784, fanOut: 10 });
  });

  it('needs at least 2 dims', () => {
    expect(() => init.calculateFanInAndFanOut(zeros([5]))).toThrow(ValueError);
    expect(() => init.kaimingUniform_(zeros([5]))).toThrow(/fan in and fan out need a tensor of at least 2 dims, got shape \[5\]/);
  });
});

describe('uniform_ and normal_', () => {
  it('fill in place with the requested distribution', () => {
    const t = zeros([100, 100]);
    expect(init.uniform_(t, -2, 3, { generator: new Generator(1) })).toBe(t);
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.std).toBeCloseTo(5 / Math.sqrt(12), 1);
    init.normal_(t, 1, 0.5, { generator: new Generator(2) });
    const n = stats(t);
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
  });

  it('are reproducible with a seed, from the default or a given generator', () => {
    manualSeed(7);
    const a = init.normal_(zeros([5])).toArray();
    manualSeed(7);
    const b = init.normal_(zeros([5])).toArray();
    expect(a).toEqual(b);
    const c = init.uniform_(zeros([5]), 0, 1, { generator: new Generator(3) }).toArray();
    const d = init.uniform_(zeros([5]), 0, 1, { generator: new Generator(3) }).toArray();
    expect(c).toEqual(d);
    expect(c).not.toEqual(a);
  });

  it('work on a parameter that requires grad without recording', () => {
    const p = new Parameter(zeros([3, 3]));
    init.uniform_(p);
    expect(p.isLeaf).toBe(true);
    expect(p.grad).toBeNull();
  });

  it('reject bad arguments and non-float tensors', () => {
    expect(() => init.uniform_(zeros([2]), 1, 0)).toThrow(/uniform_: expected a <= b, got a=1, b=0/);
    expect(() => init.normal_(zeros([2]), 0, -1)).toThrow(/normal_: expected std >= 0/);
    expect(() => init.uniform_(zeros([2], { dtype: 'int32' }))).toThrow(DTypeError);
  });

  it('truncNormal_ keeps every value inside [a, b]', () => {
    const t = init.truncNormal_(zeros([2000]), 0, 1, -0.5, 0.5, { generator: new Generator(4) });
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-0.5);
    expect(s.max).toBeLessThanOrEqual(0.5);
  });
});

describe('constant_, zeros_, ones_, eye_', () => {
  it('fill with fixed values', () => {
    expect(init.constant_(zeros([2, 2]), 0.25).toArray()).toEqual([[0.25, 0.25], [0.25, 0.25]]);
    expect(init.ones_(zeros([3])).toArray()).toEqual([1, 1, 1]);
    expect(init.zeros_(tensor([1, 2])).toArray()).toEqual([0, 0]);
    expect(init.eye_(zeros([2, 3])).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
});

describe('xavier and kaiming', () => {
  it('xavierUniform_ draws from U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut))', () => {
    const t = init.xavierUniform_(zeros([200, 300]), { gain: 2, generator: new Generator(5) });
    const a = 2 * Math.sqrt(6 / 500);
    const s = stats(t);
    expect(s.max).toBeLessThanOrEqual(a);
    expect(s.min).toBeGreaterThanOrEqual(-a);
    expect(s.max).toBeGreaterThan(0.99 * a);
    expect(s.std).toBeCloseTo(a / Math.sqrt(3), 2);
  });

  it('xavierNormal_ has std = gain * sqrt(2 / (fanIn + fanOut))', () => {
    const s = stats(init.xavierNormal_(zeros([200, 300]), { generator: new Generator(6) }));
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 500), 3);
  });

  it('kaimingUniform_ bounds by gain * sqrt(3 / fan) with fanIn or fanOut', () => {
    const t = zeros([100, 50, 2, 2]); // fanIn 200, fanOut 400
    const inBound = Math.sqrt(2) * Math.sqrt(3 / 200);
    let s = stats(init.kaimingUniform_(t, { nonlinearity: 'relu', generator: new Generator(7) }));
    expect(s.max).toBeLessThanOrEqual(inBound);
    expect(s.max).toBeGreaterThan(0.99 * inBound);
    const outBound = Math.sqrt(2) * Math.sqrt(3 / 400);
    s = stats(init.kaimingUniform_(t, { mode: 'fanOut', nonlinearity: 'relu', generator: new Generator(7) }));
    expect(s.max).toBeLessThanOrEqual(outBound);
    expect(s.max).toBeGreaterThan(0.99 * outBound);
  });

  it('kaimingUniform_ with a = sqrt(5) gives U(-1/sqrt(fanIn), 1/sqrt(fanIn)) as Linear uses', () => {
    const s = stats(init.kaimingUniform_(zeros([100, 400]), { a: Math.sqrt(5), generator: new Generator(8) }));
    expect(s.max).toBeLessThanOrEqual(1 / 20);
    expect(s.max).toBeGreaterThan(0.99 / 20);
    expect(s.min).toBeGreaterThanOrEqual(-1 / 20);
  });

  it('kaimingNormal_ has std = gain / sqrt(fan)', () => {
    const s = stats(init.kaimingNormal_(zeros([300, 100]), { nonlinearity: 'tanh', generator: new Generator(9) }));
    expect(s.std).toBeCloseTo(5 / 3 / 10, 2);
    expect(() => init.kaimingNormal_(zeros([3, 3]), { mode: 'fan_in' as never })).toThrow(
      /kaimingNormal_: option mode must be 'fanIn' or 'fanOut', got 'fan_in' \(a string\)/,
    );
  });

  it('leave a tensor without elements as it is, as PyTorch does', () => {
    for (const shape of [[5, 0], [0, 5], [4, 0, 3, 3]]) {
      expect(init.kaimingUniform_(zeros(shape)).shape).toEqual(shape);
      expect(init.kaimingNormal_(zeros(shape), { mode: 'fanOut' }).shape).toEqual(shape);
    }
  });
});
