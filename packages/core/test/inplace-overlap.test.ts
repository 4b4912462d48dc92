import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, arange, setBackend, type DType } from '@tapegrad/core';

// In-place ops whose operand shares memory with the tensor written compute from the operand as
// it was before the call (NumPy's semantics, and that of the `out` option), on both backends.

afterEach(() => setBackend('wasm'));

type InPlace = (t: Tensor, o: Tensor) => Tensor;
type Reference = (a: number, b: number) => number;
const OPS: Array<[string, InPlace, Reference]> = [
  ['add_', (t, o) => t.add_(o), (a, b) => a + b],
  ['add_ with alpha', (t, o) => t.add_(o, { alpha: 2 }), (a, b) => a + 2 * b],
  ['sub_', (t, o) => t.sub_(o), (a, b) => a - b],
  ['sub_ with alpha', (t, o) => t.sub_(o, { alpha: 3 }), (a, b) => a - 3 * b],
  ['mul_', (t, o) => t.mul_(o), (a, b) => a * b],
  ['div_', (t, o) => t.div_(o), (a, b) => a / b],
  ['maximum_', (t, o) => t.maximum_(o), (a, b) => Math.max(a, b)],
  ['copy_', (t, o) => t.copy_(o), (_a, b) => b],
];

/** Elements of `t` in row-major order. */
const flat = (t: Tensor) => Array.from(t.contiguous().data as ArrayLike<number>);

/** Pairs of (destination, operand) views of one storage of `n * n` elements 1..n*n. */
function viewPairs(n: number, dtype: DType): Array<[string, () => [Tensor, Tensor]]> {
  const base = () => arange(1, n * n + 1, 1, { dtype }).reshape([n, n]);
  return [
    ['shifted one row ahead', () => { const x = base(); return [x.narrow(0, 1, n - 1), x.narrow(0, 0, n - 1)]; }],
    ['shifted one row behind', () => { const x = base(); return [x.narrow(0, 0, n - 1), x.narrow(0, 1, n - 1)]; }],
    ['shifted by one element', () => { const x = base().reshape([n * n]); return [x.narrow(0, 1, n * n - 1), x.narrow(0, 0, n * n - 1)]; }],
    ['transposed', () => { const x = base(); return [x, x.T]; }],
    ['transposed, written through the transpose', () => { const x = base(); return [x.T, x]; }],
    ['identical', () => { const x = base(); return [x, x]; }],
    ['the same storage through another view object', () => { const x = base(); return [x, x.reshape([n * n]).reshape([n, n])]; }],
    ['a broadcast row of itself', () => { const x = base(); return [x, x.narrow(0, 0, 1)]; }],
  ];
}

describe.each(['js', 'wasm'])('in-place ops with an overlapping operand on the %s backend', (backend) => {
  it('x.narrow(0, 1, n-1).add_(x.narrow(0, 0, n-1)) adds the old values, not a running sum', () => {
    setBackend(backend);
    const x = arange(1, 6, 1, { dtype: 'float32' });
    x.narrow(0, 1, 4).add_(x.narrow(0, 0, 4));
    expect(x.toArray()).toEqual([1, 3, 5, 7, 9]);
  });

  it('m.copy_(m.T) transposes a 2 x 2 matrix', () => {
    setBackend(backend);
    const m = arange(1, 5, 1, { dtype: 'float32' }).reshape([2, 2]);
    m.copy_(m.T);
    expect(m.toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it('addcmul_ and addcdiv_ read overlapping operands as they were', () => {
    setBackend(backend);
    const x = arange(1, 6, 1, { dtype: 'float32' });
    x.narrow(0, 1, 4).addcmul_(x.narrow(0, 0, 4), x.narrow(0, 0, 4));
    expect(x.toArray()).toEqual([1, 3, 7, 13, 21]);
    const y = arange(1, 6, 1, { dtype: 'float64' });
    y.narrow(0, 0, 4).addcdiv_(y.narrow(0, 1, 4), y.narrow(0, 1, 4), { value: 2 });
    expect(y.toArray()).toEqual([3, 4, 5, 6, 5]);
  });

  // 4 x 4 stays on the reference kernels; 16 x 16 takes the wasm ones (float32, from 32 elements).
  for (const dtype of ['float32', 'float64'] as const)
    for (const n of [4, 16])
      it(`every in-place binary op and copy_ read the operand as it was (${dtype}, ${n} x ${n})`, () => {
        setBackend(backend);
        for (const [name, op, ref] of OPS)
          for (const [kind, make] of viewPairs(n, dtype)) {
            const [dst, src] = make();
            const a = flat(dst);
            const b = flat(src.expand(dst.shape));
            const expected = a.map((v, i) => {
              const r = ref(v, b[i]!);
              return dtype === 'float32' ? Math.fround(r) : r;
            });
            op(dst, src);
            const got = flat(dst);
            const i = got.findIndex((v, k) => !Object.is(v, expected[k]));
            expect(i === -1 ? 'same' : `element ${i}: ${got[i]} != ${expected[i]}`, `${name}, ${kind}`).toBe('same');
          }
      });
});
