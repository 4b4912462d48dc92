import { describe, expect, it } from 'vitest';
import {
  tensor, ones, zeros, sum, mean, variance, std, checkOptions, defineOptions, unsupported,
} from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';

const SPEC = defineOptions('demo', {
  keepdim: 'boolean',
  dim: 'integer|integer[]|null',
  reduction: "'mean'|'sum'|'none'",
  weight: 'tensor|null',
  ceilMode: unsupported('ceilMode is not supported', false),
});


describe('checkOptions', () => {
  it('returns the options it was given, and an empty object for undefined', () => {
    const opts = { keepdim: true, dim: [0, 1], reduction: 'sum' as const, weight: ones([2]) };
    expect(checkOptions(SPEC, opts)).toBe(opts);
    expect(checkOptions(SPEC, undefined)).toEqual({});
  });

  it('treats an option set to undefined as not given, as PyTorch treats None', () => {
    expect(checkOptions(SPEC, { keepdim: undefined })).toEqual({ keepdim: undefined });
  });

  it('refuses a positional boolean, number, array or tensor where the options object belongs', () => {
    expect(messageOf(() => checkOptions(SPEC, true as never))).toBe(
      'demo: expected an options object such as { keepdim: ... }, got true (a boolean); demo takes keepdim, dim, reduction, weight, ceilMode',
    );
    expect(messageOf(() => checkOptions(SPEC, 0.1 as never))).toMatch(/^demo: expected an options object .* got 0.1 \(a number\)/);
    expect(messageOf(() => checkOptions(SPEC, [1] as never))).toMatch(/got an array \[1\]/);
    expect(messageOf(() => checkOptions(SPEC, ones([1]) as never))).toMatch(/got a Tensor/);
    expect(messageOf(() => checkOptions(SPEC, null as never))).toMatch(/got null/);
  });

  it('refuses an unknown key, suggesting the close spelling', () => {
    expect(messageOf(() => checkOptions(SPEC, { keepDim: true } as never))).toBe(
      "demo: unknown option 'keepDim' (did you mean 'keepdim'?); demo takes keepdim, dim, reduction, weight, ceilMode",
    );
    expect(messageOf(() => checkOptions(SPEC, { keep_dim: true } as never))).toMatch(/did you mean 'keepdim'/);
    expect(messageOf(() => checkOptions(SPEC, { frobnicate: 1 } as never))).not.toMatch(/did you mean/);
  });

  it('refuses a value of the wrong type, naming the option and the value', () => {
    expect(messageOf(() => checkOptions(SPEC, { keepdim: 'false' } as never))).toBe(
      "demo: option keepdim must be a boolean, got 'false' (a string)",
    );
    expect(messageOf(() => checkOptions(SPEC, { dim: 1.5 }))).toBe(
      'demo: option dim must be an integer, an array of integers or null, got 1.5 (a number)',
    );
    expect(messageOf(() => checkOptions(SPEC, { reduction: 'avg' } as never))).toMatch(/must be 'mean', 'sum' or 'none'/);
    expect(messageOf(() => checkOptions(SPEC, { weight: [1, 2] } as never))).toMatch(/must be a tensor or null/);
  });

  it('refuses an unsupported option with its reason, but lets its default through', () => {
    expect(messageOf(() => checkOptions(SPEC, { ceilMode: true }))).toBe('demo: ceilMode is not supported');
    expect(checkOptions(SPEC, { ceilMode: false })).toEqual({ ceilMode: false });
  });

  it('accepts objects without a prototype and refuses class instances', () => {
    const bare = Object.assign(Object.create(null) as object, { keepdim: true });
    expect(checkOptions(SPEC, bare)).toBe(bare);
    expect(messageOf(() => checkOptions(SPEC, new Date() as never))).toMatch(/got a Date/);
  });

  it('refuses a type name it does not know when the spec is defined', () => {
    expect(() => defineOptions('demo', { x: 'float' })).toThrow(/unknown type 'float'/);
  });
});

describe('reduction options', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it("refuses PyTorch's positional keepdim with a message showing the options object", () => {
    expect(messageOf(() => x.mean(1, true as never))).toMatch(/^mean: expected an options object such as \{ keepdim: \.\.\. \}, got true/);
    expect(messageOf(() => sum(x, 1, true as never))).toMatch(/^sum: expected an options object/);
    expect(messageOf(() => x.std(1, false as never))).toMatch(/^std: expected an options object/);
  });

  it('refuses a misspelt or mistyped keepdim instead of ignoring it', () => {
    expect(messageOf(() => x.sum(1, { keepDim: true } as never))).toMatch(/did you mean 'keepdim'/);
    expect(messageOf(() => x.mean(1, { keepdim: 'false' } as never))).toMatch(/keepdim must be a boolean/);
  });

  it('refuses unbiased on var and std, naming the correction it stands for', () => {
    expect(messageOf(() => variance(x, 1, { unbiased: false } as never))).toBe(
      'var: unbiased is the old spelling of correction: { unbiased: false } is { correction: 0 }',
    );
    expect(messageOf(() => std(x, 1, { unbiased: true } as never))).toMatch(/^std: unbiased is the old spelling/);
  });

  it('reduces every dim over dim: [], as PyTorch does', () => {
    expect(sum(x, []).item()).toBe(21);
    expect(mean(x, [], { keepdim: true }).shape).toEqual([1, 1]);
    expect(variance(x, [], { correction: 0 }).item()).toBeCloseTo(35 / 12, 5);
    expect(x.amax([]).item()).toBe(6);
    expect(zeros([0, 3]).sum([]).item()).toBe(0);
  });
});

describe('reduction dims', () => {
  it('refuses an options object in the dim position, saying where options go', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(messageOf(() => x.sum({ keepdim: true } as never))).toBe(
      'sum: dim must be an integer or an array of integers, got an object; options go after the dim: sum(x, undefined, { ... }) or x.sum(undefined, { ... })',
    );
    expect(messageOf(() => mean(x, 'all' as never))).toBe("mean: dim must be an integer or an array of integers, got 'all' (a string)");
  });
});

describe('in-place options', () => {
  it('checks the options of add_, sub_, addcmul_ and addcdiv_', () => {
    const x = tensor([1, 2]);
    expect(messageOf(() => x.add_(1, 2 as never))).toMatch(/^add_: expected an options object such as \{ alpha: \.\.\. \}, got 2/);
    expect(messageOf(() => x.sub_(1, { alpah: 2 } as never))).toMatch(/^sub_: unknown option 'alpah' \(did you mean 'alpha'\?\)/);
    expect(messageOf(() => x.addcmul_(x, x, { value: '2' } as never))).toMatch(/^addcmul_: option value must be a number/);
    expect(x.add_(tensor([1, 1]), { alpha: 2 }).toArray()).toEqual([3, 4]);
  });
});
