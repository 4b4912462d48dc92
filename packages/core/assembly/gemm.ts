// Single-precision GEMM: C = A B (or C += A B), any strides, by packing into panels and a
// register-tiled SIMD micro-kernel (the Goto/BLIS scheme).
//
// Loops, outer to inner: columns of C in blocks of NC, depth in blocks of KC (a KC x NC block of
// B is packed once and stays in L2/L3), rows in blocks of MC (an MC x KC block of A is packed and
// stays in L2), then MR x NR tiles of C computed in registers from an MR-row sliver of packed A
// and an NR-column sliver of packed B (both in L1). Packing reads the operands through their
// strides, so transposed operands cost the same as plain ones.
//
// All pointers are byte addresses in linear memory; strides are in elements (f32).

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 1024;

/** Bytes of scratch one call of `sgemm` needs: packed A and B blocks and one edge tile. */
export function sgemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** Packs rows [i0, i0+mc) x depth [p0, p0+kc) of A into MR-row slivers (zero-padded rows). */
function packA(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, dst: usize): void {
  if (rs == 1 && mc % MR == 0) {
    // A transposed: walk each column of A (a contiguous row in memory) once, writing one vector
    // to every sliver; reading sliver by sliver instead strides through memory and thrashes L1.
    const sliver = <usize>kc * 16;
    for (let k = 0; k < kc; k++) {
      const col = a + <usize>(k * cs) * 4;
      let d = dst + <usize>k * 16;
      for (let i = 0; i < mc; i += MR) {
        v128.store(d, v128.load(col + <usize>i * 4));
        d += sliver;
      }
    }
    return;
  }
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const base = a + <usize>(i * rs) * 4;
    if (rows == MR) {
      if (cs == 1) {
        // rows are contiguous: read 4 k's of each of the 4 rows as vectors and transpose them
        // in registers into 4 packed columns, then the last k's one by one
        const r0 = base, r1 = base + <usize>rs * 4, r2 = r1 + <usize>rs * 4, r3 = r2 + <usize>rs * 4;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = <usize>k * 4;
          const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
          const a0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), a1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const a2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), a3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          v128.store(dst, i64x2.shuffle(a0, a1, 0, 2));
          v128.store(dst, i64x2.shuffle(a0, a1, 1, 3), 16);
          v128.store(dst, i64x2.shuffle(a2, a3, 0, 2), 32);
          v128.store(dst, i64x2.shuffle(a2, a3, 1, 3), 48);
          dst += 64;
        }
        for (; k < kc; k++) {
          const o = <usize>k * 4;
          store<f32>(dst, load<f32>(r0 + o));
          store<f32>(dst, load<f32>(r1 + o), 4);
          store<f32>(dst, load<f32>(r2 + o), 8);
          store<f32>(dst, load<f32>(r3 + o), 12);
          dst += 16;
        }
      } else if (rs == 1) {
        // columns are contiguous (A transposed): one vector per k
        for (let k = 0; k < kc; k++) {
          v128.store(dst, v128.load(base + <usize>(k * cs) * 4));
          dst += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const col = base + <usize>(k * cs) * 4;
          for (let r = 0; r < MR; r++) store<f32>(dst + <usize>r * 4, load<f32>(col + <usize>(r * rs) * 4));
          dst += 16;
        }
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const col = base + <usize>(k * cs) * 4;
        for (let r = 0; r < MR; r++) store<f32>(dst + <usize>r * 4, r < rows ? load<f32>(col + <usize>(r * rs) * 4) : 0);
        dst += 16;
      }
    }
  }
}

