import { describe, expect, it } from 'vitest';
import {
  tensor, randn, zeros, arange, Generator, gradcheck, gradgradcheck, DTypeError, ValueError, Tensor, setBackend, getBackend,
  cumsum, cumprod, cummax, cummin, logcumsumexp, sort, argsort, topk, kthvalue, median, nanmedian, mode, quantile, nanquantile,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

/** Plain-loop reference: applies `fn` to every line of x along `dim` (row-major nested arrays in, out). */
function alongLines(x: Tensor, dim: number, fn: (line: number[]) => number[]): number[] {
  const shape = x.shape;
  const d = dim < 0 ? dim + shape.length : dim;
  const data = Array.from(x.contiguous().data as ArrayLike<number>, Number);
  const n = shape[d]!;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  const lines: number[][] = [];
  for (let a = 0; a < outer; a++)
    for (let b = 0; b < inner; b++) {
      const line: number[] = [];
      for (let k = 0; k < n; k++) line.push(data[(a * n + k) * inner + b]!);
      lines.push(fn(line));
    }
  const m = lines[0]?.length ?? 0;
  for (let a = 0; a < outer; a++) for (let k = 0; k < m; k++) for (let b = 0; b < inner; b++) out.push(lines[a * inner + b]![k]!);
  return out;
}
const flat = (t: Tensor) => Array.from(t.contiguous().data as ArrayLike<number>, Number);

const running = (f: (acc: number, v: number) => number, init: number) => (line: number[]) => {
  let acc = init;
  return line.map((v) => (acc = f(acc, v)));
};
const lse = (a: number, b: number) => {
  if (a === -Infinity) return b;
  const m = Math.max(a, b);
  return m === -Infinity ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
};

const SHAPES: Array<[number[], number]> = [[[5], 0], [[3, 4], 1], [[3, 4], 0], [[2, 3, 4], -2], [[2, 1, 3], 1], [[2, 0, 3], 1], [[0, 3], -1]];

describe('cumsum', () => {
  it('match plain running loops for random inputs, negative dims, size-1 and empty dims, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const)
      for (const [shape, dim] of SHAPES) {
        const x = randn(shape, { dtype, generator: new Generator(3) });
        const tol = { rtol: dtype === 'float32' ? 1e-5 : 1e-12, atol: 1e-6 };
        expect(cumsum(x, dim).shape).toEqual(shape);
        expect(flat(cumsum(x, dim))).toBeAllClose(alongLines(x, dim, running((a, v) => a + v, 0)), tol);
        expect(flat(cumprod(x, dim))).toBeAllClose(alongLines(x, dim, running((a, v) => a * v, 1)), tol);
        expect(flat(logcumsumexp(x, dim))).toBeAllClose(alongLines(x, dim, running(lse, -Infinity)), tol);
        expect(cumsum(x, dim).dtype).toBe(dtype);
      }
  });

  it('read strided views (transposed, sliced) as their logical values', () => {
    const base = randn([4, 6], { dtype: 'float64', generator: new Generator(4) });
    for (const x of [base.T, base.slice(null, [1, 6, 2]), base.T.slice([0, 6, 3])]) {
      for (const dim of [0, 1]) {
        expect(cumsum(x, dim)).toBeAllClose(cumsum(x.contiguous(), dim), { rtol: 0, atol: 0 });
        expect(cumprod(x, dim)).toBeAllClose(cumprod(x.contiguous(), dim), { rtol: 0, atol: 0 });
        expect(logcumsumexp(x, dim)).toBeAllClose(logcumsumexp(x.contiguous(), dim), { rtol: 0, atol: 0 });
      }
    }
  });

  it('keep int32 for int32 and bool inputs and refuse to overflow int32', () => {
    expect(cumsum(tensor([1, 2, 3], { dtype: 'int32' }), 0).dtype).toBe('int32');
    expect(cumsum(tensor([true, true, false, true]), 0).toArray()).toEqual([1, 2, 2, 3]);
    expect(cumprod(tensor([2, 3, 4], { dtype: 'int32' }), 0).toArray()).toEqual([2, 6, 24]);
    expect(cumsum(tensor([1, 2], { dtype: 'int32' }), 0, { dtype: 'float64' }).dtype).toBe('float64');
    expect(() => cumsum(tensor([2e9, 2e9], { dtype: 'int32' }), 0)).toThrow(/cumsum: the int32 result 4000000000 overflows int32/);
    expect(() => cumprod(tensor([65536, 65536], { dtype: 'int32' }), 0)).toThrow(ValueError);
  });

  it('handle 0-d tensors as one element', () => {
    expect(cumsum(tensor(3), 0).item()).toBe(3);
    expect(cumprod(tensor(3), -1).item()).toBe(3);
    expect(logcumsumexp(tensor(3), 0).item()).toBe(3);
  });

  it('logcumsumexp is stable for large and -inf inputs and propagates NaN', () => {
    expect(logcumsumexp(tensor([1000, 1000, -Infinity], { dtype: 'float64' }), 0).toArray()).toEqual([1000, 1000 + Math.LN2, 1000 + Math.LN2]);
    expect(logcumsumexp(tensor([-Infinity, -Infinity, 0]), 0).toArray()).toEqual([-Infinity, -Infinity, 0]);
    expect(logcumsumexp(tensor([Infinity, Infinity]), 0).toArray()).toEqual([Infinity, Infinity]);
    expect(logcumsumexp(tensor([1, NaN, 2]), 0).toArray()).toEqual([1, NaN, NaN]);
  });

  it('have gradients matching finite differences, twice', () => {
    for (const [shape, dim] of [[[5], 0], [[3, 4], 1], [[2, 3, 2], -2]] as Array<[number[], number]>) {
      expect(gradcheck((a) => cumsum(a, dim), [f64(shape)]).ok).toBe(true);
      expect(gradcheck((a) => cumprod(a, dim), [f64(shape)]).ok).toBe(true);
      expect(gradgradcheck((a) => cumprod(a, dim), [f64(shape)]).ok).toBe(true);
      expect(gradcheck((a) => logcumsumexp(a, dim), [f64(shape)]).ok).toBe(true);
      expect(gradgradcheck((a) => logcumsumexp(a, dim), [f64(shape)]).ok).toBe(true);
      expect(gradgradcheck((a) => cumsum(a, dim).pow(2), [f64(shape)]).ok).toBe(true);
      expect(gradgradcheck((a) => cummax(a, dim).values.pow(2), [f64(shape)]).ok).toBe(true);
    }
  });

  it("cumprod's gradient is exact through zeros, once and twice (the product-over-element formula would divide by zero)", () => {
    const x = tensor([[2, 0, 3, 0.5, 4], [0, 1.5, 0, 2, -1], [1, 2, 3, -1, 0]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => cumprod(a, 1), [x]).ok).toBe(true);
    expect(gradgradcheck((a) => cumprod(a, 1), [x]).ok).toBe(true);
    expect(gradcheck((a) => cumprod(a, 0), [x]).ok).toBe(true);
    const y = tensor([2, 0, 3], { requiresGrad: true });
    cumprod(y, 0).sum().backward();
    expect(y.grad!.toArray()).toEqual([1, 8, 0]);
  });

  it('refuse a missing or out-of-range dim and non-float logcumsumexp, naming the op', () => {
    expect(() => cumsum(zeros([2, 3]), 2)).toThrow(/cumsum: dim 2 is out of range/);
    expect(() => cumprod(zeros([2, 3]), undefined as unknown as number)).toThrow(/cumprod: dim is required/);
    expect(() => logcumsumexp(tensor([1, 2], { dtype: 'int32' }), 0)).toThrow(DTypeError);
    expect(() => cumsum(zeros([2]), 0, { dtpye: 'float64' } as never)).toThrow(/cumsum/);
  });
});

