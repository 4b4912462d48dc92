// Softmax and log-softmax along a dim of a contiguous float32 block [outer, len, inner], and
// their gradients from the output: one kernel call per op, the exp-sums accumulated in float64.
// `inner` 1 (the last dim) walks rows with 4 lanes along the row; otherwise 4 lanes across
// `inner` walk 4 lines at once. The reference (src/kernels/js/softmax.ts) computes in float64.
import { vexp } from './vmath';

/** Sum of the two f64x2 lanes of each accumulator. */
// @ts-ignore: decorator
@inline
function hsum(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** `acc + (v's 4 lanes in float64)`, as two f64x2 accumulators. */
// @ts-ignore: decorator
@inline
function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline
function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** e^x of one float with the vector kernel (the same values as the lanes). */
// @ts-ignore: decorator
@inline
function exp1(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

/** One row of n contiguous floats at `x` into `out`. */
function softmaxRow(n: i32, x: usize, out: usize, log: bool): void {
  let acc = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) acc = f32x4.max(acc, v128.load(x + (<usize>j << 2)));
  let m: f32 = max(max(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)), max(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)));
  for (; j < n; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
  // a NaN or infinite max shifts by 0: NaN and inf results as exp(x) / sum(exp(x))
  if (!isFinite<f32>(m)) m = 0;
  const mv = f32x4.splat(m);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  j = 0;
  for (; j + 4 <= n; j += 4) {
    const e = vexp(f32x4.sub(v128.load(x + (<usize>j << 2)), mv));
    if (!log) v128.store(out + (<usize>j << 2), e);
    s0 = f64x2.add(s0, promoteLow(e));
    s1 = f64x2.add(s1, promoteHigh(e));
  }
  let s = hsum(s0, s1);
  for (; j < n; j++) {
    const e = exp1(load<f32>(x + (<usize>j << 2)) - m);
    if (!log) store<f32>(out + (<usize>j << 2), e);
    s += <f64>e;
  }
  j = 0;
  if (log) {
    const ls: f32 = <f32>Math.log(s);
    const lv = f32x4.splat(ls);
    for (; j + 4 <= n; j += 4) v128.store(out + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(x + (<usize>j << 2)), mv), lv));
    for (; j < n; j++) store<f32>(out + (<usize>j << 2), load<f32>(x + (<usize>j << 2)) - m - ls);
  } else {
    const sf: f32 = <f32>s;
    const sv = f32x4.splat(sf);
    for (; j + 4 <= n; j += 4) v128.store(out + (<usize>j << 2), f32x4.div(v128.load(out + (<usize>j << 2)), sv));
    for (; j < n; j++) store<f32>(out + (<usize>j << 2), load<f32>(out + (<usize>j << 2)) / sf);
  }
}

/**
 * Lines along the middle dim of [len, inner] at `x`, 4 neighbouring lines (`w` of them valid,
 * from column `i`) per call: the same steps as {@link softmaxRow} lane by lane.
 */
function softmaxCols(len: i32, inner: i32, x: usize, out: usize, i: i32, log: bool): void {
  const step = <usize>inner << 2;
  const xi = x + (<usize>i << 2), oi = out + (<usize>i << 2);
  let m = f32x4.splat(-Infinity);
  for (let j = 0; j < len; j++) m = f32x4.max(m, v128.load(xi + <usize>j * step));
  // lanes with a non-finite max shift by 0 (x - x is 0 only for finite x)
  const fin = f32x4.eq(f32x4.sub(m, m), f32x4.splat(0));
  m = v128.and(m, fin);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  for (let j = 0; j < len; j++) {
    const e = vexp(f32x4.sub(v128.load(xi + <usize>j * step), m));
    if (!log) v128.store(oi + <usize>j * step, e);
    s0 = f64x2.add(s0, promoteLow(e));
    s1 = f64x2.add(s1, promoteHigh(e));
  }
  const s = f32x4.demote_f64x2_zero(s0), t = f32x4.demote_f64x2_zero(s1);
  const sv = i32x4.shuffle(s, t, 0, 1, 4, 5);
  if (log) {
    let lv = f32x4.splat(<f32>Math.log(f64x2.extract_lane(s0, 0)));
    lv = f32x4.replace_lane(lv, 1, <f32>Math.log(f64x2.extract_lane(s0, 1)));
    lv = f32x4.replace_lane(lv, 2, <f32>Math.log(f64x2.extract_lane(s1, 0)));
    lv = f32x4.replace_lane(lv, 3, <f32>Math.log(f64x2.extract_lane(s1, 1)));
    for (let j = 0; j < len; j++) v128.store(oi + <usize>j * step, f32x4.sub(f32x4.sub(v128.load(xi + <usize>j * step), m), lv));
  } else {
    for (let j = 0; j < len; j++) v128.store(oi + <usize>j * step, f32x4.div(v128.load(oi + <usize>j * step), sv));
  }
}

/**
 * Softmax (or with `log` != 0 log-softmax) of the contiguous block [outer, len, inner] at `x`
 * along its middle dim into `out` (same layout). With `inner` > 1 the columns go 4 at a time;
 * a last group of fewer is computed through the scratch `work` (4 * len floats, padded).
 */
