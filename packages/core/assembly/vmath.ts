// Vectorised float32 elementary functions on f32x4 lanes (Cephes-style range reduction plus
// minimax polynomials). Measured against float64 Math.* by the conformance tests:
// exp, log: <= 1 ulp; tanh: <= 2 ulp; sigmoid: <= 3 ulp (measured 0.95, 0.73, 1.26, 2.40 ulp over
// dense sweeps of their ranges, test/wasm-math.test.ts).
// erf: <= 1.2 ulp (1.11 ulp measured against the float64 reference, 2e6 points over [-10, 10]).
// gelu, geluTanh and their derivatives (geluGrad, geluTanhGrad): <= 5.2e-7 absolute over the
// same sweep (the largest error at |x| ~ 10 is half an ulp of the result); their far left tails
// (|y| < 1e-6) are only accurate in absolute terms, as their float32 values underflow there.
// All five are held to the element-wise tolerance (2e-6 relative + 1e-6 absolute) by
// core/test/conformance.test.ts.
// exp keeps subnormal results (two-step scaling) and is 0 below -104, inf above 88.73.

// Constants as splatted v128s in a static table, loaded by the kernels: V8 materialises each
// v128.const with several instructions inside the loop, a load from the table costs one.
// Generated from (name, value) pairs; entries are the float32 (or int32) bit patterns.
// @ts-ignore: decorator
@inline const EXP_LO: i32 = 0; // -104.0
// @ts-ignore: decorator
@inline const EXP_HI: i32 = 1; // 88.8
// @ts-ignore: decorator
@inline const MAGIC: i32 = 2; // 12582912.0
// @ts-ignore: decorator
@inline const LOG2E: i32 = 3; // 1.4426950408889634
// @ts-ignore: decorator
@inline const LN2_HI: i32 = 4; // 0.693359375
// @ts-ignore: decorator
@inline const LN2_LO: i32 = 5; // -0.00021219444
// @ts-ignore: decorator
@inline const E0: i32 = 6; // 0.000198756915
// @ts-ignore: decorator
@inline const E1: i32 = 7; // 0.0013981999507
// @ts-ignore: decorator
@inline const E2: i32 = 8; // 0.0083334519073
// @ts-ignore: decorator
@inline const E3: i32 = 9; // 0.041665795894
// @ts-ignore: decorator
@inline const E4: i32 = 10; // 0.16666665459
// @ts-ignore: decorator
@inline const E5: i32 = 11; // 0.50000001201
// @ts-ignore: decorator
@inline const ONE: i32 = 12; // 1.0
// @ts-ignore: decorator
@inline const HALF: i32 = 13; // 0.5
// @ts-ignore: decorator
@inline const TWO: i32 = 14; // 2.0
// @ts-ignore: decorator
@inline const ZERO: i32 = 15; // 0.0
// @ts-ignore: decorator
@inline const BIAS: i32 = 16; // 127
// @ts-ignore: decorator
@inline const MIN_NORMAL: i32 = 17; // 1.17549435e-38
// @ts-ignore: decorator
@inline const TWO23: i32 = 18; // 8388608.0
// @ts-ignore: decorator
@inline const I23: i32 = 19; // 23
// @ts-ignore: decorator
@inline const MANT: i32 = 20; // 8388607
// @ts-ignore: decorator
@inline const ONE_BITS: i32 = 21; // 1065353216
// @ts-ignore: decorator
@inline const SQRT2: i32 = 22; // 1.41421356
// @ts-ignore: decorator
@inline const L0: i32 = 23; // 0.070376836292
// @ts-ignore: decorator
@inline const L1: i32 = 24; // -0.1151461031
// @ts-ignore: decorator
@inline const L2: i32 = 25; // 0.1167699874
// @ts-ignore: decorator
@inline const L3: i32 = 26; // -0.12420140846
// @ts-ignore: decorator
@inline const L4: i32 = 27; // 0.14249322787
// @ts-ignore: decorator
@inline const L5: i32 = 28; // -0.16668057665
// @ts-ignore: decorator
@inline const L6: i32 = 29; // 0.20000714765
// @ts-ignore: decorator
@inline const L7: i32 = 30; // -0.24999993993
// @ts-ignore: decorator
@inline const L8: i32 = 31; // 0.33333331174
// @ts-ignore: decorator
@inline const NEG_INF: i32 = 32; // -inf
// @ts-ignore: decorator
@inline const POS_INF: i32 = 33; // inf
// @ts-ignore: decorator
@inline const NAN: i32 = 34; // 2143289344
// @ts-ignore: decorator
@inline const T0: i32 = 35; // -0.00570498872745
// @ts-ignore: decorator
@inline const T1: i32 = 36; // 0.0206390887954
// @ts-ignore: decorator
@inline const T2: i32 = 37; // -0.0537397155531
// @ts-ignore: decorator
@inline const T3: i32 = 38; // 0.133314422036
// @ts-ignore: decorator
@inline const T4: i32 = 39; // -0.333332819422
// @ts-ignore: decorator
@inline const TANH_SPLIT: i32 = 40; // 0.625
// @ts-ignore: decorator
@inline const SIGN: i32 = 41; // -2147483648
// erf (two minimax fits by N. Juffa, https://stackoverflow.com/a/49743348) and gelu
// @ts-ignore: decorator
@inline const ERF_SPLIT: i32 = 42; // 0.927734375
// @ts-ignore: decorator
@inline const EA0: i32 = 43; // -1.7285347e-05
// @ts-ignore: decorator
@inline const EA1: i32 = 44; // 0.000383197126
// @ts-ignore: decorator
@inline const EA2: i32 = 45; // -0.00388396438
// @ts-ignore: decorator
@inline const EA3: i32 = 46; // 0.0242546219
// @ts-ignore: decorator
@inline const EA4: i32 = 47; // -0.106777877
// @ts-ignore: decorator
@inline const EA5: i32 = 48; // -0.634846687
// @ts-ignore: decorator
@inline const EA6: i32 = 49; // -0.128717512
// @ts-ignore: decorator
@inline const ES0: i32 = 50; // -0.000596761703
// @ts-ignore: decorator
@inline const ES1: i32 = 51; // 0.00499119423
// @ts-ignore: decorator
@inline const ES2: i32 = 52; // -0.0267681349
// @ts-ignore: decorator
@inline const ES3: i32 = 53; // 0.112819925
// @ts-ignore: decorator
@inline const ES4: i32 = 54; // -0.376125336
// @ts-ignore: decorator
@inline const ES5: i32 = 55; // 0.128379166
// @ts-ignore: decorator
@inline const SQRT1_2: i32 = 56; // 0.7071067811865476
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: i32 = 57; // 0.3989422804014327
// @ts-ignore: decorator
@inline const SQRT_2_OVER_PI: i32 = 58; // 0.7978845608028654
// @ts-ignore: decorator
@inline const GELU_K: i32 = 59; // 0.044715
// @ts-ignore: decorator
@inline const GELU_3K: i32 = 60; // 0.134145
// @ts-ignore: decorator
@inline const NEG_HALF: i32 = 61; // -0.5
// @ts-ignore: decorator
@inline const NEG_TWO_C: i32 = 62; // -1.5957691216057308
// @ts-ignore: decorator
@inline const CLAMP10: i32 = 63; // 10.0
// @ts-ignore: decorator
@inline const NEG_CLAMP10: i32 = 64; // -10.0
const TABLE = memory.data<i32>([-1026555904, -1026555904, -1026555904, -1026555904, 1118935450, 1118935450, 1118935450, 1118935450, 1262485504, 1262485504, 1262485504, 1262485504, 1069066811, 1069066811, 1069066811, 1069066811, 1060208640, 1060208640, 1060208640, 1060208640, -1184989053, -1184989053, -1184989053, -1184989053, 961571175, 961571175, 961571175, 961571175, 985088974, 985088974, 985088974, 985088974, 1007192328, 1007192328, 1007192328, 1007192328, 1026206145, 1026206145, 1026206145, 1026206145, 1042983594, 1042983594, 1042983594, 1042983594, 1056964608, 1056964608, 1056964608, 1056964608, 1065353216, 1065353216, 1065353216, 1065353216, 1056964608, 1056964608, 1056964608, 1056964608, 1073741824, 1073741824, 1073741824, 1073741824, 0, 0, 0, 0, 127, 127, 127, 127, 8388608, 8388608, 8388608, 8388608, 1258291200, 1258291200, 1258291200, 1258291200, 23, 23, 23, 23, 8388607, 8388607, 8388607, 8388607, 1065353216, 1065353216, 1065353216, 1065353216, 1068827891, 1068827891, 1068827891, 1068827891, 1032855995, 1032855995, 1032855995, 1032855995, -1108618824, -1108618824, -1108618824, -1108618824, 1039082778, 1039082778, 1039082778, 1039082778, -1107403441, -1107403441, -1107403441, -1107403441, 1041361343, 1041361343, 1041361343, 1041361343, -1104499120, -1104499120, -1104499120, -1104499120, 1045221036, 1045221036, 1045221036, 1045221036, -1098907652, -1098907652, -1098907652, -1098907652, 1051372202, 1051372202, 1051372202, 1051372202, -8388608, -8388608, -8388608, -8388608, 2139095040, 2139095040, 2139095040, 2139095040, 2143289344, 2143289344, 2143289344, 2143289344, -1145376534, -1145376534, -1145376534, -1145376534, 1017713486, 1017713486, 1017713486, 1017713486, -1118036435, -1118036435, -1118036435, -1118036435, 1040745363, 1040745363, 1040745363, 1040745363, -1096111463, -1096111463, -1096111463, -1096111463, 1059061760, 1059061760, 1059061760, 1059061760, -2147483648, -2147483648, -2147483648, -2147483648, 1064140800, 1064140800, 1064140800, 1064140800, -1215234048, -1215234048, -1215234048, -1215234048, 969467865, 969467865, 969467865, 969467865, -1149335012, -1149335012, -1149335012, -1149335012, 1019654561, 1019654561, 1019654561, 1019654561, -1109741988, -1109741988, -1109741988, -1109741988, -1088256688, -1088256688, -1088256688, -1088256688, -1107046778, -1107046778, -1107046778, -1107046778, -1172541440, -1172541440, -1172541440, -1172541440, 1000574252, 1000574252, 1000574252, 1000574252, -1126479655, -1126479655, -1126479655, -1126479655, 1038552610, 1038552610, 1038552610, 1038552610, -1094675584, -1094675584, -1094675584, -1094675584, 1040414164, 1040414164, 1040414164, 1040414164, 1060439283, 1060439283, 1060439283, 1060439283, 1053573674, 1053573674, 1053573674, 1053573674, 1061962282, 1061962282, 1061962282, 1061962282, 1027024659, 1027024659, 1027024659, 1027024659, 1040801103, 1040801103, 1040801103, 1040801103, -1090519040, -1090519040, -1090519040, -1090519040, -1077132758, -1077132758, -1077132758, -1077132758, 1092616192, 1092616192, 1092616192, 1092616192, -1054867456, -1054867456, -1054867456, -1054867456], 16);

