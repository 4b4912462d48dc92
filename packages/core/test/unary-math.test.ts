import { describe, expect, it } from 'vitest';
import * as tg from '@tapegrad/core';
import { DTypeError, Generator, Tensor, ValueError, grad, gradcheck, gradgradcheck, randn, tensor, zeros } from '@tapegrad/core';
import { digamma, erfc, erfinv, lgamma, polygamma, roundHalfEven } from '../src/kernels/js/special-math.js';

// The element-wise unary math of issue 17. Each float-valued op is checked against its scalar
// reference on every layout and dtype (the Math function for the elementary ones, the scalar
// kernel function for the special ones, whose own accuracy is checked below against values
// computed with mpmath at 40 digits), at NaN, infinities and domain edges against PyTorch's
// values, and by gradcheck and gradgradcheck on float64 inputs.

const f64 = (data: number[]) => tensor(data, { dtype: 'float64' });
const i32 = (data: number[]) => tensor(data, { dtype: 'int32' });

/** A float64 leaf requiring grad: randn (fixed seed) mapped into the op's domain. */
function input(shape: number[], seed: number, map: (u: number) => number): Tensor {
  const raw = randn(shape, { dtype: 'float64', generator: new Generator(seed) }).data;
  return tensor(Float64Array.from(raw, map), { shape, dtype: 'float64', requiresGrad: true });
}

/** `f` applied elementwise in plain JS, as a float64 tensor of x's shape. */
function mapRef(x: Tensor, f: (v: number) => number): Tensor {
  return tensor(Float64Array.from(x.detach().data, f), { shape: x.shape, dtype: 'float64' });
}

interface FloatCase {
  name: string;
  fn: (x: Tensor) => Tensor;
  /** The scalar function in float64. */
  ref: (v: number) => number;
  /** Maps a standard normal draw into the op's domain, away from poles and kinks. */
  domain: (u: number) => number;
  /** Inputs at NaN, infinities and domain edges, with PyTorch's results. */
  specials: Array<[number, number]>;
  /** gradcheck tolerances when the derivative is large (defaults otherwise). */
  tol?: { atol: number; rtol: number };
}

const away = (u: number, lo: number, hi: number) => lo + ((hi - lo) * (Math.tanh(u) + 1)) / 2;
/** v moved into [k + lo, k + hi] of its unit interval [k, k + 1): away from integers (poles, jumps). */
const offIntegers = (v: number, lo = 0.2, hi = 0.8) => Math.floor(v) + lo + (hi - lo) * (v - Math.floor(v));

