import { describe, expect, it } from 'vitest';
import {
  tensor, randn, zeros, arange, gradcheck, gradgradcheck, grad, noGrad, Generator,
  ShapeError, ValueError, reshape, view, permute, transpose, expand, squeeze, unsqueeze, flatten,
  narrow, select, slice, cat, stack, split, chunk,
} from '@tapegrad/core';
import { at, build, values } from './nested.js';

const f64 = (shape: number[], seed = 1) =>
  randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });


describe('reshape', () => {
  it('views a contiguous tensor in a new shape, keeping the row-major order', () => {
    const x = arange(12).to('float32');
    const y = reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 4]);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([3, 4], ([i, j]) => i! * 4 + j!));
    noGrad(() => y.slice(1).fill_(-1));
    expect(x).toBeAllClose([0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11]);
  });

  it('copies a transposed tensor when the dims to merge are not contiguous', () => {
    const x = randn([3, 4], { generator: new Generator(2) });
    const xv = values(x);
    const y = x.T.reshape(-1);
    expect(y.storage).not.toBe(x.storage);
    // Row-major order of x.T: column by column of x.
    expect(y).toBeAllClose(build([12], ([k]) => at(xv, [k! % 3, Math.floor(k! / 3)])));
  });

  it('views a transposed tensor when it only splits a dim or adds size-1 dims', () => {
    const x = randn([4, 6], { generator: new Generator(3) });
    const xv = values(x);
    const y = x.T.reshape([2, 3, 4]); // splits the stride-1 dim of size 6
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([2, 3, 4], ([a, b, c]) => at(xv, [c!, a! * 3 + b!])));
    const z = x.T.reshape([6, 1, 4, 1]);
    expect(z.storage).toBe(x.storage);
    expect(z.squeeze()).toBeAllClose(build([6, 4], ([i, j]) => at(xv, [j!, i!])));
  });

  it('views an expanded tensor when stride-0 dims are only split, copies when they are merged', () => {
    const x = tensor([[1], [2], [3]]);
    const e = x.expand(3, 4);
    const split = e.reshape([3, 2, 2]);
    expect(split.storage).toBe(x.storage);
    expect(split).toBeAllClose(build([3, 2, 2], ([i]) => i! + 1));
    const merged = e.reshape([12]);
    expect(merged.storage).not.toBe(x.storage);
    expect(merged).toBeAllClose(build([12], ([k]) => Math.floor(k! / 4) + 1));
    expect(() => e.view(12)).toThrow(/view: cannot view shape \[3,4\] \(strides \[1,0\]\) as \[12\]/);
  });

  it('keeps the offset of a narrowed tensor when viewing it', () => {
    const x = arange(12).to('float32').reshape(3, 4);
    const y = x.narrow(0, 1, 2).reshape(8);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(x.narrow(1, 1, 2).reshape(6)).toBeAllClose([1, 2, 5, 6, 9, 10]);
  });

  it('infers one -1 and rejects sizes that do not match, naming the shapes', () => {
    const x = zeros([2, 3]);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(x, [1, -1, 2]).shape).toEqual([1, 3, 2]);
    expect(() => reshape(x, [4, 4])).toThrow(ShapeError);
    expect(() => reshape(x, [4, 4])).toThrow(/reshape: shape \[4,4\] is invalid for input of size 6 \(shape \[2,3\]\)/);
    expect(() => reshape(x, [4, -1])).toThrow(/reshape: shape \[4,-1\] is invalid/);
    expect(() => reshape(x, [-1, -1])).toThrow(ValueError);
  });

  it('passes gradcheck on contiguous and non-contiguous inputs, with size-1 dims', () => {
    gradcheck((a) => a.reshape([3, 1, 2]), [f64([2, 3])]);
    gradcheck((a) => a.T.reshape([-1]).mul(tensor([1, 2, 3, 4, 5, 6], { dtype: 'float64' })), [f64([2, 3], 4)]);
    gradcheck((a) => a.reshape([1, 4]), [f64([4, 1], 5)]);
  });
});

