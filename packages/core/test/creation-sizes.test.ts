import { describe, expect, it } from 'vitest';
import { zeros, ones, full, rand, randn, randint, randperm, arange, linspace, eye } from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';


const TOO_BIG = 'more than one JavaScript typed array can hold (4294967295 elements)';

describe('sizes no typed array can hold', () => {
  it('are refused before allocating, naming the function, the shape, the elements and the bytes', () => {
    expect(messageOf(() => zeros([2 ** 32]))).toBe(`zeros: shape [4294967296] needs 17.18 GB of float32, ${TOO_BIG}`);
    expect(messageOf(() => ones([1e6, 1e6], { dtype: 'float64' }))).toBe(
      `ones: shape [1000000,1000000] (1000000000000 elements) needs 8.00 TB of float64, ${TOO_BIG}`,
    );
    expect(messageOf(() => full([2 ** 40], 1, { dtype: 'bool' }))).toMatch(/^full: shape \[1099511627776\] needs 1.10 TB of bool, more than/);
    expect(messageOf(() => randn(1e5, 1e5))).toMatch(/^randn: shape \[100000,100000\] \(10000000000 elements\) needs 40.00 GB of float32/);
    expect(messageOf(() => rand([Number.MAX_SAFE_INTEGER]))).toMatch(/^rand: shape \[9007199254740991\] needs 3.60e\+16 bytes of float32/);
    expect(messageOf(() => randint(0, 2, [2 ** 33]))).toMatch(/^randint: shape \[8589934592\] needs 34.36 GB of int32/);
    expect(messageOf(() => randperm(2 ** 33))).toMatch(/^randperm: shape \[8589934592\] needs 34.36 GB of int32/);
    expect(messageOf(() => eye(2 ** 20, 2 ** 20))).toMatch(/^eye: shape \[1048576,1048576\] \(1099511627776 elements\) needs 4.40 TB/);
    expect(messageOf(() => linspace(0, 1, 2 ** 33))).toMatch(/^linspace: shape \[8589934592\] needs/);
  });

  it('in arange: a range of 1e12 values is a size error, not a RangeError', () => {
    expect(messageOf(() => arange(0, 1e12))).toBe(`arange: shape [1000000000000] needs 4.00 TB of int32, ${TOO_BIG}`);
    expect(messageOf(() => arange(0, 1, 1e-12))).toMatch(/^arange: shape \[1000000000000\] needs 4.00 TB of float32/);
  });
});

describe('bounds and sizes that are not numbers', () => {
  it('arange refuses NaN and infinite bounds and steps, and a zero step', () => {
    expect(messageOf(() => arange(0, NaN))).toBe('arange: end must be a finite number, got NaN (a number)');
    expect(messageOf(() => arange(Infinity))).toBe('arange: end must be a finite number, got Infinity (a number)');
    expect(messageOf(() => arange(-Infinity, 0))).toBe('arange: start must be a finite number, got -Infinity (a number)');
    expect(messageOf(() => arange(0, 1, NaN))).toBe('arange: step must be a finite number, got NaN (a number)');
    expect(messageOf(() => arange(0, 1, 0))).toBe('arange: step must be non-zero');
    expect(messageOf(() => arange('5' as never))).toBe("arange: end must be a finite number, got '5' (a string)");
  });

  it('arange takes the options object after any of its numbers', () => {
    expect(arange(3, { dtype: 'float64' }).toArray()).toEqual([0, 1, 2]);
    expect(arange(3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(arange(1, 3, { dtype: 'int32' }).toArray()).toEqual([1, 2]);
    expect(arange(0, 6, 2, { dtype: 'float32' }).toArray()).toEqual([0, 2, 4]);
    expect(arange(4, undefined, 2).toArray()).toEqual([0, 2]);
    expect(messageOf(() => (arange as (...a: unknown[]) => unknown)(3, { dtype: 'float64' }, {}))).toBe('arange: expected (start, end, step, options), got 3 arguments');
  });

  it('linspace refuses NaN and infinite bounds and a fractional step count', () => {
    expect(messageOf(() => linspace(NaN, 1, 3))).toBe('linspace: start must be a finite number, got NaN (a number)');
    expect(messageOf(() => linspace(0, Infinity, 3))).toBe('linspace: end must be a finite number, got Infinity (a number)');
    expect(messageOf(() => linspace(0, 1, 2.5))).toBe('linspace: steps must be a non-negative integer, got 2.5 (a number)');
  });

  it('eye takes its options second and refuses fractional or negative sizes', () => {
    expect(eye(2, { dtype: 'int32' }).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).shape).toEqual([2, 3]);
    expect(messageOf(() => eye(2.5))).toBe('eye: invalid shape [2.5,2.5]: sizes must be non-negative integers');
    expect(messageOf(() => zeros([NaN]))).toBe('zeros: invalid shape [NaN]: sizes must be non-negative integers');
  });
});
