import { describe, expect, it } from 'vitest';
import {
  tensor, randn, randint, zeros, gradcheck, gradgradcheck, grad, Generator,
  DTypeError, ShapeError, ValueError, gather, scatterAdd, indexSelect, indexAdd, oneHot, getBackend, setBackend,
} from '@tapegrad/core';
import { at, build, values, type Nested } from './nested.js';

const f64 = (shape: number[], seed = 1) =>
  randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });
const idx = (data: Nested) => tensor(data as number[], { dtype: 'int32' });
const randIdx = (high: number, shape: number[], seed: number) => randint(0, high, shape, { generator: new Generator(seed) });


/** Sets element `ix` of nested arrays. */
function setAt(a: Nested, ix: readonly number[], v: number): void {
  let p = a as Nested[];
  for (const i of ix.slice(0, -1)) p = p[i] as Nested[];
  p[ix[ix.length - 1]!] = v;
}

/** Every multi-index of `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  build(shape, (ix) => (out.push(ix), 0));
  return out;
}

const replace = (ix: number[], d: number, v: number) => ix.map((x, k) => (k === d ? v : x));

describe('gather', () => {
  it('picks x[..., index[p], ...] along dim 0 and 1, matching a plain-loop reference', () => {
    const x = randn([3, 4], { generator: new Generator(1) });
    const xv = values(x);
    const i0 = randIdx(3, [2, 4], 2);
    const i0v = values(i0);
    expect(gather(x, 0, i0)).toBeAllClose(build([2, 4], ([i, j]) => at(xv, [at(i0v, [i!, j!]), j!])));
    const i1 = randIdx(4, [3, 5], 3); // index larger than x along dim 1 is fine
    const i1v = values(i1);
    expect(x.gather(1, i1)).toBeAllClose(build([3, 5], ([i, j]) => at(xv, [i!, at(i1v, [i!, j!])])));
    expect(gather(x, -1, i1).shape).toEqual([3, 5]);
  });

  it('reads non-contiguous x and index through their strides', () => {
    const x = randn([4, 2, 3], { generator: new Generator(4) }).permute(2, 0, 1); // [3, 4, 2]
    const xv = values(x);
    const index = randIdx(4, [2, 3, 2], 5).permute(1, 2, 0); // [3, 2, 2]
    const iv = values(index);
    const y = gather(x, 1, index);
    expect(y.isContiguous()).toBe(true);
    expect(y).toBeAllClose(build([3, 2, 2], (ix) => at(xv, replace(ix, 1, at(iv, ix)))));
    const xs = x.slice(null, [1, null, 2]); // [3, 2, 2] with step 2
    const xsv = values(xs);
    const i2 = randIdx(3, [2, 2, 2], 6);
    expect(gather(xs, 0, i2)).toBeAllClose(build([2, 2, 2], (ix) => at(xsv, replace(ix, 0, at(values(i2), ix)))));
  });

  it('works on 0-d tensors, as PyTorch', () => {
    const x = tensor(5, { dtype: 'float64', requiresGrad: true });
    expect(gather(x, 0, tensor(0, { dtype: 'int32' })).item()).toBe(5);
    gradcheck((a) => gather(a, 0, tensor(0, { dtype: 'int32' })), [x]);
    expect(indexSelect(x, 0, idx([0])).shape).toEqual([]);
    gradcheck((a) => indexSelect(a, 0, idx([0])), [x]);
    expect(() => indexSelect(x, 0, idx([0, 0]))).toThrow(/indexSelect: a 0-d x needs an index of one element, got index shape \[2\]/);
    expect(scatterAdd(tensor(1), 0, tensor(0, { dtype: 'int32' }), tensor(2)).item()).toBe(3);
  });

  it('keeps the dtype of x', () => {
    const y = gather(tensor([5, 6, 7], { dtype: 'int32' }), 0, idx([2, 2, 0]));
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([7, 7, 5]);
  });

  it('rejects a non-int32 index, naming op and dtype', () => {
    const x = zeros([2, 2]);
    const bad = tensor([[0, 1], [1, 0]]);
    expect(() => gather(x, 1, bad)).toThrow(DTypeError);
    expect(() => gather(x, 1, bad)).toThrow(/gather: index must be an int32 tensor, got float32 \(shape \[2,2\]\)/);
  });

  it('rejects index shapes that do not fit and values out of range', () => {
    const x = zeros([2, 3]);
    expect(() => gather(x, 1, idx([0, 1]))).toThrow(ShapeError);
    expect(() => gather(x, 1, idx([0, 1]))).toThrow(/gather: index must have the same number of dims as x, got x shape \[2,3\] and index shape \[2\]/);
    expect(() => gather(x, 1, idx([[0], [0], [0]]))).toThrow(/gather: index shape \[3,1\] exceeds x shape \[2,3\] in dim 0/);
    expect(() => gather(x, 1, idx([[0, 3]]))).toThrow(ValueError);
    expect(() => gather(x, 1, idx([[0, 3]]))).toThrow(/gather: index value 3 is out of range \[0, 3\) for dim 1 of x \(shape \[2,3\]\)/);
    expect(() => gather(x, 0, idx([[-1]]))).toThrow(/gather: index value -1 is out of range \[0, 2\)/);
  });

  it('passes gradcheck, with repeated indices and size-1 dims', () => {
    const index = idx([[0, 0, 2], [1, 1, 1]]);
    gradcheck((a) => a.gather(1, index), [f64([2, 3])]);
    gradcheck((a) => a.T.gather(0, idx([[1, 0], [1, 1]])), [f64([2, 2], 2)]);
    gradcheck((a) => a.gather(0, idx([[0], [0], [0]])), [f64([1, 1], 3)]);
  });

  it('accumulates the gradient of repeated picks', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.gather(0, idx([2, 2, 0, 2])).sum().backward();
    expect(x.grad!).toBeAllClose([1, 0, 3]);
  });

  it('is twice differentiable (gradgradcheck)', () => {
    const index = idx([[0, 2], [1, 1]]);
    gradgradcheck((a) => {
      const y = a.gather(1, index);
      return y.mul(y);
    }, [f64([2, 3], 4)]);
  });
});

describe('scatterAdd', () => {
  it('adds src into a copy of x at the indexed positions, matching a plain-loop reference', () => {
    for (const dim of [0, 1]) {
      const x = randn([3, 4], { generator: new Generator(10 + dim) });
      const src = randn([2, 4], { generator: new Generator(20 + dim) });
      const index = randIdx(dim === 0 ? 3 : 4, [2, 3], 30 + dim); // smaller than src in dim 1
      const ref = values(x);
      const sv = values(src);
      const iv = values(index);
      for (const p of indices([2, 3])) {
        const target = replace(p, dim, at(iv, p));
        setAt(ref, target, at(ref, target) + at(sv, p));
      }
      const y = scatterAdd(x, dim, index, src);
      expect(y).toBeAllClose(ref);
      expect(y.storage).not.toBe(x.storage);
    }
  });

  it('reads non-contiguous x, index and src through their strides and leaves x untouched', () => {
    const x = randn([4, 3], { generator: new Generator(12) }).T; // [3, 4]
    const before = values(x);
    const src = randn([4, 3], { generator: new Generator(13) }).T;
    const index = randIdx(3, [4, 3], 14).T;
    const ref = values(x);
    for (const p of indices([3, 4])) {
      const target = replace(p, 0, at(values(index), p));
      setAt(ref, target, at(ref, target) + at(values(src), p));
    }
    expect(x.scatterAdd(0, index, src)).toBeAllClose(ref);
    expect(x).toBeAllClose(before);
  });

  it('rejects wrong dtypes and shapes, naming them', () => {
    const x = zeros([3]);
    expect(() => scatterAdd(x, 0, tensor([0]), tensor([1]))).toThrow(/scatterAdd: index must be an int32 tensor, got float32/);
    expect(() => scatterAdd(x, 0, idx([0]), tensor([1], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => scatterAdd(x, 0, idx([0, 1]), tensor([1]))).toThrow(
      /scatterAdd: index shape \[2\] must fit inside src shape \[1\] \(x shape \[3\]\)/,
    );
    expect(() => scatterAdd(x, 0, idx([3]), tensor([1]))).toThrow(/scatterAdd: index value 3 is out of range \[0, 3\)/);
  });

  for (const backend of ['js', 'wasm'])
    it(`names the first out-of-range index, the dim as given and x's shape on the ${backend} backend, from its kernel's check`, () => {
      const prev = getBackend();
      setBackend(backend);
      try {
        // large enough for the wasm kernel, the bad values late and in a later row
        const x = zeros([3, 50]);
        const index = randIdx(50, [3, 5000], 7);
        const data = index.data as Int32Array;
        data[2 * 5000 + 4321] = -2;
        data[2 * 5000 + 4500] = 50;
        const src = randn([3, 5000]);
        expect(() => scatterAdd(x, -1, index, src)).toThrow(ValueError);
        expect(() => scatterAdd(x, -1, index, src)).toThrow('scatterAdd: index value -2 is out of range [0, 50) for dim -1 of x (shape [3,50])');
        data[2 * 5000 + 4321] = 0;
        expect(() => scatterAdd(x, 1, index.T.contiguous().T, src)).toThrow('scatterAdd: index value 50 is out of range [0, 50) for dim 1 of x (shape [3,50])');
        expect(() => scatterAdd(zeros([3]), 0, idx([0, 1, 3, -1]), zeros([4]))).toThrow('scatterAdd: index value 3 is out of range [0, 3) for dim 0 of x (shape [3])');
      } finally {
        setBackend(prev);
      }
    });

  it('passes gradcheck for x and src, with a src larger than index', () => {
    const index = idx([[0, 2], [0, 0]]);
    gradcheck((a, s) => scatterAdd(a, 1, index, s), [f64([2, 3]), f64([2, 3], 2)]);
    gradcheck((a, s) => scatterAdd(a.T, 0, idx([[1], [1]]), s), [f64([1, 2], 3), f64([2, 1], 4)]);
  });

  it('is twice differentiable (gradgradcheck)', () => {
    const index = idx([[1, 0], [1, 1]]);
    gradgradcheck((a, s) => {
      const y = scatterAdd(a, 0, index, s);
      return y.mul(y);
    }, [f64([2, 2], 5), f64([2, 2], 6)]);
  });
});

describe('indexSelect', () => {
  it('selects entries along a dim by a 1-D index, matching a plain-loop reference', () => {
    const x = randn([3, 4, 2], { generator: new Generator(40) });
    const xv = values(x);
    const index = idx([2, 0, 2, 1, 3]);
    const iv = values(index) as number[];
    expect(indexSelect(x, 1, index)).toBeAllClose(build([3, 5, 2], ([a, j, c]) => at(xv, [a!, iv[j!]!, c!])));
    expect(x.indexSelect(0, idx([1, 1]))).toBeAllClose(build([2, 4, 2], ([, b, c]) => at(xv, [1, b!, c!])));
    expect(indexSelect(x, -1, idx([])).shape).toEqual([3, 4, 0]);
  });

  it('reads non-contiguous x and index', () => {
    const x = randn([4, 3], { generator: new Generator(41) });
    const xv = values(x);
    const index = idx([0, 9, 3, 9, 1]).slice([null, null, 2]); // [0, 3, 1], stride 2
    expect(indexSelect(x.T, 1, index)).toBeAllClose(build([3, 3], ([i, j]) => at(xv, [[0, 3, 1][j!]!, i!])));
  });

  it('rejects a float or 2-D index and values out of range', () => {
    const x = zeros([3, 2]);
    expect(() => indexSelect(x, 0, tensor([0]))).toThrow(/indexSelect: index must be an int32 tensor, got float32/);
    expect(() => indexSelect(x, 0, idx([[0]]))).toThrow(/indexSelect: index must be 1-D, got index shape \[1,1\] \(x shape \[3,2\]\)/);
    expect(() => indexSelect(x, 0, idx([4]))).toThrow(/indexSelect: index value 4 is out of range \[0, 3\) for dim 0 of x \(shape \[3,2\]\)/);
  });

  it('passes gradcheck and gradgradcheck, with repeated indices', () => {
    const index = idx([1, 1, 0]);
    gradcheck((a) => a.indexSelect(1, index), [f64([2, 2])]);
    gradcheck((a) => a.T.indexSelect(0, idx([0])), [f64([1, 3], 2)]);
    gradgradcheck((a) => {
      const y = a.indexSelect(0, index);
      return y.mul(y);
    }, [f64([2, 3], 3)]);
  });

  it('sends the gradient rows back to the selected positions, adding repeats', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const [g] = grad(x.indexSelect(0, idx([2, 0, 2])).sum(), [x]);
    expect(g!).toBeAllClose([[1, 1], [0, 0], [2, 2]]);
  });
});

describe('indexAdd', () => {
  it('adds src slices at the indexed positions of a copy of x', () => {
    const x = randn([2, 3], { generator: new Generator(50) });
    const src = randn([2, 4], { generator: new Generator(51) });
    const index = idx([2, 0, 2, 1]);
    const iv = values(index) as number[];
    const ref = values(x);
    const sv = values(src);
    for (const [i, j] of indices([2, 4])) setAt(ref, [i!, iv[j!]!], at(ref, [i!, iv[j!]!]) + at(sv, [i!, j!]));
    expect(indexAdd(x, 1, index, src)).toBeAllClose(ref);
  });

  it('rejects a src of the wrong shape', () => {
    expect(() => indexAdd(zeros([2, 3]), 1, idx([0, 1]), zeros([2, 3]))).toThrow(
      /indexAdd: src shape \[2,3\] must be \[2,2\] \(x shape \[2,3\], index shape \[2\], dim 1\)/,
    );
  });

  it('passes gradcheck and gradgradcheck for x and src', () => {
    const index = idx([1, 1]);
    gradcheck((a, s) => indexAdd(a, 0, index, s), [f64([2, 2]), f64([2, 2], 2)]);
    gradgradcheck((a, s) => {
      const y = indexAdd(a, 0, index, s);
      return y.mul(y);
    }, [f64([2, 2], 3), f64([2, 2], 4)]);
  });
});

describe('indexSelect and indexAdd on row-major and strided operands', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const)
    it(`give the same ${dtype} values whichever layout the operands have, along every dim, repeats adding in index order`, () => {
      const g = new Generator(3);
      const scale = dtype === 'int32' ? 10 : 1e6; // large float32 values: the order of additions shows
      const big = randn([5, 7, 9], { generator: g }).mul(scale).to(dtype);
      const x = big.narrow(0, 1, 4); // row-major at an offset: [4, 7, 9]
      const xStrided = x.permute([2, 0, 1]).contiguous().permute([1, 2, 0]); // same values, not row-major
      for (let dim = 0; dim < 3; dim++) {
        const index = randIdx(x.shape[dim]!, [11], 20 + dim); // with repeats
        expect(indexSelect(x, dim, index).toArray()).toEqual(indexSelect(xStrided, dim, index).toArray());
        const src = randn(x.shape.map((d, i) => (i === dim ? 11 : d)), { generator: g }).mul(scale).to(dtype);
        const srcStrided = src.flip(0).contiguous().flip(0); // negative stride: not row-major
        const fast = indexAdd(x, dim, index, src);
        expect(fast.toArray()).toEqual(indexAdd(xStrided, dim, index, srcStrided).toArray());
        // the same as adding the slices one at a time, in index order
        let ref = x.contiguous();
        for (let j = 0; j < 11; j++) ref = indexAdd(ref, dim, index.narrow(0, j, 1), src.narrow(dim, j, 1).flip(dim).flip(dim));
        expect(fast.toArray()).toEqual(ref.toArray());
      }
    });
});

describe('oneHot', () => {
  it('encodes int32 indices as int32 rows of numClasses', () => {
    const ind = idx([[0, 2], [1, 2]]);
    const y = oneHot(ind, 4);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([2, 2, 4]);
    const iv = values(ind);
    expect(y.toArray()).toEqual(build([2, 2, 4], ([i, j, c]) => (at(iv, [i!, j!]) === c ? 1 : 0)));
  });

  it('infers numClasses as max + 1 and reads non-contiguous indices', () => {
    expect(oneHot(idx([1, 3])).toArray()).toEqual([[0, 1, 0, 0], [0, 0, 0, 1]]);
    expect(oneHot(idx([[0, 1], [2, 0]]).T).toArray()).toEqual([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]);
  });

  it('rejects indices out of range, float indices and empty input without numClasses', () => {
    expect(() => oneHot(idx([0, 3]), 3)).toThrow(ValueError);
    expect(() => oneHot(idx([0, 3]), 3)).toThrow(/oneHot: index 3 is out of range for numClasses 3/);
    expect(() => oneHot(idx([-1]), 3)).toThrow(/oneHot: index -1 is out of range/);
    expect(() => oneHot(tensor([1]))).toThrow(/oneHot: indices must be an int32 tensor, got float32/);
    expect(() => oneHot(idx([]))).toThrow(/oneHot: cannot infer numClasses from empty indices/);
    expect(oneHot(idx([]), 2).shape).toEqual([0, 2]);
  });
});
