import { afterEach, describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, fusedLinear, getBackend, grad, gradcheck, gradgradcheck, nativeStatus, randn, setBackend,
} from '@tapegrad/core';
import { firstGrad } from './first-grad.js';

// The fused linear primitive, x Wᵀ + b in one kernel (issue 19): values and gradients against
// the composite on each backend, gradients to third order in float64, and what it refuses.

const initial = getBackend();
afterEach(() => setBackend(initial));
const backends = ['js', 'wasm', ...(nativeStatus().available ? ['native'] : [])];
const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });


describe('fusedLinear', () => {
  for (const be of backends) {
    it(`equals x.matmul(W.T).add(b), forward and backward, on 1-D to 3-D and transposed inputs, long depths included (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [xs, out] of [[[7], 3], [[5, 9], 4], [[2, 3, 17], 33], [[64, 1000], 20], [[4, 0], 3], [[0, 5], 2]] as Array<[number[], number]>) {
          const g = new Generator(xs.length * 31 + out);
          const x = randn(xs, { dtype, generator: g }).requiresGrad_();
          const w = randn([out, xs[xs.length - 1]!], { dtype, generator: g }).requiresGrad_();
          const b = randn([out], { dtype, generator: g }).requiresGrad_();
          for (const input of [x, x.ndim === 2 ? x.T.contiguous().T : x]) {
            const got = fusedLinear(input, w, b), want = input.matmul(w.T).add(b);
            const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-4 } : { rtol: 1e-12, atol: 1e-12 };
            expect(got).toBeAllClose(want, tol);
            if (got.numel() === 0) continue;
            const go = randn(got.shape, { dtype, generator: g });
            const gf = grad(got, [x, w, b], { gradOutputs: go, retainGraph: true }), gw = grad(want, [x, w, b], { gradOutputs: go });
            gf.forEach((t, i) => expect(t).toBeAllClose(gw[i]!, tol));
          }
        }
    });
  }

  it('passes gradcheck, gradgradcheck and a third-order check in float64', () => {
    for (const xs of [[4], [3, 5], [2, 3, 5]]) {
      const ins = [f64(xs, 1), f64([2, xs[xs.length - 1]!], 2), f64([2], 3)];
      expect(gradcheck(fusedLinear, ins).ok).toBe(true);
      expect(gradgradcheck(fusedLinear, ins).ok).toBe(true);
      expect(gradcheck(firstGrad(fusedLinear), ins).ok).toBe(true);
    }
  });

  it('refuses mixed or integer dtypes and shapes that do not fit, naming them', () => {
    const x = randn([2, 3]), w = randn([4, 3]), b = randn([4]);
    expect(() => fusedLinear(x, w.double(), b)).toThrow(DTypeError);
    expect(() => fusedLinear(x, w.double(), b)).toThrow(/fusedLinear: input, weight and bias must have one float dtype, got float32, float64, float32/);
    expect(() => fusedLinear(x, randn([4, 2]), b)).toThrow(ShapeError);
    expect(() => fusedLinear(x, w, randn([3]))).toThrow(/fusedLinear: expected input \[\*, in\], weight \[out, in\] and bias \[out\], got input.shape=\[2,3\], weight.shape=\[4,3\], bias.shape=\[3\]/);
  });
});