describe('view', () => {
  it('shares storage with its input and writes through', () => {
    const x = zeros([2, 3]);
    const y = view(x, [3, 2]);
    expect(y.storage).toBe(x.storage);
    noGrad(() => y.fill_(5));
    expect(x).toBeAllClose([[5, 5, 5], [5, 5, 5]]);
    expect(x.unsqueeze(0).view(3, 2).storage).toBe(x.storage);
  });

  it('throws a clear error instead of copying', () => {
    const x = zeros([2, 3]);
    expect(() => x.T.view(-1)).toThrow(ShapeError);
    expect(() => x.T.view(-1)).toThrow(/view: cannot view shape \[3,2\] \(strides \[1,3\]\) as \[6\]; call contiguous\(\) or reshape\(\)/);
    expect(x.T.contiguous().view(-1).shape).toEqual([6]);
  });
});

describe('permute', () => {
  it('reorders the dims as a view: out[i][j][k] = x[j][k][i]', () => {
    const x = randn([2, 3, 4], { generator: new Generator(6) });
    const xv = values(x);
    const y = permute(x, [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    expect(y.storage).toBe(x.storage);
    expect(y.strides).toEqual([1, 12, 4]);
    expect(y).toBeAllClose(build([4, 2, 3], ([i, j, k]) => at(xv, [j!, k!, i!])));
    expect(x.permute(-1, 0, 1).shape).toEqual([4, 2, 3]);
  });

  it('rejects dims that are not a permutation', () => {
    expect(() => permute(zeros([2, 3]), [0, 0])).toThrow(/permute: dims \[0,0\] are not a permutation of 2 dims \(shape \[2,3\]\)/);
    expect(() => permute(zeros([2, 3]), [0])).toThrow(ValueError);
    expect(() => permute(zeros([2, 3]), [0, 2])).toThrow(/permute: dim 2 is out of range/);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.permute([1, 2, 0]), [f64([2, 1, 3])]);
  });
});

describe('transpose', () => {
  it('swaps two dims as a view', () => {
    const x = randn([2, 3, 4], { generator: new Generator(7) });
    const xv = values(x);
    const y = transpose(x, 0, -1);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([4, 3, 2], ([i, j, k]) => at(xv, [k!, j!, i!])));
  });

  it('leaves a 0-d tensor unchanged', () => {
    const x = tensor(3);
    expect(transpose(x, 0, -1).shape).toEqual([]);
    expect(transpose(x, 0, -1).item()).toBe(3);
  });

  it('reverses all dims with .T and swaps the last two with .mT', () => {
    const x = randn([2, 3, 4], { generator: new Generator(8) });
    const xv = values(x);
    expect(x.T).toBeAllClose(build([4, 3, 2], ([i, j, k]) => at(xv, [k!, j!, i!])));
    expect(x.mT).toBeAllClose(build([2, 4, 3], ([i, j, k]) => at(xv, [i!, k!, j!])));
    expect(x.mT.storage).toBe(x.storage);
    expect(tensor([1, 2]).T.shape).toEqual([2]);
  });

  it('refuses .mT on fewer than 2 dims, naming mT and the shape', () => {
    expect(() => tensor([1, 2]).mT).toThrow(/mT: expected a matrix or a batch of matrices, got shape \[2\]/);
    expect(() => tensor(1).mT).toThrow(ShapeError);
  });

  it('passes gradcheck through .T and .mT', () => {
    gradcheck((a) => a.T, [f64([2, 3])]);
    gradcheck((a) => a.mT, [f64([2, 1, 3])]);
  });
});

describe('expand', () => {
  it('broadcasts size-1 dims and new leading dims with stride 0, sharing storage', () => {
    const x = tensor([[1], [2]]);
    const y = expand(x, [3, 2, 4]);
    expect(y.storage).toBe(x.storage);
    expect(y.strides).toEqual([0, 1, 0]);
    expect(y).toBeAllClose(build([3, 2, 4], ([, j]) => j! + 1));
    expect(x.expand(-1, 5).shape).toEqual([2, 5]);
    expect(x.expandAs(zeros([2, 2])).shape).toEqual([2, 2]);
  });

  it('rejects shapes it cannot broadcast to', () => {
    expect(() => expand(zeros([2, 3]), [4, 3])).toThrow(/expand: cannot expand shape \[2,3\] to \[4,3\]/);
    expect(() => expand(zeros([2, 3]), [3])).toThrow(ShapeError);
    expect(() => expand(zeros([2]), [-1, 2])).toThrow(ShapeError);
  });

  it('sums the gradient over the expanded dims (gradcheck)', () => {
    gradcheck((a) => a.expand([2, 3, 4]), [f64([3, 1])]);
    const x = tensor([1, 2], { requiresGrad: true });
    x.expand([3, 2]).sum().backward();
    expect(x.grad!).toBeAllClose([3, 3]);
  });
});

