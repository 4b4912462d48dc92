import { describe, expect, it } from 'vitest';
import {
  tensor, randn, zeros, Generator, gradcheck, gradgradcheck, DTypeError, ValueError, Tensor,
  mean, prod, max, min, amax, amin, argmax, argmin, variance, std, logsumexp, softmax, logSoftmax,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1) =>
  randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

/** Plain-loop reference: groups x's elements (row-major) by their position outside `dims`. */
function refReduce(x: Tensor, dims: number[] | undefined, fn: (v: number[]) => number): Float64Array {
  const shape = x.shape;
  const nd = shape.length;
  const ds = (dims ?? shape.map((_, i) => i)).map((d) => (d < 0 ? d + nd : d));
  const outShape = shape.map((s, i) => (ds.includes(i) ? 1 : s));
  const data = Array.from(x.data as ArrayLike<number>);
  const groups: number[][] = Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => []);
  for (let flat = 0; flat < data.length; flat++) {
    const coord = new Array<number>(nd);
    let rem = flat;
    for (let i = nd - 1; i >= 0; i--) {
      coord[i] = rem % shape[i]!;
      rem = Math.floor(rem / shape[i]!);
    }
    let key = 0;
    for (let i = 0; i < nd; i++) key = key * outShape[i]! + (ds.includes(i) ? 0 : coord[i]!);
    groups[key]!.push(data[flat]!);
  }
  // A flat typed array: the matcher then compares values only (shapes are asserted separately).
  return Float64Array.from(groups.map(fn));
}

/** The result shape of a reduction, computed independently of shape.ts. */
function refShape(shape: number[], dims: number[] | number | undefined, keepdim: boolean): number[] {
  const list = dims === undefined ? shape.map((_, i) => i) : typeof dims === 'number' ? [dims] : dims;
  const ds = list.map((d) => (d < 0 ? d + shape.length : d));
  return keepdim ? shape.map((s, i) => (ds.includes(i) ? 1 : s)) : shape.filter((_, i) => !ds.includes(i));
}

interface Case {
  shape: number[];
  dim?: number | number[];
  keepdim?: boolean;
}
const CASES: Case[] = [
  { shape: [2, 3, 4] },
  { shape: [2, 3, 4], keepdim: true },
  { shape: [2, 3, 4], dim: 1 },
  { shape: [2, 3, 4], dim: -1, keepdim: true },
  { shape: [2, 3, 4], dim: [0, 2] },
  { shape: [2, 3, 4], dim: [-1, 0], keepdim: true },
  { shape: [3, 1, 2], dim: 1 },
  { shape: [5], dim: 0 },
  { shape: [] },
];
const listOf = (dim: number | number[] | undefined) => (dim === undefined ? undefined : typeof dim === 'number' ? [dim] : dim);
const label = (c: Case) => `shape [${c.shape}] dim ${JSON.stringify(c.dim)}${c.keepdim ? ' keepdim' : ''}`;

const sumOf = (v: number[]) => v.reduce((a, b) => a + b, 0);
const meanOf = (v: number[]) => sumOf(v) / v.length;
const varOf = (v: number[], correction: number) => {
  const m = meanOf(v);
  return sumOf(v.map((a) => (a - m) ** 2)) / Math.max(0, v.length - correction);
};
const lseOf = (v: number[]) => Math.log(sumOf(v.map(Math.exp)));

/** Every element finite (no NaN, no +-Infinity). */
const allFinite = (t: Tensor) => Array.from(t.data as ArrayLike<number>).every(Number.isFinite);

