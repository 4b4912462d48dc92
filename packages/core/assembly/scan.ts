// Scan kernels: running sums and products of float32 lines, accumulated in float64 as the
// reference kernels do (each output is the float64 running value rounded once), so the results
// are the same bit for bit.

/**
 * Inclusive scan (`prod` 0: sum, 1: product) of the contiguous `x [outer, len, inner]` along
 * its middle dim (from the end with `reverse`) into `out` of the same layout; `acc` is room for
 * `inner` float64 running values.
 */
export function scanF32(prod: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize, acc: usize, reverse: i32): void {
  if (inner == 1) scanLines(prod != 0, outer, len, x, out, reverse != 0);
  else scanPlanes(prod != 0, outer, len, inner, x, out, acc, reverse != 0);
}

/**
 * `lines` contiguous lines of `len`, four at a time: each line's running value is a chain of
 * float64 additions, four independent chains hide their latency.
 */
function scanLines(prod: bool, lines: i32, len: i32, x: usize, out: usize, reverse: bool): void {
  const row = <usize>len << 2;
  const init: f64 = prod ? 1 : 0;
  const start: usize = reverse ? (<usize>(len - 1) << 2) : 0;
  const step: isize = reverse ? -4 : 4;
  let l = 0;
  for (; l + 4 <= lines; l += 4) {
    let p = <usize>l * row + start;
    let r0 = init, r1 = init, r2 = init, r3 = init;
    for (let j = 0; j < len; j++) {
      const a = x + p;
      const o = out + p;
      if (prod) {
        r0 *= <f64>load<f32>(a);
        r1 *= <f64>load<f32>(a + row);
        r2 *= <f64>load<f32>(a + 2 * row);
        r3 *= <f64>load<f32>(a + 3 * row);
      } else {
        r0 += <f64>load<f32>(a);
        r1 += <f64>load<f32>(a + row);
        r2 += <f64>load<f32>(a + 2 * row);
        r3 += <f64>load<f32>(a + 3 * row);
      }
      store<f32>(o, <f32>r0);
      store<f32>(o + row, <f32>r1);
      store<f32>(o + 2 * row, <f32>r2);
      store<f32>(o + 3 * row, <f32>r3);
      p += step;
    }
  }
  for (; l < lines; l++) {
    let p = <usize>l * row + start;
    let r = init;
    for (let j = 0; j < len; j++) {
      if (prod) r *= <f64>load<f32>(x + p);
      else r += <f64>load<f32>(x + p);
      store<f32>(out + p, <f32>r);
      p += step;
    }
  }
}

/** Every outer slice's `inner` lines advance together, a plane at a time, in memory order. */
function scanPlanes(prod: bool, outer: i32, len: i32, inner: i32, x: usize, out: usize, acc: usize, reverse: bool): void {
  const plane = <usize>inner << 2;
  const init: f64 = prod ? 1 : 0;
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) store<f64>(acc + (<usize>b << 3), init);
    const slice = <usize>a * <usize>len * plane;
    for (let i = 0; i < len; i++) {
      const k = reverse ? len - 1 - i : i;
      const xp = x + slice + <usize>k * plane;
      const op = out + slice + <usize>k * plane;
      for (let b = 0; b < inner; b++) {
        const q = acc + (<usize>b << 3);
        const v = <f64>load<f32>(xp + (<usize>b << 2));
        const r = prod ? load<f64>(q) * v : load<f64>(q) + v;
        store<f64>(q, r);
        store<f32>(op + (<usize>b << 2), <f32>r);
      }
    }
  }
}

/**
 * Running max (`isMax`) or min of the contiguous `x [outer, len, inner]` along its middle dim
 * and the position where it was reached, into `vals` and `idx` (int32) of the same layout: a
 * tie moves the position to the later element, a NaN once seen stays with its position (the
 * reference kernel's rule). `best` and `where` are room for `inner` floats and ints.
 */
export function cumExtremeF32(isMax: i32, outer: i32, len: i32, inner: i32, x: usize, vals: usize, idx: usize, best: usize, where: usize): void {
  const plane = <usize>inner << 2;
  const up = isMax != 0;
  for (let a = 0; a < outer; a++) {
    const slice = <usize>a * <usize>len * plane;
    for (let k = 0; k < len; k++) {
      const off = slice + <usize>k * plane;
      for (let b = 0; b < inner; b++) {
        const q = <usize>b << 2;
        const v = load<f32>(x + off + q);
        const c = load<f32>(best + q);
        if (k == 0 || (c == c && (v != v || (up ? v >= c : v <= c)))) {
          store<f32>(best + q, v);
          store<i32>(where + q, k);
        }
        store<f32>(vals + off + q, load<f32>(best + q));
        store<i32>(idx + off + q, load<i32>(where + q));
      }
    }
  }
}
