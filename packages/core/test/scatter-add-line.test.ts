import { afterEach, describe, expect, it } from 'vitest';
import { tensor, scatterAdd, setBackend, getBackend, type DType } from '@tapegrad/core';

// The reference kernel's one-line scatterAdd (1-D x, index and src) runs as a plain loop: it must
// add in index order exactly as the general walk does, for strided index and src views too.

const initial = getBackend();
afterEach(() => setBackend(initial));

describe('scatterAdd of one line on the reference kernels', () => {
  for (const dtype of ['float32', 'float64'] as DType[])
    it(`adds ${dtype} values in order into their targets, from strided index and src views`, () => {
      setBackend('js');
      const n = 40;
      const idx = Array.from({ length: 2 * n }, (_, i) => (i * 7) % 5);
      const vals = Array.from({ length: 2 * n }, (_, i) => Math.fround(0.1 * i - 1.3) * (i % 3 === 0 ? 1e6 : 1));
      const index = tensor(idx, { dtype: 'int32' }).reshape([n, 2]).select(1, 0); // stride 2
      const src = tensor(vals, { dtype }).flip(0).reshape([n, 2]).select(1, 1); // stride -2 view, then 2
      const x = tensor([1, 2, 3, 4, 5], { dtype });
      const xs = Array.from(x.data as ArrayLike<number>);
      const srcs = Array.from(src.contiguous().data as ArrayLike<number>);
      const round = dtype === 'float32' ? Math.fround : (v: number) => v;
      for (let i = 0; i < n; i++) xs[idx[2 * i]!] = round(xs[idx[2 * i]!]! + srcs[i]!);
      expect(Array.from(scatterAdd(x, 0, index, src).data as ArrayLike<number>)).toEqual(xs);
    });
});
