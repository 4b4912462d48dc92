import { describe, expect, it } from 'vitest';
import { Generator, gelu, grad, gradcheck, gradgradcheck, randn, tensor, type Tensor } from '@tapegrad/core';

// gelu's backward is one primitive, geluBackward(g, x) = g gelu'(x), computed by one kernel
// (geluGrad / geluTanhGrad); its own backward is in tensor ops, so higher orders still work.

/** A float64 leaf over roughly [-6, 6] requiring grad. */
function input(shape: number[], seed: number): Tensor {
  const raw = randn(shape, { dtype: 'float64', generator: new Generator(seed) }).data;
  return tensor(Float64Array.from(raw, (v) => 2.5 * v), { shape, dtype: 'float64', requiresGrad: true });
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
/** gelu'' in float64, by the closed forms (independent of the op's tensor-op rule). */
function second(x: number, approximate: 'none' | 'tanh'): number {
  if (approximate === 'none') return phi(x) * (2 - x * x);
  const h = 1e-4; // central difference of the tanh form's first derivative
  const d1 = (v: number) => {
    const t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v ** 3));
    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
  };
  return (d1(x + h) - d1(x - h)) / (2 * h);
}

describe('geluBackward', () => {
  for (const approximate of ['none', 'tanh'] as const) {
    it(`passes gradcheck and gradgradcheck in float64 (approximate: '${approximate}')`, () => {
      gradcheck((a) => gelu(a, { approximate }), [input([3, 7], 21)]);
      gradgradcheck((a) => gelu(a, { approximate }), [input([3, 7], 22)]);
      gradgradcheck((a) => gelu(a, { approximate }).mul(a), [input([2, 5], 23)]);
    });

    it(`is one geluBackward node whose derivative is gelu'' (approximate: '${approximate}')`, () => {
      const x = input([40], 24);
      const [dx] = grad(gelu(x, { approximate }).sum(), [x], { createGraph: true });
      expect(dx!.gradFn!.name).toBe('geluBackward');
      const [d2x] = grad(dx!.sum(), [x]);
      const want = Array.from(x.detach().data as Float64Array, (v) => second(v, approximate));
      expect(d2x!).toBeAllClose(want, { rtol: 1e-6, atol: 1e-7 });
    });

    it(`gives float32 gradients within float32 rounding of float64 ones (approximate: '${approximate}')`, () => {
      const x64 = input([4, 257], 25);
      const x32 = tensor(Float32Array.from(x64.detach().data as Float64Array), { shape: [4, 257], requiresGrad: true });
      const w = randn([4, 257], { dtype: 'float64', generator: new Generator(26) });
      gelu(x64, { approximate }).mul(w).sum().backward();
      gelu(x32, { approximate }).mul(w.to('float32')).sum().backward();
      expect(x32.grad!).toBeAllClose(x64.grad!, { rtol: 1e-5, atol: 1e-6 });
    });
  }
});
