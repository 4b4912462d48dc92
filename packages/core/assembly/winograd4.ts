// Winograd F(4x4, 3x3) convolution on contiguous NCHW float32 tensors (groups 1, 3x3 kernel,
// stride 1, dilation 1, zero padding 0..2): each 4x4 output tile costs 36 multiplies per
// channel pair instead of 144 (F(2x2, 3x3) needs 64 for the same outputs), at the price of
// 6x6 transforms with larger coefficients, hence more rounding. Structure, block scheme and
// conventions are those of winograd.ts (read that first): U[k] = (G g G^T)[k] as 36 matrices
// [O, C] (stored transposed, see winograd4Weights), V[k] = (B^T d B)[k] of 6x6 input tiles at
// stride 4, 36 GEMMs M[k] = U[k] V[k], and Y = A^T M A per tile.
//
// The matrices come from the Toom-Cook construction with the points 0, b, -b, a, -a and
// infinity (b = PB, a = PA below). With the finite points p_j and N_j = prod over l != j of
// (p_j - p_l):
//   G   row j = (1, p_j, p_j^2) / N_j, last row (0, 0, 1),
//   B^T row j = coefficients (ascending) of prod over l != j of (x - p_l), last row those of
//              prod over all l of (x - p_l),
//   A^T column j = (1, p_j, p_j^2, p_j^3), last column (0, 0, 0, 1).
// For these points that is, on a column d0..d5 of an input tile,
//   t0 = a^2 b^2 d0 - (a^2 + b^2) d2 + d4,   t5 = a^2 b^2 d1 - (a^2 + b^2) d3 + d5,
//   t1,2 = (d4 - a^2 d2) -+ b (a^2 d1 - d3), t3,4 = (d4 - b^2 d2) -+ a (b^2 d1 - d3),
// and on a column m0..m5 of a product tile
//   y0 = m0 + (m1 + m2) + (m3 + m4),         y1 = b (m1 - m2) + a (m3 - m4),
//   y2 = b^2 (m1 + m2) + a^2 (m3 + m4),      y3 = b^3 (m1 - m2) + a^3 (m3 - m4) + m5.
// b = 1, a = 2 gives the classic matrices (B^T row 0 = 4 0 -5 0 1 0).
//
// Choice of points, measured: largest |wasm - float64 reference| / sqrt(9 K) on N(0, 1) inputs
// and weights (K the channels summed over; C, O from 8 to 64, padding 0-2, sizes 5-26, forward
// and input gradient), and the RMS error of the worst and best position in the 4x4 tile
// (32 -> 64 channels, 26x26):
//   F(2x2, 3x3)                 1.9e-6   RMS 2.1e-7 everywhere
//   0, +-1, +-2 (classic)       4.8e-5   RMS 3.9e-6 (corner y33) .. 3.6e-7
//   0, +-1, +-1/2               3.9e-5   the mirror image of the classic points (x -> 1/x)
//   0, +-1/2, +-2               1.5e-5   RMS 1.5e-6 (corners) .. 2.1e-7
//   0, +-5/8, +-13/8            9.6e-6   RMS 1.0e-6 .. 2.7e-7
//   0, +-3/4, +-3/2             8.4e-6   RMS 1.1e-6 .. 3.7e-7
// The classic points put the entries 5 (B^T) and 8 (A^T) on the last row and column, hence
// the error at those outputs; the sets symmetric under x -> 1/x spread it over the tile.
// 0, +-3/4, +-3/2 is used: the smallest largest error (5.7x below the classic points), and
// every coefficient (3/4, 9/16, 27/64, 45/16, 81/64, ...) is exact in float32.
import { NR, sgemm, sgemmWorkBytes } from './gemm';

