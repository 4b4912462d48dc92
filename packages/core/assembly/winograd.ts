// Winograd F(2x2, 3x3) convolution on contiguous NCHW float32 tensors (groups 1, 3x3 kernel,
// stride 1, dilation 1, any zero padding): each 2x2 output tile costs 16 multiplies per
// channel pair instead of 36. With the transforms
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
//   A^T = [1 1 1 0; 0 1 -1 -1],
// the output tile of a 4x4 input tile d and a 3x3 filter g is Y = A^T [(G g G^T) . (B^T d B)] A.
// Summed over input channels, the element-wise product becomes 16 independent matrix products
// M[k] [O, T] = U[k] [O, C] V[k] [C, T] over T tiles, which run on the SIMD GEMM. The input
// gradient is the same convolution with the rotated, transposed kernel; the weight gradient
// is its adjoint (below). All three cost 16 / 36 of im2col's GEMM flops plus the transforms.
//
// Tiles are processed in blocks of whole tile rows (across images) sized so that V and M
// stay in the L2 cache. Tile columns of a block are numbered row after row, without gaps, so
// the GEMMs waste nothing on odd widths; the transforms work on 4 tiles side by side (one
// f32x4 lane each) and a group that runs past the end of a tile row reads or writes lanes that
// belong to the next row (overwritten later) or are dropped.
import { sgemm, sgemmWorkBytes } from './gemm';

// The geometry travels as an int32 array `geo`: [C, H, W, O, Ho, Wo, ph, pw], for input
// x [N, C, H, W] and output [N, O, Ho, Wo] with Ho = H + 2 ph - 2, Wo = W + 2 pw - 2.
// @ts-ignore: decorator
@inline function g(geo: usize, i: i32): i32 { return load<i32>(geo + <usize>i * 4); }

/**
 * Bytes of V and M a block aims at (one core's L2 here): larger blocks make wider GEMMs with
 * less packing per flop (32 -> 64 channels, 16 images of 26x26, one thread: 8.1 ms at 512 KiB,
 * 7.1 ms at 1 MiB, 7.3 ms at 2 MiB).
 */
const BLOCK_BYTES: i32 = 1024 * 1024;

/** Tile rows per block: as many as fit {@link BLOCK_BYTES}, at least one. */
function blockRows(C: i32, O: i32, tw: i32): i32 {
  const tiles = BLOCK_BYTES / (64 * (C + O));
  return max(1, tiles / tw);
}

/** Floats in one line buffer: an input row padded to the 4-tile groups (2 tw4 + 2), rounded up. */
function lineFloats(tw: i32): i32 {
  const tw4 = (tw + 3) & ~3;
  return (2 * tw4 + 2 + 3) & ~3;
}

/** Scratch bytes {@link winogradConv} needs per call: GEMM work, V and M blocks, 4 line buffers. */
export function winogradWorkBytes(geo: usize): i32 {
  const C = g(geo, 0), O = g(geo, 3), Wo = g(geo, 5);
  const tw = (Wo + 1) >> 1;
  const ld = blockRows(C, O, tw) * tw + 4;
  return sgemmWorkBytes() + 64 * (C + O) * ld + 16 * lineFloats(tw) + 256;
}

/**
 * U[k] = (G w G^T)[k] for every filter of `w [O, C, 3, 3]`, stored as 16 matrices `[O, C]`.
 * With `flip` 1 the filters of the transposed, rotated kernel w'[c, o, i, j] = w[o, c, 2-i, 2-j]
 * (the input gradient's convolution) are transformed instead, stored as 16 matrices `[C, O]`.
 * Computed in float64 and rounded once.
 */
