import { describe, expect, it } from 'vitest';
import {
  AutogradError, DTypeError, Generator, ShapeError, Tensor, ValueError, arange, argwhere, bucketize, grad, gradcheck,
  gradgradcheck, index, indexCopy, indexFill, indexPut, maskedScatter, maskedSelect, noGrad, nonzero, ones, randint,
  randn, scatter, scatterReduce, searchsorted, take, takeAlongDim, tensor, zeros,
} from '@tapegrad/core';

// issue 17 indexing: scatter, scatterReduce, take, takeAlongDim, nonzero, argwhere,
// searchsorted, bucketize, index / indexPut / indexPut_, indexCopy, indexFill, maskedSelect,
// maskedScatter. References are plain loops over flat arrays.

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });
const I = (data: unknown) => tensor(data as number[], { dtype: 'int32' });
const randIdx = (high: number, shape: number[], seed: number) => randint(0, high, shape, { generator: new Generator(seed) });
const flat = (t: Tensor) => Array.from(t.contiguous().data, Number);

/** Row-major multi-indices of `shape`. */
function multi(shape: readonly number[]): number[][] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, k) => {
    const ix = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      ix[d] = k % shape[d]!;
      k = Math.floor(k / shape[d]!);
    }
    return ix;
  });
}
const pos = (ix: readonly number[], shape: readonly number[]) => ix.reduce((a, i, d) => a * shape[d]! + i, 0);

type Red = 'assign' | 'sum' | 'prod' | 'mean' | 'amax' | 'amin';
/** scatter/scatterReduce by a plain loop (index and src of one shape). */
function refScatter(x: Tensor, dim: number, idx: Tensor, src: Tensor, red: Red, includeSelf: boolean, int = false): number[] {
  const out = flat(x);
  const iv = flat(idx);
  const sv = flat(src);
  const count = out.map(() => 0);
  multi(idx.shape).forEach((ix, k) => {
    const p = pos(ix.map((v, d) => (d === dim ? iv[k]! : v)), x.shape);
    const v = sv[k]!;
    const a = out[p]!;
    const first = count[p] === 0 && !includeSelf;
    count[p]!++;
    if (red === 'assign' || first) out[p] = v;
    else if (red === 'sum' || red === 'mean') out[p] = a + v;
    else if (red === 'prod') out[p] = a * v;
    else if (red === 'amax') out[p] = Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.max(a, v);
    else out[p] = Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.min(a, v);
  });
  if (red === 'mean')
    out.forEach((v, p) => {
      if (count[p]! > 0) out[p] = int ? Math.floor(v / (count[p]! + (includeSelf ? 1 : 0))) : v / (count[p]! + (includeSelf ? 1 : 0));
    });
  return out;
}