/** The interpolation points are 0, PB, -PB, PA, -PA and infinity (see the header). */
const PB: f32 = 0.75;
const PA: f32 = 1.5;
const PA2: f32 = PA * PA;
const PB2: f32 = PB * PB;
const PA3: f32 = PA2 * PA;
const PB3: f32 = PB2 * PB;
const PAB2: f32 = PA2 * PB2;
const PSUM2: f32 = PA2 + PB2;

// The geometry travels as an int32 array `geo`: [C, H, W, O, Ho, Wo, ph, pw], for input
// x [N, C, H, W] and output [N, O, Ho, Wo] with Ho = H + 2 ph - 2, Wo = W + 2 pw - 2.
// @ts-ignore: decorator
@inline function g(geo: usize, i: i32): i32 { return load<i32>(geo + <usize>i * 4); }

/** Bytes of V and M a block aims at (one core's L2 here), as in winograd.ts. */
const BLOCK_BYTES: i32 = 1024 * 1024;

/**
 * Tile rows per block: as many as fit {@link BLOCK_BYTES}, at least one, rounded down (by at
 * most half) so that the block's tiles fill whole 8-column slivers of the GEMM: a partial
 * sliver goes through its slow edge path, for all 36 products.
 */
function blockRows(C: i32, O: i32, tw: i32): i32 {
  const R = max(1, BLOCK_BYTES / (144 * (C + O)) / tw);
  for (let r = R; 2 * r >= R; r--) if ((r * tw) % NR == 0) return r;
  return R;
}

/**
 * Floats from one plane of a Z block (weight gradient) to the next: `rows` x `ld` rounded up
 * to an odd number of 64-byte cache lines. gradRow stores to all 36 planes at the same offset;
 * with a stride of an even number of lines those stores fall into a few L1 sets only (4 of 64
 * for 64 x 76 floats) and evict each other: 5% of the pass at 32 -> 64 channels, 26x26. The
 * same padding on M measured 2-3% slower (forward, input gradient), on V no gain: they stay dense.
 */
function planeFloats(rows: i32, ld: i32): i32 {
  return (((rows * ld + 15) >> 4) | 1) << 4;
}

/** Floats in one line buffer: an input row padded to the 4-tile groups (4 tw4 + 4). */
function lineFloats(tw: i32): i32 {
  const tw4 = (tw + 3) & ~3;
  return 4 * tw4 + 4;
}

/** Scratch bytes {@link winograd4Conv} needs per call: GEMM work, V and M blocks, 6 line buffers and a zero row, scratch for the output transform. */
export function winograd4WorkBytes(geo: usize): i32 {
  const C = g(geo, 0), O = g(geo, 3), Wo = g(geo, 5);
  const tw = (Wo + 3) >> 2;
  const ld = blockRows(C, O, tw) * tw + 4;
  return sgemmWorkBytes() + 144 * (C * ld + planeFloats(O, ld)) + 28 * lineFloats(tw) + 1024;
}

// ------------------------------------------------------------------ weight transform

/** 1 / N_j for the finite points 0, +-b, +-a (in float64). */
const A64: f64 = <f64>PA;
const B64: f64 = <f64>PB;
const INV0: f64 = 1 / (A64 * A64 * B64 * B64);
const INVB: f64 = 1 / (2 * B64 * B64 * (B64 * B64 - A64 * A64));
const INVA: f64 = 1 / (2 * A64 * A64 * (A64 * A64 - B64 * B64));

/** Row j of G applied to (a, b, c) = the taps along one axis: (a + p_j b + p_j^2 c) / N_j. */
// @ts-ignore: decorator
@inline
function gRow(j: i32, a: f64, b: f64, c: f64): f64 {
  if (j == 0) return a * INV0;
  if (j == 1) return (a + B64 * b + B64 * B64 * c) * INVB;
  if (j == 2) return (a - B64 * b + B64 * B64 * c) * INVB;
  if (j == 3) return (a + A64 * b + A64 * A64 * c) * INVA;
  if (j == 4) return (a - A64 * b + A64 * A64 * c) * INVA;
  return c;
}