const floatCases: FloatCase[] = [
  { name: 'exp2', fn: tg.exp2, ref: (v) => Math.pow(2, v), domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, 0], [1024, Infinity], [-1075, 0], [0.5, Math.SQRT2]] },
  { name: 'expm1', fn: tg.expm1, ref: Math.expm1, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, -1], [1e-20, 1e-20], [-0, -0]] },
  { name: 'log2', fn: tg.log2, ref: Math.log2, domain: (u) => Math.abs(u) + 0.3,
    specials: [[NaN, NaN], [Infinity, Infinity], [0, -Infinity], [-1, NaN], [1024, 10]] },
  { name: 'log10', fn: tg.log10, ref: Math.log10, domain: (u) => Math.abs(u) + 0.3,
    specials: [[NaN, NaN], [Infinity, Infinity], [0, -Infinity], [-1, NaN], [1e-5, -5]] },
  { name: 'reciprocal', fn: tg.reciprocal, ref: (v) => 1 / v, domain: (u) => (u < 0 ? u - 0.4 : u + 0.4),
    specials: [[NaN, NaN], [Infinity, 0], [-Infinity, -0], [0, Infinity], [-0, -Infinity]] },
  { name: 'tan', fn: tg.tan, ref: Math.tan, domain: (u) => away(u, -1.3, 1.3),
    specials: [[NaN, NaN], [Infinity, NaN], [-Infinity, NaN], [-0, -0]] },
  { name: 'asin', fn: tg.asin, ref: Math.asin, domain: (u) => away(u, -0.9, 0.9),
    specials: [[NaN, NaN], [1, Math.PI / 2], [-1, -Math.PI / 2], [1.5, NaN], [Infinity, NaN], [-0, -0]] },
  { name: 'acos', fn: tg.acos, ref: Math.acos, domain: (u) => away(u, -0.9, 0.9),
    specials: [[NaN, NaN], [1, 0], [-1, Math.PI], [1.5, NaN], [-Infinity, NaN]] },
  { name: 'atan', fn: tg.atan, ref: Math.atan, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Math.PI / 2], [-Infinity, -Math.PI / 2], [-0, -0]] },
  { name: 'sinh', fn: tg.sinh, ref: Math.sinh, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, -Infinity], [1000, Infinity], [-0, -0]] },
  { name: 'cosh', fn: tg.cosh, ref: Math.cosh, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, Infinity], [-1000, Infinity]] },
  { name: 'asinh', fn: tg.asinh, ref: Math.asinh, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, -Infinity], [-0, -0]] },
  { name: 'acosh', fn: tg.acosh, ref: Math.acosh, domain: (u) => Math.abs(u) + 1.2,
    specials: [[NaN, NaN], [Infinity, Infinity], [1, 0], [0.5, NaN], [-Infinity, NaN]] },
  { name: 'atanh', fn: tg.atanh, ref: Math.atanh, domain: (u) => away(u, -0.9, 0.9),
    specials: [[NaN, NaN], [1, Infinity], [-1, -Infinity], [2, NaN], [-0, -0]] },
  { name: 'sinc', fn: tg.sinc, ref: (v) => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v)), domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, NaN], [-Infinity, NaN], [0, 1], [-0, 1], [1e-320, 1]] },
  { name: 'logit', fn: (x) => tg.logit(x), ref: (v) => Math.log(v / (1 - v)), domain: (u) => away(u, 0.05, 0.95),
    specials: [[NaN, NaN], [0, -Infinity], [1, Infinity], [-0.5, NaN], [1.5, NaN], [0.5, 0]] },
  { name: 'erfc', fn: tg.erfc, ref: erfc, domain: (u) => 2 * u,
    specials: [[NaN, NaN], [Infinity, 0], [-Infinity, 2], [30, 0], [-0, 1]] },
  { name: 'erfinv', fn: tg.erfinv, ref: erfinv, domain: (u) => away(u, -0.9, 0.9),
    specials: [[NaN, NaN], [1, Infinity], [-1, -Infinity], [1.5, NaN], [-Infinity, NaN], [-0, -0]] },
  { name: 'lgamma', fn: tg.lgamma, ref: lgamma, domain: (u) => offIntegers(3 * u),
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, Infinity], [0, Infinity], [-0, Infinity], [-3, Infinity], [1, 0], [2, 0], [-1e20, Infinity]] },
  { name: 'digamma', fn: tg.digamma, ref: digamma, domain: (u) => away(u, 0.2, 6),
    specials: [[NaN, NaN], [Infinity, Infinity], [-Infinity, NaN], [0, -Infinity], [-0, Infinity], [-2, NaN], [1e-300, -1e300]] },
  { name: 'polygamma', fn: (x) => tg.polygamma(1, x), ref: (v) => polygamma(1, v), domain: (u) => away(u, 0.2, 6),
    specials: [[NaN, NaN], [Infinity, 0], [-Infinity, NaN], [0, Infinity], [-0, Infinity], [-2, Infinity], [1, Math.PI ** 2 / 6]] },
];

for (const c of floatCases) {
  describe(c.name, () => {
    it('matches its scalar reference on random float64 inputs of shape [3, 4]', () => {
      const x = input([3, 4], 1, c.domain).detach();
      expect(c.fn(x)).toBeAllClose(mapRef(x, c.ref), { rtol: 0, atol: 0 });
    });

    it('gives the same values for a transposed (strided) input, size-1 dims and an empty input', () => {
      const x = input([4, 3], 2, c.domain).detach();
      const t = x.T;
      expect(t.isContiguous()).toBe(false);
      expect(c.fn(t)).toBeAllClose(c.fn(t.contiguous()), { rtol: 0, atol: 0 });
      expect(c.fn(x.reshape([1, 12, 1])).shape).toEqual([1, 12, 1]);
      const e = c.fn(zeros([0, 3], { dtype: 'float64' }));
      expect(e.shape).toEqual([0, 3]);
      expect(e.dtype).toBe('float64');
    });

    it('computes float32 inputs in float64 and rounds once, and gives float32 for int32 inputs', () => {
      const x = input([5], 3, c.domain).detach().to('float32');
      const y = c.fn(x);
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.data)).toEqual(Array.from(x.data, (v) => Math.fround(c.ref(v))));
      const ints = i32([-2, -1, 0, 1, 2, 3]);
      const yi = c.fn(ints);
      expect(yi.dtype).toBe('float32');
      expect(Array.from(yi.data)).toEqual([-2, -1, 0, 1, 2, 3].map((v) => Math.fround(c.ref(v))));
    });

    it('gives PyTorch\'s values at NaN, infinities and the edges of its domain', () => {
      const got = Array.from(c.fn(f64(c.specials.map(([v]) => v))).data);
      c.specials.forEach(([v, want], i) => {
        const at = `at ${v}: got ${got[i]}, want ${Object.is(want, -0) ? '-0' : want}`;
        if (Number.isNaN(want)) expect(got[i], at).toBeNaN();
        else if (want === 0 || !Number.isFinite(want)) expect(Object.is(got[i], want), at).toBe(true);
        else expect(Math.abs(got[i]! - want), at).toBeLessThanOrEqual(4e-16 * Math.abs(want));
      });
    });

    it('passes gradcheck and gradgradcheck', () => {
      gradcheck((x) => c.fn(x), [input([2, 3], 4, c.domain)], c.tol);
      gradgradcheck((x) => c.fn(x), [input([2, 3], 5, c.domain)], c.tol);
    });

    it('refuses a number', () => {
      expect(() => c.fn(2 as unknown as Tensor)).toThrow(ValueError);
      expect(() => c.fn(2 as unknown as Tensor)).toThrow(/: x must be a Tensor, got 2 \(a number\)/);
    });
  });
}

