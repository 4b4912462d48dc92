import { afterEach, describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, Tensor, fusedLstmCell, getBackend, grad, gradcheck, gradgradcheck, nativeStatus, randn, setBackend,
} from '@tapegrad/core';
import { firstGrad } from './first-grad.js';

// The fused LSTM cell primitive (issue 19: LSTM gates on the hot path): h1 and c1 and their
// gradients against the step written in tensor ops on each backend, gradients to third order in
// float64, and what it refuses.

const initial = getBackend();
afterEach(() => setBackend(initial));
const backends = ['js', 'wasm', ...(nativeStatus().available ? ['native'] : [])];

/** One LSTM step's pointwise part in tensor ops (nn's former code). */
function composite(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gi.add(gh).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const c1 = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(c1.tanh()), c1];
}

describe('fusedLstmCell', () => {
  for (const be of backends) {
    it(`equals the step in tensor ops, forward and backward, with gates sliced from a larger tensor (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [b, H] of [[1, 1], [3, 5], [32, 256], [0, 4]]) {
          const g = new Generator(b! * 13 + H!);
          const all = randn([b! + 2, 4 * H!], { dtype, generator: g }).requiresGrad_();
          const gi = all.narrow(0, 1, b!);
          const gh = randn([b!, 4 * H!], { dtype, generator: g }).requiresGrad_();
          const c = randn([b!, H!], { dtype, generator: g }).mul(2).requiresGrad_();
          const [h1, c1] = fusedLstmCell(gi, gh, c);
          const [wh, wc] = composite(gi, gh, c);
          const tol = dtype === 'float32' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-13 };
          expect(h1).toBeAllClose(wh, tol);
          expect(c1).toBeAllClose(wc, tol);
          if (b === 0) continue;
          const gh1 = randn([b!, H!], { dtype, generator: g }), gc1 = randn([b!, H!], { dtype, generator: g });
          const got = grad(h1.mul(gh1).add(c1.mul(gc1)).sum(), [all, gh, c]);
          const want = grad(wh.mul(gh1).add(wc.mul(gc1)).sum(), [all, gh, c]);
          got.forEach((t, k) => expect(t).toBeAllClose(want[k]!, tol));
        }
    });
  }

  it('passes gradcheck, gradgradcheck and a third-order check in float64, through h1 and c1', () => {
    const f = (gi: Tensor, gh: Tensor, c: Tensor) => {
      const [h1, c1] = fusedLstmCell(gi, gh, c);
      return h1.mul(2).add(c1.tanh());
    };
    const mk = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });
    const ins = [mk([3, 8], 1), mk([3, 8], 2), mk([3, 2], 3)];
    expect(gradcheck(f, ins).ok).toBe(true);
    expect(gradgradcheck(f, ins).ok).toBe(true);
    expect(gradcheck(firstGrad(f), ins).ok).toBe(true);
  });

  it('refuses mixed or integer dtypes and shapes other than [b, 4H], [b, 4H], [b, H], naming them', () => {
    const gi = randn([2, 8]), c = randn([2, 2]);
    expect(() => fusedLstmCell(gi, gi.double(), c)).toThrow(DTypeError);
    expect(() => fusedLstmCell(gi, gi.double(), c)).toThrow(/fusedLstmCell: gi, gh and c must have one float dtype, got float32, float64, float32/);
    expect(() => fusedLstmCell(gi, gi, randn([2, 3]))).toThrow(ShapeError);
    expect(() => fusedLstmCell(gi, randn([3, 8]), c)).toThrow(/fusedLstmCell: expected gi and gh \[b, 4H\] and c \[b, H\], got gi.shape=\[2,8\], gh.shape=\[3,8\], c.shape=\[2,2\]/);
    expect(() => fusedLstmCell(gi, gi, randn([2]))).toThrow(ShapeError);
  });
});
