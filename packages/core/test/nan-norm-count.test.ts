import { describe, expect, it } from 'vitest';
import {
  tensor, randn, zeros, ones, Generator, gradcheck, gradgradcheck, DTypeError, Tensor,
  nansum, nanmean, varMean, stdMean, aminmax, countNonzero, norm, linalg, unique, bincount, histc, variance, mean, std,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });
const flat = (t: Tensor) => Array.from(t.contiguous().data as ArrayLike<number>, Number);

describe('nansum', () => {
  const x = tensor([[1, NaN, 2], [NaN, NaN, NaN], [-1, 4, NaN]], { dtype: 'float64' });
  it('skip NaN, per dim and overall, with keepdim and negative dims', () => {
    expect(nansum(x).item()).toBe(6);
    expect(nansum(x, -1).toArray()).toEqual([3, 0, 3]);
    expect(nansum(x, 0, { keepdim: true }).toArray()).toEqual([[0, 4, 2]]);
    expect(nanmean(x, 1).toArray()).toEqual([1.5, NaN, 1.5]);
    expect(nanmean(x).item()).toBe(1.5);
    expect(nansum(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('int32');
    expect(nansum(zeros([0, 2]), 0).toArray()).toEqual([0, 0]);
  });
  it('give NaN elements gradient 0 and the others that of sum / mean', () => {
    const y = tensor([1, NaN, 2, 3], { dtype: 'float64', requiresGrad: true });
    nanmean(y).backward();
    expect(y.grad!.toArray()).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
    expect(gradcheck((a) => nansum(a, 1), [f64([2, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => nansum(a, 1).pow(2), [f64([2, 3])]).ok).toBe(true);
  });
  it('nanmean refuses integer tensors', () => {
    expect(() => nanmean(tensor([1, 2], { dtype: 'int32' }))).toThrow(/nanmean: expected a floating point tensor, got int32/);
  });
});

describe('aminmax', () => {
  it('equal the separate reductions', () => {
    const x = randn([3, 4], { dtype: 'float64', generator: new Generator(2) });
    const [v, m] = varMean(x, 1, { correction: 0, keepdim: true });
    expect(v).toBeAllClose(variance(x, 1, { correction: 0, keepdim: true }), { rtol: 0, atol: 0 });
    expect(m).toBeAllClose(mean(x, 1, { keepdim: true }), { rtol: 0, atol: 0 });
    const [s, m2] = stdMean(x);
    expect(s).toBeAllClose(std(x), { rtol: 0, atol: 0 });
    expect(m2.shape).toEqual([]);
    const { min, max } = aminmax(tensor([[1, 5, NaN], [7, 0, 7]]), { dim: -1 });
    expect(min.toArray()).toEqual([NaN, 0]);
    expect(max.toArray()).toEqual([NaN, 7]);
    expect(aminmax(tensor([3, 1, 2])).min.item()).toBe(1);
    expect(countNonzero(tensor([[0, 1, NaN], [2, 0, 0]]), 1).toArray()).toEqual([2, 1]);
    expect(countNonzero(tensor([[0, 1], [2, 0]]), [0, 1]).dtype).toBe('int32');
  });
  it('has gradients like amin and amax (split among ties), twice', () => {
    expect(gradcheck((a) => { const r = aminmax(a, { dim: 1 }); return [r.min, r.max]; }, [f64([3, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => aminmax(a).max.pow(2), [f64([3, 4])]).ok).toBe(true);
  });
  it('refuse empty reductions for aminmax', () => {
    expect(() => aminmax(zeros([0]))).toThrow(/aminmax: cannot reduce an empty tensor/);
    expect(() => aminmax(zeros([2, 0]), { dim: 1 })).toThrow(/aminmax: cannot reduce over dim 1 of size 0/);
  });
});

describe('linalg', () => {
  const refP = (v: number[], p: number) =>
    p === Infinity ? Math.max(...v.map(Math.abs)) : p === -Infinity ? Math.min(...v.map(Math.abs)) : p === 0 ? v.filter((a) => a !== 0).length : v.reduce((s, a) => s + Math.abs(a) ** p, 0) ** (1 / p);
  it('vector norms match the definition for every ord, per dim and overall', () => {
    const x = randn([3, 5], { dtype: 'float64', generator: new Generator(4) });
    const rows = x.toArray() as number[][];
    for (const ord of [2, 1, 3, 0.5, Infinity, -Infinity, 0, -1]) {
      expect(flat(linalg.vectorNorm(x, { ord, dim: 1 }))).toBeAllClose(rows.map((r) => refP(r, ord)), { rtol: 1e-12, atol: 0 });
      expect(linalg.vectorNorm(x, { ord }).item()).toBeCloseTo(refP(rows.flat(), ord), 10);
      expect(norm(x, ord, 1).toArray()).toEqual(linalg.vectorNorm(x, { ord, dim: 1 }).toArray());
    }
    expect(linalg.vectorNorm(x, { dim: [0, 1], keepdim: true }).shape).toEqual([1, 1]);
    expect(norm(x).item()).toBeCloseTo(refP(rows.flat(), 2), 12);
    expect(norm(x, 'fro', [0, 1]).item()).toBeCloseTo(refP(rows.flat(), 2), 12);
    expect(linalg.vectorNorm(zeros([0])).item()).toBe(0);
  });

  it('matrix norms match the definition', () => {
    const x = tensor([[1, -2, 3], [-4, 5, -6]], { dtype: 'float64' });
    expect(linalg.matrixNorm(x).item()).toBeCloseTo(Math.sqrt(91), 12);
    expect(linalg.matrixNorm(x, { ord: 1 }).item()).toBe(9);
    expect(linalg.matrixNorm(x, { ord: -1 }).item()).toBe(5);
    expect(linalg.matrixNorm(x, { ord: Infinity }).item()).toBe(15);
    expect(linalg.matrixNorm(x, { ord: -Infinity }).item()).toBe(6);
    const b = randn([2, 3, 4], { dtype: 'float64', generator: new Generator(6) });
    expect(linalg.matrixNorm(b, { ord: 1, dim: [0, 2] }).shape).toEqual([3]);
    expect(linalg.matrixNorm(b, { ord: Infinity, keepdim: true }).shape).toEqual([2, 1, 1]);
    expect(linalg.matrixNorm(b, { ord: 1, dim: [2, 0] }).toArray()).toEqual(linalg.matrixNorm(b, { ord: Infinity, dim: [0, 2] }).toArray());
  });

  it('have gradients matching finite differences, and 0 at x = 0 for the 2-norm (subgradient, as PyTorch)', () => {
    for (const ord of [2, 1, 3, 1.5, Infinity, -Infinity])
      expect(gradcheck((a) => linalg.vectorNorm(a, { ord, dim: 1 }), [f64([3, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => linalg.vectorNorm(a, { ord: 2, dim: 1 }), [f64([3, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => linalg.vectorNorm(a, { ord: 3 }), [f64([3, 4])]).ok).toBe(true);
    for (const ord of ['fro', 1, -1, Infinity, -Infinity] as const)
      expect(gradcheck((a) => linalg.matrixNorm(a, { ord }), [f64([2, 3, 4])]).ok).toBe(true);
    for (const ord of [2, 1, 3, 0.5]) {
      const z = zeros([3], { dtype: 'float64', requiresGrad: true });
      linalg.vectorNorm(z, { ord }).backward();
      expect(z.grad!.toArray()).toEqual([0, 0, 0]);
    }
    const y = tensor([0, 3, -4], { dtype: 'float64', requiresGrad: true });
    linalg.vectorNorm(y, { ord: 0.5 }).backward();
    expect(flat(y.grad!).every(Number.isFinite)).toBe(true);
    expect(flat(y.grad!)[0]).toBe(0);
  });

  it('compute the spectral norms from the singular values, with gradients', () => {
    const a = tensor([[2, 0, 0], [0, -5, 0]], { dtype: 'float64' }); // singular values 5 and 2
    expect(linalg.matrixNorm(a, { ord: 2 }).item()).toBeCloseTo(5, 12);
    expect(linalg.matrixNorm(a, { ord: -2 }).item()).toBeCloseTo(2, 12);
    expect(linalg.matrixNorm(a, { ord: 'nuc' }).item()).toBeCloseTo(7, 12);
    expect(norm(a, 'nuc').item()).toBeCloseTo(7, 12);
    // over dims 0 and 2 of a batch: each [2, 3] matrix a and 2a stacked along dim 1
    const b = a.unsqueeze(1).expand([2, 2, 3]).mul(tensor([1, 2], { dtype: 'float64' }).reshape([1, 2, 1]));
    expect(linalg.matrixNorm(b, { ord: 2, dim: [0, 2] }).toArray()).toEqual([5, 10].map((v) => expect.closeTo(v, 10)));
    expect(linalg.matrixNorm(b, { ord: 'nuc', dim: [0, 2], keepdim: true }).shape).toEqual([1, 2, 1]);
    const x = randn([3, 4], { dtype: 'float64', generator: new Generator(3), requiresGrad: true });
    for (const ord of [2, -2, 'nuc'] as const) expect(gradcheck((t) => linalg.matrixNorm(t, { ord }), [x]).ok).toBe(true);
    expect(() => norm(ones([2]), 'nuc')).toThrow(/norm: p 'nuc' needs two dims, got a tensor of shape \[2\]/);
  });

  it('refuse integer inputs, unknown orders and empty inf-norms with clear errors', () => {
    expect(() => linalg.matrixNorm(ones([2]))).toThrow(/matrixNorm: expected a tensor of at least 2 dims, got shape \[2\]/);
    expect(() => linalg.matrixNorm(ones([2, 2]), { ord: 3 })).toThrow(/matrixNorm: ord must be/);
    expect(() => linalg.vectorNorm(tensor([1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => linalg.vectorNorm(zeros([0]), { ord: Infinity })).toThrow(/vectorNorm: cannot compute the inf norm of an empty slice/);
    expect(() => linalg.vectorNorm(ones([2]), { p: 2 } as never)).toThrow(/vectorNorm/);
  });
});

describe('unique', () => {
  it('unique sorts the distinct values, with inverse and counts', () => {
    const x = tensor([[3, 1, 3], [2, 1, 1]], { dtype: 'int32' });
    expect(unique(x).toArray()).toEqual([1, 2, 3]);
    const r = unique(x, { returnInverse: true, returnCounts: true });
    expect(r.inverse!.toArray()).toEqual([[2, 0, 2], [1, 0, 0]]);
    expect(r.counts!.toArray()).toEqual([3, 1, 2]);
    expect(flat(r.values.gather(0, r.inverse!.reshape([-1])))).toEqual(flat(x));
    expect(unique(tensor([1, NaN, 1, NaN])).toArray()).toEqual([1, NaN, NaN]);
    expect(unique(zeros([0])).shape).toEqual([0]);
    expect(unique(tensor([2.5, 2.5]), { returnCounts: true }).inverse).toBeUndefined();
    expect(() => unique(x, { dim: 0 } as never)).toThrow(/unique/);
  });

  it('bincount counts (or sums weights) per value with minlength', () => {
    const x = tensor([1, 1, 3, 0], { dtype: 'int32' });
    expect(bincount(x).toArray()).toEqual([1, 2, 0, 1]);
    expect(bincount(x, { minlength: 6 }).shape).toEqual([6]);
    expect(bincount(x, { weights: tensor([0.5, 1, 2, 3], { dtype: 'float64' }) }).toArray()).toEqual([3, 1.5, 0, 2]);
    expect(bincount(tensor([], { dtype: 'int32' })).shape).toEqual([0]);
    expect(() => bincount(tensor([1, -1], { dtype: 'int32' }))).toThrow(/bincount: x must be non-negative, got -1 at index 1/);
    expect(() => bincount(tensor([1.5]))).toThrow(DTypeError);
  });

  it('histc bins values in [min, max], ignoring the rest and NaN', () => {
    expect(histc(tensor([1, 2, 1, 4, NaN]), { bins: 4, min: 0, max: 3 }).toArray()).toEqual([0, 2, 1, 0]);
    expect(histc(tensor([1, 2, 1]), { bins: 4 }).toArray()).toEqual([2, 0, 0, 1]);
    expect(histc(tensor([1, 1]), { bins: 4 }).toArray()).toEqual([0, 0, 2, 0]);
    expect(histc(randn([100]), { bins: 10 }).sum().item()).toBe(100);
    expect(() => histc(tensor([1]), { bins: 0 })).toThrow(/histc: bins must be a positive integer, got 0/);
    expect(() => histc(tensor([1]), { min: 2, max: 1 })).toThrow(/histc: max 1 must not be less than min 2/);
  });
});

// One block per op for the coverage table (the tests above exercise several ops at once).
describe('nanmean', () => {
  it('has gradients matching finite differences, twice', () => {
    const x = tensor([[1, NaN, 2], [0.5, -1, NaN]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => nanmean(a, 1).mul(tensor([1, 1], { dtype: 'float64' })), [f64([2, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => nanmean(a, 0).pow(2), [f64([3, 2])]).ok).toBe(true);
    nanmean(x, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0.5, 0, 0.5], [0.5, 0.5, 0]]);
  });
});

describe('varMean', () => {
  it('has gradients matching finite differences, twice', () => {
    expect(gradcheck((a) => varMean(a, 1), [f64([2, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => varMean(a, 1)[0], [f64([2, 4])]).ok).toBe(true);
  });
});

describe('stdMean', () => {
  it('has gradients matching finite differences, twice', () => {
    expect(gradcheck((a) => stdMean(a, 0), [f64([3, 2])]).ok).toBe(true);
    expect(gradgradcheck((a) => stdMean(a, 0)[0], [f64([3, 2])]).ok).toBe(true);
  });
});

describe('norm', () => {
  it('has gradients matching finite differences, twice', () => {
    expect(gradcheck((a) => norm(a, 3, 1), [f64([2, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => norm(a), [f64([2, 4])]).ok).toBe(true);
  });
});

describe('tensor methods of issue 17', () => {
  it('delegate to the ops', () => {
    const x = tensor([[3, 1, 2], [0, 5, 4]]);
    expect(x.cumsum(1).toArray()).toEqual([[3, 4, 6], [0, 5, 9]]);
    expect(x.cumprod(0).toArray()).toEqual([[3, 1, 2], [0, 5, 8]]);
    expect(x.cummax(1).indices.toArray()).toEqual([[0, 0, 0], [0, 1, 1]]);
    expect(x.cummin(1).values.toArray()).toEqual([[3, 1, 1], [0, 0, 0]]);
    expect(x.logcumsumexp(1).shape).toEqual([2, 3]);
    expect(x.sort(1, { descending: true }).values.toArray()).toEqual([[3, 2, 1], [5, 4, 0]]);
    expect(x.argsort().toArray()).toEqual([[1, 2, 0], [0, 2, 1]]);
    expect(x.topk(1).indices.toArray()).toEqual([[0], [1]]);
    expect(x.kthvalue(1).values.toArray()).toEqual([1, 0]);
    expect(x.median().item()).toBe(2);
    expect(x.median(1).values.toArray()).toEqual([2, 4]);
    expect(x.nanmedian(0).values.toArray()).toEqual([0, 1, 2]);
    expect(x.mode(1).values.toArray()).toEqual([1, 0]);
    expect(x.quantile(0.5, 1).toArray()).toEqual([2, 4]);
    expect(x.nanquantile(0.5).item()).toBe(2.5);
    expect(x.nansum().item()).toBe(15);
    expect(x.nanmean(1).toArray()).toEqual([2, 3]);
    expect(x.aminmax({ dim: 0 }).max.toArray()).toEqual([3, 5, 4]);
    expect(x.countNonzero().item()).toBe(5);
    expect(x.norm(1).item()).toBe(15);
    expect(x.int().unique().toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(x.int().flatten().bincount().toArray()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(x.histc({ bins: 5 }).sum().item()).toBe(6);
  });
});
