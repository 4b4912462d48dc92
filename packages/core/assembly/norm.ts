// Layer norm over contiguous float32 rows [rows, n] and its gradients: float32 SIMD arithmetic
// with the row sums (and the weight gradient's column sums) accumulated in float64. The
// reference (src/kernels/js/norm.ts) computes in float64.

/** The 4 lanes of `v` in float64, the low pair (the high pair: {@link high}). */
// @ts-ignore: decorator
@inline
function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline
function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** The total of two float64 accumulators. */
// @ts-ignore: decorator
@inline
function total(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * `out = (x - mean) rstd * w + b` per row of `n` floats (`w`, `b`: n floats, or 0 for none),
 * the row's mean and `rstd = 1 / sqrt(var + eps)` (biased variance, centred) into `mean`, `rstd`.
 */
export function layerNormF32(rows: i32, n: i32, x: usize, w: usize, b: usize, out: usize, mean: usize, rstd: usize, eps: f64): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * <usize>n) << 2), orow = out + ((<usize>r * <usize>n) << 2);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const t = v128.load(xr + (<usize>j << 2));
      a0 = f64x2.add(a0, low(t));
      a1 = f64x2.add(a1, high(t));
    }
    let s = total(a0, a1);
    for (; j < n; j++) s += <f64>load<f32>(xr + (<usize>j << 2));
    const mu: f32 = <f32>(s / n);
    const mv = f32x4.splat(mu);
    a0 = f64x2.splat(0);
    a1 = f64x2.splat(0);
    j = 0;
    for (; j + 4 <= n; j += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>j << 2)), mv);
      const d2 = f32x4.mul(d, d);
      a0 = f64x2.add(a0, low(d2));
      a1 = f64x2.add(a1, high(d2));
    }
    let v = total(a0, a1);
    for (; j < n; j++) {
      const d = load<f32>(xr + (<usize>j << 2)) - mu;
      v += <f64>(d * d);
    }
    const rs: f32 = <f32>(1 / Math.sqrt(v / n + eps));
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    const rv = f32x4.splat(rs);
    j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      let y = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      if (w) y = f32x4.mul(y, v128.load(w + o));
      if (b) y = f32x4.add(y, v128.load(b + o));
      v128.store(orow + o, y);
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      let y = (load<f32>(xr + o) - mu) * rs;
      if (w) y *= load<f32>(w + o);
      if (b) y += load<f32>(b + o);
      store<f32>(orow + o, y);
    }
  }
}

/**
 * The input gradient per row: `rstd (a - mean(a) - xh mean(a xh))` with `a = g w` (g where `w`
 * is 0) and `xh = (x - mean) rstd`.
 */
export function layerNormBackwardF32(rows: i32, n: i32, g: usize, x: usize, mean: usize, rstd: usize, w: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>n) << 2;
    const gr = g + base, xr = x + base, orow = out + base;
    const mu = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    const mv = f32x4.splat(mu), rv = f32x4.splat(rs);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      let a = v128.load(gr + o);
      if (w) a = f32x4.mul(a, v128.load(w + o));
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      const ax = f32x4.mul(a, xh);
      a0 = f64x2.add(a0, low(a));
      a1 = f64x2.add(a1, high(a));
      b0 = f64x2.add(b0, low(ax));
      b1 = f64x2.add(b1, high(ax));
    }
    let sa = total(a0, a1), sax = total(b0, b1);
    for (; j < n; j++) {
      const o = <usize>j << 2;
      let a = load<f32>(gr + o);
      if (w) a *= load<f32>(w + o);
      sa += <f64>a;
      sax += <f64>(a * ((load<f32>(xr + o) - mu) * rs));
    }
    const ma: f32 = <f32>(sa / n), max: f32 = <f32>(sax / n);
    const av = f32x4.splat(ma), xv = f32x4.splat(max);
    j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      let a = v128.load(gr + o);
      if (w) a = f32x4.mul(a, v128.load(w + o));
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      v128.store(orow + o, f32x4.mul(rv, f32x4.sub(f32x4.sub(a, av), f32x4.mul(xh, xv))));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      let a = load<f32>(gr + o);
      if (w) a *= load<f32>(w + o);
      const xh = (load<f32>(xr + o) - mu) * rs;
      store<f32>(orow + o, rs * (a - ma - xh * max));
    }
  }
}

/**
 * The weight gradient `out[j] = sum over rows of g xh` (n floats), summed in float64 in `work`
 * (8 n bytes, padded) over calls on consecutive chunks of rows: the `first` zeroes it, the
 * `last` writes `out`.
 */
export function layerNormBackwardWeightF32(rows: i32, n: i32, g: usize, x: usize, mean: usize, rstd: usize, work: usize, out: usize, first: i32, last: i32): void {
  if (first) memory.fill(work, 0, <usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>n) << 2;
    const gr = g + base, xr = x + base;
    const mu = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    const mv = f32x4.splat(mu), rv = f32x4.splat(rs);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const t = f32x4.mul(v128.load(gr + (<usize>j << 2)), f32x4.mul(f32x4.sub(v128.load(xr + (<usize>j << 2)), mv), rv));
      const p = work + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), low(t)));
      v128.store(p, f64x2.add(v128.load(p, 16), high(t)), 16);
    }
    for (; j < n; j++) {
      const p = work + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>(load<f32>(gr + (<usize>j << 2)) * ((load<f32>(xr + (<usize>j << 2)) - mu) * rs)));
    }
  }
  if (last) for (let j = 0; j < n; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(work + (<usize>j << 3)));
}
