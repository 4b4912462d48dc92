import { afterEach, describe, expect, it } from 'vitest';
import { DTypeError, ValueError, Tensor, abs, clamp, ones, pow, prod, setBackend, sum, tensor, zeros } from '@tapegrad/core';

// Silent wrong answers on integers and special values, following PyTorch: int32 sums and
// products are exact or throw; in-place ops refuse results their tensor's dtype cannot hold;
// clamp with a NaN bound, abs(-0) and pow's special cases as in C / PyTorch. On both backends;
// sizes 4 (reference kernels) and 64 (the wasm kernels, from 32 float32 elements).

afterEach(() => setBackend('wasm'));

const int = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe.each(['js', 'wasm'])('integer and special-value semantics on the %s backend', (backend) => {
  it('int32 sum and prod that fit int32 are exact, also when a partial sum does not', () => {
    setBackend(backend);
    expect(sum(int([2147483647, 1, -1])).item()).toBe(2147483647);
    expect(sum(int([-2147483648, -1, 1])).item()).toBe(-2147483648);
    expect(sum(int([2000000000, 2000000000, -2000000000]).reshape([3, 1]), 0).toArray()).toEqual([2000000000]);
    expect(prod(int([65536, 65536, 0])).item()).toBe(0);
    expect(prod(int([-2, 1073741824])).item()).toBe(-2147483648);
    expect(sum(int([1, 2]).reshape([1, 2]), 1).dtype).toBe('int32');
    expect(sum(tensor([1, 1, 0], { dtype: 'bool' })).item()).toBe(2);
  });

  it('int32 sum and prod that overflow int32 throw, naming the op and the value', () => {
    setBackend(backend);
    expect(() => sum(int([2000000000, 1000000000]))).toThrow(ValueError);
    expect(() => sum(int([2000000000, 1000000000]))).toThrow(
      'sum: the int32 result 3000000000 overflows int32 (input shape [2]); convert first, e.g. x.double().sum()',
    );
    expect(() => sum(int([-2147483648, -1]))).toThrow('sum: the int32 result -2147483649 overflows int32');
    expect(() => prod(int([65536, 65536]))).toThrow('prod: the int32 result 4294967296 overflows int32');
    expect(() => int([[1, 2147483647], [2, 3]]).sum(1)).toThrow(ValueError);
    // the conversion the message suggests works
    expect(int([2000000000, 1000000000]).double().sum().item()).toBe(3000000000);
  });

  it('in-place ops refuse a result their int32 or bool tensor cannot hold', () => {
    setBackend(backend);
    expect(() => int([1, 2]).add_(0.7)).toThrow(DTypeError);
    expect(() => int([1, 2]).add_(0.7)).toThrow("add_: result type float32 can't be cast to the destination's int32");
    expect(() => int([1, 2]).div_(2)).toThrow("div_: result type float32 can't be cast to the destination's int32");
    expect(() => int([1, 2]).div_(int([1, 2]))).toThrow(DTypeError);
    expect(() => int([1, 2]).sub_(tensor([0.5, 1]))).toThrow("sub_: result type float32 can't be cast");
    expect(() => int([1, 2]).mul_(tensor([1, 2], { dtype: 'float64' }))).toThrow("mul_: result type float64 can't be cast");
    expect(() => int([1, 2]).maximum_(0.5)).toThrow(DTypeError);
    expect(() => int([1, 2]).clamp_(0.5)).toThrow("clamp_: result type float32 can't be cast");
    expect(() => int([1, 4]).sqrt_()).toThrow(DTypeError);
    expect(() => int([1, 2]).addcmul_(int([1, 1]), int([1, 1]), { value: 0.5 })).toThrow(DTypeError);
    expect(() => int([1, 2]).addcdiv_(int([1, 1]), int([1, 1]))).toThrow(DTypeError);
    expect(() => int([1, 2]).add_(int([1, 1]), { alpha: 0.5 })).toThrow('add_: alpha must be an integer for int32 operands, got 0.5');
    const mask = tensor([1, 0], { dtype: 'bool' });
    expect(() => mask.add_(int([1, 1]))).toThrow("add_: result type int32 can't be cast to the destination's bool");
    expect(() => mask.add_(2)).toThrow(DTypeError);
    expect(() => mask.sub_(mask)).toThrow(DTypeError);
  });

  it('in-place ops whose result fits the tensor still work, casting int and bool into float', () => {
    setBackend(backend);
    expect(int([1, 2]).add_(3).toArray()).toEqual([4, 5]);
    expect(int([1, 2]).mul_(int([2, 3])).sub_(1, { alpha: 2 }).toArray()).toEqual([0, 4]);
    expect(int([1, 5]).clamp_(2, 4).toArray()).toEqual([2, 4]);
    expect(tensor([1, 2]).add_(int([1, 2])).toArray()).toEqual([2, 4]);
    expect(tensor([1, 2]).mul_(tensor([1, 0], { dtype: 'bool' })).toArray()).toEqual([1, 0]);
    expect(tensor([1, 2]).add_(tensor([1, 1], { dtype: 'float64' })).toArray()).toEqual([2, 3]);
    expect(int([1, 2]).add_(tensor([1, 0], { dtype: 'bool' })).toArray()).toEqual([2, 2]);
    expect(tensor([1, 0], { dtype: 'bool' }).mul_(tensor([1, 1], { dtype: 'bool' })).toArray()).toEqual([true, false]);
    // copy_ and fill_ convert, as PyTorch's do
    expect(int([0, 0]).copy_(tensor([1.7, -1.7])).toArray()).toEqual([1, -1]);
    expect(int([0, 0]).fill_(2.5).toArray()).toEqual([2, 2]);
  });

  for (const n of [4, 64]) {
    const x = () => tensor(Array.from({ length: n }, (_, i) => i - n / 2));

    it(`clamp with a NaN bound gives NaN everywhere (${n} elements)`, () => {
      setBackend(backend);
      for (const r of [clamp(x(), NaN), clamp(x(), null, NaN), clamp(x(), NaN, 1), clamp(x(), -1, NaN), x().clamp_(NaN), x().clamp_(0, NaN)])
        expect(Array.from(r.data as Float32Array).every(Number.isNaN)).toBe(true);
      expect(clamp(int([1, 2]), NaN).dtype).toBe('float32');
      const leaf = x().requiresGrad_();
      clamp(leaf, NaN).sum().backward();
      expect(Array.from(leaf.grad!.data as Float32Array).every((g) => g === 0)).toBe(true);
    });

    it(`abs(-0) is +0, also into out (${n} elements)`, () => {
      setBackend(backend);
      for (const dtype of ['float32', 'float64'] as const) {
        const z = zeros([n], { dtype }).neg();
        expect(Object.is(z.data[0], -0)).toBe(true);
        const plus = (t: Tensor) => Array.from(t.data as Float32Array).every((v) => Object.is(v, 0));
        expect(plus(abs(z)), dtype).toBe(true);
        expect(plus(z.abs()), dtype).toBe(true);
        expect(plus(abs(z, { out: ones([n], { dtype }) })), `${dtype} out`).toBe(true);
      }
      expect(abs(tensor([-1.5, NaN, -Infinity])).toArray()).toEqual([1.5, NaN, Infinity]);
    });

    it(`pow follows C's special cases: 1 ** y and x ** 0 are 1, (-1) ** ±Infinity is 1 (${n} elements)`, () => {
      setBackend(backend);
      for (const dtype of ['float32', 'float64'] as const) {
        const y = tensor(Array.from({ length: n }, (_, i) => [NaN, Infinity, -Infinity, 2.5][i % 4]!), { dtype });
        expect(Array.from(pow(1, y).data), dtype).toEqual(new Array(n).fill(1));
        expect(Array.from(pow(tensor(new Array(n).fill(1), { dtype }), y).data), dtype).toEqual(new Array(n).fill(1));
        expect(Array.from(pow(y, 0).data), dtype).toEqual(new Array(n).fill(1));
        expect(Array.from(pow(tensor(new Array(n).fill(-1), { dtype }), tensor(Array.from({ length: n }, (_, i) => (i % 2 ? -Infinity : Infinity)), { dtype })).data)).toEqual(new Array(n).fill(1));
        // other NaNs stay NaN
        expect(pow(tensor([NaN, -2], { dtype }), tensor([1, 0.5], { dtype })).toArray()).toEqual([NaN, NaN]);
      }
    });
  }
});
