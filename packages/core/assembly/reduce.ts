// Float32 reductions of a 3-D strided block `x[outer, r, inner]` over its middle dim:
// `out[o, i] = op_j x[o, j, i]`. Sums accumulate in float64 (as the reference kernels do).

export const R_SUM = 0, R_MAX = 1, R_MIN = 2;

/** Sum of `n` contiguous floats in float64 lanes. */
function sumContiguous(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const v = v128.load(p), w = v128.load(p, 16);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i32x4.shuffle(w, w, 2, 3, 0, 1)));
    p += 32;
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < n; j++) {
    t += <f64>load<f32>(p);
    p += 4;
  }
  return t;
}

/** Max (`isMax`) or min of `n` contiguous floats, NaN if any is NaN. */
function extremeContiguous(p: usize, n: i32, isMax: bool): f32 {
  let acc = f32x4.splat(isMax ? -Infinity : Infinity);
  let j = 0;
  if (isMax) for (; j + 4 <= n; j += 4) { acc = f32x4.max(acc, v128.load(p)); p += 16; }
  else for (; j + 4 <= n; j += 4) { acc = f32x4.min(acc, v128.load(p)); p += 16; }
  let r: f32 = isMax
    ? max(max(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)), max(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)))
    : min(min(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)), min(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)));
  for (; j < n; j++) {
    const v = load<f32>(p);
    r = isMax ? max(r, v) : min(r, v);
    p += 4;
  }
  return r;
}

/**
 * `out[o * inner + i] = op over j of x[o s0 + j s1 + i s2]` (strides in elements). Contiguous
 * rows (`inner` 1, `s1` 1) and contiguous columns (`s2` 1) take SIMD paths.
 * `work` holds `inner` float64 accumulators.
 */
export function reduceF32(op: i32, outer: i32, r: i32, inner: i32, x: usize, s0: i32, s1: i32, s2: i32, out: usize, work: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>(o * s0) * 4;
    const oo = out + <usize>(o * inner) * 4;
    if (inner == 1 && s1 == 1) {
      store<f32>(oo, op == R_SUM ? <f32>sumContiguous(xo, r) : extremeContiguous(xo, r, op == R_MAX));
      continue;
    }
    if (op == R_SUM) {
      memory.fill(work, 0, <usize>inner * 8);
      for (let j = 0; j < r; j++) {
        const row = xo + <usize>(j * s1) * 4;
        let i = 0;
        if (s2 == 1) {
          for (; i + 4 <= inner; i += 4) {
            const v = v128.load(row + <usize>i * 4);
            const w0 = work + <usize>i * 8;
            v128.store(w0, f64x2.add(v128.load(w0), f64x2.promote_low_f32x4(v)));
            v128.store(w0, f64x2.add(v128.load(w0, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
          }
        }
        for (; i < inner; i++) {
          const w0 = work + <usize>i * 8;
          store<f64>(w0, load<f64>(w0) + <f64>load<f32>(row + <usize>(i * s2) * 4));
        }
      }
      for (let i = 0; i < inner; i++) store<f32>(oo + <usize>i * 4, <f32>load<f64>(work + <usize>i * 8));
    } else {
      const isMax = op == R_MAX;
      const init: f32 = isMax ? -Infinity : Infinity;
      for (let i = 0; i < inner; i++) store<f32>(oo + <usize>i * 4, init);
      for (let j = 0; j < r; j++) {
        const row = xo + <usize>(j * s1) * 4;
        let i = 0;
        if (s2 == 1) {
          for (; i + 4 <= inner; i += 4) {
            const d = oo + <usize>i * 4;
            const v = v128.load(row + <usize>i * 4);
            v128.store(d, isMax ? f32x4.max(v128.load(d), v) : f32x4.min(v128.load(d), v));
          }
        }
        for (; i < inner; i++) {
          const d = oo + <usize>i * 4;
          const v = load<f32>(row + <usize>(i * s2) * 4);
          store<f32>(d, isMax ? max(load<f32>(d), v) : min(load<f32>(d), v));
        }
      }
    }
  }
}
