import { describe, expect, it } from 'vitest';
import {
  Generator, Tensor, tensor, zeros, ones, full, manualSeed, DTypeError, ValueError,
  multinomial, bernoulli, normal, poisson, randLike, randnLike, randintLike,
} from '@tapegrad/core';

// The samplers draw from core's Generator, not PyTorch's, so there are no PyTorch fixtures: the
// checks are determinism under a fixed seed, shapes and dtypes, and statistics with bounds wide
// enough (about 5 sigma) that they hold for any seed, checked here at fixed seeds.

const N = 100_000;

function values(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number>);
}

function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

/** Pearson's chi-square of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((acc, o, i) => acc + (o - n * probs[i]!) ** 2 / (n * probs[i]!), 0);
}

/** A bound the chi-square of `dof` degrees of freedom exceeds with negligible probability. */
function chiBound(dof: number): number {
  return dof + 7 * Math.sqrt(2 * dof);
}

function expectMean(xs: ArrayLike<number>, mean: number, variance: number): void {
  const m = meanVar(xs);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / xs.length) + 1e-12);
}

describe('multinomial', () => {
  it('gives the same draws for the same seed and different draws for another', () => {
    const p = tensor([[1, 2, 3, 4], [4, 3, 2, 1]]);
    for (const replacement of [false, true]) {
      const a = multinomial(p, 3, { replacement, generator: new Generator(5) });
      const b = multinomial(p, 3, { replacement, generator: new Generator(5) });
      expect(a.toArray()).toEqual(b.toArray());
      const draws = (seed: number): number[] => values(multinomial(ones([50]), 20, { replacement, generator: new Generator(seed) }));
      expect(draws(1)).not.toEqual(draws(2));
    }
  });

  it('draws from the default generator seeded by manualSeed', () => {
    manualSeed(7);
    const a = values(multinomial(ones([100]), 10));
    manualSeed(7);
    expect(values(multinomial(ones([100]), 10))).toEqual(a);
  });

  it('returns int32 [numSamples] for [C] and [N, numSamples] for [N, C], float32 or float64 weights', () => {
    const a = multinomial(ones([5]), 3);
    expect(a.dtype).toBe('int32');
    expect(a.shape).toEqual([3]);
    const b = multinomial(ones([2, 5], { dtype: 'float64' }), 7, { replacement: true });
    expect(b.dtype).toBe('int32');
    expect(b.shape).toEqual([2, 7]);
    expect(multinomial(zeros([0, 3]), 2).shape).toEqual([0, 2]);
  });

  it('with replacement, draws categories with frequencies matching the normalised weights (chi-square)', () => {
    const w = [1, 0, 3, 6, 0.5, 9.5];
    const total = w.reduce((a, b) => a + b, 0);
    const d = values(multinomial(tensor(w, { dtype: 'float64' }), N, { replacement: true, generator: new Generator(11) }));
    const counts = w.map(() => 0);
    for (const k of d) counts[k]!++;
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBeGreaterThan(0);
    const nz = [0, 2, 3, 4, 5];
    expect(chiSquare(nz.map((i) => counts[i]!), nz.map((i) => w[i]! / total))).toBeLessThan(chiBound(nz.length - 1));
  });

  it('without replacement, draws distinct categories, never a zero-weight one, and all of them when numSamples is their count', () => {
    const w = tensor([[0, 1, 5, 0, 2, 0.1], [3, 0, 0, 1, 1, 1]]);
    const g = new Generator(3);
    for (let t = 0; t < 200; t++) {
      const rows = multinomial(w, 4, { generator: g }).toArray() as number[][];
      expect(new Set(rows[0]).size).toBe(4);
      expect(rows[0]!.sort()).toEqual([1, 2, 4, 5]);
      expect(new Set(rows[1]).size).toBe(4);
      expect(rows[1]!.sort()).toEqual([0, 3, 4, 5]);
    }
  });

  it('without replacement, orders draws as sequential draws that renormalise (pair frequencies, chi-square)', () => {
    // P(first = i, second = j) = p_i p_j / (1 - p_i)
    const p = [0.5, 0.3, 0.2];
    const rows = 20_000;
    const d = multinomial(tensor(p).expand([rows, 3]), 2, { generator: new Generator(9) }).toArray() as number[][];
    const pairs: Array<[number, number]> = [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]];
    const counts = pairs.map(() => 0);
    for (const [a, b] of d) counts[pairs.findIndex(([i, j]) => i === a && j === b)]!++;
    const probs = pairs.map(([i, j]) => (p[i]! * p[j]!) / (1 - p[i]!));
    expect(chiSquare(counts, probs)).toBeLessThan(chiBound(5));
  });

  it('handles many categories (C = 100000) with and without replacement', () => {
    const w = ones([100_000], { dtype: 'float64' });
    const a = values(multinomial(w, 1000, { generator: new Generator(1) }));
    expect(new Set(a).size).toBe(1000);
    const b = values(multinomial(w, 1000, { replacement: true, generator: new Generator(1) }));
    expect(Math.min(...b)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...b)).toBeLessThan(100_000);
  });

  it('refuses bad arguments with errors naming multinomial', () => {
    expect(() => multinomial(ones([2, 2, 2]), 1)).toThrow('multinomial: probs must be 1-D or 2-D, got shape [2,2,2]');
    expect(() => multinomial(ones([2]), 3)).toThrow('multinomial: cannot sample 3 > 2 categories without replacement');
    expect(() => multinomial(tensor([1, 0, 1]), 3)).toThrow('multinomial: cannot sample 3 > 2 non-zero categories of row 0 without replacement');
    expect(() => multinomial(tensor([1, -1]), 1)).toThrow('multinomial: probs must be finite and non-negative, got -1 at flat index 1');
    expect(() => multinomial(tensor([1, NaN]), 1)).toThrow(ValueError);
    expect(() => multinomial(tensor([1, Infinity]), 1)).toThrow(ValueError);
    expect(() => multinomial(tensor([[1, 1], [0, 0]]), 1, { replacement: true })).toThrow('multinomial: row 1 of probs sums to 0');
    expect(() => multinomial(ones([2]), 0)).toThrow('multinomial: numSamples must be a positive integer, got 0');
    expect(() => multinomial(ones([2]), 1.5)).toThrow(ValueError);
    expect(() => multinomial(zeros([0]), 1)).toThrow('multinomial: probs has no categories');
    expect(() => multinomial(tensor([1, 2], { dtype: 'int32' }), 1)).toThrow(DTypeError);
    expect(() => multinomial(ones([2]), 1, { replacment: true } as never)).toThrow(/multinomial: .*replacment/);
    expect(() => multinomial(ones([2]), 1, { generator: 3 } as never)).toThrow(/multinomial: .*generator/);
  });
});