/** The splatted constant `i` of the table. */
// @ts-ignore: decorator
@inline function c(i: i32): v128 {
  return v128.load(TABLE + (<usize>i << 4));
}

/**
 * x 2^n for integer lanes n in [-150, 128], scaling by two factors 2^(n/2) so that results
 * near overflow and in the subnormal range come out right.
 */
// @ts-ignore: decorator
@inline
function ldexp(x: v128, n: v128): v128 {
  const h = i32x4.shr_s(n, 1);
  const l = i32x4.sub(n, h);
  const bias = c(BIAS);
  const s1 = i32x4.shl(i32x4.add(h, bias), 23);
  const s2 = i32x4.shl(i32x4.add(l, bias), 23);
  return f32x4.mul(f32x4.mul(x, s1), s2);
}

/** e^x per lane. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  // clamp with pmin/pmax (one instruction each on x64; NaN lanes pass through as x is the first
  // operand), then round x log2(e) to an integer n by the 1.5 * 2^23 trick, which leaves n in
  // the low mantissa bits: cheaper than nearest + trunc_sat
  x = f32x4.pmin(f32x4.pmax(x, c(EXP_LO)), c(EXP_HI));
  const magic = c(MAGIC);
  const t = f32x4.add(f32x4.mul(x, c(LOG2E)), magic);
  const fn = f32x4.sub(t, magic);
  const n = i32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(fn, c(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, c(LN2_LO)));
  let p = c(E0);
  p = f32x4.add(f32x4.mul(p, r), c(E1));
  p = f32x4.add(f32x4.mul(p, r), c(E2));
  p = f32x4.add(f32x4.mul(p, r), c(E3));
  p = f32x4.add(f32x4.mul(p, r), c(E4));
  p = f32x4.add(f32x4.mul(p, r), c(E5));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), c(ONE));
  return ldexp(p, n);
}

/** Natural log per lane: NaN for x < 0, -inf at 0, inf at inf; subnormals handled. */
// @ts-ignore: decorator
@inline
export function vlog(x: v128): v128 {
  // scale subnormals up by 2^23 so the exponent field is meaningful
  const sub = f32x4.lt(x, c(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, c(TWO23)), x, sub);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), c(BIAS));
  e = i32x4.sub(e, v128.and(sub, c(I23)));
  // mantissa in [1, 2), then folded to [sqrt(1/2), sqrt(2))
  let m = v128.or(v128.and(xs, c(MANT)), c(ONE_BITS));
  const big = f32x4.gt(m, c(SQRT2));
  m = v128.bitselect(f32x4.mul(m, c(HALF)), m, big);
  e = i32x4.sub(e, big); // big lanes are -1: e + 1
  const fe = f32x4.convert_i32x4_s(e);
  const t = f32x4.sub(m, c(ONE));
  const z = f32x4.mul(t, t);
  let p = c(L0);
  p = f32x4.add(f32x4.mul(p, t), c(L1));
  p = f32x4.add(f32x4.mul(p, t), c(L2));
  p = f32x4.add(f32x4.mul(p, t), c(L3));
  p = f32x4.add(f32x4.mul(p, t), c(L4));
  p = f32x4.add(f32x4.mul(p, t), c(L5));
  p = f32x4.add(f32x4.mul(p, t), c(L6));
  p = f32x4.add(f32x4.mul(p, t), c(L7));
  p = f32x4.add(f32x4.mul(p, t), c(L8));
  let y = f32x4.mul(f32x4.mul(p, t), z);
  y = f32x4.add(y, f32x4.mul(fe, c(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, c(HALF)));
  let r = f32x4.add(f32x4.add(t, y), f32x4.mul(fe, c(LN2_HI)));
  // specials: x < 0 or NaN -> NaN; 0 -> -inf; +inf -> +inf
  r = v128.bitselect(c(NEG_INF), r, f32x4.eq(x, c(ZERO)));
  r = v128.bitselect(x, r, f32x4.eq(x, c(POS_INF)));
  r = v128.bitselect(c(NAN), r, v128.not(f32x4.ge(x, c(ZERO))));
  return r;
}