// ---------------------------------------------------------------- accuracy against mpmath

// Reference values by mpmath at 40 digits, rounded to float64 (see the generator in the
// b-unary report: mpmath.log(abs(gamma(x))), digamma, polygamma(n, x), erfc, erfinv).
const LGAMMA: Array<[number, number]> = [
  [1e-300, 690.7755278982137], [1e-08, 18.42068073818021], [0.1, 2.252712651734206], [0.5, 0.5723649429247001], [0.999, 0.0005780385328913802], [1.000001, -5.772148423874147e-07], [1.5, -0.12078223763524522], [1.9999999, -4.2278430309861296e-08], [2.0000001, 4.227843666532498e-08], [2.5, 0.2846828704729192], [3.7, 1.428072326665388], [9.99, 12.779315214350193], [10.01, 12.824350262448247], [33.3, 82.60372358165495], [1000000.0, 12815504.569147611], [1e+100, 2.2925850929940456e+102], [-0.1, 2.3689613327287886], [-0.5, 1.2655121234846454], [-2.4570247382208006, 5.619192358950097e-17], [-3.5, -1.309006684993042], [-100.3, -363.7662061826763],
];
const DIGAMMA: Array<[number, number]> = [
  [1e-300, -9.999999999999999e+299], [1e-08, -100000000.57721564], [0.1, -10.423754940411076], [0.5, -1.9635100260214235], [1.0, -0.5772156649015329], [1.4616321449683622, -9.241265521729427e-17], [2.0, 0.42278433509846713], [3.7, 1.1671535393615113], [9.99, 2.250700372831201], [10.01, 2.2528037003181356], [33.3, 3.490467238520243], [1000000.0, 13.815510057964191], [1e+100, 230.25850929940458], [-0.1, 9.245073050052948], [-0.5, 0.03648997397857652], [-2.4, 2.0903331670591916], [-3.5, 1.388870926359529], [-100.3, 6.895643124860435],
];
const TRIGAMMA: Array<[number, number]> = [
  [1e-08, 1.0000000000000002e+16], [0.1, 101.43329915079275], [0.5, 4.934802200544679], [1.0, 1.6449340668482264], [2.0, 0.6449340668482264], [3.7, 0.3100378576700383], [14.9, 0.06941658320709579], [15.1, 0.06846641759625392], [1000000.0, 1.0000005000001667e-06], [-0.1, 101.92253995947719], [-0.5, 8.934802200544679], [-2.4, 10.570024863646124], [-100.3, 15.06949314924401],
];
const TETRAGAMMA: Array<[number, number]> = [
  [1e-05, -2000000000000002.0], [0.1, -2001.8614573783436], [0.5, -16.82879664423432], [1.0, -2.4041138063191885], [2.0, -0.4041138063191886], [3.7, -0.09539530872855403], [15.1, -0.004685824568908116], [10000.0, -1.000100005e-08], [-0.1, 1996.798202956205], [-0.5, -0.82879664423432], [-2.4, 22.160707362543427], [-30.7, -68.83857073554516],
];
const PENTAGAMMA: Array<[number, number]> = [
  [0.1, 60004.51287679026], [0.5, 97.40909103400244], [1.0, 6.493939402266829], [3.7, 0.058279217956563614], [15.1, 0.0006411441574921985], [-0.5, 193.40909103400244], [-2.4, 283.5247351822411],
];
const ERFC: Array<[number, number]> = [
  [-6.0, 2.0], [-2.0, 1.9953222650189528], [-0.5, 1.5204998778130465], [-0.125, 1.1403162048013338], [0.0, 1.0], [1e-10, 0.999999999887162], [0.1, 0.887537083981715], [0.37, 0.6007940159570008], [0.5, 0.4795001221869535], [1.0, 0.15729920705028513], [1.5, 0.033894853524689274], [2.6, 0.00023603441652934908], [2.625, 0.00020537573614121745], [2.7, 0.0001343327399405242], [5.0, 1.537459794428035e-12], [10.0, 2.088487583762545e-45], [26.0, 5.663192408856143e-296],
];
const ERFINV: Array<[number, number]> = [
  [1e-300, 8.86226925452758e-301], [1e-10, 8.862269254527581e-11], [0.1, 0.08885599049425769], [0.3, 0.2724627147267543], [0.5, 0.4769362762044699], [-0.5000001, -0.47693638746295763], [0.7, 0.7328690779592167], [0.9, 1.1630871536766743], [0.99, 1.8213863677184494], [0.999999, 3.458910737275499], [0.9999999999990905, 5.05125408524939], [0.9999999999999999, 5.8635847487551676], [-0.99, -1.8213863677184494],
];