/**
 * U[k] = (G w G^T)[k] for every filter of `w [O, C, 3, 3]`, as 36 matrices `[O, C]` stored
 * transposed (`[C, O]`, k = 6 i + j for row i, column j of the 6x6 tile): the GEMM packs its
 * left operand fastest when that operand's columns are contiguous. With `flip` 1 the filters of
 * the transposed, rotated kernel w'[c, o, i, j] = w[o, c, 2-i, 2-j] (the input gradient's
 * convolution) are transformed instead: 36 matrices `[C, O]` stored as `[O, C]`. Computed in
 * float64 and rounded once.
 */
export function winograd4Weights(O: i32, C: i32, w: usize, flip: i32, u: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const f = w + <usize>((o * C + c) * 9) * 4;
      const dst = u + <usize>(flip ? o * C + c : c * O + o) * 4;
      const g00 = tap(f, flip, 0, 0), g01 = tap(f, flip, 0, 1), g02 = tap(f, flip, 0, 2);
      const g10 = tap(f, flip, 1, 0), g11 = tap(f, flip, 1, 1), g12 = tap(f, flip, 1, 2);
      const g20 = tap(f, flip, 2, 0), g21 = tap(f, flip, 2, 1), g22 = tap(f, flip, 2, 2);
      for (let i = 0; i < 6; i++) {
        // row i of G g, then times G^T
        const a = gRow(i, g00, g10, g20), b = gRow(i, g01, g11, g21), e = gRow(i, g02, g12, g22);
        const p = dst + <usize>(6 * i) * plane;
        for (let j = 0; j < 6; j++) store<f32>(p + <usize>j * plane, <f32>gRow(j, a, b, e));
      }
    }
  }
}

/** Filter tap (i, j) of the 3x3 filter at `f`, or tap (2 - i, 2 - j) with `flip`, in float64. */
// @ts-ignore: decorator
@inline
function tap(f: usize, flip: i32, i: i32, j: i32): f64 {
  const k = flip ? 8 - (i * 3 + j) : i * 3 + j;
  return <f64>load<f32>(f + <usize>k * 4);
}

// ------------------------------------------------------------------ input transform

/** The first `n` floats at `p` (all 4 if n >= 4) as a vector, zero in the other lanes. */
// @ts-ignore: decorator
@inline
function loadPartial(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  if (n == 3) return v128.load32_lane(p, v128.load64_zero(p), 2, 8);
  if (n == 2) return v128.load64_zero(p);
  if (n == 1) return v128.load32_zero(p);
  return f32x4.splat(0);
}

/** Address of row `r` of plane `src` (rows of `rb` bytes), or of the zero row `zero` when r is outside [0, H). */
// @ts-ignore: decorator
@inline
function rowAt(src: usize, H: i32, rb: usize, r: i32, zero: usize): usize {
  return r >= 0 && r < H ? src + <usize>r * rb : zero;
}

/** B^T applied to the 6 values d0..d5 (lane-wise): t_j stored at `dst + j step`. */
// @ts-ignore: decorator
@inline
function transform6(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, dst: usize, step: usize): void {
  const a = f32x4.splat(PA), b = f32x4.splat(PB), a2 = f32x4.splat(PA2), b2 = f32x4.splat(PB2);
  const ab2 = f32x4.splat(PAB2), sum2 = f32x4.splat(PSUM2);
  v128.store(dst, f32x4.add(f32x4.sub(f32x4.mul(ab2, d0), f32x4.mul(sum2, d2)), d4));
  const p = f32x4.sub(d4, f32x4.mul(a2, d2)), q = f32x4.mul(b, f32x4.sub(f32x4.mul(a2, d1), d3));
  v128.store(dst + step, f32x4.sub(p, q));
  v128.store(dst + 2 * step, f32x4.add(p, q));
  const r = f32x4.sub(d4, f32x4.mul(b2, d2)), s = f32x4.mul(a, f32x4.sub(f32x4.mul(b2, d1), d3));
  v128.store(dst + 3 * step, f32x4.sub(r, s));
  v128.store(dst + 4 * step, f32x4.add(r, s));
  v128.store(dst + 5 * step, f32x4.add(f32x4.sub(f32x4.mul(ab2, d1), f32x4.mul(sum2, d3)), d5));
}

