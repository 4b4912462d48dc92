// Vectorised float32 elementary functions on f32x4 lanes (Cephes-style range reduction plus
// minimax polynomials). Measured against float64 Math.* by the conformance tests:
// exp, log: <= 1 ulp; tanh: <= 2 ulp; sigmoid: <= 3 ulp (measured 0.95, 0.73, 1.26, 2.40 ulp over
// dense sweeps of their ranges, test/wasm-math.test.ts).
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
const TABLE = memory.data<i32>([-1026555904, -1026555904, -1026555904, -1026555904, 1118935450, 1118935450, 1118935450, 1118935450, 1262485504, 1262485504, 1262485504, 1262485504, 1069066811, 1069066811, 1069066811, 1069066811, 1060208640, 1060208640, 1060208640, 1060208640, -1184989053, -1184989053, -1184989053, -1184989053, 961571175, 961571175, 961571175, 961571175, 985088974, 985088974, 985088974, 985088974, 1007192328, 1007192328, 1007192328, 1007192328, 1026206145, 1026206145, 1026206145, 1026206145, 1042983594, 1042983594, 1042983594, 1042983594, 1056964608, 1056964608, 1056964608, 1056964608, 1065353216, 1065353216, 1065353216, 1065353216, 1056964608, 1056964608, 1056964608, 1056964608, 1073741824, 1073741824, 1073741824, 1073741824, 0, 0, 0, 0, 127, 127, 127, 127, 8388608, 8388608, 8388608, 8388608, 1258291200, 1258291200, 1258291200, 1258291200, 23, 23, 23, 23, 8388607, 8388607, 8388607, 8388607, 1065353216, 1065353216, 1065353216, 1065353216, 1068827891, 1068827891, 1068827891, 1068827891, 1032855995, 1032855995, 1032855995, 1032855995, -1108618824, -1108618824, -1108618824, -1108618824, 1039082778, 1039082778, 1039082778, 1039082778, -1107403441, -1107403441, -1107403441, -1107403441, 1041361343, 1041361343, 1041361343, 1041361343, -1104499120, -1104499120, -1104499120, -1104499120, 1045221036, 1045221036, 1045221036, 1045221036, -1098907652, -1098907652, -1098907652, -1098907652, 1051372202, 1051372202, 1051372202, 1051372202, -8388608, -8388608, -8388608, -8388608, 2139095040, 2139095040, 2139095040, 2139095040, 2143289344, 2143289344, 2143289344, 2143289344, -1145376534, -1145376534, -1145376534, -1145376534, 1017713486, 1017713486, 1017713486, 1017713486, -1118036435, -1118036435, -1118036435, -1118036435, 1040745363, 1040745363, 1040745363, 1040745363, -1096111463, -1096111463, -1096111463, -1096111463, 1059061760, 1059061760, 1059061760, 1059061760, -2147483648, -2147483648, -2147483648, -2147483648], 16);

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
