import { describe, expect, it } from 'vitest';
import { zeros, ones, rand, randn, full, randint, Generator } from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';


describe('shapes given as numbers', () => {
  it('zeros and ones take the sizes as numbers, as an array, and either with options', () => {
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(ones(4).toArray()).toEqual([1, 1, 1, 1]);
    const z = zeros(2, 3, { dtype: 'float64' });
    expect([z.shape, z.dtype]).toEqual([[2, 3], 'float64']);
    const o = ones([2], { dtype: 'int32' });
    expect([o.shape, o.dtype]).toEqual([[2], 'int32']);
    expect(ones(1, 2, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(zeros(2, 3, undefined).shape).toEqual([2, 3]);
  });

  it('rand and randn take the sizes as numbers too, with the same draws as the array form', () => {
    expect(rand(2, 3).shape).toEqual([2, 3]);
    expect(randn(5).shape).toEqual([5]);
    const a = randn(2, 2, { generator: new Generator(3), dtype: 'float64' });
    const b = randn([2, 2], { generator: new Generator(3), dtype: 'float64' });
    expect(a.toArray()).toEqual(b.toArray());
    expect(rand(3, { generator: new Generator(1) }).toArray()).toEqual(rand([3], { generator: new Generator(1) }).toArray());
  });

  it('refuse a missing shape, a non-number among the sizes and a second shape array', () => {
    expect(messageOf(() => (zeros as () => unknown)())).toBe('zeros: expected a shape, such as zeros([2, 3]) or zeros(2, 3)');
    expect(messageOf(() => ones(2, '3' as never, 4))).toBe("ones: expected sizes as numbers or one shape array, got '3' (a string) as argument 2");
    expect(messageOf(() => randn({ dtype: 'float64' } as never))).toBe(
      'randn: expected a shape, such as randn([2, 3]) or randn(2, 3), got an object',
    );
    expect(messageOf(() => (zeros as (...a: unknown[]) => unknown)([2], [3], {}))).toMatch(/^zeros: expected \(shape, options\), got 3 arguments/);
    expect(messageOf(() => zeros(2, 3, true as never))).toMatch(/^zeros: expected an options object .* got true \(a boolean\)/);
    expect(messageOf(() => rand(2, -1))).toBe('rand: invalid shape [2,-1]: sizes must be non-negative integers');
  });

  it('full keeps the array form and refuses a number as its shape', () => {
    expect(full([2, 3], 1.5).shape).toEqual([2, 3]);
    expect(messageOf(() => full(2 as never, 3))).toBe(
      'full: shape must be an array such as [2, 3] (full([2, 3], value)), got 2 (a number)',
    );
  });

  it("randint keeps PyTorch's order (low, high, shape), takes randint(high, shape), and refuses a number as its shape", () => {
    const g = () => new Generator(9);
    const t = randint(2, 5, [100], { generator: g() });
    expect(t.shape).toEqual([100]);
    expect((t.toArray() as number[]).every((v) => v >= 2 && v < 5)).toBe(true);
    const u = randint(3, [2, 50], { generator: g() });
    expect(u.shape).toEqual([2, 50]);
    expect((u.toArray() as number[][]).flat().every((v) => v >= 0 && v < 3)).toBe(true);
    expect(randint(0, 3, [2, 50], { generator: g() }).toArray()).toEqual(u.toArray());
    expect(messageOf(() => randint(0, 10, 5 as never))).toBe(
      'randint: shape must be an array such as [5] (randint(low, high, [5])), got 5 (a number)',
    );
    expect(messageOf(() => randint(0.5, 3, [2]))).toBe('randint: low and high must be integers, got low=0.5 (a number), high=3 (a number)');
  });
});