/**
 * The horizontal half of B^T d B for 4 tiles side by side: from row `e` (at the tiles' first
 * column; tile q starts 4q floats later) writes (e B)[j] of tile q to lane q of `dst + j plane`.
 */
// @ts-ignore: decorator
@inline
function rowTransform(e: usize, dst: usize, plane: usize): void {
  const v0 = v128.load(e), v1 = v128.load(e, 16), v2 = v128.load(e, 32), v3 = v128.load(e, 48), v4 = v128.load(e, 64);
  // 4x4 transpose: d_j lane q = column 4q + j
  const s0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), s1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const s2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), s3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  const d0 = i32x4.shuffle(s0, s2, 0, 1, 4, 5), d1 = i32x4.shuffle(s0, s2, 2, 3, 6, 7);
  const d2 = i32x4.shuffle(s1, s3, 0, 1, 4, 5), d3 = i32x4.shuffle(s1, s3, 2, 3, 6, 7);
  const d4 = i32x4.shuffle(d0, v4, 1, 2, 3, 4), d5 = i32x4.shuffle(d1, v4, 1, 2, 3, 5);
  transform6(d0, d1, d2, d3, d4, d5, dst, plane);
}

/**
 * V[k][c][t0 + tx] for the tiles tx in [0, tw) of one tile row of channel plane `src [H, W]`:
 * the vertical half of the transform (B^T d) runs on the 6 input rows from `ih0` straight from
 * the source (zero rows outside the image) into the line buffers at column `pw`, whose other
 * columns stay zero (the padding); then the horizontal half on 4 tiles at a time.
 */
function inputRow(src: usize, H: i32, W: i32, ih0: i32, pw: i32, tw: i32, lines: usize, L: i32, zero: usize, v: usize, plane: usize): void {
  const lb = <usize>L * 4, rb = <usize>W * 4;
  const r0 = rowAt(src, H, rb, ih0, zero), r1 = rowAt(src, H, rb, ih0 + 1, zero), r2 = rowAt(src, H, rb, ih0 + 2, zero);
  const r3 = rowAt(src, H, rb, ih0 + 3, zero), r4 = rowAt(src, H, rb, ih0 + 4, zero), r5 = rowAt(src, H, rb, ih0 + 5, zero);
  const dst = lines + <usize>pw * 4;
  let c = 0;
  for (; c + 4 <= W; c += 4) {
    const o = <usize>c * 4;
    transform6(
      v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), v128.load(r4 + o), v128.load(r5 + o),
      dst + o, lb,
    );
  }
  if (c < W) {
    // the last 1..3 columns; the zero lanes keep the padding right of the image zero
    const o = <usize>c * 4, n = W - c;
    transform6(
      loadPartial(r0 + o, n), loadPartial(r1 + o, n), loadPartial(r2 + o, n),
      loadPartial(r3 + o, n), loadPartial(r4 + o, n), loadPartial(r5 + o, n),
      dst + o, lb,
    );
  }
  const p6 = 6 * plane;
  for (let tx = 0; tx < tw; tx += 4) {
    const e = <usize>(4 * tx) * 4;
    const d = v + <usize>tx * 4;
    for (let i = 0; i < 6; i++) rowTransform(lines + <usize>i * lb + e, d + <usize>i * p6, plane);
  }
}

// ------------------------------------------------------------------ output transform

/**
 * A^T applied to the 6 values m_k at `p + k step` (lane-wise): y0..y3 stored at `dst + i 16`.
 */