describe('reduce kernels', () => {
  it('agree with plain loops on contiguous, transposed and offset views for sum, prod, max and min', () => {
    const base = randn([3, 4, 5], { dtype: 'float64', generator: new Generator(13) });
    const views: Array<[string, Tensor]> = [
      ['contiguous', base],
      ['permuted', base.permute(2, 0, 1)],
      ['narrowed (offset)', base.narrow(1, 1, 2)],
      ['expanded (stride 0)', base.narrow(0, 0, 1).expand(2, 4, 5)],
    ];
    const dimSets: Array<number[] | undefined> = [undefined, [0], [1], [2], [0, 1], [1, 2], [0, 2]];
    for (const [name, v] of views) {
      for (const dims of dimSets) {
        const at = `${name}, dims ${JSON.stringify(dims)}`;
        expect(v.sum(dims), at).toBeAllClose(refReduce(v, dims, sumOf), { rtol: 1e-12, atol: 1e-12 });
        expect(prod(v, dims), at).toBeAllClose(refReduce(v, dims, (a) => a.reduce((p, q) => p * q, 1)), { rtol: 1e-12, atol: 1e-300 });
        expect(amax(v, dims), at).toBeAllClose(refReduce(v, dims, (a) => Math.max(...a)), { rtol: 0, atol: 0 });
        expect(amin(v, dims), at).toBeAllClose(refReduce(v, dims, (a) => Math.min(...a)), { rtol: 0, atol: 0 });
      }
      for (const d of [0, 1, 2]) {
        const first = (best: (a: number[]) => number) => (a: number[]) => a.indexOf(best(a));
        expect(argmax(v, d), `${name}, argmax dim ${d}`).toBeAllClose(refReduce(v, [d], first((a) => Math.max(...a))), { rtol: 0, atol: 0 });
        expect(argmin(v, d), `${name}, argmin dim ${d}`).toBeAllClose(refReduce(v, [d], first((a) => Math.min(...a))), { rtol: 0, atol: 0 });
      }
    }
  });

  it('propagate NaN through max and min along any dim, with argmax pointing at the first NaN', () => {
    const x = tensor([[1, NaN, 3, NaN], [4, 5, 6, 7], [NaN, 0, 0, 2]], { dtype: 'float64' });
    for (const d of [0, 1]) {
      const ref = refReduce(x, [d], (a) => (a.some(Number.isNaN) ? NaN : Math.max(...a)));
      expect(amax(x, d)).toBeAllClose(ref, { rtol: 0, atol: 0 });
      expect(amin(x, d)).toBeAllClose(refReduce(x, [d], (a) => (a.some(Number.isNaN) ? NaN : Math.min(...a))), { rtol: 0, atol: 0 });
      const firstNaNOrMax = (a: number[]) => (a.some(Number.isNaN) ? a.findIndex(Number.isNaN) : a.indexOf(Math.max(...a)));
      expect(argmax(x, d)).toBeAllClose(refReduce(x, [d], firstNaNOrMax), { rtol: 0, atol: 0 });
      expect(argmax(x.T.contiguous().T, d)).toBeAllClose(refReduce(x, [d], firstNaNOrMax), { rtol: 0, atol: 0 });
    }
  });
});

