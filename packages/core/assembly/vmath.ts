// Vectorised float32 elementary functions on f32x4 lanes (Cephes-style range reduction plus
// minimax polynomials). Measured against float64 Math.* by the conformance tests:
// exp, log: <= 1 ulp; tanh: <= 2 ulp; sigmoid: <= 3 ulp (measured 0.95, 0.73, 1.26, 2.40 ulp over
// dense sweeps of their ranges, test/wasm-math.test.ts).
// exp keeps subnormal results (two-step scaling) and is 0 below -104, inf above 88.73.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n * LN2_HI is exact for |n| < 2^9
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;

/**
 * x 2^n for integer lanes n in [-150, 128], scaling by two factors 2^(n/2) so that results
 * near overflow and in the subnormal range come out right.
 */
// @ts-ignore: decorator
@inline
function ldexp(x: v128, n: v128): v128 {
  const h = i32x4.shr_s(n, 1);
  const l = i32x4.sub(n, h);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(h, bias), 23);
  const s2 = i32x4.shl(i32x4.add(l, bias), 23);
  return f32x4.mul(f32x4.mul(x, s1), s2);
}

/** e^x per lane. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  // wasm min/max propagate NaN, so NaN lanes stay NaN through the clamp
  x = f32x4.min(f32x4.max(x, f32x4.splat(-104.0)), f32x4.splat(88.8));
  const fn = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(fn, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  return ldexp(p, i32x4.trunc_sat_f32x4_s(fn));
}

/** Natural log per lane: NaN for x < 0, -inf at 0, inf at inf; subnormals handled. */
// @ts-ignore: decorator
@inline
export function vlog(x: v128): v128 {
  // scale subnormals up by 2^23 so the exponent field is meaningful
  const sub = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, sub);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(127));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(23)));
  // mantissa in [1, 2), then folded to [sqrt(1/2), sqrt(2))
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // big lanes are -1: e + 1
  const fe = f32x4.convert_i32x4_s(e);
  const t = f32x4.sub(m, f32x4.splat(1.0));
  const z = f32x4.mul(t, t);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, t), z);
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(t, y), f32x4.mul(fe, f32x4.splat(LN2_HI)));
  // specials: x < 0 or NaN -> NaN; 0 -> -inf; +inf -> +inf
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, f32x4.eq(x, f32x4.splat(Infinity)));
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0))));
  return r;
}

/** tanh per lane: odd polynomial below |x| = 0.625, 1 - 2 / (e^{2|x|} + 1) above. */
// @ts-ignore: decorator
@inline
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  // NaN lanes: ax < 0.625 is false, the large branch carries NaN through exp
  const r = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
  // tanh is odd: the magnitude with the sign of x (also gives tanh(-0) = -0)
  const sign = i32x4.splat(0x80000000);
  return v128.or(v128.andnot(r, sign), v128.and(x, sign));
}

/** 1 / (1 + e^-x) per lane. */
// @ts-ignore: decorator
@inline
export function vsigmoid(x: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), vexp(f32x4.neg(x))));
}
