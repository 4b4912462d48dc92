import { afterEach, describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, enableGrad, ShapeError, ValueError, getBackend, grad, gradcheck, gradgradcheck, layerNorm, logSoftmax, ones,
  randn, setBackend, softmax, tensor, zeros, type Tensor,
} from '@tapegrad/core';

// The fused softmax / logSoftmax / layerNorm primitives (issue 18): forward against plain
// composites in float64, gradients to third order (the gradient primitives' own rules), on both
// backends, and the edge cases (NaN, infinities, empty slices).

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

/** The same function, differentiated once with createGraph against a fixed output gradient: its gradcheck checks third order. */
function firstGrad(f: (...xs: Tensor[]) => Tensor, seed = 7): (...xs: Tensor[]) => Tensor {
  // (gradcheck's finite differences call it under noGrad, on inputs that do not require grad)
  return (...xs) => enableGrad(() => {
    const ins = xs.map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_()));
    const y = f(...ins);
    const go = randn(y.shape, { dtype: 'float64', generator: new Generator(seed) });
    const gs = grad(y, ins, { gradOutputs: go, createGraph: true });
    return gs.reduce<Tensor>((acc, g, i) => acc.add(g!.mul(i + 1).sum()), zeros([], { dtype: 'float64' }));
  });
}

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

for (const be of ['js', 'wasm']) {
  describe(`softmax (${be} backend)`, () => {
    it('matches exp(x - logsumexp) along every dim, on transposed inputs too, in float32 and float64', () => {
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
    it('gives NaN for all -inf slices and NaN slices, exact 0 and -inf beside +inf, and empty results for empty inputs', () => {
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
    it('has gradients that pass gradcheck to third order in float64', () => {
      setBackend(be);
      for (const f of [softmax, logSoftmax]) {
        gradcheck((a) => f(a, 1), [f64([3, 5, 2])]);
        gradgradcheck((a) => f(a, -1), [f64([4, 6])]);
        gradcheck(firstGrad((a) => f(a, 0)), [f64([5, 3])]);
        gradgradcheck(firstGrad((a) => f(a, -1)), [f64([3, 4])]);
      }
    });
  });

  describe(`layerNorm (${be} backend)`, () => {
    it('matches the composite over 1 and 2 trailing dims, with and without weight and bias, on strided inputs', () => {
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
    it('passes gradcheck in x, weight and bias, and to second and third order', () => {
      setBackend(be);
      const x = f64([3, 4, 5], 1), w = f64([4, 5], 2), b = f64([4, 5], 3);
      gradcheck((a, ww, bb) => layerNorm(a, [4, 5], { weight: ww, bias: bb }), [x, w, b]);
      gradcheck((a) => layerNorm(a, 5), [x]);
      gradgradcheck((a, ww, bb) => layerNorm(a, 5, { weight: ww.select(0, 0), bias: bb.select(0, 0) }), [x, w, b]);
      gradgradcheck((a, ww) => layerNorm(a, [4, 5], { weight: ww, eps: 0.5 }), [x, w]);
      gradcheck(firstGrad((a, ww) => layerNorm(a, 5, { weight: ww.select(0, 1) })), [f64([2, 5], 4), f64([4, 5], 5)]);
      gradgradcheck(firstGrad((a, ww) => layerNorm(a, 5, { weight: ww })), [f64([2, 5], 6), f64([5], 7)], { atol: 1e-4 });
    });
    it('promotes to float64 when weight or bias is float64, and ignores the rows of a single element (output bias)', () => {
      setBackend(be);
      expect(layerNorm(ones([2, 3]), 3, { weight: ones([3], { dtype: 'float64' }) }).dtype).toBe('float64');
      expect(layerNorm(tensor([[5], [7]]), 1, { bias: tensor([2]) }).toArray()).toEqual([[2], [2]]);
    });
  });
}

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
