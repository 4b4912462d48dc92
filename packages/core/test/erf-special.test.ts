import { afterEach, describe, expect, it } from 'vitest';
import { erf, gelu, setBackend, tensor, type DType } from '@tapegrad/core';

// erf at the special values, as PyTorch: erf(NaN) = NaN, erf(±inf) = ±1, erf(±0) = ±0. NaN
// fails every comparison, so a branch on |x| alone sent it to the "large |x|" answer 1.

afterEach(() => setBackend('wasm'));

const specials = [NaN, Infinity, -Infinity, 0, -0];
const expected = [NaN, 1, -1, 0, -0];

describe.each(['wasm', 'js'])('erf on the %s backend', (backend) => {
  it.each(['float32', 'float64'] as DType[])('gives NaN for NaN, ±1 for ±inf and ±0 for ±0 in %s, alone and among many elements', (dtype) => {
    setBackend(backend);
    expect(Array.from(erf(tensor(specials, { dtype })).data)).toEqual(expected);
    // 5000 strided elements take the general loop rather than the small-tensor one
    const many = tensor(Array.from({ length: 10000 }, (_, i) => specials[i % 5]!), { dtype }).reshape([2000, 5]).T.narrow(1, 0, 1000);
    const got = erf(many).contiguous().data;
    for (let k = 0; k < 5; k++) expect(Object.is(got[k * 1000], expected[k]), `erf(${specials[k]})`).toBe(true);
  });

  it('gives NaN for gelu(NaN)', () => {
    setBackend(backend);
    expect(Array.from(gelu(tensor([NaN, Infinity, 0], { dtype: 'float64' })).data)).toEqual([NaN, Infinity, 0]);
  });
});