describe('bernoulli', () => {
  it('draws 1 with probability p, keeping p\'s shape and dtype', () => {
    const p = tensor([0, 0.25, 0.9, 1], { dtype: 'float64' });
    const d = bernoulli(p.expand([N, 4]), { generator: new Generator(2) });
    expect(d.shape).toEqual([N, 4]);
    expect(d.dtype).toBe('float64');
    const cols = d.T.contiguous().reshape([4, N]);
    for (let j = 0; j < 4; j++) {
      const pj = [0, 0.25, 0.9, 1][j]!;
      const xs = cols.select(0, j).data;
      expect([...new Set(xs)].every((v) => v === 0 || v === 1)).toBe(true);
      expectMean(xs as Float64Array, pj, pj * (1 - pj));
    }
    expect(bernoulli(tensor([[0.5]])).dtype).toBe('float32');
  });

  it('is deterministic under a fixed seed, and as a Tensor method', () => {
    const p = full([200], 0.5);
    expect(values(bernoulli(p, { generator: new Generator(4) }))).toEqual(values(p.bernoulli({ generator: new Generator(4) })));
    expect(values(bernoulli(p, { generator: new Generator(4) }))).not.toEqual(values(bernoulli(p, { generator: new Generator(5) })));
  });

  it('refuses probabilities outside [0, 1], NaN and integer tensors', () => {
    expect(() => bernoulli(tensor([0.5, 1.5]))).toThrow('bernoulli: p must be in [0, 1], got 1.5 at flat index 1');
    expect(() => bernoulli(tensor([-0.1]))).toThrow(ValueError);
    expect(() => bernoulli(tensor([NaN]))).toThrow(ValueError);
    expect(() => bernoulli(tensor([1], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('normal', () => {
  it('broadcasts mean and std tensors, with each element N(mean, std²)', () => {
    const mean = tensor([-3, 0, 5], { dtype: 'float64' });
    const std = tensor([[0.5, 1, 2]], { dtype: 'float64' });
    const d = normal(mean.expand([N, 3]), std, { generator: new Generator(8) });
    expect(d.shape).toEqual([N, 3]);
    expect(d.dtype).toBe('float64');
    const cols = d.T.contiguous();
    for (let j = 0; j < 3; j++) {
      const xs = cols.select(0, j).data;
      const s = [0.5, 1, 2][j]!;
      expectMean(xs, [-3, 0, 5][j]!, s * s);
      const { variance } = meanVar(xs);
      expect(Math.abs(variance - s * s)).toBeLessThan(5 * Math.sqrt(2 / N) * s * s);
    }
    expect(normal(zeros([2, 1]), ones([3])).shape).toEqual([2, 3]);
  });

  it('takes a tensor and a number either way round, a tensor alone (std 1), or two numbers and a size', () => {
    expect(normal(tensor([5, 10]), 0).toArray()).toEqual([5, 10]);
    expect(normal(2, zeros([3])).toArray()).toEqual([2, 2, 2]);
    const alone = normal(zeros([N], { dtype: 'float64' }), { generator: new Generator(1) });
    expect(Math.abs(meanVar(alone.data).variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    const sized = normal(2, 3, [N], { generator: new Generator(1) });
    expect(sized.dtype).toBe('float32');
    expectMean(sized.data, 2, 9);
    expect(normal(0, 1, [2, 3], { dtype: 'float64', requiresGrad: true }).requiresGrad).toBe(true);
    expect(normal(0, 1, [2, 3], { dtype: 'float64' }).dtype).toBe('float64');
    expect(normal(zeros([2]), zeros([2], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('is deterministic under a fixed seed in every form', () => {
    const forms = [
      (g: Generator) => normal(zeros([20]), ones([20]), { generator: g }),
      (g: Generator) => normal(zeros([20]), 2, { generator: g }),
      (g: Generator) => normal(1, ones([20]), { generator: g }),
      (g: Generator) => normal(1, 2, [20], { generator: g }),
    ];
    for (const f of forms) {
      expect(values(f(new Generator(3)))).toEqual(values(f(new Generator(3))));
      expect(values(f(new Generator(3)))).not.toEqual(values(f(new Generator(4))));
    }
  });

  it('refuses a negative std, a missing size, integer tensors and non-broadcasting shapes', () => {
    expect(() => normal(zeros([2]), -1)).toThrow('normal: std must be >= 0, got -1');
    expect(() => normal(zeros([2]), tensor([1, -1]))).toThrow('normal: std must be >= 0, got -1 at flat index 1');
    expect(() => normal(0, -1, [2])).toThrow('normal: std must be >= 0, got -1');
    expect(() => normal(0, 1 as never)).toThrow('normal: with a number mean and std, give the size');
    expect(() => normal(tensor([1], { dtype: 'int32' }), 1)).toThrow(DTypeError);
    expect(() => normal(0, 1, [2], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => normal(zeros([2]), ones([3]))).toThrow(/^normal: /);
    expect(() => normal(zeros([2]), 1, { generator: {} } as never)).toThrow(/^normal: .*generator/);
  });
});

describe('poisson', () => {
  it('has mean and variance equal to the rate, for small (Knuth) and large (PTRS) rates', () => {
    for (const [seed, rate] of [[1, 0.3], [2, 4], [3, 9.99], [4, 10], [5, 37.5], [6, 1000], [7, 1e6]] as const) {
      const d = poisson(full([N], rate, { dtype: 'float64' }), { generator: new Generator(seed) }).data;
      expect(Array.from(d.subarray(0, 1000)).every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      expectMean(d, rate, rate);
      // var of the sample variance ≈ (μ4 - σ⁴) / N = (rate + 2 rate²) / N for Poisson
      const { variance } = meanVar(d);
      expect(Math.abs(variance - rate), `rate ${rate}`).toBeLessThan(5 * Math.sqrt((rate + 2 * rate * rate) / N));
    }
  });

  it('matches the Poisson pmf on both sides of the method switch (chi-square over bins)', () => {
    for (const [seed, rate] of [[1, 3], [2, 12], [3, 60]] as const) {
      const d = poisson(full([N], rate, { dtype: 'float64' }), { generator: new Generator(seed) }).data;
      const lo = Math.max(0, Math.floor(rate - 3 * Math.sqrt(rate)));
      const hi = Math.ceil(rate + 3 * Math.sqrt(rate));
      // bins: <= lo, lo+1 .. hi-1, >= hi
      const pmf = (k: number): number => {
        let lf = 0;
        for (let i = 2; i <= k; i++) lf += Math.log(i);
        return Math.exp(k * Math.log(rate) - rate - lf);
      };
      const probs: number[] = [];
      let below = 0;
      for (let k = 0; k <= lo; k++) below += pmf(k);
      probs.push(below);
      for (let k = lo + 1; k < hi; k++) probs.push(pmf(k));
      probs.push(1 - probs.reduce((a, b) => a + b, 0));
      const counts = probs.map(() => 0);
      for (const k of d) counts[k <= lo ? 0 : k >= hi ? probs.length - 1 : k - lo]!++;
      expect(chiSquare(counts, probs), `rate ${rate}`).toBeLessThan(chiBound(probs.length - 1));
    }
  });

  it('gives 0 for rate 0, keeps shape and dtype, and is deterministic under a fixed seed', () => {
    expect(poisson(zeros([2, 2])).toArray()).toEqual([[0, 0], [0, 0]]);
    const r = tensor([[1, 50], [5, 500]], { dtype: 'float64' });
    const a = poisson(r, { generator: new Generator(1) });
    expect(a.shape).toEqual([2, 2]);
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toEqual(poisson(r, { generator: new Generator(1) }).toArray());
    const big = full([50], 30);
    expect(values(poisson(big, { generator: new Generator(1) }))).not.toEqual(values(poisson(big, { generator: new Generator(2) })));
  });

  it('refuses negative, NaN or infinite rates and integer tensors', () => {
    expect(() => poisson(tensor([-1]))).toThrow('poisson: rates must be finite and non-negative, got -1 at flat index 0');
    expect(() => poisson(tensor([NaN]))).toThrow(ValueError);
    expect(() => poisson(tensor([Infinity]))).toThrow(ValueError);
    expect(() => poisson(tensor([1], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('randLike, randnLike, randintLike', () => {
  it('take the shape and dtype of the input unless dtype is given', () => {
    const x = zeros([2, 3], { dtype: 'float64' });
    expect(randLike(x).shape).toEqual([2, 3]);
    expect(randLike(x).dtype).toBe('float64');
    expect(randLike(x, { dtype: 'float32' }).dtype).toBe('float32');
    expect(randnLike(x).dtype).toBe('float64');
    expect(randintLike(x, 4).dtype).toBe('float64');
    expect(randintLike(zeros([2], { dtype: 'int32' }), 4).dtype).toBe('int32');
    expect(randLike(x, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('draw from their distributions and are deterministic under a fixed seed', () => {
    const x = zeros([N], { dtype: 'float64' });
    const u = randLike(x, { generator: new Generator(1) }).data;
    expectMean(u, 0.5, 1 / 12);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expectMean(randnLike(x, { generator: new Generator(1) }).data, 0, 1);
    const r = randintLike(x, -2, 3, { generator: new Generator(1) }).data;
    expect(new Set(r)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expectMean(r, 0, 2);
    const small = zeros([20]);
    for (const f of [
      (g: Generator) => randLike(small, { generator: g }),
      (g: Generator) => randnLike(small, { generator: g }),
      (g: Generator) => randintLike(small, 100, { generator: g }),
    ]) {
      expect(values(f(new Generator(2)))).toEqual(values(f(new Generator(2))));
      expect(values(f(new Generator(2)))).not.toEqual(values(f(new Generator(3))));
    }
  });

  it('refuse integer dtypes for rand/randn and bad bounds for randint, naming the function', () => {
    expect(() => randLike(zeros([2], { dtype: 'int32' }))).toThrow("randLike: expected a float dtype, got int32 (input shape [2]); pass { dtype: 'float32' }");
    expect(() => randnLike(zeros([2]), { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => randintLike(zeros([2]), 3, 3)).toThrow('randintLike: expected low < high, got low=3, high=3');
    expect(() => randintLike(zeros([2]), 1.5)).toThrow('randintLike: high must be an integer, got 1.5');
    expect(() => randLike(zeros([2]), { generatr: 1 } as never)).toThrow(/^randLike: .*generatr/);
  });
});

describe('in-place random fills', () => {
  const g = (seed: number): { generator: Generator } => ({ generator: new Generator(seed) });

  it('exponential_ draws Exp(lambd): positive, mean 1/lambd, variance 1/lambd²', () => {
    const d = zeros([N], { dtype: 'float64' }).exponential_(2, g(1)).data;
    expect(Math.min(...d)).toBeGreaterThan(0);
    expectMean(d, 0.5, 0.25);
    expect(Math.abs(meanVar(d).variance - 0.25)).toBeLessThan(0.25 * 5 * Math.sqrt(8 / N));
    expect(() => zeros([2]).exponential_(0)).toThrow('exponential_: expected lambd > 0, got 0');
    expect(() => zeros([2], { dtype: 'int32' }).exponential_()).toThrow(DTypeError);
  });

  it('bernoulli_ writes 0/1 with probability p, a number or a broadcast tensor, into any dtype', () => {
    const d = zeros([N], { dtype: 'float64' }).bernoulli_(0.3, g(2)).data;
    expect(new Set(d)).toEqual(new Set([0, 1]));
    expectMean(d, 0.3, 0.21);
    expect(zeros([2, 2]).bernoulli_(tensor([1, 0])).toArray()).toEqual([[1, 0], [1, 0]]);
    expect(zeros([3], { dtype: 'int32' }).bernoulli_(1).toArray()).toEqual([1, 1, 1]);
    expect(() => zeros([2]).bernoulli_(2)).toThrow('bernoulli_: p must be in [0, 1], got 2');
    expect(() => zeros([2]).bernoulli_(tensor([0.5, 1.5]))).toThrow('bernoulli_: p must be in [0, 1], got 1.5 at flat index 1');
    expect(() => zeros([2]).bernoulli_(ones([3]))).toThrow(/^bernoulli_: .*\[3\]/);
    expect(() => zeros([2]).bernoulli_([0.5] as never)).toThrow(/^bernoulli_: p must be a Tensor/);
  });

  it('cauchy_ draws Cauchy(median, sigma): quartiles at median ± sigma', () => {
    const d = Float64Array.from(zeros([N], { dtype: 'float64' }).cauchy_(3, 2, g(3)).data).sort();
    // the sample quartile's sd is about sqrt(p(1-p)/N) / density = 0.0049 * (2π·sigma/… ) < 0.02 here
    expect(Math.abs(d[N / 2]! - 3)).toBeLessThan(0.05);
    expect(Math.abs(d[N / 4]! - 1)).toBeLessThan(0.1);
    expect(Math.abs(d[(3 * N) / 4]! - 5)).toBeLessThan(0.1);
    expect(() => zeros([2]).cauchy_(0, 0)).toThrow('cauchy_: expected sigma > 0, got 0');
  });

  it('geometric_ draws trial counts >= 1 with mean 1/p and variance (1-p)/p²', () => {
    const d = zeros([N], { dtype: 'float64' }).geometric_(0.25, g(4)).data;
    expect(Math.min(...d)).toBe(1);
    expect(Array.from(d).every(Number.isInteger)).toBe(true);
    expectMean(d, 4, 12);
    expect(zeros([3], { dtype: 'int32' }).geometric_(0.5).dtype).toBe('int32');
    expect(() => zeros([2]).geometric_(1)).toThrow('geometric_: expected 0 < p < 1, got 1');
    expect(() => zeros([2]).geometric_(0)).toThrow(ValueError);
  });

  it('logNormal_ draws exp(N(mean, std²))', () => {
    const d = zeros([N], { dtype: 'float64' }).logNormal_(1, 0.5, g(5)).log().data;
    expectMean(d, 1, 0.25);
    expect(Math.abs(meanVar(d).variance - 0.25)).toBeLessThan(5 * Math.sqrt(2 / N) * 0.25);
    expect(() => zeros([2]).logNormal_(0, 0)).toThrow('logNormal_: expected std > 0, got 0');
    expect(() => zeros([2], { dtype: 'int32' }).logNormal_()).toThrow(DTypeError);
  });

  it('random_ draws uniform integers from [from, to), [0, to) or the dtype\'s exact range', () => {
    const d = zeros([N], { dtype: 'float64' }).random_(-3, 7, g(6)).data;
    expect(new Set(d)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6]));
    expectMean(d, 1.5, (100 - 1) / 12);
    expect(new Set(zeros([1000], { dtype: 'int32' }).random_(3, g(7)).data)).toEqual(new Set([0, 1, 2]));
    const wide = zeros([1000]).random_(g(8)).data;
    expect(Array.from(wide).every((v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 24)).toBe(true);
    expect(Math.max(...wide)).toBeGreaterThan(2 ** 23);
    expect(() => zeros([2]).random_(3, 3)).toThrow('random_: expected from < to, got from=3, to=3');
    expect(() => zeros([2], { dtype: 'int32' }).random_(0, 2 ** 40)).toThrow(/^random_: .*int32/);
    expect(() => zeros([2]).random_(0.5, 2)).toThrow(ValueError);
  });

  it('are deterministic under a fixed seed, write through views, and refuse bad options', () => {
    const fills: Array<(t: Tensor, s: number) => Tensor> = [
      (t, s) => t.exponential_(1, g(s)),
      (t, s) => t.bernoulli_(0.5, g(s)),
      (t, s) => t.cauchy_(0, 1, g(s)),
      (t, s) => t.geometric_(0.5, g(s)),
      (t, s) => t.logNormal_(0, 1, g(s)),
      (t, s) => t.random_(0, 1000, g(s)),
    ];
    for (const f of fills) {
      expect(values(f(zeros([30]), 1))).toEqual(values(f(zeros([30]), 1)));
      expect(values(f(zeros([30]), 1))).not.toEqual(values(f(zeros([30]), 2)));
      // a strided view: only its elements change, in the view's row-major order
      const base = full([4, 4], -1);
      const view = base.T.narrow(0, 1, 2);
      f(view, 3);
      const expected = f(zeros([2, 4]), 3);
      expect(view.toArray()).toEqual(expected.toArray());
      expect(base.select(1, 0).toArray()).toEqual([-1, -1, -1, -1]);
    }
    expect(() => zeros([2]).exponential_(1, { generator: 1 } as never)).toThrow(/^exponential_: .*generator/);
    expect(() => zeros([2]).cauchy_(0, 1, { seed: 1 } as never)).toThrow(/^cauchy_: .*seed/);
  });
});

describe('random sampling and gradients', () => {
  it('gives results that do not require grad even from inputs that do (samples have no gradient)', () => {
    const p = full([3], 0.5, { requiresGrad: true });
    for (const r of [
      multinomial(p, 2), bernoulli(p), poisson(p), normal(p, p), normal(p, 1), normal(0, p),
      randLike(p), randnLike(p), randintLike(p, 3),
    ]) {
      expect(r.requiresGrad).toBe(false);
      expect(r.gradFn ?? null).toBeNull();
    }
  });
});
