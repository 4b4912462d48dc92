import { afterEach, describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, ValueError, getBackend, gradcheck, gradgradcheck, layerNorm, logSoftmax, ones,
  randn, resampleAlong, setBackend, softmax, tensor, zeros, type Tensor,
} from '@tapegrad/core';
import { firstGrad } from './first-grad.js';

// The fused softmax / logSoftmax / layerNorm / resampleAlong primitives (issue 18): forward against plain
// composites in float64, gradients to third order (the gradient primitives' own rules), on both
// backends, and the edge cases (NaN, infinities, empty slices).

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });


/** layerNorm composed of plain ops (the former nn implementation), as a reference. */
function composite(x: Tensor, k: number, w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const xc = x.sub(x.mean(dims, { keepdim: true }));
  let y = xc.mul(xc.mul(xc).mean(dims, { keepdim: true }).add(eps).rsqrt());
  if (w) y = y.mul(w);
  if (b) y = y.add(b);
  return y;
}

const initial = getBackend();
afterEach(() => setBackend(initial));

describe('softmax', () => {
  for (const be of ['js', 'wasm']) {
    it(`matches exp(x - logsumexp) along every dim, on transposed inputs too, in float32 and float64 (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [shape, dim] of [[[5, 37], 1], [[5, 37], 0], [[3, 4, 33], 1], [[2, 3, 65], -1], [[1], 0]] as const) {
          const x = randn([...shape], { dtype, generator: new Generator(3) }).mul(3);
          const want = x.sub(x.logsumexp(dim, { keepdim: true }));
          const tol = dtype === 'float32' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-14 };
          expect(logSoftmax(x, dim)).toBeAllClose(want, tol);
          expect(softmax(x, dim)).toBeAllClose(want.exp(), tol);
          const xt = x.transpose(0, -1);
          const d = dim < 0 ? dim + x.ndim : dim;
          const dt = d === x.ndim - 1 ? 0 : d === 0 ? x.ndim - 1 : d;
          expect(softmax(xt, dt)).toBeAllClose(want.exp().transpose(0, -1), tol);
        }
    });
    it(`gives NaN for all -inf slices and NaN slices, exact 0 and -inf beside +inf, and empty results for empty inputs (${be} backend)`, () => {
      setBackend(be);
      const x = tensor([[-Infinity, -Infinity, -Infinity, -Infinity], [1, NaN, 2, 3], [Infinity, 1, 2, 3], [1000, -1000, 0, 5]]).repeat([1, 10]);
      const p = softmax(x).toArray() as number[][];
      const lp = logSoftmax(x).toArray() as number[][];
      expect(p[0]!.every(Number.isNaN) && p[1]!.every(Number.isNaN) && lp[0]!.every(Number.isNaN) && lp[1]!.every(Number.isNaN)).toBe(true);
      expect(Number.isNaN(p[2]![0]) && Number.isNaN(p[2]![4]) && p[2]![1] === 0).toBe(true);
      expect(Number.isNaN(lp[2]![0]) && lp[2]![1] === -Infinity).toBe(true);
      expect(p[3]![0]).toBeCloseTo(0.1, 6);
      expect(lp[3]![1]).toBeCloseTo(-2000 - Math.log(10), 3);
      expect(softmax(zeros([0, 5])).shape).toEqual([0, 5]);
      expect(logSoftmax(zeros([3, 0]), 1).shape).toEqual([3, 0]);
    });
    it(`has gradients that pass gradcheck to third order in float64 (${be} backend)`, () => {
      setBackend(be);
      for (const f of [softmax, logSoftmax]) {
        gradcheck((a) => f(a, 1), [f64([3, 5, 2])]);
        gradgradcheck((a) => f(a, -1), [f64([4, 6])]);
        gradcheck(firstGrad((a) => f(a, 0)), [f64([5, 3])]);
        gradgradcheck(firstGrad((a) => f(a, -1)), [f64([3, 4])]);
      }
    });
  }
});

describe('layerNorm', () => {
  for (const be of ['js', 'wasm']) {
    it(`matches the composite over 1 and 2 trailing dims, with and without weight and bias, on strided inputs (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [shape, k] of [[[4, 7, 33], 1], [[2, 3, 5, 4], 2], [[9], 1], [[3, 1], 1]] as const) {
          const g = new Generator(5);
          const x = randn([...shape], { dtype, generator: g }).mul(2).add(1);
          const norm = shape.slice(shape.length - k);
          const w = randn(norm, { dtype, generator: g });
          const b = randn(norm, { dtype, generator: g });
          const tol = dtype === 'float32' ? { rtol: 1e-5, atol: 2e-6 } : { rtol: 1e-12, atol: 1e-13 };
          for (const [ww, bb] of [[null, null], [w, null], [null, b], [w, b]] as const)
            expect(layerNorm(x, norm, { weight: ww, bias: bb })).toBeAllClose(composite(x, k, ww, bb, 1e-5), tol);
          // a transposed input with the same trailing shape
          const xt = randn([shape[shape.length - 1]!, ...shape.slice(0, -1)], { dtype, generator: g }).movedim(0, -1);
          expect(layerNorm(xt, norm, { weight: w, bias: b, eps: 0.1 })).toBeAllClose(composite(xt, k, w, b, 0.1), tol);
        }
    });
    it(`passes gradcheck in x, weight and bias, and to second and third order (${be} backend)`, () => {
      setBackend(be);
      const x = f64([3, 4, 5], 1), w = f64([4, 5], 2), b = f64([4, 5], 3);
      gradcheck((a, ww, bb) => layerNorm(a, [4, 5], { weight: ww, bias: bb }), [x, w, b]);
      gradcheck((a) => layerNorm(a, 5), [x]);
      gradgradcheck((a, ww, bb) => layerNorm(a, 5, { weight: ww.select(0, 0), bias: bb.select(0, 0) }), [x, w, b]);
      gradgradcheck((a, ww) => layerNorm(a, [4, 5], { weight: ww, eps: 0.5 }), [x, w]);
      gradcheck(firstGrad((a, ww) => layerNorm(a, 5, { weight: ww.select(0, 1) })), [f64([2, 5], 4), f64([4, 5], 5)]);
      gradgradcheck(firstGrad((a, ww) => layerNorm(a, 5, { weight: ww })), [f64([2, 5], 6), f64([5], 7)], { atol: 1e-4 });
    });
    it(`promotes to float64 when weight or bias is float64, and ignores the rows of a single element (output bias) (${be} backend)`, () => {
      setBackend(be);
      expect(layerNorm(ones([2, 3]), 3, { weight: ones([3], { dtype: 'float64' }) }).dtype).toBe('float64');
      expect(layerNorm(tensor([[5], [7]]), 1, { bias: tensor([2]) }).toArray()).toEqual([[2], [2]]);
    });
  }
});