/** tanh per lane: odd polynomial below |x| = 0.625, 1 - 2 / (e^{2|x|} + 1) above. */
// @ts-ignore: decorator
@inline
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = c(T0);
  p = f32x4.add(f32x4.mul(p, z), c(T1));
  p = f32x4.add(f32x4.mul(p, z), c(T2));
  p = f32x4.add(f32x4.mul(p, z), c(T3));
  p = f32x4.add(f32x4.mul(p, z), c(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.add(ax, ax));
  const large = f32x4.sub(c(ONE), f32x4.div(c(TWO), f32x4.add(e, c(ONE))));
  // NaN lanes: ax < 0.625 is false, the large branch carries NaN through exp
  const r = v128.bitselect(small, large, f32x4.lt(ax, c(TANH_SPLIT)));
  // tanh is odd: the magnitude with the sign of x (also gives tanh(-0) = -0)
  const sign = c(SIGN);
  return v128.or(v128.andnot(r, sign), v128.and(x, sign));
}

/** 1 / (1 + e^-x) per lane. */
// @ts-ignore: decorator
@inline
export function vsigmoid(x: v128): v128 {
  return f32x4.div(c(ONE), f32x4.add(c(ONE), vexp(f32x4.neg(x))));
}

/** erfc(t) for t = |x| >= 0.9277: e^(-q(t)), q a polynomial (Estrin for its first two levels). */
// @ts-ignore: decorator
@inline
function verfcLarge(t: v128, s: v128): v128 {
  let r = f32x4.add(f32x4.mul(c(EA0), t), c(EA1));
  const u = f32x4.add(f32x4.mul(c(EA2), t), c(EA3));
  r = f32x4.add(f32x4.mul(r, s), u);
  r = f32x4.add(f32x4.mul(r, t), c(EA4));
  r = f32x4.add(f32x4.mul(r, t), c(EA5));
  r = f32x4.add(f32x4.mul(r, t), c(EA6));
  r = f32x4.sub(f32x4.mul(r, t), t);
  return vexp(r);
}