export function winogradWeights(O: i32, C: i32, w: usize, flip: i32, u: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const f = w + <usize>((o * C + c) * 9) * 4;
      const dst = u + <usize>(flip ? c * O + o : o * C + c) * 4;
      const g00 = tap(f, flip, 0, 0), g01 = tap(f, flip, 0, 1), g02 = tap(f, flip, 0, 2);
      const g10 = tap(f, flip, 1, 0), g11 = tap(f, flip, 1, 1), g12 = tap(f, flip, 1, 2);
      const g20 = tap(f, flip, 2, 0), g21 = tap(f, flip, 2, 1), g22 = tap(f, flip, 2, 2);
      // rows of G g, then each times G^T
      filterRow(dst, plane, 0, g00, g01, g02);
      filterRow(dst, plane, 1, 0.5 * (g00 + g10 + g20), 0.5 * (g01 + g11 + g21), 0.5 * (g02 + g12 + g22));
      filterRow(dst, plane, 2, 0.5 * (g00 - g10 + g20), 0.5 * (g01 - g11 + g21), 0.5 * (g02 - g12 + g22));
      filterRow(dst, plane, 3, g20, g21, g22);
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

/** Row i of U = (G g) G^T from row i (a, b, e) of G g: planes 4i .. 4i+3. */
// @ts-ignore: decorator
@inline
function filterRow(dst: usize, plane: usize, i: i32, a: f64, b: f64, e: f64): void {
  const p = dst + <usize>(4 * i) * plane;
  store<f32>(p, <f32>a);
  store<f32>(p + plane, <f32>(0.5 * (a + b + e)));
  store<f32>(p + 2 * plane, <f32>(0.5 * (a - b + e)));
  store<f32>(p + 3 * plane, <f32>e);
}

/**
 * Copies input row `ih` of plane `src [H, W]` into `line`, shifted right by `pw` and zero
 * outside the image (a zero line when `ih` is outside [0, H)).
 */
// @ts-ignore: decorator
@inline
function fillLine(line: usize, L: i32, src: usize, H: i32, W: i32, ih: i32, pw: i32): void {
  if (ih < 0 || ih >= H) {
    memory.fill(line, 0, <usize>L * 4);
    return;
  }
  const lo = min(pw, L);
  const hi = min(pw + W, L);
  if (lo > 0) memory.fill(line, 0, <usize>lo * 4);
  memory.copy(line + <usize>lo * 4, src + <usize>(ih * W + lo - pw) * 4, <usize>(hi - lo) * 4);
  if (hi < L) memory.fill(line + <usize>hi * 4, 0, <usize>(L - hi) * 4);
}

/**
 * The horizontal half of B^T d B for 4 tiles side by side: from row `e` (at the tiles' first
 * column; tile q starts 2q floats later) writes (e B)[j] of tile q to lane q of `dst + j plane`.
 */
// @ts-ignore: decorator
@inline
function rowTransform(e: usize, dst: usize, plane: usize): void {
  const a0 = v128.load(e), a1 = v128.load(e, 16), b0 = v128.load(e, 8), b1 = v128.load(e, 24);
  const d0 = i32x4.shuffle(a0, a1, 0, 2, 4, 6), d1 = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
  const d2 = i32x4.shuffle(b0, b1, 0, 2, 4, 6), d3 = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
  v128.store(dst, f32x4.sub(d0, d2));
  v128.store(dst + plane, f32x4.add(d1, d2));
  v128.store(dst + 2 * plane, f32x4.sub(d2, d1));
  v128.store(dst + 3 * plane, f32x4.sub(d1, d3));
}

/**
 * V[k][c][t0 + tx] for the tiles tx in [0, tw) of one tile row of channel plane `src`: the 4
 * input rows from `ih0` go through the line buffers, the vertical half of the transform (B^T d)
 * runs on whole rows, then the horizontal half on 4 tiles at a time.
 */
function inputRow(src: usize, H: i32, W: i32, ih0: i32, pw: i32, tw: i32, lines: usize, L: i32, v: usize, plane: usize): void {
  const lb = <usize>L * 4;
  const l0 = lines, l1 = l0 + lb, l2 = l1 + lb, l3 = l2 + lb;
  fillLine(l0, L, src, H, W, ih0, pw);
  fillLine(l1, L, src, H, W, ih0 + 1, pw);
  fillLine(l2, L, src, H, W, ih0 + 2, pw);
  fillLine(l3, L, src, H, W, ih0 + 3, pw);
  // rows of B^T d in place: e0 = r0 - r2, e1 = r1 + r2, e2 = r2 - r1, e3 = r1 - r3
  for (let o: usize = 0; o < lb; o += 16) {
    const r0 = v128.load(l0 + o), r1 = v128.load(l1 + o), r2 = v128.load(l2 + o), r3 = v128.load(l3 + o);
    v128.store(l0 + o, f32x4.sub(r0, r2));
    v128.store(l1 + o, f32x4.add(r1, r2));
    v128.store(l2 + o, f32x4.sub(r2, r1));
    v128.store(l3 + o, f32x4.sub(r1, r3));
  }
  const p4 = 4 * plane;
  for (let tx = 0; tx < tw; tx += 4) {
    const e = <usize>(2 * tx) * 4;
    const d = v + <usize>tx * 4;
    rowTransform(l0 + e, d, plane);
    rowTransform(l1 + e, d + p4, plane);
    rowTransform(l2 + e, d + 2 * p4, plane);
    rowTransform(l3 + e, d + 3 * p4, plane);
  }
}

/**
 * out tiles from M for one tile row of one output plane: Y = A^T m A for 4 tiles at a time
 * (lane q = tile tx + q), written as two interleaved rows; tiles or rows past the output's
 * edge are dropped.
 */
function outputRow(m: usize, plane: usize, tw: i32, dst: usize, Wo: i32, twoRows: bool): void {
  const wb = <usize>Wo * 4;
  for (let tx = 0; tx < tw; tx += 4) {
    const p = m + <usize>tx * 4;
    // A^T m: s0 = m0 + m1 + m2, s1 = m1 - m2 - m3 (rows of the 4x4 tile are planes 4i..4i+3)
    let a = v128.load(p), b = v128.load(p + 4 * plane), c = v128.load(p + 8 * plane), d = v128.load(p + 12 * plane);
    const s00 = f32x4.add(f32x4.add(a, b), c), s10 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(p + plane); b = v128.load(p + 5 * plane); c = v128.load(p + 9 * plane); d = v128.load(p + 13 * plane);
    const s01 = f32x4.add(f32x4.add(a, b), c), s11 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(p + 2 * plane); b = v128.load(p + 6 * plane); c = v128.load(p + 10 * plane); d = v128.load(p + 14 * plane);
    const s02 = f32x4.add(f32x4.add(a, b), c), s12 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(p + 3 * plane); b = v128.load(p + 7 * plane); c = v128.load(p + 11 * plane); d = v128.load(p + 15 * plane);
    const s03 = f32x4.add(f32x4.add(a, b), c), s13 = f32x4.sub(f32x4.sub(b, c), d);
    // (A^T m) A
    const y00 = f32x4.add(f32x4.add(s00, s01), s02), y01 = f32x4.sub(f32x4.sub(s01, s02), s03);
    const y10 = f32x4.add(f32x4.add(s10, s11), s12), y11 = f32x4.sub(f32x4.sub(s11, s12), s13);
    const r0 = dst + <usize>(2 * tx) * 4;
    if (2 * tx + 8 <= Wo) {
      v128.store(r0, i32x4.shuffle(y00, y01, 0, 4, 1, 5));
      v128.store(r0, i32x4.shuffle(y00, y01, 2, 6, 3, 7), 16);
      if (twoRows) {
        v128.store(r0 + wb, i32x4.shuffle(y10, y11, 0, 4, 1, 5));
        v128.store(r0 + wb, i32x4.shuffle(y10, y11, 2, 6, 3, 7), 16);
      }
    } else {
      const n = Wo - 2 * tx;
      storeLanes(r0, i32x4.shuffle(y00, y01, 0, 4, 1, 5), n);
      storeLanes(r0 + 16, i32x4.shuffle(y00, y01, 2, 6, 3, 7), n - 4);
      if (twoRows) {
        storeLanes(r0 + wb, i32x4.shuffle(y10, y11, 0, 4, 1, 5), n);
        storeLanes(r0 + wb + 16, i32x4.shuffle(y10, y11, 2, 6, 3, 7), n - 4);
      }
    }
  }
}

/** Stores the first `n` lanes of `v` (none if n <= 0) at `p`. */
// @ts-ignore: decorator
@inline
function storeLanes(p: usize, v: v128, n: i32): void {
  if (n > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
  if (n > 3) store<f32>(p, f32x4.extract_lane(v, 3), 12);
}

/**
 * out[n] = conv2d(x[n], w) for images n in [n0, n1), with `u` from {@link winogradWeights}
 * (16 matrices [O, C]) and the geometry block described above; bias is not added. `work`
 * points to {@link winogradWorkBytes} bytes of scratch.
 */
export function winogradConv(n0: i32, n1: i32, geo: usize, x: usize, u: usize, out: usize, work: usize): void {
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), Ho = g(geo, 4), Wo = g(geo, 5);
  const ph = g(geo, 6), pw = g(geo, 7);
  const th = (Ho + 1) >> 1, tw = (Wo + 1) >> 1;
  const R = blockRows(C, O, tw);
  const ld = R * tw + 4;
  const L = lineFloats(tw);
  const vb = work + <usize>sgemmWorkBytes();
  const mb = vb + <usize>(16 * C * ld) * 4;
  const lines = mb + <usize>(16 * O * ld) * 4;
  const vPlane = <usize>(C * ld) * 4, mPlane = <usize>(O * ld) * 4, uPlane = <usize>(O * C) * 4;
  const total = (n1 - n0) * th;
  for (let r0 = 0; r0 < total; r0 += R) {
    const rows = min(R, total - r0);
    const nt = rows * tw;
    for (let q = 0; q < rows; q++) {
      const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
      const col = vb + <usize>(q * tw) * 4;
      for (let c = 0; c < C; c++) {
        const src = x + <usize>((n * C + c) * H * W) * 4;
        inputRow(src, H, W, 2 * ty - ph, pw, tw, lines, L, col + <usize>(c * ld) * 4, vPlane);
      }
    }
    for (let k = 0; k < 16; k++) {
      sgemm(O, nt, C, u + <usize>k * uPlane, C, 1, vb + <usize>k * vPlane, ld, 1, mb + <usize>k * mPlane, ld, 0, work);
    }
    for (let q = 0; q < rows; q++) {
      const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
      const twoRows = 2 * ty + 1 < Ho;
      for (let o = 0; o < O; o++) {
        const dst = out + <usize>(((n * O + o) * Ho + 2 * ty) * Wo) * 4;
        outputRow(mb + <usize>(o * ld + q * tw) * 4, mPlane, tw, dst, Wo, twoRows);
      }
    }
  }
}

// ------------------------------------------------------------------ weight gradient
//
// The adjoint of the forward pass: with M = sum over c of U . V and Y = A^T M A per tile, the
// gradient of U is dU[k] [O, C] = sum over tiles t of (A dY_t A^T)[k] V_t[k], one GEMM per k
// with the tiles as depth, and the filter gradient is dg = G^T dU G. Output positions past the
// edge (the dropped half of a partial tile) get a zero gradient.

/**
 * Z[k][o][t0 + tx] = (A dY A^T)[k] for the tiles tx in [0, tw) of one tile row of gradient
 * plane `src [Ho, Wo]`, whose rows `oh0` and `oh0 + 1` go through two line buffers (zero past
 * the edges). Lane q of each vector is tile tx + q.
 */
function gradRow(src: usize, Ho: i32, Wo: i32, oh0: i32, tw: i32, lines: usize, L: i32, z: usize, plane: usize): void {
  const l0 = lines, l1 = l0 + <usize>L * 4;
  fillLine(l0, L, src, Ho, Wo, oh0, 0);
  fillLine(l1, L, src, Ho, Wo, oh0 + 1, 0);
  const p4 = 4 * plane;
  for (let tx = 0; tx < tw; tx += 4) {
    const e = <usize>(2 * tx) * 4;
    let a = v128.load(l0 + e), b = v128.load(l0 + e, 16);
    const y00 = i32x4.shuffle(a, b, 0, 2, 4, 6), y01 = i32x4.shuffle(a, b, 1, 3, 5, 7);
    a = v128.load(l1 + e); b = v128.load(l1 + e, 16);
    const y10 = i32x4.shuffle(a, b, 0, 2, 4, 6), y11 = i32x4.shuffle(a, b, 1, 3, 5, 7);
    // rows of A dY: (y0), (y0 + y1), (y0 - y1), (-y1); each row (a, b) times A^T: a, a + b, a - b, -b
    const d = z + <usize>tx * 4;
    zRow(d, plane, y00, y01);
    zRow(d + p4, plane, f32x4.add(y00, y10), f32x4.add(y01, y11));
    zRow(d + 2 * p4, plane, f32x4.sub(y00, y10), f32x4.sub(y01, y11));
    zRow(d + 3 * p4, plane, f32x4.neg(y10), f32x4.neg(y11));
  }
}

/** Stores a, a + b, a - b, -b to 4 consecutive planes. */
// @ts-ignore: decorator
@inline
function zRow(d: usize, plane: usize, a: v128, b: v128): void {
  v128.store(d, a);
  v128.store(d + plane, f32x4.add(a, b));
  v128.store(d + 2 * plane, f32x4.sub(a, b));
  v128.store(d + 3 * plane, f32x4.neg(b));
}

/**
 * dU (16 matrices [O, C]) = the Winograd-domain weight gradient summed over images [n0, n1)
 * of input `x [N, C, H, W]` and output gradient `grad [N, O, Ho, Wo]` (same geometry block as
 * {@link winogradConv}); `du` is overwritten. `work`: {@link winogradWorkBytes} bytes.
 */
export function winogradConvWeightGrad(n0: i32, n1: i32, geo: usize, x: usize, grad: usize, du: usize, work: usize): void {
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), Ho = g(geo, 4), Wo = g(geo, 5);
  const ph = g(geo, 6), pw = g(geo, 7);
  const th = (Ho + 1) >> 1, tw = (Wo + 1) >> 1;
  const R = blockRows(C, O, tw);
  const ld = R * tw + 4;
  const L = lineFloats(tw);
  const vb = work + <usize>sgemmWorkBytes();
  const zb = vb + <usize>(16 * C * ld) * 4;
  const lines = zb + <usize>(16 * O * ld) * 4;
  const vPlane = <usize>(C * ld) * 4, zPlane = <usize>(O * ld) * 4, uPlane = <usize>(O * C) * 4;
  memory.fill(du, 0, 16 * uPlane);
  const total = (n1 - n0) * th;
  for (let r0 = 0; r0 < total; r0 += R) {
    const rows = min(R, total - r0);
    const nt = rows * tw;
    for (let q = 0; q < rows; q++) {
      const n = n0 + (r0 + q) / th, ty = (r0 + q) % th;
      const col = <usize>(q * tw) * 4;
      for (let c = 0; c < C; c++) {
        const src = x + <usize>((n * C + c) * H * W) * 4;
        inputRow(src, H, W, 2 * ty - ph, pw, tw, lines, L, vb + col + <usize>(c * ld) * 4, vPlane);
      }
      for (let o = 0; o < O; o++) {
        const src = grad + <usize>((n * O + o) * Ho * Wo) * 4;
        gradRow(src, Ho, Wo, 2 * ty, tw, lines, L, zb + col + <usize>(o * ld) * 4, zPlane);
      }
    }
    for (let k = 0; k < 16; k++) {
      sgemm(O, C, nt, zb + <usize>k * zPlane, ld, 1, vb + <usize>k * vPlane, 1, ld, du + <usize>k * uPlane, C, 1, work);
    }
  }
}