describe('contiguous', () => {
  it('returns the tensor itself when it is contiguous, a row-major copy otherwise', () => {
    const x = randn([2, 3], { generator: new Generator(9) });
    const xv = values(x);
    expect(x.contiguous()).toBe(x);
    const c = x.T.contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous()).toBe(true);
    expect(c).toBeAllClose(build([3, 2], ([i, j]) => at(xv, [j!, i!])));
  });

  it('counts a tensor without elements as contiguous, whatever its strides (as PyTorch)', () => {
    const e = zeros([0, 3]).T;
    expect(e.strides).toEqual([1, 3]);
    expect(e.isContiguous()).toBe(true);
    expect(e.contiguous()).toBe(e);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.T.contiguous(), [f64([2, 3])]);
  });
});

describe('squeeze', () => {
  it('removes all size-1 dims, or only the given ones, as a view', () => {
    const x = zeros([2, 1, 3, 1]);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 1).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, -1).shape).toEqual([2, 1, 3]);
    expect(squeeze(x, [1, 3]).shape).toEqual([2, 3]);
    expect(squeeze(x).storage).toBe(x.storage);
  });

  it('leaves dims whose size is not 1 alone, like PyTorch', () => {
    expect(squeeze(zeros([2, 3]), 0).shape).toEqual([2, 3]);
    expect(squeeze(zeros([1, 3]), [0, 1]).shape).toEqual([3]);
    expect(squeeze(tensor(1)).shape).toEqual([]);
  });

  it('stays a view of a non-contiguous tensor and writes through', () => {
    const x = zeros([3, 1, 4]);
    const t = x.permute(2, 1, 0); // [4, 1, 3], not contiguous
    const s = t.squeeze(1);
    expect(s.storage).toBe(x.storage);
    expect(s.strides).toEqual([1, 4]);
    noGrad(() => s.select(0, 2).fill_(7));
    expect(x).toBeAllClose(build([3, 1, 4], ([, , k]) => (k === 2 ? 7 : 0)));
  });

  it('rejects out-of-range and repeated dims, naming the shape', () => {
    expect(() => squeeze(zeros([2, 1]), 2)).toThrow(/squeeze: dim 2 is out of range for a tensor of 2 dims \(shape \[2,1\]\)/);
    expect(() => squeeze(zeros([1, 1]), [1, -1])).toThrow(ValueError);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.squeeze(), [f64([1, 3, 1])]);
    gradcheck((a) => a.T.squeeze(0), [f64([2, 1])]);
  });
});

describe('unsqueeze', () => {
  it('inserts a size-1 dim anywhere in [-ndim-1, ndim]', () => {
    const x = zeros([2, 3]);
    expect(unsqueeze(x, 0).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(x, 1).shape).toEqual([2, 1, 3]);
    expect(unsqueeze(x, 2).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(x, -3).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(tensor(1), 0).shape).toEqual([1]);
  });

  it('is a view even of a transposed tensor', () => {
    const x = randn([2, 3], { generator: new Generator(10) });
    const xv = values(x);
    const u = x.T.unsqueeze(1);
    expect(u.storage).toBe(x.storage);
    expect(u).toBeAllClose(build([3, 1, 2], ([i, , k]) => at(xv, [k!, i!])));
  });

  it('rejects dims outside [-ndim-1, ndim]', () => {
    expect(() => unsqueeze(zeros([2, 3]), 3)).toThrow(/unsqueeze: dim 3 is out of range for a tensor of 2 dims \(shape \[2,3\]\); expected \[-3, 2\]/);
    expect(() => unsqueeze(zeros([2, 3]), -4)).toThrow(ValueError);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.T.unsqueeze(-1), [f64([2, 3])]);
  });
});