// @ts-ignore: decorator
@inline
function transform4(p: usize, step: usize, dst: usize): void {
  const m0 = v128.load(p), m1 = v128.load(p + step), m2 = v128.load(p + 2 * step);
  const m3 = v128.load(p + 3 * step), m4 = v128.load(p + 4 * step), m5 = v128.load(p + 5 * step);
  const sp = f32x4.add(m1, m2), sm = f32x4.sub(m1, m2), tp = f32x4.add(m3, m4), tm = f32x4.sub(m3, m4);
  v128.store(dst, f32x4.add(f32x4.add(m0, sp), tp));
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.splat(PB), sm), f32x4.mul(f32x4.splat(PA), tm)), 16);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.splat(PB2), sp), f32x4.mul(f32x4.splat(PA2), tp)), 32);
  v128.store(dst, f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(PB3), sm), f32x4.mul(f32x4.splat(PA3), tm)), m5), 48);
}

/**
 * out tiles from M for one tile row of one output plane: Y = A^T m A for 4 tiles at a time
 * (lane q = tile tx + q), written as `rows` (1..4) output rows; columns past the output's edge
 * are dropped. `tmp` is 384 bytes of scratch for A^T m.
 */
function outputRow(m: usize, plane: usize, tw: i32, dst: usize, Wo: i32, rows: i32, tmp: usize): void {
  const wb = <usize>Wo * 4;
  for (let tx = 0; tx < tw; tx += 4) {
    const p = m + <usize>tx * 4;
    // A^T m, column j: 4 vectors at tmp + 64 j (plane 6 i + j is row i, column j)
    for (let j = 0; j < 6; j++) transform4(p + <usize>j * plane, 6 * plane, tmp + <usize>j * 64);
    const n = Wo - 4 * tx;
    for (let i = 0; i < rows; i++) {
      // row i of (A^T m) A: from the 6 vectors s_ij at tmp + 64 j + 16 i, the 4 columns y_i0..y_i3
      const t = tmp + <usize>i * 16;
      const m0 = v128.load(t), m1 = v128.load(t, 64), m2 = v128.load(t, 128);
      const m3 = v128.load(t, 192), m4 = v128.load(t, 256), m5 = v128.load(t, 320);
      const sp = f32x4.add(m1, m2), sm = f32x4.sub(m1, m2), tp = f32x4.add(m3, m4), tm = f32x4.sub(m3, m4);
      const y0 = f32x4.add(f32x4.add(m0, sp), tp);
      const y1 = f32x4.add(f32x4.mul(f32x4.splat(PB), sm), f32x4.mul(f32x4.splat(PA), tm));
      const y2 = f32x4.add(f32x4.mul(f32x4.splat(PB2), sp), f32x4.mul(f32x4.splat(PA2), tp));
      const y3 = f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(PB3), sm), f32x4.mul(f32x4.splat(PA3), tm)), m5);
      // transpose so that tile q's 4 outputs are contiguous
      const s0 = i32x4.shuffle(y0, y1, 0, 4, 1, 5), s1 = i32x4.shuffle(y0, y1, 2, 6, 3, 7);
      const s2 = i32x4.shuffle(y2, y3, 0, 4, 1, 5), s3 = i32x4.shuffle(y2, y3, 2, 6, 3, 7);
      const o0 = i32x4.shuffle(s0, s2, 0, 1, 4, 5), o1 = i32x4.shuffle(s0, s2, 2, 3, 6, 7);
      const o2 = i32x4.shuffle(s1, s3, 0, 1, 4, 5), o3 = i32x4.shuffle(s1, s3, 2, 3, 6, 7);
      const r = dst + <usize>i * wb + <usize>(4 * tx) * 4;
      if (n >= 16) {
        v128.store(r, o0);
        v128.store(r, o1, 16);
        v128.store(r, o2, 32);
        v128.store(r, o3, 48);
      } else {
        storeLanes(r, o0, n);
        storeLanes(r + 16, o1, n - 4);
        storeLanes(r + 32, o2, n - 8);
        storeLanes(r + 48, o3, n - 12);
      }
    }
  }
}