describe('scatter', () => {
  it('writes src at index along dims 0, 1 and -1 like a plain loop (distinct targets)', () => {
    const x = randn([3, 4], { generator: new Generator(1) });
    const src = randn([3, 4], { generator: new Generator(2) });
    // A permutation per column keeps the targets distinct (the last write wins otherwise).
    const i0 = I([[2, 0, 1, 1], [0, 2, 0, 2]]);
    expect(flat(scatter(x, 0, i0, src))).toEqual(flat(tensor(refScatter(x, 0, i0, src.slice([0, 2]), 'assign', true)).reshape([3, 4])));
    const i1 = I([[3, 0], [1, 2], [0, 3]]);
    const want = refScatter(x, 1, i1, src.slice(null, [0, 2]), 'assign', true);
    expect(flat(scatter(x, 1, i1, src))).toEqual(want);
    expect(flat(x.scatter(-1, i1, src))).toEqual(want);
  });

  it('writes a number at every index position and combines with reduce add and multiply', () => {
    const i = I([[1], [0]]);
    expect(scatter(zeros([2, 2]), 1, i, 7).toArray()).toEqual([[0, 7], [7, 0]]);
    const j = I([0, 0, 2]);
    expect(scatter(ones([3]), 0, j, tensor([2, 3, 4]), { reduce: 'add' }).toArray()).toEqual([6, 1, 5]);
    expect(scatter(ones([3]), 0, j, tensor([2, 3, 4]), { reduce: 'multiply' }).toArray()).toEqual([6, 1, 4]);
    expect(scatter(ones([3], { dtype: 'int32' }), 0, j, 2, { reduce: 'multiply' }).toArray()).toEqual([4, 1, 2]);
  });

  it('handles empty indices, 0-d tensors and float32', () => {
    expect(scatter(ones([2, 3]), 0, I([]).reshape([0, 3]), zeros([0, 3])).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(scatter(tensor(1), 0, I(0), tensor(5)).item()).toBe(5);
    expect(scatter(zeros([2], { dtype: 'float64' }), 0, I([1]), tensor([2.5], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('gives overwritten elements of x no gradient and each src element its target\'s (as PyTorch)', () => {
    const x = ones([3], { requiresGrad: true });
    const src = ones([4], { requiresGrad: true });
    const y = scatter(x, 0, I([0, 0, 0, 2]), src);
    const [gx, gs] = grad(y.mul(tensor([1, 2, 3])).sum(), [x, src]);
    expect(gx!.toArray()).toEqual([0, 2, 0]);
    expect(gs!.toArray()).toEqual([1, 1, 1, 3]);
  });

  it('passes gradcheck and gradgradcheck with and without reduce', () => {
    const i = I([[2, 0, 1, 1], [0, 2, 0, 2]]);
    gradcheck((a, b) => scatter(a, 0, i, b), [f64([3, 4]), f64([2, 4], 2)]);
    gradgradcheck((a, b) => scatter(a, 0, i, b).mul(a), [f64([3, 4]), f64([2, 4], 2)]);
    gradcheck((a, b) => scatter(a, 0, i, b, { reduce: 'add' }), [f64([3, 4]), f64([2, 4], 2)]);
    gradcheck((a, b) => scatter(a, 0, i, b, { reduce: 'multiply' }), [f64([3, 4]), f64([2, 4], 2)]);
  });

  it('names the op, the index value and the size in its errors', () => {
    expect(() => scatter(zeros([3]), 0, I([3]), zeros([1]))).toThrow('scatter: index value 3 is out of range [0, 3) for dim 0 of x (shape [3])');
    expect(() => scatter(zeros([3]), 0, tensor([1]), zeros([1]))).toThrow(DTypeError);
    expect(() => scatter(zeros([3]), 0, I([1]), zeros([1], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => scatter(zeros([3]), 0, I([1, 2]), zeros([1]))).toThrow(ShapeError);
    expect(() => scatter(zeros([3]), 0, I([1]), 1, { reduce: 'mean' as 'add' })).toThrow(ValueError);
  });
});

describe('scatterReduce', () => {
  const reds = ['sum', 'prod', 'mean', 'amax', 'amin'] as const;

  it('matches a plain loop for every reduction, with and without includeSelf, float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const)
      for (const red of reds)
        for (const includeSelf of [true, false]) {
          const x = randn([3, 4], { dtype, generator: new Generator(3) });
          const src = randn([5, 4], { dtype, generator: new Generator(4) });
          const i = randIdx(3, [5, 4], 5);
          const got = scatterReduce(x, 0, i, src, red, { includeSelf });
          expect(got.dtype).toBe(dtype);
          expect(got).toBeAllClose(tensor(refScatter(x, 0, i, src, red, includeSelf), { dtype }).reshape([3, 4]), { rtol: 1e-5, atol: 1e-6 });
          const i1 = randIdx(4, [3, 2], 6);
          const got1 = x.scatterReduce(-1, i1, src, red, { includeSelf });
          expect(got1).toBeAllClose(tensor(refScatter(x, 1, i1, src.slice([0, 3], [0, 2]), red, includeSelf), { dtype }).reshape([3, 4]), { rtol: 1e-5, atol: 1e-6 });
        }
  });

  it('rounds int32 means down and propagates NaN through amax and amin', () => {
    expect(scatterReduce(I([5, 1, -7]), 0, I([0, 0, 2]), I([2, 4, 2]), 'mean').toArray()).toEqual([3, 1, -3]);
    expect(scatterReduce(I([5, 1]), 0, I([0, 0, 1]), I([2, 4, 3]), 'amax').toArray()).toEqual([5, 3]);
    expect(scatterReduce(tensor([1, 2]), 0, I([0, 0]), tensor([NaN, 3]), 'amax').toArray()).toEqual([NaN, 2]);
    expect(scatterReduce(tensor([NaN, 2]), 0, I([0, 0]), tensor([3, 4]), 'amin').toArray()).toEqual([NaN, 2]);
    expect(scatterReduce(tensor([1, 2]), 0, I([1, 1]), tensor([-Infinity, 3]), 'amin').toArray()).toEqual([1, -Infinity]);
  });

  it('shares the amax gradient evenly among ties, as PyTorch (values from torch 1.13)', () => {
    const x = tensor([5, 5, 2], { dtype: 'float64', requiresGrad: true });
    const src = tensor([5, 3, 5, 1], { dtype: 'float64', requiresGrad: true });
    const [gx, gs] = grad(scatterReduce(x, 0, I([0, 0, 0, 2]), src, 'amax').sum(), [x, src]);
    expect(gx).toBeAllClose(tensor([1 / 3, 1, 1], { dtype: 'float64' }));
    expect(gs).toBeAllClose(tensor([1 / 3, 0, 1 / 3, 0], { dtype: 'float64' }));
    // Without includeSelf, a self equal to the result still counts in the share (PyTorch's rule) but gets 0.
    const x2 = tensor([5, 1, 2], { dtype: 'float64', requiresGrad: true });
    const s2 = tensor([5, 3, 1], { dtype: 'float64', requiresGrad: true });
    const [gx2, gs2] = grad(scatterReduce(x2, 0, I([0, 0, 1]), s2, 'amax', { includeSelf: false }).sum(), [x2, s2]);
    expect(gx2!.toArray()).toEqual([0, 0, 1]);
    expect(gs2!.toArray()).toEqual([0.5, 0, 0.5]);
  });

  it('gives prod the product of the others through zeros (values from torch 1.13)', () => {
    const x = tensor([0, 2, 3], { dtype: 'float64', requiresGrad: true });
    const src = tensor([0, 3, 0, 4, 0], { dtype: 'float64', requiresGrad: true });
    const [gx, gs] = grad(scatterReduce(x, 0, I([1, 1, 0, 2, 2]), src, 'prod').sum(), [x, src]);
    expect(gx!.toArray()).toEqual([0, 0, 0]);
    expect(gs!.toArray()).toEqual([6, 0, 0, 0, 12]);
  });

  it('passes gradcheck for every reduction and gradgradcheck for sum, mean and prod', () => {
    const i = I([[0, 1, 0, 2], [0, 0, 2, 2], [1, 1, 1, 0]]);
    for (const red of reds)
      for (const includeSelf of [true, false]) {
        gradcheck((a, b) => scatterReduce(a, 0, i, b, red, { includeSelf }), [f64([3, 4]), f64([3, 4], 2)]);
      }
    for (const red of ['sum', 'mean', 'prod'] as const)
      gradgradcheck((a, b) => scatterReduce(a, 0, i, b, red).mul(a), [f64([3, 4]), f64([3, 4], 2)]);
    // prod with a zero in src and in x
    const x = tensor([[0.5, 0, 1.5]], { dtype: 'float64', requiresGrad: true });
    const s = tensor([[0, 2, -1], [1.5, 3, 0]], { dtype: 'float64', requiresGrad: true });
    gradcheck((a, b) => scatterReduce(a, 0, I([[0, 0, 0], [0, 0, 0]]), b, 'prod'), [x, s]);
  });

  it('refuses an unknown reduction, non-int32 indices and unknown options', () => {
    expect(() => scatterReduce(zeros([2]), 0, I([0]), zeros([1]), 'max' as 'amax')).toThrow(
      "scatterReduce: reduce must be one of 'sum', 'prod', 'mean', 'amax', 'amin', got 'max'",
    );
    expect(() => scatterReduce(zeros([2]), 0, tensor([0]), zeros([1]), 'sum')).toThrow(DTypeError);
    expect(() => scatterReduce(zeros([2]), 0, I([0]), zeros([1]), 'sum', { include_self: false } as object)).toThrow(ValueError);
    expect(() => scatterReduce(zeros([2]), 0, I([2]), zeros([1]), 'sum')).toThrow('scatterReduce: index value 2 is out of range [0, 2)');
  });
});

describe('take and takeAlongDim', () => {
  it('take reads flat positions, wrapping negatives, with index\'s shape', () => {
    const x = randn([3, 4], { generator: new Generator(7) });
    const xt = x.T; // strided
    const i = I([[0, -1, 5], [11, -12, 3]]);
    const xv = flat(xt);
    expect(flat(take(xt, i))).toEqual(flat(i).map((k) => xv[k < 0 ? k + 12 : k]!));
    expect(take(xt, i).shape).toEqual([2, 3]);
    expect(take(x, I(2)).shape).toEqual([]);
    expect(take(x, I([])).shape).toEqual([0]);
    expect(() => take(x, I([12]))).toThrow('take: index 12 is out of range for x of 12 elements (shape [3,4]); expected [-12, 11]');
    expect(() => take(x, tensor([1]))).toThrow(DTypeError);
    gradcheck((a) => take(a, I([[0, 0], [5, -1]])), [f64([2, 3])]);
  });

  it('takeAlongDim gathers with broadcasting, and flattens without dim', () => {
    const x = randn([2, 3, 4], { generator: new Generator(8) });
    const ix = I([[[3], [0], [1]]]); // [1, 3, 1] broadcasts against x's [2, 3, *]
    const got = takeAlongDim(x, ix, -1);
    expect(got.shape).toEqual([2, 3, 1]);
    const xv = flat(x);
    expect(flat(got)).toEqual(multi([2, 3, 1]).map(([a, b]) => xv[pos([a!, b!, flat(ix)[b!]!], [2, 3, 4])]!));
    expect(flat(takeAlongDim(x, I([23, 0])))).toEqual([xv[23], xv[0]]);
    expect(x.takeAlongDim(I([[[0, 1]]]), 2).shape).toEqual([2, 3, 2]);
    gradcheck((a) => takeAlongDim(a, I([[1, 1], [0, 2]]), 1), [f64([1, 3])]);
    expect(() => takeAlongDim(x, I([0]), 0)).toThrow(ShapeError);
    expect(() => takeAlongDim(x, I([[[4]]]), 2)).toThrow('takeAlongDim: index value 4 is out of range [0, 4) for dim 2');
  });
});

describe('nonzero and argwhere', () => {
  it('lists the multi-indices of non-zero elements in row-major order, NaN counting', () => {
    const x = tensor([[0, 1, 0], [NaN, 0, -2]]);
    expect(nonzero(x).toArray()).toEqual([[0, 1], [1, 0], [1, 2]]);
    expect(nonzero(x).dtype).toBe('int32');
    expect(x.nonzero({ asTuple: true }).map((t) => t.toArray())).toEqual([[0, 1, 1], [1, 0, 2]]);
    expect(argwhere(x.T).toArray()).toEqual([[0, 1], [1, 0], [2, 1]]);
    expect(nonzero(zeros([2, 0])).shape).toEqual([0, 2]);
    expect(nonzero(tensor(3)).shape).toEqual([1, 0]);
    expect(nonzero(tensor(3), { asTuple: true }).map((t) => t.toArray())).toEqual([[0]]);
    expect(nonzero(tensor([true, false, true])).toArray()).toEqual([[0], [2]]);
  });
});

describe('searchsorted and bucketize', () => {
  /** Plain-loop reference: count of row elements < v (<= v with right), NaN last. */
  const lessThan = (e: number, v: number, right: boolean) => (Number.isNaN(v) ? !Number.isNaN(e) || false : right ? e <= v : e < v);
  it('finds insertion positions in 1-D and batched sequences like a counting loop', () => {
    const s = tensor([-1, 0, 0, 2.5, 7]);
    const v = tensor([[-2, 0, 1], [7, 8, 2.5]]);
    for (const right of [false, true]) {
      const got = searchsorted(s, v, { right });
      expect(got.dtype).toBe('int32');
      expect(flat(got)).toEqual(flat(v).map((x) => flat(s).filter((e) => lessThan(e, x, right)).length));
    }
    expect(searchsorted(s, 0, { side: 'right' }).item()).toBe(3);
    const rows = tensor([[1, 3, 5], [2, 4, 6]]);
    expect(searchsorted(rows, tensor([[3, 6], [3, 6]])).toArray()).toEqual([[1, 3], [1, 2]]);
    expect(searchsorted(tensor([1, 2, NaN]), tensor([NaN, 2, 5])).toArray()).toEqual([3, 1, 3]);
    expect(searchsorted(tensor([1, 2, NaN]), tensor([NaN, 2, 5]), { right: true }).toArray()).toEqual([3, 3, 3]);
    expect(searchsorted(tensor([]), tensor([1, 2])).toArray()).toEqual([0, 0]);
  });

  it('reads unsorted rows through sorter', () => {
    const s = tensor([5, 1, 3]);
    expect(searchsorted(s, tensor([0, 2, 4, 6]), { sorter: I([1, 2, 0]) }).toArray()).toEqual([0, 1, 2, 3]);
    expect(() => searchsorted(s, tensor([1]), { sorter: I([1, 2, 3]) })).toThrow(ValueError);
  });

  it('bucketize is searchsorted with the arguments swapped', () => {
    const b = tensor([1, 3, 5]);
    expect(bucketize(tensor([[0, 1], [4, 6]]), b).toArray()).toEqual([[0, 0], [2, 3]]);
    expect(bucketize(tensor([0, 1, 4, 6]), b, { right: true }).toArray()).toEqual([0, 1, 2, 3]);
    expect(bucketize(3, b).item()).toBe(1);
  });

  it('names the op in its errors', () => {
    expect(() => searchsorted(tensor([1, 2]), tensor([1]), { right: true, side: 'left' })).toThrow("searchsorted: side 'left' contradicts right: true");
    expect(() => searchsorted(tensor([[1, 2], [3, 4]]), tensor([[1], [2], [3]]))).toThrow(ShapeError);
    expect(() => bucketize(tensor([1]), tensor([[1, 2]]))).toThrow('bucketize: boundaries must be 1-D, got shape [1,2]');
  });
});

/** x[indices] by plain loops for entries of int32 tensors (1-D, broadcast-free) and nulls; advanced dims first unless adjacent. */
describe('index', () => {
  const x = arange(2 * 3 * 4 * 5).reshape([2, 3, 4, 5]);
  const xv = flat(x);
  const at = (ix: number[]) => xv[pos(ix, [2, 3, 4, 5])]!;

  it('places adjacent advanced dims in place and separated ones first, as PyTorch', () => {
    const i = I([1, 0, 1]);
    const j = I([2, -1, 0]);
    // x[:, i, j] -> [2, 3(B), 5]
    const a = index(x, [null, i, j]);
    expect(a.shape).toEqual([2, 3, 5]);
    expect(flat(a)).toEqual(multi([2, 3, 5]).map(([p, b, q]) => at([p!, flat(i)[b!]!, (flat(j)[b!]! + 4) % 4, q!])));
    // x[i, :, j] -> [3(B), 3, 5]
    const b = index(x, [i, null, j]);
    expect(b.shape).toEqual([3, 3, 5]);
    expect(flat(b)).toEqual(multi([3, 3, 5]).map(([k, p, q]) => at([flat(i)[k!]!, p!, (flat(j)[k!]! + 4) % 4, q!])));
    // numbers select first: x[:, 0, :, i] has i alone -> in place: [2, 4, 3]
    expect(index(x, [null, 0, null, i]).shape).toEqual([2, 4, 3]);
    expect(index(x, [1, i, I([0, 1, 2])]).shape).toEqual([3, 5]);
    expect(index(x, ['...', i, 'newaxis']).shape).toEqual([2, 3, 4, 3, 1]);
    expect(index(x, [i, '...', 'newaxis', j]).shape).toEqual([3, 3, 4, 1]);
  });

  it('broadcasts index tensors together', () => {
    const r = I([[0], [1]]);
    const c = I([[0, 2, 3]]);
    const got = index(x, [0, 0, r, c]);
    expect(got.shape).toEqual([2, 3]);
    expect(flat(got)).toEqual(multi([2, 3]).map(([p, q]) => at([0, 0, [0, 1][p!]!, [0, 2, 3][q!]!])));
    expect(index(x, [I(1), null, I(2)]).shape).toEqual([3, 5]);
  });

  it('turns bool masks into their nonzero positions, including 0-d masks', () => {
    const m = tensor([[true, false, true], [false, false, true]]);
    const got = index(x, [m]);
    expect(got.shape).toEqual([3, 4, 5]);
    expect(flat(got.select(2, 1).select(1, 2))).toEqual([at([0, 0, 2, 1]), at([0, 2, 2, 1]), at([1, 2, 2, 1])]);
    expect(index(x, ['newaxis', m]).shape).toEqual([1, 3, 4, 5]);
    expect(index(x, [null, null, tensor([true, false, false, true])]).shape).toEqual([2, 3, 2, 5]);
    expect(index(x, [tensor(true)]).shape).toEqual([1, 2, 3, 4, 5]);
    expect(index(x, [tensor(false)]).shape).toEqual([0, 2, 3, 4, 5]);
  });

  it('returns a view for basic entries only, with the same values as slice', () => {
    const v = x.index([1, [null, null, 2], 'newaxis', -1]);
    expect(v.shape).toEqual([2, 1, 5]);
    expect(v.storage).toBe(x.storage);
    expect(v.toArray()).toEqual(x.slice(1, [null, null, 2], -1).unsqueeze(1).toArray());
  });

  it('works on strided inputs, empty index tensors and empty dims', () => {
    const t = x.permute([3, 1, 0, 2]); // [5, 3, 2, 4]
    const i = I([4, 0]);
    expect(flat(index(t, [i, null, 1]))).toEqual(flat(index(t.contiguous(), [i, null, 1])));
    expect(index(x, [I([])]).shape).toEqual([0, 3, 4, 5]);
    expect(index(zeros([0, 3]), [null, I([2, 2])]).shape).toEqual([0, 2]);
  });

  it('passes gradcheck and gradgradcheck, accumulating repeated positions', () => {
    const a = f64([3, 4]);
    gradcheck((t) => index(t, [I([0, 0, 2]), I([1, 1, -1])]), [a]);
    gradgradcheck((t) => index(t, [null, I([3, 3])]).mul(t.sum()), [a]);
    gradcheck((t) => index(t, [t.detach().gt(0)]), [a]);
    const [g] = grad(index(a, [I([1, 1])]).sum(), [a]);
    expect(g!.toArray()).toEqual([[0, 0, 0, 0], [2, 2, 2, 2], [0, 0, 0, 0]]);
  });

  it('refuses float indices, out-of-range values, bad masks and too many entries, naming the op', () => {
    expect(() => index(x, [tensor([1])])).toThrow('index: tensors used as indices must be int32 or bool, got float32 (shape [1])');
    expect(() => index(x, [I([2])])).toThrow('index: index 2 is out of bounds for dim 0 with size 2 (shape [2,3,4,5])');
    expect(() => index(x, [null, I([-4])])).toThrow('index: index -4 is out of bounds for dim 1 with size 3');
    expect(() => index(x, [tensor([true, false, true])])).toThrow(ShapeError);
    expect(() => index(x, [0, 0, 0, 0, 0])).toThrow(ValueError);
    expect(() => index(x, ['...', '...'])).toThrow(ValueError);
    expect(() => index(x, [I([0, 1]), I([0, 1, 2])])).toThrow(ShapeError);
    expect(() => index(x, [{} as never])).toThrow(ValueError);
  });
});

describe('indexPut and indexPut_', () => {
  it('writes (or adds) values at the positions index reads, broadcasting values', () => {
    const i = I([0, 2]);
    expect(indexPut(zeros([2, 3]), [null, i], tensor([1, 2])).toArray()).toEqual([[1, 0, 2], [1, 0, 2]]);
    expect(indexPut(ones([3]), [I([1, 1])], 5, { accumulate: true }).toArray()).toEqual([1, 11, 1]);
    const m = tensor([[true, false], [true, true]]);
    expect(zeros([2, 2]).indexPut([m], tensor([1, 2, 3])).toArray()).toEqual([[1, 0], [2, 3]]);
    expect(indexPut(zeros([2, 2]), [0], tensor([[4, 5]])).toArray()).toEqual([[4, 5], [0, 0]]);
    expect(indexPut(tensor(1), [], 3).item()).toBe(3);
  });

  it('matches a plain loop for random accumulated puts with repeated indices', () => {
    const x = randn([4, 5], { dtype: 'float64', generator: new Generator(11) });
    const r = randIdx(4, [6], 12);
    const c = randIdx(5, [6], 13);
    const v = randn([6], { dtype: 'float64', generator: new Generator(14) });
    const want = flat(x);
    flat(r).forEach((ri, k) => (want[ri * 5 + flat(c)[k]!]! += flat(v)[k]!));
    expect(indexPut(x, [r, c], v, { accumulate: true })).toBeAllClose(tensor(want, { dtype: 'float64' }).reshape([4, 5]));
  });

  it('gives x g without the overwritten elements and values the gradient read back', () => {
    gradcheck((a, v) => indexPut(a, [I([2, 0]), null], v), [f64([3, 2]), f64([2, 2], 3)]);
    gradcheck((a, v) => indexPut(a, [null, I([1, 1])], v, { accumulate: true }), [f64([3, 2]), f64([3, 2], 3)]);
    gradgradcheck((a, v) => indexPut(a, [I([1])], v).mul(a), [f64([3, 2]), f64([2], 3)]);
    const x = zeros([3], { requiresGrad: true });
    const v = tensor(2, { requiresGrad: true });
    const [gx, gv] = grad(indexPut(x, [I([0, 2])], v).mul(tensor([1, 2, 3])).sum(), [x, v]);
    expect(gx!.toArray()).toEqual([0, 2, 0]);
    expect(gv!.item()).toBe(4);
  });

  it('indexPut_ writes into the storage of a strided tensor and bumps its version', () => {
    const base = zeros([3, 4]);
    const t = base.T; // [4, 3], strided
    const before = t.version;
    const r = t.indexPut_([I([0, 3]), 1], tensor([7, 8]));
    expect(r).toBe(t);
    expect(t.version).toBe(before + 1);
    expect(base.toArray()).toEqual([[0, 0, 0, 0], [7, 0, 0, 8], [0, 0, 0, 0]]);
    base.indexPut_([1, I([0, 0])], 1, { accumulate: true });
    expect(base.select(0, 1).toArray()).toEqual([9, 0, 0, 8]);
  });

  it('indexPut_ refuses a tensor the tape records, an expanded view and mismatched values', () => {
    const p = zeros([3], { requiresGrad: true });
    expect(() => p.indexPut_([I([0])], 1)).toThrow(AutogradError);
    noGrad(() => p.indexPut_([I([0])], 1));
    expect(p.toArray()).toEqual([1, 0, 0]);
    expect(() => zeros([1]).expand([3]).indexPut_([I([0])], 1)).toThrow(ShapeError);
    expect(() => zeros([3]).indexPut_([I([0, 1])], tensor([1, 2, 3]))).toThrow('indexPut_: values of shape [3] cannot be broadcast to the indexed shape [2]');
    expect(() => zeros([3]).indexPut_([I([0])], tensor([1], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => zeros([3]).indexPut_([I([0])], 1, { acumulate: true } as object)).toThrow(ValueError);
  });
});

describe('indexCopy, indexFill, maskedSelect and maskedScatter', () => {
  it('indexCopy writes src slices at index along dim', () => {
    const x = randn([3, 4], { generator: new Generator(21) });
    const src = randn([3, 2], { generator: new Generator(22) });
    const got = indexCopy(x, -1, I([3, 0]), src);
    const want = flat(x);
    for (let r = 0; r < 3; r++) {
      want[r * 4 + 3] = flat(src)[r * 2]!;
      want[r * 4] = flat(src)[r * 2 + 1]!;
    }
    expect(flat(got)).toEqual(want);
    gradcheck((a, s) => indexCopy(a, 0, I([2, 0]), s), [f64([3, 2]), f64([2, 2], 2)]);
    expect(() => indexCopy(x, 0, I([-1]), zeros([1, 4]))).toThrow('indexCopy: index -1 is out of bounds for dim 0 with size 3');
    expect(() => indexCopy(x, 0, I([1]), zeros([2, 4]))).toThrow(ShapeError);
  });

  it('indexFill sets slices to a value (negative positions wrap) and passes a 0-d value its gradient', () => {
    expect(indexFill(ones([2, 3]), 1, I([0, -1]), 7).toArray()).toEqual([[7, 1, 7], [7, 1, 7]]);
    const v = tensor(2, { dtype: 'float64', requiresGrad: true });
    gradcheck((a, b) => indexFill(a, 0, I([1]), b), [f64([3, 2]), v]);
    // A repeated position fills its elements once: value's gradient counts them once (as PyTorch).
    const w = tensor(1, { requiresGrad: true });
    const [gw] = grad(indexFill(zeros([2, 3]), 1, I([2, -1, 0]), w).sum(), [w]);
    expect(gw!.item()).toBe(4);
    expect(() => indexFill(ones([2]), 0, I([2]), 0)).toThrow('indexFill: index 2 is out of bounds for dim 0 with size 2');
    expect(() => indexFill(ones([2]), 0, I([0]), ones([2]))).toThrow(ShapeError);
  });

  it('maskedSelect broadcasts x and mask and reads the true elements in order', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(maskedSelect(x, tensor([false, true])).toArray()).toEqual([2, 4]);
    expect(x.maskedSelect(tensor([[true], [false]])).toArray()).toEqual([1, 2]);
    expect(maskedSelect(tensor([5]), tensor([true, true])).toArray()).toEqual([5, 5]);
    gradcheck((a) => maskedSelect(a, tensor([[true, false, true]])), [f64([2, 3])]);
    expect(() => maskedSelect(x, I([1, 0]))).toThrow('maskedSelect: mask must be a bool tensor, got int32 (shape [2])');
  });

  it('maskedScatter writes source elements in order where mask is true', () => {
    const m = tensor([true, false, true]);
    expect(maskedScatter(zeros([2, 3]), m, tensor([1, 2, 3, 4, 5])).toArray()).toEqual([[1, 0, 2], [3, 0, 4]]);
    gradcheck((a, s) => maskedScatter(a, m, s), [f64([2, 3]), f64([5], 2)]);
    expect(() => maskedScatter(zeros([2, 3]), m, tensor([1, 2, 3]))).toThrow(
      'maskedScatter: source has 3 elements, fewer than the 4 true elements of mask',
    );
  });
});

describe('argument checks', () => {
  it('refuses non-tensor arguments with a ValueError naming the op and the argument', () => {
    const bad = [1, 2] as unknown as Tensor;
    expect(() => take(bad, I([0]))).toThrow('take: x must be a Tensor, got an array [1, 2]');
    expect(() => scatter(zeros([2]), 0, bad, 1)).toThrow('scatter: index must be a Tensor, got an array [1, 2]');
    expect(() => scatterReduce(zeros([2]), 0, I([0]), bad, 'sum')).toThrow(ValueError);
    expect(() => index(bad, [0])).toThrow('index: x must be a Tensor, got an array [1, 2]');
    expect(() => indexPut(bad, [0], 1)).toThrow(ValueError);
    expect(() => searchsorted(bad, 1)).toThrow('searchsorted: sortedSequence must be a Tensor, got an array [1, 2]');
    expect(() => bucketize(bad, tensor([1]))).toThrow(ValueError);
    expect(() => maskedSelect(zeros([2]), bad)).toThrow('maskedSelect: mask must be a Tensor, got an array [1, 2]');
    expect(() => nonzero(bad)).toThrow(ValueError);
    expect(() => takeAlongDim(zeros([2]), bad, 0)).toThrow(ValueError);
    expect(() => indexFill(zeros([2]), 0, bad, 1)).toThrow(ValueError);
  });
});