describe('flatten', () => {
  it('merges the dims from startDim to endDim', () => {
    const x = randn([2, 3, 4], { generator: new Generator(11) });
    const xv = values(x);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1)).toBeAllClose(build([2, 12], ([i, j]) => at(xv, [i!, Math.floor(j! / 4), j! % 4])));
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, -2, -1).shape).toEqual([2, 12]);
    expect(flatten(x, 1).storage).toBe(x.storage);
    expect(flatten(tensor(5)).shape).toEqual([1]);
  });

  it('copies a permuted tensor whose merged dims are not contiguous', () => {
    const x = randn([2, 3], { generator: new Generator(12) });
    const xv = values(x);
    const f = x.T.flatten();
    expect(f.storage).not.toBe(x.storage);
    expect(f).toBeAllClose(build([6], ([k]) => at(xv, [k! % 2, Math.floor(k! / 2)])));
  });

  it('rejects startDim after endDim', () => {
    expect(() => flatten(zeros([2, 3, 4]), 2, 1)).toThrow(/flatten: startDim 2 comes after endDim 1 \(shape \[2,3,4\]\)/);
    expect(() => flatten(zeros([2, 3]), 0, 5)).toThrow(ValueError);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.permute(1, 0, 2).flatten(1), [f64([2, 3, 1])]);
  });
});

describe('narrow', () => {
  it('takes length elements from start along dim, as a view', () => {
    const x = randn([3, 5], { generator: new Generator(13) });
    const xv = values(x);
    const y = narrow(x, 1, 1, 3);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([3, 3], ([i, j]) => at(xv, [i!, j! + 1])));
    expect(narrow(x, 0, -2, 2)).toBeAllClose(build([2, 5], ([i, j]) => at(xv, [i! + 1, j!])));
    expect(narrow(x, 1, 5, 0).shape).toEqual([3, 0]);
  });

  it('narrows a transposed tensor and writes through to its storage', () => {
    const x = zeros([3, 4]);
    const y = x.T.narrow(0, 1, 2); // columns 1 and 2 of x
    noGrad(() => y.fill_(1));
    expect(x).toBeAllClose(build([3, 4], ([, j]) => (j === 1 || j === 2 ? 1 : 0)));
  });

  it('rejects out-of-range start and length, naming dim, value and shape', () => {
    const x = zeros([2, 4]);
    expect(() => narrow(x, 1, 1, 4)).toThrow(/narrow: start 1 \+ length 4 exceeds dim 1 of size 4 \(shape \[2,4\]\)/);
    expect(() => narrow(x, 1, 5, 0)).toThrow(/narrow: start 5 is out of range for dim 1 of size 4 \(shape \[2,4\]\)/);
    expect(() => narrow(x, 0, 0, -1)).toThrow(/narrow: length must be non-negative, got -1/);
    expect(() => narrow(x, 2, 0, 1)).toThrow(/narrow: dim 2 is out of range/);
  });

  it('passes gradcheck and gradgradcheck, also on a non-contiguous input', () => {
    gradcheck((a) => a.narrow(1, 1, 2), [f64([2, 4])]);
    gradcheck((a) => a.T.narrow(0, 0, 1), [f64([2, 3], 2)]);
    gradgradcheck((a) => {
      const y = a.T.narrow(1, 1, 2);
      return y.mul(y);
    }, [f64([3, 2], 3)]);
  });
});

describe('select', () => {
  it('picks one index along dim and removes the dim, as a view', () => {
    const x = randn([2, 3, 4], { generator: new Generator(14) });
    const xv = values(x);
    const y = select(x, 1, 2);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([2, 4], ([i, k]) => at(xv, [i!, 2, k!])));
    expect(select(x, -1, -1)).toBeAllClose(build([2, 3], ([i, j]) => at(xv, [i!, j!, 3])));
    expect(select(tensor([4, 5]), 0, 1).shape).toEqual([]);
  });

  it('selects from a non-contiguous tensor', () => {
    const x = randn([3, 4], { generator: new Generator(15) });
    const xv = values(x);
    expect(x.T.select(0, 1)).toBeAllClose(build([3], ([i]) => at(xv, [i!, 1])));
  });

  it('rejects an index out of range, naming dim, index and shape', () => {
    expect(() => select(zeros([3, 2]), 0, 3)).toThrow(ValueError);
    expect(() => select(zeros([3, 2]), 0, 3)).toThrow(/select: index 3 is out of range for dim 0 of size 3 \(shape \[3,2\]\); expected \[-3, 2\]/);
    expect(() => select(zeros([3, 2]), 1, -3)).toThrow(/select: index -3 is out of range for dim 1 of size 2/);
  });

  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => a.select(1, -1), [f64([2, 3])]);
    gradcheck((a) => a.T.select(0, 0), [f64([1, 3], 2)]);
    gradgradcheck((a) => {
      const y = a.select(0, 1);
      return y.mul(y);
    }, [f64([2, 3], 3)]);
  });
});