/** Packs depth [0, kc) x columns [0, nc) of B into NR-column slivers (zero-padded columns). */
function packB(kc: i32, nc: i32, b: usize, rs: i32, cs: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const base = b + <usize>(j * cs) * 4;
    if (cols == NR && cs == 1) {
      for (let k = 0; k < kc; k++) {
        const row = base + <usize>(k * rs) * 4;
        v128.store(dst, v128.load(row));
        v128.store(dst, v128.load(row, 16), 16);
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      // B transposed: each column is contiguous along k. Read 4 k's of each of the 8 columns
      // as vectors and transpose them in registers (two 4x4 blocks) into 4 packed rows.
      const st = <usize>cs * 4;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = base + <usize>k * 4;
        const x0 = v128.load(o), x1 = v128.load(o + st), x2 = v128.load(o + 2 * st), x3 = v128.load(o + 3 * st);
        const y0 = v128.load(o + 4 * st), y1 = v128.load(o + 5 * st), y2 = v128.load(o + 6 * st), y3 = v128.load(o + 7 * st);
        const a0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), a1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const a2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), a3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const b0 = i32x4.shuffle(y0, y1, 0, 4, 1, 5), b1 = i32x4.shuffle(y2, y3, 0, 4, 1, 5);
        const b2 = i32x4.shuffle(y0, y1, 2, 6, 3, 7), b3 = i32x4.shuffle(y2, y3, 2, 6, 3, 7);
        v128.store(dst, i64x2.shuffle(a0, a1, 0, 2)); v128.store(dst, i64x2.shuffle(b0, b1, 0, 2), 16);
        v128.store(dst, i64x2.shuffle(a0, a1, 1, 3), 32); v128.store(dst, i64x2.shuffle(b0, b1, 1, 3), 48);
        v128.store(dst, i64x2.shuffle(a2, a3, 0, 2), 64); v128.store(dst, i64x2.shuffle(b2, b3, 0, 2), 80);
        v128.store(dst, i64x2.shuffle(a2, a3, 1, 3), 96); v128.store(dst, i64x2.shuffle(b2, b3, 1, 3), 112);
        dst += 128;
      }
      for (; k < kc; k++) {
        const o = base + <usize>k * 4;
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, load<f32>(o + <usize>c * st));
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const row = base + <usize>(k * rs) * 4;
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, c < cols ? load<f32>(row + <usize>(c * cs) * 4) : 0);
        dst += 32;
      }
    }
  }
}

/**
 * `a * b + c` per lane. Built twice (see scripts/build-wasm.mjs): with relaxed SIMD it is one
 * `f32x4.relaxed_madd`, which engines lower to a fused multiply-add where the CPU has one (one
 * rounding instead of two, and about 1.25x the micro-kernel's speed here); without, a multiply
 * and an add.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * The MR x NR (4 x 8) register tile: C[4, 8] (+)= Ap[4, kc] Bp[kc, 8], eight f32x4
 * accumulators. `ldc` is in bytes.
 *
 * The k loop is deliberately not unrolled: V8's register allocator hoists the loads of an
 * unrolled body and then spills accumulators to the stack every iteration (seen in
 * `--print-wasm-code`); one k per iteration keeps 8 accumulators, 2 B vectors and a broadcast
 * in the 15 usable xmm registers and ran 27 -> 42 GFLOP/s on one core.
 */