/** Stores the first `n` lanes of `v` (all 4 if n >= 4, none if n <= 0) at `p`. */
// @ts-ignore: decorator
@inline
function storeLanes(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/**
 * out[n] = conv2d(x[n], w) for images n in [n0, n1), with `u` from {@link winograd4Weights}
 * (36 matrices [O, C], stored transposed) and the geometry block described above; bias is not added. `work`
 * points to {@link winograd4WorkBytes} bytes of scratch.
 */
export function winograd4Conv(n0: i32, n1: i32, geo: usize, x: usize, u: usize, out: usize, work: usize): void {
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), Ho = g(geo, 4), Wo = g(geo, 5);
  const ph = g(geo, 6), pw = g(geo, 7);
  const th = (Ho + 3) >> 2, tw = (Wo + 3) >> 2;
  const R = blockRows(C, O, tw);
  const ld = R * tw + 4;
  const L = lineFloats(tw);
  const vb = work + <usize>sgemmWorkBytes();
  const mb = vb + <usize>(36 * C * ld) * 4;
  const lines = mb + <usize>(36 * O * ld) * 4;
  const zero = lines + <usize>(6 * L) * 4;
  const tmp = zero + <usize>L * 4;
  // the padding columns of the line buffers and the zero row stay zero
  memory.fill(lines, 0, <usize>(7 * L) * 4);
  const vPlane = <usize>(C * ld) * 4, mPlane = <usize>(O * ld) * 4, uPlane = <usize>(O * C) * 4;
  const total = (n1 - n0) * th;
  for (let r0 = 0; r0 < total; r0 += R) {
    const rows = min(R, total - r0);
    const nt = rows * tw;
    // channel by channel, so that each row of V is written from left to right (a tile row's
    // last 4-tile group spills into the next one's columns, which then overwrites them)
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < rows; q++) {
        const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
        const src = x + <usize>((n * C + c) * H * W) * 4;
        inputRow(src, H, W, 4 * ty - ph, pw, tw, lines, L, zero, vb + <usize>(c * ld + q * tw) * 4, vPlane);
      }
    }
    for (let k = 0; k < 36; k++) {
      sgemm(O, nt, C, u + <usize>k * uPlane, 1, O, vb + <usize>k * vPlane, ld, 1, mb + <usize>k * mPlane, ld, 0, work);
    }
    for (let o = 0; o < O; o++) {
      for (let q = 0; q < rows; q++) {
        const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
        const dst = out + <usize>(((n * O + o) * Ho + 4 * ty) * Wo) * 4;
        outputRow(mb + <usize>(o * ld + q * tw) * 4, mPlane, tw, dst, Wo, min(4, Ho - 4 * ty), tmp);
      }
    }
  }
}

// ------------------------------------------------------------------ weight gradient
//
// The adjoint of the forward pass, as in winograd.ts: dU[k] [O, C] = sum over tiles t of
// (A dY_t A^T)[k] V_t[k], one GEMM per k with the tiles as depth, then dg = G^T dU G. Output
// positions past the edge (the dropped part of a partial tile) get a zero gradient.

/** A applied to the 4 values y0..y3 (lane-wise): z_j = y0 + p_j y1 + p_j^2 y2 + p_j^3 y3, z5 = y3, stored at `dst + j step`. */
// @ts-ignore: decorator
@inline
function adjoint6(y0: v128, y1: v128, y2: v128, y3: v128, dst: usize, step: usize): void {
  v128.store(dst, y0);
  const eb = f32x4.add(y0, f32x4.mul(f32x4.splat(PB2), y2)), ob = f32x4.add(f32x4.mul(f32x4.splat(PB), y1), f32x4.mul(f32x4.splat(PB3), y3));
  v128.store(dst + step, f32x4.add(eb, ob));
  v128.store(dst + 2 * step, f32x4.sub(eb, ob));
  const ea = f32x4.add(y0, f32x4.mul(f32x4.splat(PA2), y2)), oa = f32x4.add(f32x4.mul(f32x4.splat(PA), y1), f32x4.mul(f32x4.splat(PA3), y3));
  v128.store(dst + 3 * step, f32x4.add(ea, oa));
  v128.store(dst + 4 * step, f32x4.sub(ea, oa));
  v128.store(dst + 5 * step, y3);
}

