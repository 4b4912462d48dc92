import { describe, expect, it } from 'vitest';
import { ValueError, tensor, type Tensor } from '@tapegrad/core';
import { clipGradNorm_, clipGradValue_ } from '@tapegrad/optim';

const G1 = [3, -4, 1];
const G2 = [[2, 0], [-6, 0.5]];

function withGrads(): [Tensor, Tensor, Tensor] {
  const a = tensor([0, 0, 0], { dtype: 'float64', requiresGrad: true });
  const b = tensor([[0, 0], [0, 0]], { dtype: 'float64', requiresGrad: true });
  const c = tensor([1], { dtype: 'float64', requiresGrad: true }); // no grad: ignored
  a.grad = tensor(G1, { dtype: 'float64' });
  b.grad = tensor(G2, { dtype: 'float64' });
  return [a, b, c];
}

const all = [...G1, ...G2.flat()];

describe('clipGradNorm_', () => {
  it('returns the 2-norm of all gradients together and scales them by maxNorm / (total + 1e-6)', () => {
    const params = withGrads();
    const total = Math.sqrt(all.reduce((s, g) => s + g * g, 0));
    expect(clipGradNorm_(params, 2)).toBeCloseTo(total, 13);
    const k = 2 / (total + 1e-6);
    expect(params[0].grad!).toBeAllClose(G1.map((g) => g * k), { rtol: 1e-14 });
    expect(params[1].grad!).toBeAllClose(G2.map((r) => r.map((g) => g * k)), { rtol: 1e-14 });
    expect(params[2].grad).toBeNull();
    const after = [...params[0].grad!.data, ...params[1].grad!.data];
    expect(Math.hypot(...after)).toBeCloseTo(2, 5);
  });

  it('leaves the gradients alone when the norm is within maxNorm', () => {
    const params = withGrads();
    expect(clipGradNorm_(params, 100)).toBeCloseTo(Math.hypot(...all), 13);
    expect(params[0].grad!).toBeAllClose(G1, { atol: 0, rtol: 0 });
  });

  it('supports the 1-norm, a 3-norm and the infinity norm', () => {
    let params = withGrads();
    const l1 = all.reduce((s, g) => s + Math.abs(g), 0);
    expect(clipGradNorm_(params, 1, { normType: 1 })).toBeCloseTo(l1, 13);
    expect(params[0].grad!).toBeAllClose(G1.map((g) => g / (l1 + 1e-6)), { rtol: 1e-14 });
    params = withGrads();
    expect(clipGradNorm_(params, 1, { normType: 3 })).toBeCloseTo(all.reduce((s, g) => s + Math.abs(g) ** 3, 0) ** (1 / 3), 12);
    params = withGrads();
    expect(clipGradNorm_(params, 3, { normType: Infinity })).toBe(6);
    expect(params[1].grad!).toBeAllClose(G2.map((r) => r.map((g) => (g * 3) / (6 + 1e-6))), { rtol: 1e-14 });
  });

  it('returns 0 when no parameter has a gradient', () => {
    expect(clipGradNorm_([tensor([1], { requiresGrad: true })], 1)).toBe(0);
  });

  it('throws for a non-finite norm with errorIfNonfinite, naming the norm', () => {
    const params = withGrads();
    params[0].grad = tensor([NaN, 1, 2], { dtype: 'float64' });
    expect(() => clipGradNorm_(params, 1, { errorIfNonfinite: true })).toThrow(
      'clipGradNorm_: the total norm of order 2 of the gradients is NaN, so they cannot be clipped',
    );
    expect(clipGradNorm_(params, 1)).toBeNaN();
  });

  it('rejects a negative maxNorm and a non-positive normType, naming the value', () => {
    expect(() => clipGradNorm_(withGrads(), -1)).toThrow(ValueError);
    expect(() => clipGradNorm_(withGrads(), -1)).toThrow('clipGradNorm_: invalid maxNorm: -1 (maxNorm must be >= 0)');
    expect(() => clipGradNorm_(withGrads(), 1, { normType: 0 })).toThrow('clipGradNorm_: invalid normType: 0 (normType must be > 0 or Infinity)');
  });
});

describe('clipGradValue_', () => {
  it('clamps every gradient element into [-clipValue, clipValue] in place', () => {
    const params = withGrads();
    const g = params[1].grad!;
    const v = g.version;
    clipGradValue_(params, 2.5);
    expect(params[0].grad!).toBeAllClose([2.5, -2.5, 1], { atol: 0 });
    expect(params[1].grad).toBe(g);
    expect(g).toBeAllClose([[2, 0], [-2.5, 0.5]], { atol: 0 });
    expect(g.version).toBe(v + 1);
  });

  it('rejects a negative clipValue, naming it', () => {
    expect(() => clipGradValue_(withGrads(), -0.5)).toThrow('clipGradValue_: invalid clipValue: -0.5 (clipValue must be >= 0)');
  });
});