/** resampleAlong by plain loops over [outer, L, inner] (x contiguous). */
function refResample(x: Tensor, dim: number, index: number[][], weights: number[][]): number[] {
  const xd = Array.from(x.contiguous().data as ArrayLike<number>);
  const L = x.shape[dim]!;
  const outer = x.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < index.length; i++)
      for (let r = 0; r < inner; r++) out.push(index[i]!.reduce((s, j, k) => s + weights[i]![k]! * xd[(o * L + j) * inner + r]!, 0));
  return out;
}

describe('resampleAlong', () => {
  for (const be of ['js', 'wasm']) {
    const index = [[0, 1], [2, 2], [4, 0], [1, 3], [3, 3], [0, 0], [2, 1]];
    const weights = [[0.25, 0.75], [1, 0], [0.5, -0.5], [0.1, 0.9], [2, 0], [0, 0], [0.3, 0.3]];
    const taps = () => [tensor(index, { dtype: 'int32' }), tensor(weights, { dtype: 'float64' })] as const;
    it(`sums the weighted taps along every dim, on transposed inputs and in float32 and float64 (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [shape, dim] of [[[5, 9, 7], 0], [[3, 5, 33], 1], [[6, 4, 5], 2], [[5], 0]] as const) {
          const x = randn([...shape], { dtype, generator: new Generator(2) });
          const [i, w] = taps();
          const y = resampleAlong(x, dim, i, w);
          expect(y.shape).toEqual(shape.map((d, k) => (k === dim ? 7 : d)));
          expect(y.dtype).toBe(dtype);
          expect(y.reshape([-1])).toBeAllClose(refResample(x, dim, index, weights), { rtol: 1e-5, atol: 1e-6 });
          const xt = x.ndim > 1 ? x.mT.contiguous().mT : x;
          expect(resampleAlong(xt, dim, i, w)).toBeAllClose(y, { rtol: 1e-6, atol: 1e-6 });
        }
    });
    it(`passes gradcheck and gradgradcheck in float64 (its gradient is the transposed resampling) (${be} backend)`, () => {
      setBackend(be);
      const [i, w] = taps();
      gradcheck((a) => resampleAlong(a, 1, i, w), [f64([3, 5, 4])]);
      gradcheck((a) => resampleAlong(a, 2, i, w).square(), [f64([2, 3, 5])]);
      gradgradcheck((a) => resampleAlong(a, 0, i, w).square(), [f64([5, 3])]);
      gradcheck(firstGrad((a) => resampleAlong(a, 1, i, w).tanh()), [f64([2, 5])]);
    });
  }
});

describe('resampleAlong errors', () => {
  it('names the shapes, dtypes and the index out of range', () => {
    const i = tensor([[0, 1]], { dtype: 'int32' });
    expect(() => resampleAlong(zeros([2, 3]), 1, i, tensor([1, 0]))).toThrow(ShapeError);
    expect(() => resampleAlong(zeros([2, 3]), 1, i, tensor([1, 0]))).toThrow('resampleAlong: index and weights must both be [M, K], got index.shape=[1,2], weights.shape=[2]');
    expect(() => resampleAlong(zeros([2, 3]), 1, tensor([[0, 1]]), tensor([[1, 0]]))).toThrow(DTypeError);
    expect(() => resampleAlong(zeros([2, 3]), 0, tensor([[0, 2]], { dtype: 'int32' }), tensor([[1, 0]]))).toThrow(
      'resampleAlong: index 2 is out of range for size 2 of dim 0 (x.shape=[2,3])',
    );
    expect(() => resampleAlong(zeros([2, 3]), 2, i, tensor([[1, 0]]))).toThrow(ValueError);
  });
});

describe('layerNorm errors', () => {
  it('names the shapes, the dtype and the bad normalizedShape', () => {
    expect(() => layerNorm(zeros([2, 3]), 4)).toThrow(ShapeError);
    expect(() => layerNorm(zeros([2, 3]), 4)).toThrow('layerNorm: normalizedShape=[4] expects input of shape [*, 4], got input.shape=[2,3]');
    expect(() => layerNorm(zeros([2, 3]), 3, { weight: zeros([2]) })).toThrow('layerNorm: weight.shape=[2] must be [3] for input.shape=[2,3]');
    expect(() => layerNorm(zeros([2, 3]), [])).toThrow(ValueError);
    expect(() => layerNorm(zeros([2, 3], { dtype: 'int32' }), 3)).toThrow(DTypeError);
    expect(() => layerNorm(zeros([2, 3]), 3, { epsilon: 1 } as never)).toThrow(ValueError);
  });
});