/**
 * Z[k][o][t0 + tx] = (A dY A^T)[k] for the tiles tx in [0, tw) of one tile row of gradient
 * plane `src [Ho, Wo]`, read straight from its rows `oh0` .. `oh0 + 3` (zero past the edges:
 * rows from the zero row `zero`, columns by partial loads). Lane q of each vector is tile
 * tx + q. `tmp`: 384 bytes of scratch.
 */
function gradRow(src: usize, Ho: i32, Wo: i32, oh0: i32, tw: i32, zero: usize, z: usize, plane: usize, tmp: usize): void {
  const rb = <usize>Wo * 4;
  const full = Wo >> 2;
  const p6 = 6 * plane;
  for (let tx = 0; tx < tw; tx += 4) {
    // row i of the 4 tiles, transposed so that y_ic lane q = dY[i][c] of tile tx + q; then A on
    // the columns: 6 vectors per row at tmp + 64 j + 16 i
    for (let i = 0; i < 4; i++) {
      const r = rowAt(src, Ho, rb, oh0 + i, zero) + <usize>(4 * tx) * 4;
      let v0: v128, v1: v128, v2: v128, v3: v128;
      if (tx + 4 <= full) {
        v0 = v128.load(r); v1 = v128.load(r, 16); v2 = v128.load(r, 32); v3 = v128.load(r, 48);
      } else {
        const n = Wo - 4 * tx;
        v0 = loadPartial(r, n); v1 = loadPartial(r + 16, n - 4); v2 = loadPartial(r + 32, n - 8); v3 = loadPartial(r + 48, n - 12);
      }
      const s0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), s1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const s2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), s3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      adjoint6(
        i32x4.shuffle(s0, s2, 0, 1, 4, 5), i32x4.shuffle(s0, s2, 2, 3, 6, 7),
        i32x4.shuffle(s1, s3, 0, 1, 4, 5), i32x4.shuffle(s1, s3, 2, 3, 6, 7),
        tmp + <usize>i * 16, 64,
      );
    }
    // A on the rows: column j of (dY A^T) is the 4 vectors at tmp + 64 j
    const d = z + <usize>tx * 4;
    for (let j = 0; j < 6; j++) {
      const c = tmp + <usize>j * 64;
      adjoint6(v128.load(c), v128.load(c, 16), v128.load(c, 32), v128.load(c, 48), d + <usize>j * plane, p6);
    }
  }
}

/**
 * dU (36 matrices [O, C]) = the Winograd-domain weight gradient summed over images [n0, n1)
 * of input `x [N, C, H, W]` and output gradient `grad [N, O, Ho, Wo]` (same geometry block as
 * {@link winograd4Conv}); `du` is overwritten. `work`: {@link winograd4WorkBytes} bytes.
 */
