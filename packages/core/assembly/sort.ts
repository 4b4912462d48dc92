// Sorting kernels on float32 lines: the k smallest (or largest) of each line, in order.

/**
 * The order-preserving unsigned key of float32 bits (as the reference kernel's floatKey):
 * negatives flipped entirely, positives with the sign bit set; -0 maps to +0's key and every
 * NaN above +inf.
 */
// @ts-ignore: decorator
@inline function floatKey(u: u32): u32 {
  if ((u & 0x7fffffff) == 0) return 0x80000000;
  if ((u & 0x7f800000) == 0x7f800000 && (u & 0x7fffff) != 0) return 0xffffffff;
  return (u & 0x80000000) != 0 ? ~u : u | 0x80000000;
}

/**
 * A bar every line's top k reaches, in the flipped space (`sgn` xored into each float: 0 keeps
 * them for a descending top-k, the sign bit mirrors them for an ascending one, so that larger
 * is always better): the k blocks of the line (each at least 16 long) each hold an element at least as good as their
 * max, so the least of those k maxima is beaten or equalled by at least k elements, and an
 * element strictly below it is not in the top k. NaN when the line holds a NaN.
 */
function bar(line: usize, len: i32, k: i32, sgn: v128): f32 {
  const size = len / k;
  const bit = <u32>i32x4.extract_lane(sgn, 0);
  let t: f32 = Infinity;
  let nan = i32x4.splat(0);
  for (let b = 0; b < k; b++) {
    const p = line + ((<usize>b * <usize>size) << 2);
    const n = b == k - 1 ? len - b * size : size;
    // pmax (one instruction, unlike max) drops NaN: NaN lanes are flagged apart
    let a0 = v128.xor(v128.load(p), sgn);
    let a1 = v128.xor(v128.load(p, 16), sgn);
    nan = v128.or(nan, v128.or(f32x4.ne(a0, a0), f32x4.ne(a1, a1)));
    let j = 8;
    for (; j + 8 <= n; j += 8) {
      const v = v128.xor(v128.load(p + (<usize>j << 2)), sgn);
      const u = v128.xor(v128.load(p + (<usize>j << 2), 16), sgn);
      a0 = f32x4.pmax(a0, v);
      a1 = f32x4.pmax(a1, u);
      nan = v128.or(nan, v128.or(f32x4.ne(v, v), f32x4.ne(u, u)));
    }
    a0 = f32x4.pmax(a0, a1);
    let e: f32 = max(max(f32x4.extract_lane(a0, 0), f32x4.extract_lane(a0, 1)), max(f32x4.extract_lane(a0, 2), f32x4.extract_lane(a0, 3)));
    for (; j < n; j++) e = max(e, reinterpret<f32>(load<u32>(p + (<usize>j << 2)) ^ bit));
    t = min(t, e);
  }
  // a NaN anywhere: no bar (max and min propagate the tail's NaN too)
  return v128.any_true(nan) ? NaN : t;
}

/**
 * Bit i set for each of the 16 flipped floats at `p` that is not below `w` (`strict`), or that
 * is above it (else); NaN lanes (no comparison holds) are set in either case.
 */
// @ts-ignore: decorator
@inline function candidates16(p: usize, w: v128, sgn: v128, strict: bool): i32 {
  const a = v128.xor(v128.load(p), sgn), b = v128.xor(v128.load(p, 16), sgn);
  const c = v128.xor(v128.load(p, 32), sgn), d = v128.xor(v128.load(p, 48), sgn);
  // the lanes that lose; usually all do, which one test tells
  const la = strict ? f32x4.lt(a, w) : f32x4.le(a, w), lb = strict ? f32x4.lt(b, w) : f32x4.le(b, w);
  const lc = strict ? f32x4.lt(c, w) : f32x4.le(c, w), ld = strict ? f32x4.lt(d, w) : f32x4.le(d, w);
  if (i32x4.all_true(v128.and(v128.and(la, lb), v128.and(lc, ld)))) return 0;
  return (i32x4.bitmask(v128.not(la)) | (i32x4.bitmask(v128.not(lb)) << 4) | (i32x4.bitmask(v128.not(lc)) << 8) |
    (i32x4.bitmask(v128.not(ld)) << 12));
}