/** erf(x) for |x| < 0.9277: x + x p(x²), s = x². */
// @ts-ignore: decorator
@inline
function verfSmall(x: v128, s: v128): v128 {
  let p = c(ES0);
  p = f32x4.add(f32x4.mul(p, s), c(ES1));
  p = f32x4.add(f32x4.mul(p, s), c(ES2));
  p = f32x4.add(f32x4.mul(p, s), c(ES3));
  p = f32x4.add(f32x4.mul(p, s), c(ES4));
  p = f32x4.add(f32x4.mul(p, s), c(ES5));
  return f32x4.add(f32x4.mul(p, x), x);
}

/**
 * erf per lane: an odd polynomial in x below |x| = 0.9277, `1 - erfc(|x|)` (erfc = e^(-q(|x|)),
 * q a polynomial) above, with the sign of x. erf(±inf) = ±1, erf(NaN) = NaN, erf(-0) = -0.
 */
// @ts-ignore: decorator
@inline
export function verf(x: v128): v128 {
  const t = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  const big = f32x4.sub(c(ONE), verfcLarge(t, s));
  // NaN lanes fail t > split and take the small branch, which carries NaN
  const sign = c(SIGN);
  const large = v128.or(v128.andnot(big, sign), v128.and(x, sign));
  return v128.bitselect(large, verfSmall(x, s), f32x4.gt(t, c(ERF_SPLIT)));
}

