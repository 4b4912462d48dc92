import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, full, zerosLike, fullLike, arange, linspace, eye, rand, randn, randint, randperm,
  toDType, parseDType, float32, float64, int32, bool, type DType, type DTypeLike,
} from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';


const KNOWN = 'tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)';

describe('parseDType', () => {
  it('returns each of the four dtypes as itself', () => {
    for (const d of ['float32', 'float64', 'int32', 'bool'] as const) expect(parseDType('zeros', d)).toBe(d);
  });

  it("resolves PyTorch's aliases: float, double, int, int64 and long", () => {
    const cases: Array<[DTypeLike, DType]> = [
      ['float', 'float32'], ['double', 'float64'], ['int', 'int32'], ['int64', 'int32'], ['long', 'int32'],
    ];
    for (const [alias, d] of cases) expect(parseDType('zeros', alias)).toBe(d);
  });

  it('refuses an unknown dtype, naming the function, the value and the dtypes there are', () => {
    expect(messageOf(() => parseDType('zeros', 'float16'))).toBe(`zeros: unknown dtype 'float16'; ${KNOWN}`);
    expect(messageOf(() => parseDType('zeros', 'constructor'))).toBe(`zeros: unknown dtype 'constructor'; ${KNOWN}`);
    expect(messageOf(() => parseDType('zeros', 3))).toBe(`zeros: a dtype is a string, got 3 (a number); ${KNOWN}`);
    expect(messageOf(() => parseDType('zeros', null))).toBe(`zeros: a dtype is a string, got null; ${KNOWN}`);
  });
});

describe('dtype constants', () => {
  it('name the four dtypes and work as dtype arguments', () => {
    expect([float32, float64, int32, bool]).toEqual(['float32', 'float64', 'int32', 'bool']);
    const d: DType = float64; // typed as the literal dtype
    expect(zeros([2], { dtype: d }).dtype).toBe('float64');
    expect(tensor([1, 0], { dtype: bool }).toArray()).toEqual([true, false]);
  });
});

describe('dtype arguments of the creation functions', () => {
  it('accept int64 and long as int32 (the crash "Cannot set properties of undefined" is gone)', () => {
    expect(zeros([2], { dtype: 'int64' }).dtype).toBe('int32');
    expect(ones([2], { dtype: 'long' }).toArray()).toEqual([1, 1]);
    expect(tensor([1, 2], { dtype: 'int64' }).dtype).toBe('int32');
    expect(full([1], 3, { dtype: 'long' }).dtype).toBe('int32');
    expect(arange(3, undefined, 1, { dtype: 'int64' }).dtype).toBe('int32');
    expect(randint(0, 5, [3], { dtype: 'long' }).dtype).toBe('int32');
    expect(randperm(3, { dtype: 'int64' }).dtype).toBe('int32');
    expect(eye(2, 2, { dtype: 'int' }).dtype).toBe('int32');
  });

  it('accept float and double', () => {
    expect(zeros([1], { dtype: 'float' }).dtype).toBe('float32');
    expect(randn([2], { dtype: 'double' }).dtype).toBe('float64');
    expect(rand([2], { dtype: 'float' }).dtype).toBe('float32');
    expect(linspace(0, 1, 3, { dtype: 'double' }).dtype).toBe('float64');
  });

  it('treat { dtype: undefined } as the default, and the *Like functions keep the input dtype then', () => {
    expect(zeros([1], { dtype: undefined }).dtype).toBe('float32');
    expect(tensor([true], { dtype: undefined }).dtype).toBe('bool');
    const labels = tensor([1, 2], { dtype: 'int32' });
    expect(zerosLike(labels, { dtype: undefined }).dtype).toBe('int32');
    expect(fullLike(labels, 4, { dtype: 'double' }).dtype).toBe('float64');
  });

  it('refuse an unknown dtype with the function name', () => {
    expect(messageOf(() => zeros([2], { dtype: 'float16' as never }))).toBe(`zeros: unknown dtype 'float16'; ${KNOWN}`);
    expect(messageOf(() => tensor([1], { dtype: 'uint8' as never }))).toBe(`tensor: unknown dtype 'uint8'; ${KNOWN}`);
    expect(messageOf(() => eye(2, 2, { dtype: 'half' as never }))).toMatch(/^eye: unknown dtype 'half'/);
    expect(messageOf(() => zerosLike(zeros([1]), { dtype: 'f32' as never }))).toMatch(/^zerosLike: unknown dtype 'f32'/);
    expect(messageOf(() => randn([2], { dtype: 'bfloat16' as never }))).toMatch(/^randn: unknown dtype 'bfloat16'/);
    expect(messageOf(() => randperm(2, { dtype: 'uint8' as never }))).toMatch(/^randperm: unknown dtype 'uint8'/);
  });

  it('refuse int64 values outside int32 rather than wrapping them', () => {
    expect(messageOf(() => tensor([1, 3e9], { dtype: 'int64' }))).toBe(
      'tensor: value 3000000000 (at flat index 1) does not fit in int32 (int64/long are stored as int32)',
    );
    expect(messageOf(() => tensor([-(2 ** 31) - 1], { dtype: 'int32' }))).toMatch(/value -2147483649 \(at flat index 0\) does not fit/);
    expect(messageOf(() => full([2], 2 ** 31, { dtype: 'long' }))).toMatch(/^full: value 2147483648 does not fit in int32/);
    expect(messageOf(() => arange(2 ** 31 - 1, 2 ** 31 + 1))).toMatch(/^arange: value 2147483648 does not fit in int32/);
    expect(messageOf(() => randint(0, 2 ** 40, [1]))).toMatch(/^randint: value \d+ does not fit in int32/);
    expect(tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int64' }).toArray()).toEqual([2147483647, -2147483648]);
  });
});

describe('toDType', () => {
  it("accepts PyTorch's aliases and refuses unknown dtypes", () => {
    expect(toDType(tensor([1.5]), 'long').toArray()).toEqual([1]);
    // Tensor.to takes a DTypeLike: these type-check without a cast.
    expect(tensor([1]).to('double').dtype).toBe('float64');
    expect(tensor([1.7]).to('long').toArray()).toEqual([1]);
    expect(messageOf(() => toDType(tensor([1]), 'float16' as never))).toBe(`to: unknown dtype 'float16'; ${KNOWN}`);
    expect(messageOf(() => tensor([1]).to('int8' as never))).toMatch(/^to: unknown dtype 'int8'/);
  });
});