/** dw [O, C, 3, 3] = G^T dU G for each filter, from dU (16 matrices [O, C]); in float64, rounded once. */
export function winogradWeightsBackward(O: i32, C: i32, du: usize, dw: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let i = 0; i < O * C; i++) {
    const s = du + <usize>i * 4;
    const f = dw + <usize>(i * 9) * 4;
    // G^T dU: rows d0 + (d1 + d2)/2, (d1 - d2)/2, (d1 + d2)/2 + d3 of the 4 rows d0..d3, by column
    const t00 = gtTop(s, plane, 0), t01 = gtTop(s, plane, 1), t02 = gtTop(s, plane, 2), t03 = gtTop(s, plane, 3);
    const t10 = gtMid(s, plane, 0), t11 = gtMid(s, plane, 1), t12 = gtMid(s, plane, 2), t13 = gtMid(s, plane, 3);
    const t20 = gtBot(s, plane, 0), t21 = gtBot(s, plane, 1), t22 = gtBot(s, plane, 2), t23 = gtBot(s, plane, 3);
    // each row (a, b, c, d) of G^T dU times G: a + (b + c)/2, (b - c)/2, (b + c)/2 + d
    gRow(f, t00, t01, t02, t03);
    gRow(f + 12, t10, t11, t12, t13);
    gRow(f + 24, t20, t21, t22, t23);
  }
}

// @ts-ignore: decorator
@inline function du(s: usize, plane: usize, k: i32): f64 { return <f64>load<f32>(s + <usize>k * plane); }
// @ts-ignore: decorator
@inline function gtTop(s: usize, plane: usize, j: i32): f64 { return du(s, plane, j) + 0.5 * (du(s, plane, 4 + j) + du(s, plane, 8 + j)); }
// @ts-ignore: decorator
@inline function gtMid(s: usize, plane: usize, j: i32): f64 { return 0.5 * (du(s, plane, 4 + j) - du(s, plane, 8 + j)); }
// @ts-ignore: decorator
@inline function gtBot(s: usize, plane: usize, j: i32): f64 { return 0.5 * (du(s, plane, 4 + j) + du(s, plane, 8 + j)) + du(s, plane, 12 + j); }

/** Stores one row of a filter gradient: (a, b, c, d) G. */
// @ts-ignore: decorator
@inline
function gRow(f: usize, a: f64, b: f64, c: f64, d: f64): void {
  store<f32>(f, <f32>(a + 0.5 * (b + c)));
  store<f32>(f, <f32>(0.5 * (b - c)), 4);
  store<f32>(f, <f32>(0.5 * (b + c) + d), 8);
}