describe('slice', () => {
  // Index lists worked out by hand from Python's slicing rules for a dim of size 5.
  const cases: Array<[readonly [number?, number?, number?] | readonly [number | null, number | null, number?], number[]]> = [
    [[1, null, 2], [1, 3]],
    [[-3], [2, 3, 4]],
    [[null, -1], [0, 1, 2, 3]],
    [[-10, 10], [0, 1, 2, 3, 4]],
    [[3, 1], []],
    [[null, null, 3], [0, 3]],
    [[4, 5, 2], [4]],
    [[], [0, 1, 2, 3, 4]],
  ];

  it('follows Python slicing: negative bounds from the end, clamped, positive steps', () => {
    const x = randn([5], { generator: new Generator(16) });
    const xv = values(x) as number[];
    for (const [spec, idx] of cases) {
      const y = slice(x, [spec]);
      expect(y.shape).toEqual([idx.length]);
      expect(y).toBeAllClose(idx.map((i) => xv[i]!));
    }
  });

  it('combines numbers, nulls and ranges over the leading dims', () => {
    const x = randn([3, 4, 5], { generator: new Generator(17) });
    const xv = values(x);
    const y = x.slice(1, null, [1, null, 2]);
    expect(y.shape).toEqual([4, 2]);
    expect(y.storage).toBe(x.storage);
    expect(y).toBeAllClose(build([4, 2], ([j, k]) => at(xv, [1, j!, 1 + 2 * k!])));
    expect(x.slice([null, null, 2])).toBeAllClose(build([2, 4, 5], ([i, j, k]) => at(xv, [2 * i!, j!, k!])));
    expect(x.slice(-1, -1, -1).shape).toEqual([]);
    expect(x.slice().shape).toEqual([3, 4, 5]);
  });

  it('slices a transposed tensor and writes through to its storage', () => {
    const x = zeros([4, 3]);
    const xt = x.T; // [3, 4]
    noGrad(() => xt.slice([1], [null, null, 2]).fill_(2)); // rows 1.. of x.T, columns 0, 2 of x.T
    expect(x).toBeAllClose(build([4, 3], ([i, j]) => (j! >= 1 && i! % 2 === 0 ? 2 : 0)));
    const y = randn([4, 3], { generator: new Generator(18) });
    const yv = values(y);
    expect(y.T.slice([null, null, 2], [1, 3])).toBeAllClose(build([2, 2], ([i, j]) => at(yv, [1 + j!, 2 * i!])));
  });

  it('rejects bad steps, too many specs and out-of-range indices', () => {
    const x = zeros([4, 3]);
    expect(() => slice(x, [[null, null, -1]])).toThrow(ValueError);
    expect(() => slice(x, [[null, null, -1]])).toThrow(/slice: step must be a positive integer, got -1 \(dim 0, shape \[4,3\]\)/);
    expect(() => slice(x, [[0, 2, 0]])).toThrow(/slice: step must be a positive integer, got 0/);
    expect(() => slice(x, [null, null, 0])).toThrow(/slice: 3 specs are too many for a tensor of 2 dims \(shape \[4,3\]\)/);
    expect(() => slice(x, [null, 3])).toThrow(/slice: index 3 is out of range for dim 1 of size 3 \(shape \[4,3\]\)/);
  });

  it('passes gradcheck with steps, selections and size-1 dims', () => {
    gradcheck((a) => a.slice([null, null, 2], 0), [f64([5, 1])]);
    gradcheck((a) => a.T.slice([1], [-3, null, 2]), [f64([4, 3], 2)]);
  });

  it('is twice differentiable (gradgradcheck)', () => {
    gradgradcheck((a) => {
      const y = a.slice([1, null, 2], [0, 2]);
      return y.mul(y);
    }, [f64([4, 3], 3)]);
  });

  it('gives zero gradient outside the window, and its backward slices again', () => {
    const x = tensor([1, 2, 3, 4, 5], { dtype: 'float64', requiresGrad: true });
    const y = x.slice([1, null, 2]); // x[1], x[3]
    const [g] = grad(y.mul(y).mul(y).sum(), [x], { createGraph: true }); // 3 x^2 on the window
    expect(g!).toBeAllClose([0, 12, 0, 48, 0]);
    const [g2] = grad(g!.sum(), [x]); // 6 x on the window
    expect(g2!).toBeAllClose([0, 12, 0, 24, 0]);
  });
});