describe('cummax', () => {
  /** The running extreme of a line (`values`) or its index (`indices`), by a plain loop. */
  const ref = (isMax: boolean, want: 'values' | 'indices') => (line: number[]) => {
    let best = NaN;
    let bi = -1;
    return line.map((v, k) => {
      if (bi < 0 || (best === best && (v !== v || (isMax ? v >= best : v <= best)))) {
        best = v;
        bi = k;
      }
      return want === 'values' ? best : bi;
    });
  };

  it('match a plain loop (ties move to the later index, NaN sticks) for floats and ints', () => {
    const xs = [
      tensor([[1, 3, 3, 2, NaN, 5, 1], [0, -1, -1, 2, 2, 1, 7]], { dtype: 'float64' }),
      randn([3, 4, 2], { generator: new Generator(5) }),
      tensor([[3, 1, 3], [2, 2, 1]], { dtype: 'int32' }),
      randn([2, 0, 3]),
    ];
    for (const x of xs)
      for (const dim of [0, 1, -1]) {
        for (const [f, isMax] of [[cummax, true], [cummin, false]] as const) {
          const { values, indices } = f(x, dim);
          expect(values.dtype).toBe(x.dtype);
          expect(indices.dtype).toBe('int32');
          expect(flat(values)).toEqual(alongLines(x, dim, ref(isMax, 'values')));
          expect(flat(indices)).toEqual(alongLines(x, dim, ref(isMax, 'indices')));
        }
      }
    const t = randn([4, 5], { generator: new Generator(6) }).T;
    expect(cummax(t, 1).values).toBeAllClose(cummax(t.contiguous(), 1).values, { rtol: 0, atol: 0 });
  });

  it('send each gradient to the running extreme (accumulating), matching finite differences', () => {
    expect(gradcheck((a) => cummax(a, 1).values, [f64([3, 5])]).ok).toBe(true);
    expect(gradcheck((a) => cummin(a, -1).values, [f64([2, 3, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => cummax(a, 0).values.pow(2), [f64([4, 3])]).ok).toBe(true);
    const x = tensor([1, 3, 2, 0], { requiresGrad: true });
    cummax(x, 0).values.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 3, 0, 0]);
  });

  it('treat a 0-d tensor as one element, gradient included', () => {
    const x = tensor(3, { requiresGrad: true });
    const { values, indices } = cummax(x, 0);
    expect([values.shape, indices.item()]).toEqual([[], 0]);
    values.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('refuse an out-of-range dim', () => {
    expect(() => cummax(zeros([4]), 1)).toThrow(/cummax: dim 1 is out of range/);
  });
});

describe('sort', () => {
  const asc = (a: number, b: number) => (a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a - b);
  const sortIdx = (line: number[], desc: boolean) =>
    line.map((_, i) => i).sort((i, j) => (desc ? asc(line[j]!, line[i]!) || i - j : asc(line[i]!, line[j]!) || i - j));

  it('match a stable plain sort with NaN largest, ascending and descending, on strided views and empty dims', () => {
    const base = tensor([[3, NaN, 1, 2, 1], [0, -Infinity, Infinity, 0, NaN], [5, 5, 5, -1, 2]], { dtype: 'float64' });
    const xs = [base, base.T, randn([2, 3, 4], { generator: new Generator(7) }), tensor([[2, 1, 2], [0, 0, -3]], { dtype: 'int32' }), zeros([2, 0])];
    for (const x of xs)
      for (const dim of [0, -1])
        for (const descending of [false, true]) {
          const { values, indices } = sort(x, dim, { descending });
          const idx = alongLines(x, dim, (l) => sortIdx(l, descending));
          expect(flat(indices)).toEqual(idx);
          expect(flat(values)).toEqual(alongLines(x, dim, (l) => sortIdx(l, descending).map((i) => l[i]!)));
          expect(argsort(x, dim, { descending }).toArray()).toEqual(indices.toArray());
          expect(values.dtype).toBe(x.dtype);
        }
  });

  it('orders float32 keys exactly: -0 ties with 0 (input order kept), every NaN payload last, int32 extremes, bool', () => {
    const bits = new Uint32Array([0x7fc00000, 0xffc00001, 0x7f800001, 0x80000000, 0, 0xff800000, 0x7f800000, 0x00000001, 0x80000001]);
    const x = Tensor.fromData(new Float32Array(bits.buffer), [9], 'float32');
    const { values, indices } = sort(x);
    expect(indices.toArray()).toEqual([5, 8, 3, 4, 7, 6, 0, 1, 2]);
    expect(flat(values).slice(0, 6)).toEqual([-Infinity, -1.401298464324817e-45, -0, 0, 1.401298464324817e-45, Infinity]);
    expect(sort(x, 0, { descending: true }).indices.toArray()).toEqual([0, 1, 2, 6, 7, 3, 4, 8, 5]);
    const ints = tensor([2147483647, -2147483648, 0, -1, 2147483647], { dtype: 'int32' });
    expect(sort(ints).values.toArray()).toEqual([-2147483648, -1, 0, 2147483647, 2147483647]);
    expect(sort(ints, 0, { descending: true }).indices.toArray()).toEqual([0, 4, 2, 3, 1]);
    expect(sort(tensor([true, false, true])).indices.toArray()).toEqual([1, 0, 2]);
  });

  it('topk selects the same elements as a full sort, ties in index order', () => {
    const x = tensor(Array.from({ length: 300 }, (_, i) => ((i * 37) % 11) - 5), { dtype: 'float32' }).reshape([3, 100]);
    for (const largest of [true, false])
      for (const k of [1, 5, 17, 100]) {
        const s = sort(x, 1, { descending: largest });
        const t = topk(x, k, 1, { largest });
        expect(t.indices.toArray()).toEqual(s.indices.narrow(1, 0, k).toArray());
        expect(t.values.toArray()).toEqual(s.values.narrow(1, 0, k).toArray());
      }
  });

  it('sorts along the last dim by default and handles 0-d tensors', () => {
    expect(sort(tensor([[2, 1], [0, 3]])).values.toArray()).toEqual([[1, 2], [0, 3]]);
    expect(sort(tensor(4)).values.item()).toBe(4);
    expect(sort(tensor(4)).indices.shape).toEqual([]);
  });

  it('routes the gradient to the elements it sorted', () => {
    expect(gradcheck((a) => sort(a, 1, { descending: true }).values, [f64([3, 5])]).ok).toBe(true);
    expect(gradcheck((a) => sort(a, 0).values.pow(2), [f64([4, 2])]).ok).toBe(true);
    expect(gradgradcheck((a) => sort(a, 0).values.pow(2), [f64([4, 2])]).ok).toBe(true);
  });

  it('sorts a large line in O(n log n) time with the same result as a plain sort', () => {
    const x = randn([20000], { generator: new Generator(9) });
    const got = flat(sort(x).values);
    const want = flat(x).sort((a, b) => a - b);
    expect(got).toEqual(want);
  });

  it('refuse bad dims and options, naming the op', () => {
    expect(() => sort(zeros([2, 3]), 2)).toThrow(/sort: dim 2 is out of range/);
    expect(() => sort(zeros([2]), 0, true as never)).toThrow(/sort/);
    expect(() => argsort(zeros([2]), 0, { decending: true } as never)).toThrow(/argsort/);
  });
});

describe('topk', () => {
  it('pick the k largest or smallest, sorted, with NaN largest', () => {
    const x = tensor([[1, 5, NaN, 4], [2, 2, 0, 7]]);
    let r = topk(x, 2);
    expect(r.values.toArray()).toEqual([[NaN, 5], [7, 2]]);
    expect(r.indices.toArray()).toEqual([[2, 1], [3, 0]]);
    r = topk(x, 3, 1, { largest: false });
    expect(r.values.toArray()).toEqual([[1, 4, 5], [0, 2, 2]]);
    r = topk(x, 1, 0);
    expect(r.values.toArray()).toEqual([[2, 5, NaN, 7]]);
    expect(topk(x, 0).values.shape).toEqual([2, 0]);
    expect(topk(tensor(3), 1).values.shape).toEqual([]);
    expect(gradcheck((a) => topk(a, 2, -1).values, [f64([3, 5])]).ok).toBe(true);
    expect(gradgradcheck((a) => topk(a, 2, -1).values.pow(2), [f64([3, 5])]).ok).toBe(true);
  });

  it('kthvalue picks the k-th smallest (1-based), with keepdim', () => {
    const x = randn([3, 6], { dtype: 'float64', generator: new Generator(2) });
    for (let k = 1; k <= 6; k++) {
      const { values, indices } = kthvalue(x, k, 1);
      expect(flat(values)).toEqual(alongLines(x, 1, (l) => [[...l].sort((a, b) => a - b)[k - 1]!]));
      expect(flat(x.gather(1, indices.unsqueeze(1)))).toEqual(flat(values));
    }
    expect(kthvalue(x, 2, 0, { keepdim: true }).values.shape).toEqual([1, 6]);
    expect(gradcheck((a) => kthvalue(a, 2, 0).values, [f64([3, 4])]).ok).toBe(true);
  });

  it('refuse k out of range', () => {
    expect(() => topk(zeros([3]), 4)).toThrow(/topk: k 4 is out of range for dim -1 of size 3/);
    expect(() => kthvalue(zeros([3]), 0)).toThrow(/kthvalue: k 0 is out of range \[1, 3\]/);
  });
});

describe('median', () => {
  it('median is the lower median, NaN if the slice has one (index of the first NaN)', () => {
    expect(median(tensor([4, 1, 3, 2])).item()).toBe(2);
    expect(median(tensor([4, NaN, 3])).item()).toBeNaN();
    const { values, indices } = median(tensor([[4, 1, 3], [NaN, 0, NaN], [1, 2, 2]]), 1);
    expect(values.toArray()).toEqual([3, NaN, 2]);
    expect(indices.toArray()).toEqual([2, 0, 1]);
    expect(median(zeros([2, 3]), 0, { keepdim: true }).values.shape).toEqual([1, 3]);
    const x = randn([5, 7], { dtype: 'float64', generator: new Generator(8) });
    expect(flat(median(x, 0).values)).toEqual(alongLines(x, 0, (l) => [[...l].sort((a, b) => a - b)[2]!]));
  });

  it('nanmedian ignores NaN, giving NaN only for all-NaN slices', () => {
    expect(nanmedian(tensor([4, NaN, 1, 3])).item()).toBe(3);
    const { values, indices } = nanmedian(tensor([[NaN, 2, 1, NaN], [NaN, NaN, NaN, NaN]]), 1);
    expect(values.toArray()).toEqual([1, NaN]);
    expect(indices.toArray()).toEqual([2, 0]);
  });

  it("median's gradient: to the chosen element with dim, shared by ties without dim (as PyTorch)", () => {
    const x = tensor([2, 1, 2, 2], { requiresGrad: true });
    median(x).backward();
    expect(x.grad!).toBeAllClose([1 / 3, 0, 1 / 3, 1 / 3]);
    expect(gradcheck((a) => median(a, 1).values, [f64([3, 5])]).ok).toBe(true);
    expect(gradcheck((a) => nanmedian(a, 0).values, [f64([4, 3])]).ok).toBe(true);
    expect(gradcheck((a) => median(a), [f64([3, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => median(a, 0).values.pow(2), [f64([3, 3])]).ok).toBe(true);
  });

  it('mode is the smallest most frequent value with its last index', () => {
    let r = mode(tensor([3, 1, 3, 1, 2]));
    expect([r.values.item(), r.indices.item()]).toEqual([1, 3]);
    r = mode(tensor([[2, 1], [2, 2]]), 0);
    expect(r.values.toArray()).toEqual([2, 1]);
    expect(r.indices.toArray()).toEqual([1, 0]);
    r = mode(tensor([1, NaN, NaN]));
    expect(r.values.item()).toBe(1);
    r = mode(tensor([[5, 5, 1]], { dtype: 'int32' }), 1, { keepdim: true });
    expect(r.values.toArray()).toEqual([[5]]);
    expect(gradcheck((a) => mode(a, 1).values, [f64([2, 3])]).ok).toBe(true);
  });

  it('refuse empty slices', () => {
    expect(() => median(zeros([0]))).toThrow(/median: cannot reduce an empty tensor/);
    expect(() => median(zeros([2, 0]), 1)).toThrow(/median: cannot reduce over dim 1 of size 0/);
    expect(() => mode(zeros([0]))).toThrow(/mode: cannot reduce over dim 0 of size 0/);
  });
});

describe('quantile', () => {
  /** numpy's definitions of the five methods at rank q (n - 1) of a sorted array. */
  function refQuantile(line: number[], q: number, how: string): number {
    const s = [...line].sort((a, b) => a - b);
    if (s.some((v) => v !== v)) return NaN;
    const r = q * (s.length - 1);
    const lo = Math.floor(r);
    const hi = Math.ceil(r);
    if (how === 'lower') return s[lo]!;
    if (how === 'higher') return s[hi]!;
    if (how === 'nearest') return s[Math.abs(r % 1) === 0.5 ? (lo % 2 === 0 ? lo : hi) : Math.round(r)]!;
    if (how === 'midpoint') return (s[lo]! + s[hi]!) / 2;
    return s[lo]! + (r - lo) * (s[hi]! - s[lo]!);
  }

  it('match the definitions for every interpolation, number and tensor q, with and without dim', () => {
    const x = randn([3, 6], { dtype: 'float64', generator: new Generator(11) });
    for (const how of ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const)
      for (const q of [0, 0.1, 0.5, 0.7, 1]) {
        expect(flat(quantile(x, q, 1, { interpolation: how }))).toBeAllClose(alongLines(x, 1, (l) => [refQuantile(l, q, how)]), { rtol: 1e-12, atol: 1e-12 });
        expect(quantile(x, q, undefined, { interpolation: how }).item()).toBeCloseTo(refQuantile(flat(x), q, how), 12);
      }
    const qs = tensor([0.25, 0.5, 0.9], { dtype: 'float64' });
    const r = quantile(x, qs, 0);
    expect(r.shape).toEqual([3, 6]);
    expect(flat(r.select(0, 2))).toBeAllClose(alongLines(x, 0, (l) => [refQuantile(l, 0.9, 'linear')]));
    expect(quantile(x, qs, 1, { keepdim: true }).shape).toEqual([3, 3, 1]);
    expect(quantile(x, 0.5, undefined, { keepdim: true }).shape).toEqual([1, 1]);
    expect(quantile(x, qs).shape).toEqual([3]);
  });

  it('give NaN for slices with NaN; nanquantile ignores NaN', () => {
    const x = tensor([[1, NaN, 3, 2], [NaN, NaN, NaN, NaN], [4, 3, 2, 1]]);
    expect(quantile(x, 0.5, 1).toArray()).toEqual([NaN, NaN, 2.5]);
    expect(nanquantile(x, 0.5, 1).toArray()).toEqual([2, NaN, 2.5]);
  });

  it('route the gradient with the interpolation weights', () => {
    expect(gradcheck((a) => quantile(a, 0.3, 1), [f64([3, 5])]).ok).toBe(true);
    expect(gradcheck((a) => quantile(a, tensor([0.2, 0.75], { dtype: 'float64' }), 0, { interpolation: 'midpoint' }), [f64([4, 3])]).ok).toBe(true);
    expect(gradcheck((a) => nanquantile(a, 0.6), [f64([3, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => quantile(a, 0.3, 1).pow(2), [f64([3, 5])]).ok).toBe(true);
  });

  it('refuse q outside [0, 1], integer inputs and empty inputs', () => {
    expect(() => quantile(tensor([1, 2]), 1.5)).toThrow(/quantile: q values must be in \[0, 1\], got 1.5/);
    expect(() => quantile(tensor([1, 2], { dtype: 'int32' }), 0.5)).toThrow(DTypeError);
    expect(() => quantile(zeros([0]), 0.5)).toThrow(/quantile: input must be non-empty/);
    expect(() => nanquantile(tensor([1]), 0.5, 0, { interpolation: 'cubic' } as never)).toThrow(/nanquantile/);
  });
});

// One block per op for the coverage table (the tests above exercise several ops at once).
describe('cumprod', () => {
  it('has gradients matching finite differences, twice, also through zeros', () => {
    expect(gradcheck((a) => cumprod(a, -1), [f64([2, 4])]).ok).toBe(true);
    const x = tensor([[0, 2, 0.5], [1.5, 0, 0]], { dtype: 'float64', requiresGrad: true });
    expect(gradgradcheck((a) => cumprod(a, 1), [x]).ok).toBe(true);
  });
});

describe('logcumsumexp', () => {
  it('has gradients matching finite differences, twice, with large inputs', () => {
    const x = tensor([[500, 1, 499.5], [-3, 0.5, 2]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => logcumsumexp(a, 1), [x]).ok).toBe(true);
    expect(gradgradcheck((a) => logcumsumexp(a, 0), [f64([3, 2])]).ok).toBe(true);
  });
});

describe('cummin', () => {
  it('has gradients matching finite differences', () => {
    expect(gradcheck((a) => cummin(a, 0).values, [f64([4, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => cummin(a, 0).values.pow(2), [f64([4, 3])]).ok).toBe(true);
  });
});

describe('argsort', () => {
  it('returns int32 indices that sort x (no gradient)', () => {
    const x = randn([3, 5], { generator: new Generator(13) });
    expect(flat(x.gather(1, argsort(x, 1)))).toEqual(flat(sort(x, 1).values));
    expect(argsort(x).dtype).toBe('int32');
  });
});

describe('kthvalue', () => {
  it('has gradients matching finite differences, twice', () => {
    expect(gradcheck((a) => kthvalue(a, 2, -1).values, [f64([3, 4])]).ok).toBe(true);
    expect(gradgradcheck((a) => kthvalue(a, 2, -1).values.pow(2), [f64([3, 4])]).ok).toBe(true);
  });
});

describe('nanmedian', () => {
  it('has gradients matching finite differences', () => {
    expect(gradcheck((a) => nanmedian(a, 1).values, [f64([3, 4])]).ok).toBe(true);
    expect(gradcheck((a) => nanmedian(a), [f64([3, 3])]).ok).toBe(true);
    expect(gradgradcheck((a) => nanmedian(a, 1).values.pow(2), [f64([3, 4])]).ok).toBe(true);
  });
});

describe('mode', () => {
  it('has gradients matching finite differences, twice (distinct values: a repeated mode is not differentiable)', () => {
    const x = tensor([[1, 2, 1.5], [3, 4, 0.5]], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => mode(a, 1).values, [x]).ok).toBe(true);
    expect(gradgradcheck((a) => mode(a, 1).values.pow(2), [x]).ok).toBe(true);
  });
});

describe('nanquantile', () => {
  it('has gradients matching finite differences, twice', () => {
    expect(gradcheck((a) => nanquantile(a, 0.4, 0), [f64([5, 2])]).ok).toBe(true);
    expect(gradgradcheck((a) => nanquantile(a, 0.4, 0).pow(2), [f64([5, 2])]).ok).toBe(true);
  });
});

describe('scan and sort kernels', () => {
  it('give the same results on the wasm backend (which uses the reference kernels) and js', () => {
    const prev = getBackend();
    const x = randn([3, 40], { generator: new Generator(12) });
    const a = [flat(cumsum(x, 1)), flat(sort(x, 1).values), flat(cummax(x, 0).indices)];
    setBackend('js');
    try {
      expect([flat(cumsum(x, 1)), flat(sort(x, 1).values), flat(cummax(x, 0).indices)]).toEqual(a);
    } finally {
      setBackend(prev);
    }
    expect(arange(3).shape).toEqual([3]);
  });
});