const ULP = 2.220446049250313e-16;

/** Every point within `ulps` units of the reference, relative to max(|ref|, floor). */
function expectWithinUlps(f: (x: number) => number, table: Array<[number, number]>, ulps: number, floor = 0): void {
  for (const [x, want] of table) {
    const err = Math.abs(f(x) - want) / Math.max(Math.abs(want), floor) / ULP;
    expect(err, `at x = ${x}: got ${f(x)}, want ${want}`).toBeLessThanOrEqual(ulps);
  }
}

describe('special functions in float64 vs mpmath', () => {
  it('lgamma is within 4 ulps (absolute 4e-16 next to its zeros)', () => expectWithinUlps(lgamma, LGAMMA, 4, 1));
  it('digamma is within 8 ulps (absolute 8e-16 next to its zeros)', () => expectWithinUlps(digamma, DIGAMMA, 8, 1));
  it('polygamma of orders 1 to 3 is within 8 ulps', () => {
    expectWithinUlps((x) => polygamma(1, x), TRIGAMMA, 8);
    expectWithinUlps((x) => polygamma(2, x), TETRAGAMMA, 8);
    expectWithinUlps((x) => polygamma(3, x), PENTAGAMMA, 8);
  });
  it('erfc is within 4 ulps, also where 1 - erf(x) would be 0', () => expectWithinUlps(erfc, ERFC, 4));
  it('erfinv is within 4 ulps up to 1 - 2^-53', () => expectWithinUlps(erfinv, ERFINV, 4));

  it('lgamma satisfies lgamma(x + 1) - lgamma(x) = ln x and the reflection formula on random inputs', () => {
    const g = new Generator(7);
    const xs = Array.from(randn([200], { dtype: 'float64', generator: g }).data, (u) => Math.abs(u) * 8 + 0.6);
    for (const x of xs) expect(lgamma(x + 1) - lgamma(x)).toBeCloseTo(Math.log(x), 13);
    // ln|Γ(x)| + ln|Γ(1 - x)| = ln(π / |sin(πx)|) for x in (0, 1) and below.
    for (const x of xs.map((v) => -v)) {
      const reflected = Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x)));
      expect(lgamma(x) + lgamma(1 - x)).toBeCloseTo(reflected, 11);
    }
  });

  it('digamma and polygamma satisfy their recurrences ψ⁽ⁿ⁾(x + 1) = ψ⁽ⁿ⁾(x) + (-1)^n n! / x^(n+1)', () => {
    for (const x of [0.3, 1.7, 4.2, 9.5, 12.5, -0.7, -3.3]) {
      expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 12);
      expect((polygamma(1, x) - polygamma(1, x + 1)) * x * x).toBeCloseTo(1, 12);
      expect((polygamma(2, x + 1) - polygamma(2, x)) * x ** 3).toBeCloseTo(2, 11);
    }
  });

  it('erfc(x) + erf(x) = 1 and erf(erfinv(y)) = y on random inputs', () => {
    const g = new Generator(8);
    const u = randn([300], { dtype: 'float64', generator: g });
    const xs = f64(Array.from(u.data, (v) => 2 * v));
    // Within erf's own accuracy: its Maclaurin series is off by up to 5e-15 near 2.5.
    expect(tg.erfc(xs).add(tg.erf(xs))).toBeAllClose(tg.onesLike(xs), { rtol: 0, atol: 1e-14 });
    const ys = f64(Array.from(u.data, (v) => Math.tanh(v)));
    expect(tg.erf(tg.erfinv(ys))).toBeAllClose(ys, { rtol: 0, atol: 1e-14 });
  });
});

// ---------------------------------------------------------------- second order through the gamma family

describe('lgamma', () => {
  it('has digamma as first and trigamma as second derivative (createGraph)', () => {
    const x = f64([0.3, 1.5, 4.2, -0.7]).requiresGrad_();
    const [d1] = grad(tg.lgamma(x).sum(), [x], { createGraph: true });
    expect(d1!).toBeAllClose(tg.digamma(x.detach()), { rtol: 1e-15, atol: 0 });
    const [d2] = grad(d1!.sum(), [x], { createGraph: true });
    expect(d2!).toBeAllClose(tg.polygamma(1, x.detach()), { rtol: 1e-15, atol: 0 });
    const [d3] = grad(d2!.sum(), [x]);
    expect(d3!).toBeAllClose(tg.polygamma(2, x.detach()), { rtol: 1e-15, atol: 0 });
  });
});