/**
 * Inserts `key` into the sorted buffer of `filled` keys at `buf` (k slots: when full, the last
 * falls out, and a key not below it is not inserted); returns the new count.
 */
// @ts-ignore: decorator
@inline function insert(buf: usize, filled: i32, k: i32, key: u64): i32 {
  if (filled == k) {
    if (key >= load<u64>(buf + (<usize>(k - 1) << 3))) return filled;
  } else filled++;
  let i = filled - 1;
  for (; i > 0; i--) {
    const prev = load<u64>(buf + (<usize>(i - 1) << 3));
    if (prev <= key) break;
    store<u64>(buf + (<usize>i << 3), prev);
  }
  store<u64>(buf + (<usize>i << 3), key);
  return filled;
}

/**
 * For each of `lines` contiguous lines of `len` floats at `x` (len >= 16k), the `k` smallest
 * (`desc`: largest) in order, ties by position, NaN largest: values to `vals [lines, k]`,
 * positions to `idx`. One pass per line keeps the k best (key << 32 | position) in a sorted
 * buffer at `buf` (8k bytes). An element that loses by plain comparison to the line's
 * {@link bar} (strictly below it) while the buffer fills, or then to its k-th (not above it: a
 * tie loses on its later position), is skipped before its key is built, sixteen at a time;
 * in a group with candidates, only those are visited. The same elements, in the same order,
 * as the reference kernel's bounded-buffer path.
 */
export function topkF32(lines: i32, len: i32, k: i32, x: usize, desc: i32, vals: usize, idx: usize, buf: usize): void {
  const flip: u32 = desc != 0 ? 0xffffffff : 0;
  const bit: u32 = desc != 0 ? 0 : 0x80000000;
  const sgn = i32x4.splat(bit);
  const last = buf + (<usize>(k - 1) << 3);
  for (let r = 0; r < lines; r++) {
    const line = x + ((<usize>r * <usize>len) << 2);
    let worst = bar(line, len, k, sgn);
    if (isNaN(worst)) worst = -Infinity;
    // strict while the buffer fills (below the bar loses), then not above its k-th loses
    let strict = true;
    let filled = 0;
    for (let j = 0; j < len; j += 16) {
      const p = line + (<usize>j << 2);
      let mask = j + 16 <= len ? candidates16(p, f32x4.splat(worst), sgn, strict) : (1 << (len - j)) - 1;
      while (mask != 0) {
        const at = j + ctz(mask);
        mask &= mask - 1;
        const u = load<u32>(line + (<usize>at << 2));
        const v = reinterpret<f32>(u ^ bit);
        if (strict ? v < worst : v <= worst) continue;
        const key: u64 = (<u64>(floatKey(u) ^ flip) << 32) | <u64>at;
        const full = filled == k;
        const before = full ? load<u64>(last) : 0;
        filled = insert(buf, filled, k, key);
        if (filled == k && (!full || load<u64>(last) != before)) {
          worst = reinterpret<f32>(load<u32>(line + (<usize>(<u32>load<u64>(last)) << 2)) ^ bit);
          strict = false;
        }
      }
    }
    const vo = vals + ((<usize>r * <usize>k) << 2);
    const io = idx + ((<usize>r * <usize>k) << 2);
    for (let i = 0; i < k; i++) {
      const src = <u32>load<u64>(buf + (<usize>i << 3));
      store<i32>(io + (<usize>i << 2), src);
      store<f32>(vo + (<usize>i << 2), load<f32>(line + (<usize>src << 2)));
    }
  }
}