describe('mean', () => {
  it('matches plain loops over all dims, one dim, several dims, negative dims and keepdim', () => {
    for (const c of CASES) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(3) });
      const y = mean(x, c.dim, { keepdim: c.keepdim });
      expect(y.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
      expect(y).toBeAllClose(refReduce(x, listOf(c.dim), meanOf), { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it('keeps float32 and is reachable as a method', () => {
    const x = tensor([[1, 2, 3], [4, 5, 7]]);
    expect(x.mean(1).dtype).toBe('float32');
    expect(x.mean(1)).toBeAllClose([2, 16 / 3]);
    expect(x.mean()).toBeAllClose(22 / 6);
  });

  it('gives NaN for the mean of zero elements, as PyTorch', () => {
    expect(Number.isNaN(mean(zeros([0])).item())).toBe(true);
  });

  it('refuses integer tensors with a DTypeError naming the op, dtype and shape', () => {
    const x = tensor([1, 2, 3], { dtype: 'int32' });
    expect(() => mean(x)).toThrow(DTypeError);
    expect(() => mean(x)).toThrow(/^mean: .*int32.*\[3\]/);
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => mean(a), [f64([2, 3])]);
    gradcheck((a) => mean(a, [0, -1], { keepdim: true }), [f64([2, 1, 3])]);
    gradcheck((a) => mean(a, 1), [f64([3, 1, 2])]);
    gradgradcheck((a) => mean(a.mul(a), 1), [f64([2, 3])]);
  });

  it('throws for a bad or repeated dim', () => {
    const x = zeros([2, 3]);
    expect(() => mean(x, 2)).toThrow('mean: dim 2 is out of range for a tensor of 2 dims (shape [2,3])');
    expect(() => mean(x, [1, -1])).toThrow(ValueError);
    expect(() => mean(x, [1, -1])).toThrow(/^mean: .*repeats a dim.*\[2,3\]/);
  });
});

describe('prod', () => {
  it('matches plain loops over all dims, one dim, several dims, negative dims and keepdim', () => {
    for (const c of CASES) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(4) });
      const y = prod(x, c.dim, { keepdim: c.keepdim });
      expect(y.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
      expect(y).toBeAllClose(refReduce(x, listOf(c.dim), (v) => v.reduce((a, b) => a * b, 1)), { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it('multiplies integers to int32 and gives 1 for zero elements', () => {
    const y = prod(tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' }), 1);
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([6, 120]);
    expect(prod(zeros([2, 0]), 1).toArray()).toEqual([1, 1]);
  });

  it('passes gradcheck and gradgradcheck on inputs without zeros, also over size-1 dims', () => {
    gradcheck((a) => prod(a), [f64([2, 3])]);
    gradcheck((a) => prod(a, 1, { keepdim: true }), [f64([2, 3, 2])]);
    gradcheck((a) => prod(a, [0, 1]), [f64([3, 1, 2])]);
    gradgradcheck((a) => prod(a, 1), [f64([2, 3])]);
    gradgradcheck((a) => prod(a), [f64([4])]);
  });

  it('gives the product of the other elements as gradient when the slice holds zeros', () => {
    // Rows: one zero, two zeros, no zero, three zeros.
    const rows = [[2, 0, 3, 5], [0, 4, 0, 1], [1, 2, -3, 0.5], [0, 0, 0, 7]];
    const x = tensor(rows, { dtype: 'float64', requiresGrad: true });
    const w = tensor([1, -2, 0.5, 3], { dtype: 'float64' });
    prod(x, 1).mul(w).sum().backward();
    // Hand formula: d/dx_ij prod_k x_ik = prod_{k != j} x_ik, by explicit loop (no division).
    const expected = rows.map((r, i) => r.map((_, j) => w.data[i]! * r.reduce((a, v, k) => (k === j ? a : a * v), 1)));
    expect(x.grad!).toBeAllClose(expected, { rtol: 1e-12, atol: 0 });
  });

  it('gives the right gradient with a zero when reducing every dim', () => {
    const x = tensor([[1, 2], [0, 3]], { dtype: 'float64', requiresGrad: true });
    prod(x).backward();
    expect(x.grad!).toBeAllClose([[0, 0], [6, 0]]);
  });

  it('throws for a bad dim', () => {
    expect(() => prod(zeros([2, 3]), -3)).toThrow('prod: dim -3 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

/** First index of the best value of a slice (the reference for argmax/argmin and max/min indices). */
const firstIndexOf = (best: (v: number[]) => number) => (v: number[]) => v.indexOf(best(v));
const maxOf = (v: number[]) => Math.max(...v);
const minOf = (v: number[]) => Math.min(...v);
/** A small matrix with ties in rows, used by the index and tie tests. */
const TIED = [[1, 5, 2, 5], [7, 0, 7, -1], [-3, -3, -4, -3]];

describe('max', () => {
  it('reduces every dim to a 0-d tensor without a dim', () => {
    const x = randn([3, 4], { dtype: 'float64', generator: new Generator(5) });
    const ref = Array.from(x.data as ArrayLike<number>);
    expect(max(x).shape).toEqual([]);
    expect(max(x).item()).toBe(Math.max(...ref));
    expect(x.max().item()).toBe(Math.max(...ref));
  });

  it('returns values and first-occurrence int32 indices along a dim, with negative dims and keepdim', () => {
    const x = tensor(TIED);
    for (const [dim, keepdim] of [[1, false], [-1, true], [0, false]] as const) {
      const { values, indices } = max(x, dim, { keepdim });
      expect(values.shape).toEqual(refShape([3, 4], dim, keepdim));
      expect(indices.shape).toEqual(refShape([3, 4], dim, keepdim));
      expect(indices.dtype).toBe('int32');
      expect(values).toBeAllClose(refReduce(x, [dim], maxOf), { rtol: 0, atol: 0 });
      expect(indices).toBeAllClose(refReduce(x, [dim], firstIndexOf(maxOf)), { rtol: 0, atol: 0 });
    }
    expect(x.max(1).indices.toArray()).toEqual([1, 0, 0]);
  });

  it('propagates NaN as the maximum, pointing the index at it', () => {
    const { values, indices } = max(tensor([[1, NaN, 3]]), 1);
    expect(Number.isNaN(values.item())).toBe(true);
    expect(indices.item()).toBe(1);
    expect(Number.isNaN(max(tensor([1, NaN, 3])).item())).toBe(true);
  });

  it('sends the gradient of max(x, dim) only to the returned index among ties', () => {
    const x = tensor([[1, 3, 3], [2, 2, 2]], { requiresGrad: true });
    max(x, 1).values.mul(tensor([1, 10])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 1, 0], [10, 0, 0]]);
  });

  it('splits the gradient of max(x) evenly between tied maxima', () => {
    const x = tensor([[1, 3, 3], [2, 2, 2]], { requiresGrad: true });
    max(x).backward();
    expect(x.grad!).toBeAllClose([[0, 0.5, 0.5], [0, 0, 0]]);
  });

  it('passes gradcheck on inputs without ties, also over size-1 dims, and gradgradcheck', () => {
    gradcheck((a) => max(a), [f64([2, 3])]);
    gradcheck((a) => max(a, 1).values, [f64([2, 3, 2])]);
    gradcheck((a) => max(a, 1).values, [f64([3, 1, 2])]);
    gradcheck((a) => max(a, -1, { keepdim: true }).values, [f64([2, 1, 3])]);
    // The second derivative of a max is 0; x * max(x) makes the gradient depend on x.
    gradgradcheck((a) => a.mul(max(a, 0, { keepdim: true }).values), [f64([2, 3])]);
    gradgradcheck((a) => a.mul(max(a)), [f64([3])]);
  });

  it('handles 0-d tensors with dim 0', () => {
    const x = tensor(4, { requiresGrad: true });
    const { values, indices } = max(x, 0);
    expect(values.shape).toEqual([]);
    expect(indices.toArray()).toEqual(0);
    values.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('throws for an empty dim, an empty tensor and a bad dim', () => {
    expect(() => max(zeros([2, 0]), 1)).toThrow(ValueError);
    expect(() => max(zeros([2, 0]), 1)).toThrow('max: cannot reduce over dim 1 of size 0 (shape [2,0])');
    expect(() => max(zeros([0]))).toThrow(/^max: cannot reduce an empty tensor \(shape \[0\]\)/);
    expect(() => max(zeros([2, 3]), 2)).toThrow('max: dim 2 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

describe('min', () => {
  it('reduces every dim to a 0-d tensor without a dim', () => {
    const x = randn([3, 4], { dtype: 'float64', generator: new Generator(5) });
    expect(min(x).item()).toBe(Math.min(...Array.from(x.data as ArrayLike<number>)));
    expect(x.min().shape).toEqual([]);
  });

  it('returns values and first-occurrence int32 indices along a dim, with negative dims and keepdim', () => {
    const x = tensor(TIED);
    for (const [dim, keepdim] of [[1, false], [-2, true], [0, false]] as const) {
      const { values, indices } = min(x, dim, { keepdim });
      expect(values.shape).toEqual(refShape([3, 4], dim, keepdim));
      expect(indices.dtype).toBe('int32');
      expect(values).toBeAllClose(refReduce(x, [dim], minOf), { rtol: 0, atol: 0 });
      expect(indices).toBeAllClose(refReduce(x, [dim], firstIndexOf(minOf)), { rtol: 0, atol: 0 });
    }
  });

  it('sends the gradient of min(x, dim) only to the returned index among ties', () => {
    const y = tensor([[1, 3, 3], [2, 2, 2]], { requiresGrad: true });
    min(y, 0, { keepdim: true }).values.sum().backward();
    expect(y.grad!.toArray()).toEqual([[1, 0, 0], [0, 1, 1]]);
    const z = tensor([[3, 1, 1]], { requiresGrad: true });
    min(z).backward();
    expect(z.grad!).toBeAllClose([[0, 0.5, 0.5]]);
  });

  it('passes gradcheck on inputs without ties, also over size-1 dims, and gradgradcheck', () => {
    gradcheck((a) => min(a), [f64([2, 3])]);
    gradcheck((a) => min(a, -1, { keepdim: true }).values, [f64([3, 1, 2])]);
    gradcheck((a) => min(a, 1).values, [f64([3, 1, 2])]);
    gradgradcheck((a) => a.mul(min(a, 1, { keepdim: true }).values), [f64([2, 3])]);
  });

  it('throws for an empty dim and a bad dim', () => {
    expect(() => min(zeros([0, 3]), 0)).toThrow('min: cannot reduce over dim 0 of size 0 (shape [0,3])');
    expect(() => min(zeros([3]), -2)).toThrow('min: dim -2 is out of range for a tensor of 1 dims (shape [3])');
  });
});

describe('amax', () => {
  it('matches plain loops over all dims, one dim, several dims, negative dims and keepdim', () => {
    for (const c of CASES) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(6) });
      const a = amax(x, c.dim, { keepdim: c.keepdim });
      expect(a.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
      expect(a).toBeAllClose(refReduce(x, listOf(c.dim), maxOf), { rtol: 0, atol: 0 });
    }
  });

  it('splits the gradient evenly between tied maxima', () => {
    const y = tensor([[1, 3, 3], [2, 2, 2]], { requiresGrad: true });
    amax(y, 1).mul(tensor([2, 3])).sum().backward();
    expect(y.grad!).toBeAllClose([[0, 1, 1], [1, 1, 1]]);
  });

  it('passes gradcheck on inputs without ties, also over size-1 dims, and gradgradcheck', () => {
    gradcheck((a) => amax(a, [0, 2]), [f64([2, 3, 2])]);
    gradcheck((a) => amax(a, 1, { keepdim: true }), [f64([2, 1, 3])]);
    gradgradcheck((a) => a.mul(amax(a, 1, { keepdim: true })), [f64([2, 3])]);
  });

  it('throws for an empty dim and repeated dims, and reduces non-empty dims of an empty tensor', () => {
    expect(() => amax(zeros([2, 0]), [0, 1])).toThrow('amax: cannot reduce over dim 1 of size 0 (shape [2,0])');
    expect(amax(zeros([0, 3]), 1).shape).toEqual([0]);
    expect(() => amax(zeros([2, 3]), [1, -1])).toThrow(/^amax: .*repeats a dim.*\[2,3\]/);
  });
});

describe('amin', () => {
  it('matches plain loops over all dims, one dim, several dims, negative dims and keepdim', () => {
    for (const c of CASES) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(6) });
      const a = amin(x, c.dim, { keepdim: c.keepdim });
      expect(a.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
      expect(a).toBeAllClose(refReduce(x, listOf(c.dim), minOf), { rtol: 0, atol: 0 });
    }
  });

  it('splits the gradient evenly between tied minima', () => {
    const z = tensor([[1, 3, 3], [2, 2, 2]], { requiresGrad: true });
    amin(z, -1, { keepdim: true }).sum().backward();
    expect(z.grad!).toBeAllClose([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]);
  });

  it('passes gradcheck on inputs without ties, also over size-1 dims, and gradgradcheck', () => {
    gradcheck((a) => amin(a, 1, { keepdim: true }), [f64([2, 1, 3])]);
    gradcheck((a) => amin(a), [f64([2, 3])]);
    gradgradcheck((a) => a.mul(amin(a, 0)), [f64([2, 3])]);
  });

  it('throws for an empty tensor and repeated dims', () => {
    expect(() => amin(zeros([0]))).toThrow(/^amin: cannot reduce an empty tensor \(shape \[0\]\)/);
    expect(() => amin(zeros([2, 3]), [0, -2])).toThrow(/^amin: .*repeats a dim.*\[2,3\]/);
  });
});

describe('argmax', () => {
  it('indexes the flattened tensor without a dim, first occurrence among ties', () => {
    const x = tensor(TIED);
    const flat = TIED.flat();
    const a = argmax(x);
    expect(a.dtype).toBe('int32');
    expect(a.shape).toEqual([]);
    expect(a.item()).toBe(flat.indexOf(Math.max(...flat)));
    expect(argmax(x, undefined, { keepdim: true }).shape).toEqual([1, 1]);
  });

  it('indexes along a dim, with negative dims and keepdim', () => {
    const x = tensor(TIED);
    for (const [dim, keepdim] of [[1, false], [-2, true], [0, false]] as const) {
      const a = argmax(x, dim, { keepdim });
      expect(a.shape).toEqual(refShape([3, 4], dim, keepdim));
      expect(a).toBeAllClose(refReduce(x, [dim], firstIndexOf(maxOf)), { rtol: 0, atol: 0 });
    }
    expect(x.argmax(1).toArray()).toEqual([1, 0, 0]);
  });

  it('works on non-contiguous views and records no gradient', () => {
    const x = randn([3, 4], { requiresGrad: true, generator: new Generator(7) });
    const t = x.T;
    const a = argmax(t, 1);
    expect(a.requiresGrad).toBe(false);
    expect(a.toArray()).toEqual(argmax(x.detach(), 0).toArray());
    expect(argmax(t).item()).toBe(argmax(t.contiguous()).item());
  });

  it('throws for an empty tensor and a bad dim', () => {
    expect(() => argmax(zeros([0]))).toThrow(/^argmax: cannot reduce an empty tensor \(shape \[0\]\)/);
    expect(() => argmax(zeros([2, 3]), 2)).toThrow('argmax: dim 2 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

describe('argmin', () => {
  it('indexes the flattened tensor or a dim, first occurrence among ties', () => {
    const x = tensor(TIED);
    const flat = TIED.flat();
    expect(argmin(x).item()).toBe(flat.indexOf(Math.min(...flat)));
    for (const [dim, keepdim] of [[1, true], [-1, false], [0, false]] as const) {
      const a = argmin(x, dim, { keepdim });
      expect(a.dtype).toBe('int32');
      expect(a.shape).toEqual(refShape([3, 4], dim, keepdim));
      expect(a).toBeAllClose(refReduce(x, [dim], firstIndexOf(minOf)), { rtol: 0, atol: 0 });
    }
  });

  it('throws for an empty dim', () => {
    expect(() => argmin(zeros([3, 0]), 1)).toThrow('argmin: cannot reduce over dim 1 of size 0 (shape [3,0])');
  });
});

describe('variance', () => {
  it('matches plain loops for corrections 0, 1 and 2 over various dims and keepdim', () => {
    for (const c of CASES.filter((k) => k.shape.length > 0)) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(8) });
      for (const correction of [0, 1, 2]) {
        const v = variance(x, c.dim, { keepdim: c.keepdim, correction });
        expect(v.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
        expect(v).toBeAllClose(refReduce(x, listOf(c.dim), (a) => varOf(a, correction)), { rtol: 1e-10, atol: 1e-12 });
      }
    }
  });

  it('is unbiased by default and reachable as x.var', () => {
    const x = tensor([[1, 2, 3, 4], [2, 2, 2, 2]]);
    expect(x.var(1)).toBeAllClose([5 / 3, 0]);
    expect(x.var(1, { correction: 0 })).toBeAllClose([1.25, 0]);
    expect(x.var()).toBeAllClose(varOf([1, 2, 3, 4, 2, 2, 2, 2], 1));
  });

  it('gives NaN or inf when N <= correction, as PyTorch', () => {
    expect(Number.isNaN(variance(tensor([3])).item())).toBe(true);
    expect(variance(tensor([1, 3]), undefined, { correction: 2 }).item()).toBe(Infinity);
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => variance(a), [f64([2, 3])]);
    gradcheck((a) => variance(a, [0, 2], { keepdim: true, correction: 0 }), [f64([2, 1, 3])]);
    gradgradcheck((a) => variance(a, 1), [f64([2, 3])]);
  });

  it('refuses integer tensors and repeated dims', () => {
    expect(() => variance(tensor([1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => variance(tensor([1, 2], { dtype: 'int32' }))).toThrow(/^var: .*int32.*\[2\]/);
    expect(() => variance(zeros([2, 3]), [0, 0])).toThrow(/^var: .*repeats a dim/);
  });
});

describe('std', () => {
  it('matches the square root of the plain-loop variance for corrections 0, 1 and 2', () => {
    for (const c of CASES.filter((k) => k.shape.length > 0)) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(8) });
      for (const correction of [0, 1, 2]) {
        const s = std(x, c.dim, { keepdim: c.keepdim, correction });
        expect(s.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
        expect(s).toBeAllClose(refReduce(x, listOf(c.dim), (a) => Math.sqrt(varOf(a, correction))), { rtol: 1e-10, atol: 1e-12 });
      }
    }
    expect(tensor([[1, 2, 3, 4]]).std(1, { correction: 0 })).toBeAllClose([Math.sqrt(1.25)]);
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => std(a, 1), [f64([3, 4])]);
    gradcheck((a) => std(a, -1, { correction: 0 }), [f64([2, 1, 3])]);
    gradgradcheck((a) => std(a, 0), [f64([3, 2])]);
  });

  it('gives the finite gradient (x - mean) / ((N - 1) std) where std > 0', () => {
    const vals = [1, 2, 4, 9];
    const x = tensor(vals, { dtype: 'float64', requiresGrad: true });
    std(x).backward();
    const m = meanOf(vals);
    const s = Math.sqrt(varOf(vals, 1));
    expect(allFinite(x.grad!)).toBe(true);
    expect(x.grad!).toBeAllClose(vals.map((v) => (v - m) / (3 * s)), { rtol: 1e-12, atol: 1e-14 });
  });

  it('refuses integer tensors and bad dims', () => {
    expect(() => std(tensor([1, 2], { dtype: 'int32' }))).toThrow(/^std: .*int32.*\[2\]/);
    expect(() => std(zeros([2, 3]), 5)).toThrow('std: dim 5 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

describe('logsumexp', () => {
  it('matches plain loops over one dim, several dims, negative dims and keepdim', () => {
    for (const c of CASES.filter((k) => k.dim !== undefined)) {
      const x = randn(c.shape, { dtype: 'float64', generator: new Generator(9) });
      const y = logsumexp(x, c.dim!, { keepdim: c.keepdim });
      expect(y.shape, label(c)).toEqual(refShape(c.shape, c.dim, c.keepdim ?? false));
      expect(y).toBeAllClose(refReduce(x, listOf(c.dim), lseOf), { rtol: 1e-12, atol: 1e-12 });
    }
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.logsumexp([0, 1])).toBeAllClose(lseOf([1, 2, 3, 4, 5, 6]));
  });

  it('is exact and finite at large logits, -inf for all -inf and empty slices', () => {
    expect(logsumexp(tensor([1000, -1000, 0]), 0).item()).toBe(1000);
    expect(logsumexp(tensor([1000, 1000], { dtype: 'float64' }), 0)).toBeAllClose(1000 + Math.LN2, { rtol: 1e-15, atol: 0 });
    expect(logsumexp(tensor([-1000, -1000], { dtype: 'float64' }), 0)).toBeAllClose(-1000 + Math.LN2, { rtol: 1e-15, atol: 0 });
    expect(logsumexp(tensor([[-Infinity, -Infinity], [-Infinity, 0]]), 1).toArray()).toEqual([-Infinity, 0]);
    expect(logsumexp(zeros([2, 0]), 1).toArray()).toEqual([-Infinity, -Infinity]);
  });

  it('has the finite gradient softmax(x) at large logits', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1000, -1000, 0], [1000, 1000, 1000]], { dtype, requiresGrad: true });
      logsumexp(x, 1).sum().backward();
      expect(allFinite(x.grad!)).toBe(true);
      expect(x.grad!).toBeAllClose([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]);
    }
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => logsumexp(a, 1), [f64([2, 3])]);
    gradcheck((a) => logsumexp(a, [0, 2], { keepdim: true }), [f64([2, 1, 3])]);
    gradcheck((a) => logsumexp(a, 1), [f64([3, 1, 2])]);
    gradgradcheck((a) => logsumexp(a, -1), [f64([2, 3])]);
    gradgradcheck((a) => logsumexp(a, [0, 1]), [f64([2, 1, 2])]);
  });

  it('computes integer inputs in float32 and throws for a bad dim', () => {
    expect(logsumexp(tensor([0, 0], { dtype: 'int32' }), 0).dtype).toBe('float32');
    expect(() => logsumexp(zeros([2, 3]), 2)).toThrow('logsumexp: dim 2 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

/** Plain-loop softmax along `dim` of a tensor in float64, naive (for moderate logits). */
function refSoftmax(x: Tensor, dim: number, log: boolean): Float64Array {
  const shape = x.shape;
  const d = dim < 0 ? dim + shape.length : dim;
  const data = Array.from(x.data as ArrayLike<number>);
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const n = shape[d]!;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const start = i - (Math.floor(i / inner) % n) * inner;
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.exp(data[start + k * inner]!);
    out[i] = log ? data[i]! - Math.log(s) : Math.exp(data[i]!) / s;
  }
  return out;
}

describe('softmax', () => {
  it('matches plain loops along dims 0, 1, -1 of 2-D and 3-D tensors', () => {
    for (const [shape, dim] of [[[2, 3], 0], [[2, 3], 1], [[2, 3, 4], -1], [[2, 3, 4], 1], [[3, 1, 2], 1]] as const) {
      const x = randn([...shape], { dtype: 'float64', generator: new Generator(10) });
      const y = softmax(x, dim);
      expect(y.shape).toEqual([...shape]);
      expect(y).toBeAllClose(refSoftmax(x, dim, false), { rtol: 1e-12, atol: 1e-14 });
    }
    const x = randn([3, 5], { generator: new Generator(11) });
    expect(x.softmax().sum(-1)).toBeAllClose([1, 1, 1]);
  });

  it('is finite and exact at logits of +-1000 and at equal large logits', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expect(softmax(tensor([1000, -1000, 0], { dtype }))).toBeAllClose([1, 0, 0], { rtol: 0, atol: 1e-12 });
      expect(softmax(tensor([1000, 1000, 1000], { dtype }))).toBeAllClose([1 / 3, 1 / 3, 1 / 3]);
      expect(softmax(tensor([-1000, -1000], { dtype }))).toBeAllClose([0.5, 0.5]);
    }
  });

  it('has finite gradients p * (w - sum(w p)) at logits of +-1000', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1000, -1000, 0], [1000, 1000, 1000]], { dtype, requiresGrad: true });
      const w = [[1, 2, 3], [1, 2, 3]];
      softmax(x, 1).mul(tensor(w, { dtype })).sum().backward();
      expect(allFinite(x.grad!)).toBe(true);
      // Row 0: p = [1, 0, 0] -> p * (w - 1) = 0. Row 1: p = 1/3 -> (w - 2) / 3.
      expect(x.grad!).toBeAllClose([[0, 0, 0], [-1 / 3, 0, 1 / 3]]);
    }
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => softmax(a, 1), [f64([2, 3])]);
    gradcheck((a) => softmax(a, 0), [f64([3, 1, 2])]);
    gradcheck((a) => softmax(a, 1), [f64([3, 1, 2])]);
    gradgradcheck((a) => softmax(a), [f64([2, 3])]);
    gradgradcheck((a) => softmax(a, 0), [f64([3, 2])]);
  });

  it('computes integer inputs in float32, handles 0-d tensors, gives NaN for an all -inf slice', () => {
    const y = softmax(tensor([1, 2], { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expect(y).toBeAllClose(refSoftmax(tensor([1, 2], { dtype: 'float64' }), 0, false));
    expect(softmax(tensor(5)).item()).toBe(1);
    expect(Array.from(softmax(tensor([-Infinity, -Infinity])).data).every(Number.isNaN)).toBe(true);
  });

  it('throws for a bad dim, naming the op and shape', () => {
    expect(() => softmax(zeros([2, 3]), 3)).toThrow(ValueError);
    expect(() => softmax(zeros([2, 3]), 3)).toThrow('softmax: dim 3 is out of range for a tensor of 2 dims (shape [2,3])');
    expect(() => zeros([2, 3]).softmax(-3)).toThrow('softmax: dim -3 is out of range for a tensor of 2 dims (shape [2,3])');
  });
});

describe('logSoftmax', () => {
  it('matches plain loops along dims 0, 1, -1 of 2-D and 3-D tensors', () => {
    for (const [shape, dim] of [[[2, 3], 0], [[2, 3], 1], [[2, 3, 4], -1], [[2, 3, 4], 1], [[3, 1, 2], 1]] as const) {
      const x = randn([...shape], { dtype: 'float64', generator: new Generator(12) });
      expect(logSoftmax(x, dim)).toBeAllClose(refSoftmax(x, dim, true), { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it('is exact at logits of +-1000 and at equal large logits', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expect(logSoftmax(tensor([1000, 0], { dtype }))).toBeAllClose([0, -1000], { rtol: 0, atol: 1e-6 });
      expect(logSoftmax(tensor([1000, -1000, 0], { dtype }))).toBeAllClose([0, -2000, -1000], { rtol: 0, atol: 1e-6 });
      expect(logSoftmax(tensor([1000, 1000, 1000], { dtype }))).toBeAllClose([-Math.log(3), -Math.log(3), -Math.log(3)]);
    }
    const x = tensor([[1, 2, 3]]);
    expect(x.logSoftmax()).toBeAllClose(x.softmax().log());
  });

  it('has finite gradients w - softmax(x) * sum(w) at logits of +-1000', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1000, -1000, 0], [1000, 1000, 1000]], { dtype, requiresGrad: true });
      logSoftmax(x, -1).mul(tensor([[1, 2, 3], [1, 2, 3]], { dtype })).sum().backward();
      expect(allFinite(x.grad!)).toBe(true);
      expect(x.grad!).toBeAllClose([[1 - 6, 2, 3], [-1, 0, 1]]);
    }
  });

  it('passes gradcheck and gradgradcheck, also over size-1 dims', () => {
    gradcheck((a) => logSoftmax(a, 1), [f64([2, 3])]);
    gradcheck((a) => logSoftmax(a, 0), [f64([3, 1, 2])]);
    gradcheck((a) => logSoftmax(a, 1), [f64([3, 1, 2])]);
    gradgradcheck((a) => logSoftmax(a), [f64([2, 3])]);
    gradgradcheck((a) => logSoftmax(a, 0), [f64([3, 2])]);
  });

  it('throws for a bad dim, naming the op and shape', () => {
    expect(() => logSoftmax(zeros([3]), 1)).toThrow('logSoftmax: dim 1 is out of range for a tensor of 1 dims (shape [3])');
  });
});