describe('cat', () => {
  it('concatenates along a dim, matching a plain-loop reference, also for non-contiguous inputs', () => {
    const a = randn([2, 3], { generator: new Generator(19) });
    const b = randn([3, 2], { generator: new Generator(20) }).T; // [2, 3], transposed
    const c = randn([2, 1], { generator: new Generator(21) });
    const av = values(a);
    const bv = values(b);
    const cv = values(c);
    expect(cat([a, b])).toBeAllClose(build([4, 3], ([i, j]) => (i! < 2 ? at(av, [i!, j!]) : at(bv, [i! - 2, j!]))));
    const y = cat([a, c, b], -1);
    expect(y.shape).toEqual([2, 7]);
    expect(y).toBeAllClose(
      build([2, 7], ([i, j]) => (j! < 3 ? at(av, [i!, j!]) : j === 3 ? at(cv, [i!, 0]) : at(bv, [i!, j! - 4]))),
    );
    expect(y.storage).not.toBe(a.storage);
  });

  it('promotes dtypes and accepts empty pieces', () => {
    const y = cat([tensor([1, 2], { dtype: 'int32' }), tensor([0.5])]);
    expect(y.dtype).toBe('float32');
    expect(y).toBeAllClose([1, 2, 0.5]);
    expect(cat([tensor([1, 2], { dtype: 'int32' }), tensor([3], { dtype: 'float64' })]).dtype).toBe('float64');
    expect(cat([zeros([0, 2]), zeros([1, 2])]).shape).toEqual([1, 2]);
  });

  it('rejects an empty list and mismatched shapes, listing every shape', () => {
    expect(() => cat([])).toThrow(ValueError);
    expect(() => cat([zeros([2, 3]), zeros([3, 2])], 1)).toThrow(ShapeError);
    expect(() => cat([zeros([2, 3]), zeros([3, 2]), zeros([2, 1])], 1)).toThrow(
      /cat: tensors must have the same shape except in dim 1, got shapes \[2,3\], \[3,2\], \[2,1\]/,
    );
    expect(() => cat([zeros([2, 3]), zeros([3])])).toThrow(/cat: tensors must have the same number of dims, got shapes \[2,3\], \[3\]/);
    expect(() => cat([zeros([2]), zeros([2])], 1)).toThrow(/cat: dim 1 is out of range/);
    expect(() => cat([tensor(1)])).toThrow(ShapeError);
  });

  it('passes gradcheck and gradgradcheck over every input', () => {
    gradcheck((a, b) => cat([a, b.T], 1), [f64([2, 1]), f64([3, 2], 2)]);
    gradgradcheck((a, b) => {
      const y = cat([a, b]);
      return y.mul(y);
    }, [f64([1, 2], 3), f64([2, 2], 4)]);
  });

  it('adds both gradients when one tensor appears twice', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    cat([a, a]).mul(tensor([1, 2, 3, 4])).sum().backward();
    expect(a.grad!).toBeAllClose([4, 6]);
  });

  it('gives each input its own part of the gradient', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    cat([a, b]).mul(tensor([10, 20, 30])).sum().backward();
    expect(a.grad!).toBeAllClose([10, 20]);
    expect(b.grad!).toBeAllClose([30]);
  });
});