describe('polygamma', () => {
  it('of order 0 is digamma, and higher orders pass gradcheck and gradgradcheck', () => {
    const x = f64([0.3, 1.5, 4.2, -0.7]);
    expect(tg.polygamma(0, x)).toBeAllClose(tg.digamma(x), { rtol: 0, atol: 0 });
    for (const n of [2, 3])
      gradgradcheck((a) => tg.polygamma(n, a), [input([2, 2], 11 + n, (u) => away(u, 0.3, 5))]);
  });

  it('is ±Infinity at the poles and -Infinity with the sign of (-1)^(n+1), as PyTorch, and 0 at Infinity', () => {
    expect(tg.polygamma(2, f64([0, -1])).toArray()).toEqual([-Infinity, -Infinity]);
    expect(tg.polygamma(3, f64([0, -1])).toArray()).toEqual([Infinity, Infinity]);
    expect(tg.polygamma(2, f64([-Infinity, Infinity])).toArray()).toEqual([-Infinity, 0]);
    expect(tg.polygamma(3, f64([-Infinity])).toArray()).toEqual([Infinity]);
  });

  it('keeps its tiny values for huge x, where powers of x overflow', () => {
    // ψ⁽ⁿ⁾(x) ~ (-1)^(n+1) (n-1)! / x^n for large x.
    expect(polygamma(3, 1e80) / 2e-240 - 1).toBeCloseTo(0, 14);
    expect(polygamma(1, 1e200) / 1e-200 - 1).toBeCloseTo(0, 14);
    expect(polygamma(5, 1e60) / 2.4e-299 - 1).toBeCloseTo(0, 12);
  });

  it('refuses a negative or fractional order', () => {
    expect(() => tg.polygamma(-1, f64([1]))).toThrow(ValueError);
    expect(() => tg.polygamma(-1, f64([1]))).toThrow('polygamma: n must be a non-negative integer, got -1');
    expect(() => tg.polygamma(1.5, f64([1]))).toThrow('polygamma: n must be a non-negative integer, got 1.5');
  });
});

// ---------------------------------------------------------------- logit with eps

describe('logit', () => {
  it('clamps into [eps, 1 - eps] first as PyTorch\'s vectorized loop (1 - eps wins when eps > 1/2)', () => {
    const x = f64([-0.5, 0, 1e-8, 0.3, 1, 1.5, NaN]);
    const lg = (v: number) => Math.log(v / (1 - v));
    expect(tg.logit(x, { eps: 0.1 })).toBeAllClose(f64([lg(0.1), lg(0.1), lg(0.1), lg(0.3), lg(0.9), lg(0.9), NaN]), { rtol: 1e-15, atol: 0 });
    expect((tg.logit(x, { eps: 0.6 }).toArray() as number[]).slice(0, 6)).toEqual([lg(0.4), lg(0.4), lg(0.4), lg(0.4), lg(0.4), lg(0.4)]);
    expect(tg.logit(x, { eps: -0.1 })).toBeAllClose(tg.logit(x), { rtol: 0, atol: 0 });
    expect(tg.logit(x, { eps: null })).toBeAllClose(tg.logit(x), { rtol: 0, atol: 0 });
  });

  it('has gradient 1/(x(1-x)): NaN outside [0, 1] without eps, 0 where clamped (and at NaN) with eps', () => {
    const x = f64([-0.5, 0, 0.3, 1, 1.5, NaN]).requiresGrad_();
    const [g0] = grad(tg.logit(x).sum(), [x]);
    expect(g0!.toArray()).toEqual([NaN, Infinity, 1 / 0.21, Infinity, NaN, NaN]);
    const [g1] = grad(tg.logit(x, { eps: 0.1 }).sum(), [x]);
    expect(g1!).toBeAllClose(f64([0, 0, 1 / 0.21, 0, 0, 0]), { rtol: 1e-15, atol: 0 });
    gradgradcheck((a) => tg.logit(a, { eps: 0.05 }), [input([2, 3], 21, (u) => away(u, 0.1, 0.9))]);
  });

  it('refuses a positional eps and a non-number eps', () => {
    expect(() => tg.logit(f64([0.5]), 0.1 as unknown as tg.LogitOptions)).toThrow(/^logit: /);
    expect(() => tg.logit(f64([0.5]), { eps: '0.1' } as unknown as tg.LogitOptions)).toThrow(/^logit: /);
  });
});

// ---------------------------------------------------------------- rounding