// @ts-ignore: decorator
@inline
function micro(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16; bp += 32;
  }
  const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(r1)); c11 = f32x4.add(c11, v128.load(r1, 16));
    c20 = f32x4.add(c20, v128.load(r2)); c21 = f32x4.add(c21, v128.load(r2, 16));
    c30 = f32x4.add(c30, v128.load(r3)); c31 = f32x4.add(c31, v128.load(r3, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

/**
 * `C[M, N] = A[M, K] B[K, N]` (`beta` 0) or `C += A B` (`beta` 1). Element (i, k) of A is at
 * `a + 4 (i rsA + k csA)`, likewise B; C is row-major with row stride `ldc` elements.
 * `work` points to `sgemmWorkBytes()` bytes of scratch (16-byte aligned).
 */
export function sgemm(
  M: i32, N: i32, K: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, beta: i32, work: usize,
): void {
  sgemmPacked(M, N, K, a, rsA, csA, 0, b, rsB, csB, 0, c, ldc, beta, work);
}

/** Floats of all of A [M, K] packed by {@link packAWhole}. */
function packedAFloats(M: i32, K: i32): i32 {
  return ((M + MR - 1) / MR) * MR * K;
}

/** Bytes that {@link packAWhole} writes for an A of [M, K]. */
export function packedABytes(M: i32, K: i32): i32 {
  return packedAFloats(M, K) * 4;
}

/** Bytes that {@link packBWhole} writes for a B of [K, N]. */
export function packedBBytes(K: i32, N: i32): i32 {
  return ((N + NR - 1) / NR) * NR * K * 4;
}

/**
 * Packs all of A [M, K] into `dst` as {@link sgemmPacked} reads it: depth block `pc` (KC deep)
 * starts at float `pc * Mp` (Mp = M rounded up to MR), row block `ic` within it at `ic * kc`.
 * A product split by columns across threads packs A once this way instead of once per part.
 */
export function packAWhole(M: i32, K: i32, a: usize, rsA: i32, csA: i32, dst: usize): void {
  const Mp = ((M + MR - 1) / MR) * MR;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    for (let ic = 0; ic < M; ic += MC)
      packA(min(MC, M - ic), kc, a + <usize>(ic * rsA + pc * csA) * 4, rsA, csA, dst + <usize>(pc * Mp + ic * kc) * 4);
  }
}

/**
 * Packs all of B [K, N] into `dst` as {@link sgemmPacked} reads it: column block `jc` (NC wide)
 * starts at float `jc * K`, depth block `pc` within it at `pc * ncp` (ncp = its width rounded
 * up to NR). A product split by rows across threads packs B once this way.
 */
export function packBWhole(K: i32, N: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    const ncp = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < K; pc += KC)
      packB(min(KC, K - pc), nc, b + <usize>(pc * rsB + jc * csB) * 4, rsB, csB, dst + <usize>(jc * K + pc * ncp) * 4);
  }
}

/**
 * {@link sgemm} with either operand optionally packed beforehand: `pa` (all of A, by
 * {@link packAWhole}) or `pb` (all of B, by {@link packBWhole}) replaces packing that operand
 * here when non-zero (`a` or `b` is then not read). The arithmetic is the same either way.
 */
export function sgemmPacked(
  M: i32, N: i32, K: i32,
  a: usize, rsA: i32, csA: i32, pa: usize,
  b: usize, rsB: i32, csB: i32, pb: usize,
  c: usize, ldc: i32, beta: i32, work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const ldcB = <usize>ldc * 4;
  if (K <= 0) {
    if (beta == 0) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>N * 4);
    return;
  }
  const Mp = ((M + MR - 1) / MR) * MR;
  const tile = work + <usize>(MC * KC + KC * NC) * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    const ncp = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = pc > 0 || beta != 0;
      let bpk = work + <usize>(MC * KC) * 4;
      if (pb != 0) bpk = pb + <usize>(jc * K + pc * ncp) * 4;
      else packB(kc, nc, b + <usize>(pc * rsB + jc * csB) * 4, rsB, csB, bpk);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        let apk = work;
        if (pa != 0) apk = pa + <usize>(pc * Mp + ic * kc) * 4;
        else packA(mc, kc, a + <usize>(ic * rsA + pc * csA) * 4, rsA, csA, apk);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = bpk + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = apk + <usize>(ir * kc) * 4;
            const cp = c + (<usize>(ic + ir) * ldcB) + <usize>(jc + jr) * 4;
            if (mr == MR && nr == NR) {
              micro(kc, ap, bp, cp, ldcB, acc);
            } else {
              // edge tile: compute the full tile aside, then write the valid part
              micro(kc, ap, bp, tile, <usize>NR * 4, false);
              for (let r = 0; r < mr; r++) {
                const dst = cp + <usize>r * ldcB;
                const src = tile + <usize>(r * NR) * 4;
                for (let q = 0; q < nr; q++) {
                  const v = load<f32>(src + <usize>q * 4);
                  store<f32>(dst + <usize>q * 4, acc ? load<f32>(dst + <usize>q * 4) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}