describe('stack', () => {
  it('stacks along a new dim', () => {
    const a = randn([2, 3], { generator: new Generator(22) });
    const b = randn([3, 2], { generator: new Generator(23) }).T;
    const av = values(a);
    const bv = values(b);
    const pick = (k: number, i: number, j: number) => at(k === 0 ? av : bv, [i, j]);
    expect(stack([a, b])).toBeAllClose(build([2, 2, 3], ([k, i, j]) => pick(k!, i!, j!)));
    expect(stack([a, b], 1)).toBeAllClose(build([2, 2, 3], ([i, k, j]) => pick(k!, i!, j!)));
    expect(stack([a, b], -1)).toBeAllClose(build([2, 3, 2], ([i, j, k]) => pick(k!, i!, j!)));
    expect(stack([tensor(1), tensor(2)]).shape).toEqual([2]);
  });

  it('rejects different shapes, an empty list and a bad dim', () => {
    expect(() => stack([zeros([2, 3]), zeros([2, 4])])).toThrow(/stack: tensors must have the same shape, got shapes \[2,3\], \[2,4\]/);
    expect(() => stack([])).toThrow(ValueError);
    expect(() => stack([zeros([2])], 2)).toThrow(/stack: dim 2 is out of range for tensors of 1 dims/);
  });

  it('passes gradcheck', () => {
    gradcheck((a, b) => stack([a, b], 1), [f64([2, 1]), f64([2, 1], 2)]);
  });
});

describe('split', () => {
  it('splits into views of splitSize, the last one smaller', () => {
    const x = randn([5, 2], { generator: new Generator(24) });
    const xv = values(x);
    const parts = split(x, 2);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    parts.forEach((p, k) => {
      expect(p.storage).toBe(x.storage);
      expect(p).toBeAllClose(build(p.shape, ([i, j]) => at(xv, [2 * k + i!, j!])));
    });
    expect(x.split(2, 1).length).toBe(1);
  });

  it('splits by explicit sizes along any dim', () => {
    const x = randn([2, 5], { generator: new Generator(25) });
    const xv = values(x);
    const [p, q] = split(x.T, [1, 4]); // pieces of x.T along dim 0
    expect(p).toBeAllClose(build([1, 2], ([, j]) => at(xv, [j!, 0])));
    expect(q).toBeAllClose(build([4, 2], ([i, j]) => at(xv, [j!, i! + 1])));
    expect(split(x, [0, 5], 1).map((t) => t.shape)).toEqual([[2, 0], [2, 5]]);
  });

  it('rejects sizes that do not add up and bad split sizes', () => {
    expect(() => split(zeros([5]), [2, 2])).toThrow(/split: sizes \[2,2\] add up to 4, but dim 0 has size 5 \(shape \[5\]\)/);
    expect(() => split(zeros([5]), 0)).toThrow(ValueError);
    expect(() => split(zeros([5]), -1)).toThrow(/split: splitSize must be a positive integer, got -1/);
  });

  it('passes gradcheck through every piece', () => {
    gradcheck((a) => split(a, 2, 1), [f64([2, 3])]);
  });
});

describe('chunk', () => {
  it('splits into pieces of ceil(N / chunks), as PyTorch', () => {
    const x = arange(6).to('float32');
    expect(chunk(x, 3).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(chunk(x, 4).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(chunk(x, 5).map((t) => t.shape[0])).toEqual([2, 2, 2]);
    expect(chunk(arange(5), 2).map((t) => t.toArray())).toEqual([[0, 1, 2], [3, 4]]);
    expect(chunk(x, 10).length).toBe(6);
    expect(chunk(zeros([0, 2]), 3).map((t) => t.shape)).toEqual([[0, 2], [0, 2], [0, 2]]);
  });

  it('chunks a non-contiguous tensor into views', () => {
    const x = randn([2, 4], { generator: new Generator(26) });
    const xv = values(x);
    const [a, b] = x.T.chunk(2);
    expect(a!.storage).toBe(x.storage);
    expect(b).toBeAllClose(build([2, 2], ([i, j]) => at(xv, [j!, i! + 2])));
  });

  it('rejects a non-positive number of chunks', () => {
    expect(() => chunk(zeros([4]), 0)).toThrow(/chunk: chunks must be a positive integer, got 0/);
  });

  it('passes gradcheck', () => {
    gradcheck((a) => a.chunk(2, 0), [f64([3, 2])]);
  });
});

describe('views and autograd', () => {
  it('accumulates gradients from several overlapping views of one tensor', () => {
    const x = f64([4, 3]);
    gradcheck((a) => a.narrow(0, 0, 3).mul(a.slice([1]).exp()).add(a.T.select(1, 2)), [x]);
  });
});