const roundingCases: Array<{ name: 'floor' | 'ceil' | 'trunc'; fn: (x: Tensor) => Tensor; ref: (v: number) => number }> = [
  { name: 'floor', fn: tg.floor, ref: Math.floor },
  { name: 'ceil', fn: tg.ceil, ref: Math.ceil },
  { name: 'trunc', fn: tg.trunc, ref: Math.trunc },
];

for (const c of roundingCases) {
  describe(c.name, () => {
    const values = [-2.5, -1.5, -0.5, -0.2, -0, 0, 0.2, 0.5, 1.5, 2.5, 1e300, NaN, Infinity, -Infinity];

    it('matches Math on float64 and float32, strided inputs and empty ones', () => {
      expect(Array.from(c.fn(f64(values)).data)).toEqual(values.map(c.ref));
      const x32 = tensor(values);
      expect(Array.from(c.fn(x32).data)).toEqual(Array.from(x32.data, c.ref));
      const x = input([4, 3], 31, (u) => 3 * u).detach();
      expect(c.fn(x.T)).toBeAllClose(mapRef(x.T.contiguous(), c.ref), { rtol: 0, atol: 0 });
      expect(c.fn(zeros([2, 0])).shape).toEqual([2, 0]);
    });

    it('keeps int32 tensors unchanged (a copy) and refuses bool ones', () => {
      const x = i32([-3, 0, 7]);
      const y = c.fn(x);
      expect(y.dtype).toBe('int32');
      expect(y.toArray()).toEqual([-3, 0, 7]);
      expect(y).not.toBe(x);
      expect(() => c.fn(tensor([true]))).toThrow(DTypeError);
      expect(() => c.fn(tensor([true]))).toThrow(`${c.name}: not defined for bool tensors (shape [1])`);
    });

    it('has a zero gradient (gradcheck, gradgradcheck), as PyTorch', () => {
      const x = input([2, 3], 32, (u) => offIntegers(3 * u));
      const [g] = grad(c.fn(x).sum(), [x]);
      expect(g!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
      gradcheck((a) => c.fn(a), [x]);
      gradgradcheck((a) => c.fn(a).mul(a), [x]);
    });
  });
}

describe('round', () => {
  it('rounds half to even and keeps -0, as PyTorch', () => {
    const x = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.4, 4503599627370495.5, NaN, Infinity, -Infinity];
    const got = Array.from(tg.round(f64(x)).data);
    expect(got).toEqual([0, 2, 2, -0, -2, -2, 0, -0, 4503599627370496, NaN, Infinity, -Infinity]);
    expect(Object.is(got[3], -0) && Object.is(got[7], -0)).toBe(true);
    expect(Array.from(tg.round(tensor(x)).data)).toEqual(Array.from(tensor(x).data, roundHalfEven));
  });

  it('with decimals scales by a power of ten as PyTorch, in float32 arithmetic for float32', () => {
    // PyTorch 1.13: round(x, decimals=2) in float64, and decimals=-2.
    expect(tg.round(f64([1.005, 2.675, 0.285, 1.25, 1e300, 1.7976931348623157e308]), { decimals: 2 }).toArray())
      .toEqual([1, 2.68, 0.28, 1.25, 1e300, Infinity]);
    expect(tg.round(f64([1234.5678, 250, 350, 2.5]), { decimals: -2 }).toArray()).toEqual([1200, 200, 400, 0]);
    expect(tg.round(f64([1.25, 0.125]), { decimals: 1 }).toArray()).toEqual([1.2, 0.1]);
    expect(tg.round(f64([1.5]), { decimals: 400 }).toArray()).toEqual([NaN]);
    // float32 1.45 is 1.4500000477: times 10 it is 14.500000477 in float64 arithmetic (rounds to
    // 15) but 14.5 in float32 (a tie, to 14), and PyTorch's float kernel gives 1.4.
    expect(Array.from(tg.round(tensor([1.45, 0.3, -2.55]), { decimals: 1 }).data)).toEqual([1.4, 0.3, -2.6].map(Math.fround));
  });

  it('keeps int32 tensors, refuses decimals for them and refuses bool', () => {
    expect(tg.round(i32([3, -2])).toArray()).toEqual([3, -2]);
    expect(tg.round(i32([3, -2])).dtype).toBe('int32');
    expect(() => tg.round(i32([3]), { decimals: 1 })).toThrow('round: decimals is not supported for int32 tensors (shape [1]), got decimals 1');
    expect(() => tg.round(tensor([true]))).toThrow(DTypeError);
    expect(() => tg.round(f64([1]), { decimals: 1.5 })).toThrow(/^round: /);
    expect(() => tg.round(f64([1]), 2 as unknown as tg.RoundOptions)).toThrow(/^round: /);
  });

  it('has a zero gradient (gradcheck, gradgradcheck)', () => {
    const x = input([2, 3], 41, (u) => offIntegers(3 * u, 0.1, 0.4));
    const [g] = grad(tg.round(x, { decimals: 1 }).sum(), [x]);
    expect(g!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    gradcheck((a) => tg.round(a).add(a), [x]);
    gradgradcheck((a) => tg.round(a).mul(a), [x]);
  });
});

describe('frac', () => {
  it('is x - trunc(x) with the sign of x; NaN at infinities', () => {
    const got = tg.frac(f64([-1.5, 2.25, Infinity, -Infinity, NaN, -0, 3])).toArray() as number[];
    expect(got).toEqual([-0.5, 0.25, NaN, NaN, NaN, 0, 0]);
    expect(tg.frac(tensor([1.75])).dtype).toBe('float32');
  });

  it('has gradient 1 (gradcheck, gradgradcheck)', () => {
    const x = input([2, 3], 51, (u) => offIntegers(3 * u));
    const [g] = grad(tg.frac(x).sum(), [x]);
    expect(g!.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    gradcheck((a) => tg.frac(a), [x]);
    gradgradcheck((a) => tg.frac(a).mul(a), [x]);
  });

  it('refuses integer and bool tensors, as PyTorch', () => {
    expect(() => tg.frac(i32([1]))).toThrow(DTypeError);
    expect(() => tg.frac(i32([1]))).toThrow('frac: expected a floating point tensor, got int32 (shape [1])');
    expect(() => tg.frac(tensor([true]))).toThrow(DTypeError);
  });
});

// ---------------------------------------------------------------- square, nanToNum

describe('square', () => {
  it('is x * x, keeping int32 and giving int32 for bool', () => {
    expect(tg.square(f64([-1.5, 3])).toArray()).toEqual([2.25, 9]);
    expect(tg.square(i32([-3, 4])).toArray()).toEqual([9, 16]);
    expect(tg.square(i32([-3, 4])).dtype).toBe('int32');
    const b = tg.square(tensor([true, false]));
    expect(b.dtype).toBe('int32');
    expect(b.toArray()).toEqual([1, 0]);
  });

  it('has gradient 2x (gradcheck, gradgradcheck)', () => {
    gradcheck((a) => tg.square(a), [input([2, 3], 61, (u) => u)]);
    gradgradcheck((a) => tg.square(a), [input([2, 3], 62, (u) => u)]);
  });
});

describe('nanToNum', () => {
  it('replaces NaN by 0 and the infinities by the dtype\'s extremes, as PyTorch', () => {
    expect(tg.nanToNum(f64([NaN, Infinity, -Infinity, 1.5])).toArray()).toEqual([0, Number.MAX_VALUE, -Number.MAX_VALUE, 1.5]);
    expect(tg.nanToNum(tensor([NaN, Infinity, -Infinity])).toArray()).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38]);
    expect(tg.nanToNum(f64([NaN, Infinity, -Infinity, 2]), { nan: 2, neginf: -7 }).toArray()).toEqual([2, Number.MAX_VALUE, -7, 2]);
    // A replacement beyond float32's range becomes Infinity, as PyTorch's cast.
    expect(tg.nanToNum(tensor([Infinity]), { posinf: 1e300 }).toArray()).toEqual([Infinity]);
    expect(tg.nanToNum(f64([Infinity]), { posinf: null }).toArray()).toEqual([Number.MAX_VALUE]);
  });

  it('returns int32 and bool tensors unchanged (a copy)', () => {
    const x = i32([1, -2]);
    expect(tg.nanToNum(x).toArray()).toEqual([1, -2]);
    expect(tg.nanToNum(x)).not.toBe(x);
    expect(tg.nanToNum(tensor([true, false])).toArray()).toEqual([true, false]);
  });

  it('passes the gradient where x is finite and 0 where it was replaced (gradcheck, gradgradcheck)', () => {
    const x = f64([NaN, Infinity, -Infinity, 1]).requiresGrad_();
    const [g] = grad(tg.nanToNum(x).sum(), [x]);
    expect(g!.toArray()).toEqual([0, 0, 0, 1]);
    gradcheck((a) => tg.nanToNum(a), [input([2, 3], 71, (u) => u)]);
    gradgradcheck((a) => tg.nanToNum(a).mul(a), [input([2, 3], 72, (u) => u)]);
  });

  it('refuses unknown and wrongly typed options', () => {
    expect(() => tg.nanToNum(f64([1]), { nann: 0 } as unknown as tg.NanToNumOptions)).toThrow(/^nanToNum: /);
    expect(() => tg.nanToNum(f64([1]), { nan: '0' } as unknown as tg.NanToNumOptions)).toThrow(/^nanToNum: /);
  });
});