export function softmaxF32(outer: i32, len: i32, inner: i32, x: usize, out: usize, log: i32, work: usize): void {
  const lg = log != 0;
  const block = <usize>len * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * block, oo = out + <usize>o * block;
    if (inner == 1) {
      softmaxRow(len, xo, oo, lg);
      continue;
    }
    let i = 0;
    for (; i + 4 <= inner; i += 4) softmaxCols(len, inner, xo, oo, i, lg);
    if (i < inner) {
      // the last columns: gathered into 4-wide rows of the scratch (unused lanes 0), computed, scattered back
      const w = inner - i;
      const wo = work + (<usize>len << 4);
      for (let j = 0; j < len; j++)
        for (let l = 0; l < 4; l++) store<f32>(work + (<usize>(j * 4 + l) << 2), l < w ? load<f32>(xo + (<usize>(j * inner + i + l) << 2)) : 0);
      softmaxCols(len, 4, work, wo, 0, lg);
      for (let j = 0; j < len; j++)
        for (let l = 0; l < w; l++) store<f32>(oo + (<usize>(j * inner + i + l) << 2), load<f32>(wo + (<usize>(j * 4 + l) << 2)));
    }
  }
}

/** One row: `y (g - sum(g y))`, or with `log` `g - exp(y) sum(g)`. */
function softmaxBackwardRow(n: i32, g: usize, y: usize, out: usize, log: bool): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const gv = v128.load(g + (<usize>j << 2));
    const t = log ? gv : f32x4.mul(gv, v128.load(y + (<usize>j << 2)));
    s0 = f64x2.add(s0, promoteLow(t));
    s1 = f64x2.add(s1, promoteHigh(t));
  }
  let s = hsum(s0, s1);
  for (; j < n; j++) {
    const gj = load<f32>(g + (<usize>j << 2));
    s += <f64>(log ? gj : gj * load<f32>(y + (<usize>j << 2)));
  }
  const sf: f32 = <f32>s;
  const sv = f32x4.splat(sf);
  j = 0;
  for (; j + 4 <= n; j += 4) {
    const gv = v128.load(g + (<usize>j << 2)), yv = v128.load(y + (<usize>j << 2));
    v128.store(out + (<usize>j << 2), log ? f32x4.sub(gv, f32x4.mul(vexp(yv), sv)) : f32x4.mul(yv, f32x4.sub(gv, sv)));
  }
  for (; j < n; j++) {
    const gj = load<f32>(g + (<usize>j << 2)), yj = load<f32>(y + (<usize>j << 2));
    store<f32>(out + (<usize>j << 2), log ? gj - exp1(yj) * sf : yj * (gj - sf));
  }
}

/** 4 neighbouring lines of [len, inner] from column `i`, as {@link softmaxBackwardRow}. */
function softmaxBackwardCols(len: i32, inner: i32, g: usize, y: usize, out: usize, i: i32, log: bool): void {
  const step = <usize>inner << 2;
  const off = <usize>i << 2;
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  for (let j = 0; j < len; j++) {
    const p = off + <usize>j * step;
    const gv = v128.load(g + p);
    const t = log ? gv : f32x4.mul(gv, v128.load(y + p));
    s0 = f64x2.add(s0, promoteLow(t));
    s1 = f64x2.add(s1, promoteHigh(t));
  }
  const sv = i32x4.shuffle(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5);
  for (let j = 0; j < len; j++) {
    const p = off + <usize>j * step;
    const gv = v128.load(g + p), yv = v128.load(y + p);
    v128.store(out + p, log ? f32x4.sub(gv, f32x4.mul(vexp(yv), sv)) : f32x4.mul(yv, f32x4.sub(gv, sv)));
  }
}

/**
 * The gradient of {@link softmaxF32} from its output `y` and the output gradient `g` (contiguous
 * [outer, len, inner] blocks) into `out`; `work` as there (8 * len floats).
 */
export function softmaxBackwardF32(outer: i32, len: i32, inner: i32, g: usize, y: usize, out: usize, log: i32, work: usize): void {
  const lg = log != 0;
  const block = <usize>len * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const go = g + <usize>o * block, yo = y + <usize>o * block, oo = out + <usize>o * block;
    if (inner == 1) {
      softmaxBackwardRow(len, go, yo, oo, lg);
      continue;
    }
    let i = 0;
    for (; i + 4 <= inner; i += 4) softmaxBackwardCols(len, inner, go, yo, oo, i, lg);
    if (i < inner) {
      const w = inner - i;
      const wy = work + (<usize>len << 4), wo = work + (<usize>len << 5);
      for (let j = 0; j < len; j++)
        for (let l = 0; l < 4; l++) {
          const src = <usize>(j * inner + i + l) << 2, dst = <usize>(j * 4 + l) << 2;
          store<f32>(work + dst, l < w ? load<f32>(go + src) : 0);
          store<f32>(wy + dst, l < w ? load<f32>(yo + src) : 0);
        }
      softmaxBackwardCols(len, 4, work, wy, wo, 0, lg);
      for (let j = 0; j < len; j++)
        for (let l = 0; l < w; l++) store<f32>(oo + (<usize>(j * inner + i + l) << 2), load<f32>(wo + (<usize>(j * 4 + l) << 2)));
    }
  }
}
