import { afterEach, describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, Tensor, ValueError, fusedAttention, getBackend, grad, gradcheck, gradgradcheck, nativeStatus, randn, setBackend,
} from '@tapegrad/core';
import { firstGrad } from './first-grad.js';

// The fused attention primitive (issue 19: the transformer's hot path): forward and gradients
// against attention written in tensor ops, in float64 to gradcheck precision and to third
// order (the createGraph rule), on each backend that runs here; the shapes and dtypes it refuses.

const f64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

/** softmax(q kᵀ scale, keys j > i masked when causal) v in plain tensor ops. */
function composite(q: Tensor, k: Tensor, v: Tensor, scale: number, causal: boolean): Tensor {
  let s = q.matmul(k.transpose(-2, -1)).mul(scale);
  if (causal) {
    const L = q.shape[q.ndim - 2]!, S = k.shape[k.ndim - 2]!;
    const mask = new Uint8Array(L * S).map((_, t) => (t % S > Math.floor(t / S) ? 1 : 0));
    s = s.maskedFill(Tensor.fromData(mask, [L, S], 'bool'), -Infinity);
  }
  return s.softmax(-1).matmul(v);
}


const initial = getBackend();
afterEach(() => setBackend(initial));
const backends = ['js', 'wasm', ...(nativeStatus().available ? ['native'] : [])];

// [batch dims, L, S, E, Ev]
const SHAPES: Array<[number[], number, number, number, number]> = [[[], 4, 6, 3, 2], [[2], 5, 3, 4, 4], [[2, 1], 1, 1, 1, 1], [[1, 2], 3, 3, 2, 5]];

describe('fusedAttention', () => {
  for (const be of backends) {
    it(`equals attention in tensor ops, forward and backward, causal or not, in float32 and float64 (${be} backend)`, () => {
      setBackend(be);
      for (const dtype of ['float32', 'float64'] as const)
        for (const [batch, L, S, E, Ev] of [...SHAPES, [[3, 4], 64, 64, 32, 32] as [number[], number, number, number, number]])
          for (const causal of [false, true]) {
            const g = new Generator(L * 7 + S);
            const mk = (shape: number[]) => randn(shape, { dtype, generator: g }).requiresGrad_();
            const q = mk([...batch, L, E]), k = mk([...batch, S, E]), v = mk([...batch, S, Ev]);
            const go = randn([...batch, L, Ev], { dtype, generator: g });
            const scale = 1 / Math.sqrt(E);
            const got = fusedAttention(q, k, v, { scale, causal });
            const want = composite(q, k, v, scale, causal);
            const tol = dtype === 'float32' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-13 };
            expect(got).toBeAllClose(want, tol);
            const gFused = grad(got, [q, k, v], { gradOutputs: go });
            const gWant = grad(want, [q, k, v], { gradOutputs: go });
            gFused.forEach((x, i) => expect(x).toBeAllClose(gWant[i]!, tol));
          }
    });

    it(`passes gradcheck and gradgradcheck in float64, causal or not (${be} backend)`, () => {
      setBackend(be);
      for (const [batch, L, S, E, Ev] of SHAPES)
        for (const causal of [false, true]) {
          const f = (q: Tensor, k: Tensor, v: Tensor) => fusedAttention(q, k, v, { scale: 0.7, causal });
          const ins = [f64([...batch, L, E], 1), f64([...batch, S, E], 2), f64([...batch, S, Ev], 3)];
          expect(gradcheck(f, ins).ok).toBe(true);
          expect(gradgradcheck(f, ins).ok).toBe(true);
          expect(gradcheck(firstGrad(f), ins).ok).toBe(true);
        }
    });
  }

  it('reads heads sliced out of one packed projection where they lie, as a GPT passes them', () => {
    for (const be of backends) {
      setBackend(be);
      const [B, T, H, C] = [2, 7, 2, 8];
      const qkv = randn([B, T, 3 * C], { generator: new Generator(5), requiresGrad: true });
      const heads = (i: number) => qkv.narrow(2, i * C, C).reshape([B, T, H, C / H]).transpose(1, 2);
      const go = randn([B, H, T, C / H], { generator: new Generator(6) });
      const [got] = grad(fusedAttention(heads(0), heads(1), heads(2), { scale: 0.5, causal: true }), [qkv], { gradOutputs: go });
      const [want] = grad(composite(heads(0), heads(1), heads(2), 0.5, true), [qkv], { gradOutputs: go });
      expect(got).toBeAllClose(want!, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('gives empty and zero results for empty dims, as the composite', () => {
    for (const [batch, L, S, E, Ev] of [[[0], 2, 3, 2, 2], [[2], 0, 3, 2, 2], [[2], 3, 0, 2, 2], [[2], 3, 2, 0, 2]] as Array<[number[], number, number, number, number]>) {
      const q = f64([...batch, L, E], 1), k = f64([...batch, S, E], 2), v = f64([...batch, S, Ev], 3);
      const got = fusedAttention(q, k, v, { scale: 1, causal: false });
      expect(got).toBeAllClose(composite(q, k, v, 1, false), { rtol: 0, atol: 0 });
      if (got.numel() > 0) {
        got.sum().backward();
        expect(q.grad!.shape).toEqual(q.shape);
      }
    }
  });

  it('refuses mixed or integer dtypes and operands whose batch dims or sizes do not match, naming the shapes', () => {
    const q = randn([2, 3, 4]), k = randn([2, 5, 4]), v = randn([2, 5, 6]);
    expect(() => fusedAttention(q, k.double(), v, { scale: 1, causal: false })).toThrow(DTypeError);
    expect(() => fusedAttention(q, k.double(), v, { scale: 1, causal: false })).toThrow(/one float dtype, got float32, float64, float32/);
    expect(() => fusedAttention(q, randn([3, 5, 4]), randn([3, 5, 6]), { scale: 1, causal: false })).toThrow(ShapeError);
    expect(() => fusedAttention(q, randn([3, 5, 4]), randn([3, 5, 6]), { scale: 1, causal: false })).toThrow(/same batch dims, got query.shape=\[2,3,4\], key.shape=\[3,5,4\]/);
    expect(() => fusedAttention(q, randn([2, 5, 3]), v, { scale: 1, causal: false })).toThrow(/expected query \[\.\.\., L, E\], key \[\.\.\., S, E\]/);
    expect(() => fusedAttention(q, k, randn([2, 4, 6]), { scale: 1, causal: false })).toThrow(ShapeError);
    // both options are required and checked: no NaN scale from a missing one
    expect(() => fusedAttention(q, k, v, {} as never)).toThrow(/fusedAttention: option scale must be a finite number, got undefined/);
    expect(() => fusedAttention(q, k, v, { scale: Infinity, causal: false })).toThrow(ValueError);
    expect(() => fusedAttention(q, k, v, { scale: 1 } as never)).toThrow(/fusedAttention: option causal must be true or false, got undefined/);
    expect(() => fusedAttention(q, k, v, { scale: 1, causal: false, isCausal: true } as never)).toThrow(/fusedAttention: unknown option 'isCausal'/);
  });
});