// ---------------------------------------------------------------- predicates

// Keyed by `op`, not `name`: scripts/coverage-table.ts reads `name:` entries as ops with gradient tests.
const predicateCases: Array<{ op: string; fn: (x: Tensor) => Tensor; ref: (v: number) => boolean }> = [
  { op: 'isnan', fn: tg.isnan, ref: Number.isNaN },
  { op: 'isinf', fn: tg.isinf, ref: (v) => v === Infinity || v === -Infinity },
  { op: 'isposinf', fn: tg.isposinf, ref: (v) => v === Infinity },
  { op: 'isneginf', fn: tg.isneginf, ref: (v) => v === -Infinity },
  { op: 'isfinite', fn: tg.isfinite, ref: Number.isFinite },
  { op: 'logicalNot', fn: tg.logicalNot, ref: (v) => v === 0 },
];

for (const c of predicateCases) {
  describe(c.op, () => {
    const values = [0, -0, 1, -2.5, NaN, Infinity, -Infinity, 1e-320];

    it('gives a bool tensor for float32, float64, int32 and bool inputs, also strided', () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const y = c.fn(tensor(values, { dtype }));
        expect(y.dtype).toBe('bool');
        expect(y.toArray()).toEqual(values.map((v) => c.ref(dtype === 'float32' ? Math.fround(v) : v)));
      }
      expect(c.fn(i32([0, 3, -1])).toArray()).toEqual([0, 3, -1].map(c.ref));
      expect(c.fn(tensor([true, false])).toArray()).toEqual([1, 0].map(c.ref));
      const x = f64([0, NaN, Infinity, 1, -Infinity, 2]).reshape([2, 3]);
      expect(c.fn(x.T).toArray()).toEqual((x.T.contiguous().toArray() as number[][]).map((r) => r.map(c.ref)));
      expect(c.fn(zeros([0])).shape).toEqual([0]);
    });

    it('records nothing on the tape', () => {
      const x = f64([1, NaN]).requiresGrad_();
      const y = c.fn(x);
      expect(y.requiresGrad).toBe(false);
      expect(y.gradFn).toBeNull();
    });

    it('refuses a number', () => {
      expect(() => c.fn(1 as unknown as Tensor)).toThrow(`${c.op}: x must be a Tensor, got 1 (a number)`);
    });
  });
}