/**
 * The standard normal CDF Φ(x) = (1 + erf(x / √2)) / 2 per lane, from erfc on the negative side
 * (erfc(|z|) / 2) so that the left tail keeps its relative accuracy instead of cancelling.
 */
// @ts-ignore: decorator
@inline
function vphi(x: v128): v128 {
  const z = f32x4.mul(x, c(SQRT1_2));
  const t = f32x4.abs(z);
  const s = f32x4.mul(z, z);
  const h = c(HALF);
  const e = f32x4.mul(h, verfcLarge(t, s));
  const large = v128.bitselect(e, f32x4.sub(c(ONE), e), f32x4.lt(x, c(ZERO)));
  return v128.bitselect(large, f32x4.add(h, f32x4.mul(h, verfSmall(z, s))), f32x4.gt(t, c(ERF_SPLIT)));
}

/** Exact gelu per lane: x Φ(x). */
// @ts-ignore: decorator
@inline
export function vgelu(x: v128): v128 {
  return f32x4.mul(x, vphi(x));
}

/**
 * tanh gelu per lane, as x σ(2u) = x / (1 + e^(-2u)), u = √(2/π) (x + 0.044715 x³): equal to
 * x (1 + tanh u) / 2 without its cancellation for negative x.
 */
// @ts-ignore: decorator
@inline
export function vgeluTanh(x: v128): v128 {
  const k = f32x4.add(c(ONE), f32x4.mul(c(GELU_K), f32x4.mul(x, x)));
  const e = vexp(f32x4.mul(f32x4.mul(x, k), c(NEG_TWO_C)));
  return f32x4.div(x, f32x4.add(c(ONE), e));
}

/** gelu'(x) = Φ(x) + x φ(x) per lane; ±inf give NaN (inf · 0) as the reference. */
// @ts-ignore: decorator
@inline
export function vgeluGrad(x: v128): v128 {
  const pdf = f32x4.mul(vexp(f32x4.mul(f32x4.mul(x, x), c(NEG_HALF))), c(INV_SQRT_2PI));
  // x - x: 0 for finite x, NaN for ±inf and NaN
  return f32x4.add(f32x4.add(vphi(x), f32x4.mul(x, pdf)), f32x4.sub(x, x));
}

/**
 * tanh gelu's derivative per lane. With s = σ(2u) (so (1 + tanh u)/2 = s and 1 - tanh² u =
 * 4 s (1 - s)): s (1 + 2 x (1 - s) u'), u' = √(2/π) (1 + 3 · 0.044715 x²); 1 - s is taken as
 * e^(-2u) s where that is small (x > 0), so neither tail cancels. x is clamped to ±10 first (the
 * result moves by < 1e-36) so that x² cannot overflow into 0 · inf; ±inf give NaN as the reference.
 */
// @ts-ignore: decorator
@inline
export function vgeluTanhGrad(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, c(NEG_CLAMP10)), c(CLAMP10));
  const x2 = f32x4.mul(xc, xc);
  const one = c(ONE);
  const e = vexp(f32x4.mul(f32x4.mul(xc, f32x4.add(one, f32x4.mul(c(GELU_K), x2))), c(NEG_TWO_C)));
  const sg = f32x4.div(one, f32x4.add(one, e));
  const sm = v128.bitselect(f32x4.sub(one, sg), f32x4.mul(e, sg), f32x4.gt(e, one));
  const du = f32x4.mul(f32x4.add(one, f32x4.mul(c(GELU_3K), x2)), c(SQRT_2_OVER_PI));
  const r = f32x4.mul(sg, f32x4.add(one, f32x4.mul(f32x4.mul(f32x4.add(xc, xc), sm), du)));
  return f32x4.add(r, f32x4.sub(x, x));
}