export function winograd4ConvWeightGrad(n0: i32, n1: i32, geo: usize, x: usize, grad: usize, du: usize, work: usize): void {
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), Ho = g(geo, 4), Wo = g(geo, 5);
  const ph = g(geo, 6), pw = g(geo, 7);
  const th = (Ho + 3) >> 2, tw = (Wo + 3) >> 2;
  const R = blockRows(C, O, tw);
  const ld = R * tw + 4;
  const L = lineFloats(tw);
  const vb = work + <usize>sgemmWorkBytes();
  const vPlane = <usize>(C * ld) * 4, zPlane = <usize>planeFloats(O, ld) * 4, uPlane = <usize>(O * C) * 4;
  const zb = vb + 36 * vPlane;
  const lines = zb + 36 * zPlane;
  const zero = lines + <usize>(6 * L) * 4;
  const tmp = zero + <usize>L * 4;
  memory.fill(lines, 0, <usize>(7 * L) * 4);
  memory.fill(du, 0, 36 * uPlane);
  const total = (n1 - n0) * th;
  for (let r0 = 0; r0 < total; r0 += R) {
    const rows = min(R, total - r0);
    const nt = rows * tw;
    // channel by channel, each row of V and Z from left to right (see winograd4Conv)
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < rows; q++) {
        const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
        const src = x + <usize>((n * C + c) * H * W) * 4;
        inputRow(src, H, W, 4 * ty - ph, pw, tw, lines, L, zero, vb + <usize>(c * ld + q * tw) * 4, vPlane);
      }
    }
    for (let o = 0; o < O; o++) {
      for (let q = 0; q < rows; q++) {
        const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
        const src = grad + <usize>((n * O + o) * Ho * Wo) * 4;
        gradRow(src, Ho, Wo, 4 * ty, tw, zero, zb + <usize>(o * ld + q * tw) * 4, zPlane, tmp);
      }
    }
    for (let k = 0; k < 36; k++) {
      sgemm(O, C, nt, zb + <usize>k * zPlane, ld, 1, vb + <usize>k * vPlane, 1, ld, du + <usize>k * uPlane, C, 1, work);
    }
  }
}

/** G^T applied to the 6 values s_i at `s + i step` (float64 from float32): the 3 taps' sums in t0..t2. */
// @ts-ignore: decorator
@inline
function gtCol(s: usize, step: usize, k: i32): f64 {
  // column k of G: (p_i^k / N_i) for i < 5, then (0, 0, 1)[k]
  const u0 = <f64>load<f32>(s), u1 = <f64>load<f32>(s + step), u2 = <f64>load<f32>(s + 2 * step);
  const u3 = <f64>load<f32>(s + 3 * step), u4 = <f64>load<f32>(s + 4 * step), u5 = <f64>load<f32>(s + 5 * step);
  return gCol(k, u0, u1, u2, u3, u4, u5);
}

/** sum over i of G[i][k] u_i (float64). */
// @ts-ignore: decorator
@inline
function gCol(k: i32, u0: f64, u1: f64, u2: f64, u3: f64, u4: f64, u5: f64): f64 {
  if (k == 0) return u0 * INV0 + (u1 + u2) * INVB + (u3 + u4) * INVA;
  if (k == 1) return B64 * (u1 - u2) * INVB + A64 * (u3 - u4) * INVA;
  return B64 * B64 * (u1 + u2) * INVB + A64 * A64 * (u3 + u4) * INVA + u5;
}

/** dw [O, C, 3, 3] = G^T dU G for each filter, from dU (36 matrices [O, C]); in float64, rounded once. */
export function winograd4WeightsBackward(O: i32, C: i32, du: usize, dw: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let f = 0; f < O * C; f++) {
    const s = du + <usize>f * 4;
    const out = dw + <usize>(f * 9) * 4;
    // (G^T dU)[a][j] for the 6 columns j, then each row times G
    for (let a = 0; a < 3; a++) {
      const t0 = gtCol(s, 6 * plane, a), t1 = gtCol(s + plane, 6 * plane, a), t2 = gtCol(s + 2 * plane, 6 * plane, a);
      const t3 = gtCol(s + 3 * plane, 6 * plane, a), t4 = gtCol(s + 4 * plane, 6 * plane, a), t5 = gtCol(s + 5 * plane, 6 * plane, a);
      for (let b = 0; b < 3; b++) store<f32>(out + <usize>(3 * a + b) * 4, <f32>gCol(b, t0, t1, t2, t3, t4, t5));
    }
  }
}