// ---------------------------------------------------------------- Tensor methods

describe('Tensor methods of the unary math ops', () => {
  it('delegate to the functions', () => {
    const x = f64([0.25, 0.5, 0.75]);
    const same = (a: Tensor, b: Tensor) => expect(a).toBeAllClose(b, { rtol: 0, atol: 0 });
    same(x.exp2(), tg.exp2(x));
    same(x.expm1(), tg.expm1(x));
    same(x.log2(), tg.log2(x));
    same(x.log10(), tg.log10(x));
    same(x.reciprocal(), tg.reciprocal(x));
    same(x.tan(), tg.tan(x));
    same(x.asin(), tg.asin(x));
    same(x.acos(), tg.acos(x));
    same(x.atan(), tg.atan(x));
    same(x.sinh(), tg.sinh(x));
    same(x.cosh(), tg.cosh(x));
    same(x.asinh(), tg.asinh(x));
    same(x.add(1).acosh(), tg.acosh(x.add(1)));
    same(x.atanh(), tg.atanh(x));
    same(x.sinc(), tg.sinc(x));
    same(x.erfc(), tg.erfc(x));
    same(x.erfinv(), tg.erfinv(x));
    same(x.lgamma(), tg.lgamma(x));
    same(x.digamma(), tg.digamma(x));
    same(x.polygamma(2), tg.polygamma(2, x));
    same(x.logit({ eps: 0.3 }), tg.logit(x, { eps: 0.3 }));
    same(x.floor(), tg.floor(x));
    same(x.ceil(), tg.ceil(x));
    same(x.round(), tg.round(x));
    same(x.round({ decimals: 1 }), tg.round(x, { decimals: 1 }));
    same(x.trunc(), tg.trunc(x));
    same(x.frac(), tg.frac(x));
    same(x.nanToNum({ nan: 1 }), tg.nanToNum(x, { nan: 1 }));
    expect(f64([NaN, Infinity]).isnan().toArray()).toEqual([true, false]);
    expect(f64([NaN, Infinity]).isinf().toArray()).toEqual([false, true]);
    expect(f64([-Infinity, Infinity]).isposinf().toArray()).toEqual([false, true]);
    expect(f64([-Infinity, Infinity]).isneginf().toArray()).toEqual([true, false]);
    expect(f64([NaN, 1]).isfinite().toArray()).toEqual([false, true]);
    expect(f64([0, 1]).logicalNot().toArray()).toEqual([true, false]);
  });
});
