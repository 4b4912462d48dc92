import { describe, expect, it } from 'vitest';
import { zeros, ones, tensor, rand, full, reshape, unsqueeze, expand, stack, oneHot, MAX_DIMS, Tensor } from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';


const ones64 = (): number[] => new Array<number>(64).fill(1);
const ones65 = (): number[] => new Array<number>(65).fill(1);

/** A nested array of `depth` levels around a single 0. */
function nested(depth: number): unknown {
  let a: unknown = 0;
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}

describe('the rank limit of 64 dims', () => {
  it('is 64, as in PyTorch, and a tensor of 64 dims works', () => {
    expect(MAX_DIMS).toBe(64);
    const x = zeros(ones64());
    expect(x.ndim).toBe(64);
    expect(x.add(1).sum().item()).toBe(1);
    expect(tensor(nested(64) as never).ndim).toBe(64);
    expect(reshape(ones([2]), [2, ...new Array<number>(63).fill(1)]).ndim).toBe(64);
  });

  it('refuses 65 dims in the creation functions, naming the function and abbreviating the shape', () => {
    expect(messageOf(() => zeros(ones65()))).toBe(
      'zeros: 65 dims is more than the 64 a tensor can have (shape [1,1,1,1,1,1,1,1,...] (65 sizes))',
    );
    expect(messageOf(() => zeros(new Array<number>(1000).fill(1)))).toMatch(/^zeros: 1000 dims is more than the 64 a tensor can have/);
    expect(messageOf(() => rand(...ones65()))).toMatch(/^rand: 65 dims/);
    expect(messageOf(() => full(ones65(), 2))).toMatch(/^full: 65 dims/);
    expect(messageOf(() => tensor(nested(65) as never))).toMatch(/^tensor: 65 dims is more than the 64/);
    expect(messageOf(() => tensor(new Float32Array(1), { shape: ones65() }))).toMatch(/^tensor: 65 dims/);
  });

  it('refuses a 65th dim from reshape, unsqueeze, expand, stack and oneHot', () => {
    const x = zeros(ones64());
    expect(messageOf(() => reshape(ones([1]), ones65()))).toMatch(/^reshape: 65 dims is more than the 64/);
    expect(messageOf(() => x.view(ones65()))).toMatch(/^view: 65 dims/);
    expect(messageOf(() => unsqueeze(x, 0))).toMatch(/^unsqueeze: 65 dims is more than the 64/);
    expect(messageOf(() => expand(ones([1]), ones65()))).toMatch(/^expand: 65 dims/);
    expect(messageOf(() => stack([x, x]))).toMatch(/^stack: 65 dims/);
    expect(messageOf(() => oneHot(zeros(ones64(), { dtype: 'int32' }), 2))).toMatch(/^oneHot: 65 dims/);
    expect(unsqueeze(zeros(new Array<number>(63).fill(1)), 0).ndim).toBe(64);
  });

  it('refuses 65 dims in Tensor.fromData, which wraps kernel and user arrays', () => {
    expect(messageOf(() => Tensor.fromData(new Float32Array(1), ones65(), 'float32'))).toMatch(/^Tensor\.fromData: 65 dims/);
    expect(Tensor.fromData(new Float32Array(1), ones64(), 'float32').ndim).toBe(64);
  });
});
