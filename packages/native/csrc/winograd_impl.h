// The tile transforms of Winograd F(4x4, 3x3) (winograd.cc drives them), written once with
// GCC/Clang vector extensions and compiled once per instruction set: winograd_avx512.cc,
// winograd_avx2.cc and winograd_generic.cc define TG_ISA (the suffix of the exported names) and
// TG_WBYTES (the vector width in bytes: 64, 32, 16), then include this file. Everything but the
// exported functions has internal linkage (an anonymous namespace), so no AVX code leaks into
// another unit's inline functions.
//
// Each lane of a vector is one tile, WL tiles at a time in the order of the block's columns
// (consecutive tiles of a row, then the next row's: no lane idles at the end of a short row).
// A tile's 4 values of a row are one 128-bit piece; piece h of vector r[k] is tile 4 h + k, and
// a 4 x 4 transpose within each 128-bit piece turns r[0..3] into d[0..3], d[j] holding value j
// of the WL tiles (and back). The input transform runs B^T down the input rows first (lane =
// column, into line buffers zero-padded at the image's edges), then B across, per tile; the
// output transform runs A^T down, A^T across, then stores each tile's rows as pieces.
//
// The matrices (winograd.cc's header derives them; interpolation points 0, +-b, +-a and
// infinity with b = 3/4, a = 3/2): on a column d0..d5 of an input tile, B^T gives
//   t0 = a^2 b^2 d0 - (a^2 + b^2) d2 + d4,   t5 = a^2 b^2 d1 - (a^2 + b^2) d3 + d5,
//   t1,2 = (d4 - a^2 d2) -+ b (a^2 d1 - d3), t3,4 = (d4 - b^2 d2) -+ a (b^2 d1 - d3);
// on a column m0..m5 of a product tile, A^T gives
//   y0 = m0 + (m1 + m2) + (m3 + m4),         y1 = b (m1 - m2) + a (m3 - m4),
//   y2 = b^2 (m1 + m2) + a^2 (m3 + m4),      y3 = b^3 (m1 - m2) + a^3 (m3 - m4) + m5;
// and its adjoint A on y0..y3 (the weight gradient's output-gradient transform)
//   z0 = y0, z1,2 = (y0 + b^2 y2) +- (b y1 + b^3 y3), z3,4 = (y0 + a^2 y2) +- (a y1 + a^3 y3), z5 = y3.

#include <stdint.h>
#include <string.h>

#include "winograd.h"

#define TG_W_CAT2(a, b) a##_##b
#define TG_W_CAT(a, b) TG_W_CAT2(a, b)
#define TG_W_NAME(f) TG_W_CAT(f, TG_ISA)

namespace {

typedef float wv __attribute__((vector_size(TG_WBYTES)));
typedef float v4 __attribute__((vector_size(16)));
constexpr int WL = TG_WBYTES / 4;

constexpr float PB = 0.75f, PA = 1.5f;
constexpr float PB2 = PB * PB, PA2 = PA * PA, PB3 = PB2 * PB, PA3 = PA2 * PA;
constexpr float PAB2 = PA2 * PB2, PSUM2 = PA2 + PB2;

inline wv ld(const float* p) {
  wv v;
  memcpy(&v, p, sizeof v);
  return v;
}
inline void st(float* p, wv v) { memcpy(p, &v, sizeof v); }
inline v4 ld4(const float* p) {
  v4 v;
  memcpy(&v, p, sizeof v);
  return v;
}
inline void st4(float* p, v4 v) { memcpy(p, &v, sizeof v); }
inline wv splat(float x) { return wv{} + x; }

/** B^T on (d0..d5), lane-wise: t[j]. */
inline void bt6(wv d0, wv d1, wv d2, wv d3, wv d4, wv d5, wv* t) {
  t[0] = (PAB2 * d0 - PSUM2 * d2) + d4;
  const wv p = d4 - PA2 * d2, q = PB * (PA2 * d1 - d3);
  t[1] = p - q;
  t[2] = p + q;
  const wv r = d4 - PB2 * d2, s = PA * (PB2 * d1 - d3);
  t[3] = r - s;
  t[4] = r + s;
  t[5] = (PAB2 * d1 - PSUM2 * d3) + d5;
}

/** A^T on (m0..m5), lane-wise: y[0..3]. */
inline void at4(wv m0, wv m1, wv m2, wv m3, wv m4, wv m5, wv* y) {
  const wv sp = m1 + m2, sm = m1 - m2, tp = m3 + m4, tm = m3 - m4;
  y[0] = (m0 + sp) + tp;
  y[1] = PB * sm + PA * tm;
  y[2] = PB2 * sp + PA2 * tp;
  y[3] = (PB3 * sm + PA3 * tm) + m5;
}

/** A on (y0..y3), lane-wise: z[0..5]. */
inline void a6(wv y0, wv y1, wv y2, wv y3, wv* z) {
  z[0] = y0;
  const wv eb = y0 + PB2 * y2, ob = PB * y1 + PB3 * y3;
  z[1] = eb + ob;
  z[2] = eb - ob;
  const wv ea = y0 + PA2 * y2, oa = PA * y1 + PA3 * y3;
  z[3] = ea + oa;
  z[4] = ea - oa;
  z[5] = y3;
}

/** The vector whose piece h is the 4 floats at p[4 h + k] (k < 4, h < WL / 4). */
inline wv pieces(const float* const* p, int k) {
#if TG_WBYTES == 64
  typedef float v8 __attribute__((vector_size(32)));
  const v8 lo = __builtin_shufflevector(ld4(p[k]), ld4(p[4 + k]), 0, 1, 2, 3, 4, 5, 6, 7);
  const v8 hi = __builtin_shufflevector(ld4(p[8 + k]), ld4(p[12 + k]), 0, 1, 2, 3, 4, 5, 6, 7);
  return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
#elif TG_WBYTES == 32
  return __builtin_shufflevector(ld4(p[k]), ld4(p[4 + k]), 0, 1, 2, 3, 4, 5, 6, 7);
#else
  return ld4(p[k]);
#endif
}

/** Piece h (lanes 4 h .. 4 h + 3) of v. */
template <int h> inline v4 piece(wv v) {
#if TG_WBYTES == 64
  return __builtin_shufflevector(v, v, 4 * h, 4 * h + 1, 4 * h + 2, 4 * h + 3);
#elif TG_WBYTES == 32
  return __builtin_shufflevector(v, v, 4 * h, 4 * h + 1, 4 * h + 2, 4 * h + 3);
#else
  return v;
#endif
}

/** A 4 x 4 transpose within each 128-bit piece: d[j] lane 4 h + q = r[q] lane 4 h + j (its own inverse). */
inline void transpose4(const wv* r, wv* d) {
#if TG_WBYTES == 64
  const wv t0 = __builtin_shufflevector(r[0], r[1], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
  const wv t1 = __builtin_shufflevector(r[0], r[1], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
  const wv t2 = __builtin_shufflevector(r[2], r[3], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
  const wv t3 = __builtin_shufflevector(r[2], r[3], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
  d[0] = __builtin_shufflevector(t0, t2, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
  d[1] = __builtin_shufflevector(t0, t2, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
  d[2] = __builtin_shufflevector(t1, t3, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
  d[3] = __builtin_shufflevector(t1, t3, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
#elif TG_WBYTES == 32
  const wv t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13), t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
  const wv t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13), t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
  d[0] = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
  d[1] = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
  d[2] = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
  d[3] = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
#else
  const wv t0 = __builtin_shufflevector(r[0], r[1], 0, 4, 1, 5), t1 = __builtin_shufflevector(r[0], r[1], 2, 6, 3, 7);
  const wv t2 = __builtin_shufflevector(r[2], r[3], 0, 4, 1, 5), t3 = __builtin_shufflevector(r[2], r[3], 2, 6, 3, 7);
  d[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  d[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  d[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  d[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
#endif
}

/** Stores piece h of r[k] (tile 4 h + k) with f(q, piece), for the WL tiles q = 4 h + k. */
template <typename F> inline void eachPiece(const wv* r, F f) {
#pragma GCC unroll 4
  for (int k = 0; k < 4; k++) {
    f(k, piece<0>(r[k]));
#if TG_WBYTES >= 32
    f(4 + k, piece<1>(r[k]));
#endif
#if TG_WBYTES == 64
    f(8 + k, piece<2>(r[k]));
    f(12 + k, piece<3>(r[k]));
#endif
  }
}

/**
 * For tiles [t0, t1): calls f(i, n, ty, tx) for tile t0 + i (image n, tile row ty, column tx),
 * without a division per tile.
 */
template <typename F> inline void eachTile(int64_t t0, int64_t t1, int64_t th, int64_t tw, F f) {
  int64_t row = t0 / tw, tx = t0 - row * tw, n = row / th, ty = row - n * th;
  for (int64_t i = 0; i < t1 - t0; i++) {
    f(i, n, ty, tx);
    if (++tx == tw) {
      tx = 0;
      if (++ty == th) {
        ty = 0;
        n++;
      }
    }
  }
}

/**
 * Prefetches the output rows of tile rows [row0, row1] (global numbers, th per image) of one
 * channel's plane (images imageStride floats apart): `write` for stores. The channels' planes
 * stream from memory one after another; each transform asks for the next one's rows while it
 * works on this one's.
 */
inline void prefetchRows(const float* plane, int64_t imageStride, int64_t th, int64_t H, int64_t W, int64_t row0, int64_t row1, bool write) {
  for (int64_t row = row0; row <= row1; row++) {
    const int64_t n = row / th, ty = row % th, rows = H - 4 * ty < 4 ? H - 4 * ty : 4;
    const char* p = (const char*)(plane + n * imageStride + 4 * ty * W);
    const int64_t bytes = rows * W * (int64_t)sizeof(float);
    for (int64_t b = 0; b < bytes; b += 64) {
      if (write) __builtin_prefetch(p + b, 1);
      else __builtin_prefetch(p + b);
    }
  }
}

/**
 * B^T down 6 input rows from ih0 (zero rows outside [0, H)), lane = column, into 6 line buffers
 * of LB floats: position pw + c holds image column c. The positions outside [pw, pw + W) are
 * never written: the caller zeroes them once (the padding).
 */
inline void vertical(const float* src, const float* zero, int64_t H, int64_t W, int64_t ih0, int64_t pw, float* lines, int64_t LB) {
  const float* r[6];
  for (int i = 0; i < 6; i++) {
    const int64_t ih = ih0 + i;
    r[i] = ih >= 0 && ih < H ? src + ih * W : zero;
  }
  float* out = lines + pw;
  wv t[6];
  if (W >= WL) {
    // whole vectors, the last one overlapping the one before (it ends at the row's end)
    for (int64_t c = 0;; c += WL) {
      if (c + WL > W) c = W - WL;
      bt6(ld(r[0] + c), ld(r[1] + c), ld(r[2] + c), ld(r[3] + c), ld(r[4] + c), ld(r[5] + c), t);
      for (int i = 0; i < 6; i++) st(out + c + i * LB, t[i]);
      if (c + WL == W) return;
    }
  }
  // a row narrower than a vector: from zero-padded copies, the padding's lanes not stored
  float tmp[6][WL];
  for (int i = 0; i < 6; i++) {
    memset(tmp[i], 0, sizeof tmp[i]);
    memcpy(tmp[i], r[i], (size_t)W * sizeof(float));
  }
  bt6(ld(tmp[0]), ld(tmp[1]), ld(tmp[2]), ld(tmp[3]), ld(tmp[4]), ld(tmp[5]), t);
  for (int i = 0; i < 6; i++) memcpy(out + i * LB, &t[i], (size_t)W * sizeof(float));
}

}  // namespace

extern "C" {

int TG_W_NAME(tg_wino_lanes)(void) { return WL; }

void TG_W_NAME(tg_wino_input)(const TgWinoInput* a) {
  const int64_t tw = a->tw, th = a->th, LB = a->LB, t0 = a->t0, nt = a->t1 - t0, plane = a->plane, HW = a->H * a->W;
  const int64_t row0 = t0 / tw, rows = (a->t1 - 1) / tw - row0 + 1;
  // each tile's first position in the line buffers (the last tile again on the lanes past t1)
  int64_t* off = a->index;
  eachTile(t0, a->t1, th, tw, [&](int64_t i, int64_t n, int64_t ty, int64_t tx) { off[i] = ((n * th + ty) - row0) * 6 * LB + 4 * tx; });
  for (int64_t i = nt; i < nt + WL; i++) off[i] = off[nt - 1];
  for (int64_t c = 0; c < a->C; c++) {
    // B^T down the 6 input rows of each tile row the tiles touch; the next channel's rows are
    // fetched meanwhile (the input streams from memory, a plane at a time)
    for (int64_t r = 0; r < rows; r++) {
      const int64_t n = (row0 + r) / th, ty = (row0 + r) % th;
      const float* plane0 = a->src + (n * a->C + c) * HW;
      if (c + 1 < a->C) {
        const int64_t h0 = 4 * ty - a->ph < 0 ? 0 : 4 * ty - a->ph, h1 = 4 * ty - a->ph + 6 < a->H ? 4 * ty - a->ph + 6 : a->H;
        const char* q = (const char*)(plane0 + HW + h0 * a->W);
        for (int64_t b = 0; b < (h1 - h0) * a->W * (int64_t)sizeof(float); b += 64) __builtin_prefetch(q + b);
      }
      vertical(plane0, a->zero, a->H, a->W, 4 * ty - a->ph, a->pw, a->lines + r * 6 * LB, LB);
    }
    // B across each line: each tile's positions 0..3 and 4..7 as pieces, transposed
    float* v = a->v + c * a->ld;
    for (int64_t g = 0; g < nt; g += WL) {
      for (int i = 0; i < 6; i++) {
        const float* p[WL];
        const float* q[WL];
        for (int l = 0; l < WL; l++) {
          p[l] = a->lines + i * LB + off[g + l];
          q[l] = p[l] + 4;
        }
        wv r[4], s[4], d[4], e[4], t[6];
        for (int k = 0; k < 4; k++) {
          r[k] = pieces(p, k);
          s[k] = pieces(q, k);
        }
        transpose4(r, d);
        transpose4(s, e);
        bt6(d[0], d[1], d[2], d[3], e[0], e[1], t);
        float* dst = v + g + 6 * i * plane;
        for (int j = 0; j < 6; j++) st(dst + j * plane, t[j]);
      }
    }
  }
}

void TG_W_NAME(tg_wino_output)(const TgWinoOutput* a) {
  const int64_t plane = a->plane, Ho = a->Ho, Wo = a->Wo, nt = a->t1 - a->t0, HW = Ho * Wo;
  // each tile's output offset in channel 0 and its valid rows and columns (8 rows + cols: 36 for
  // a whole tile, -1 past t1); a group is whole when all its tiles are
  int64_t* off = a->index;
  int64_t* valid = off + nt + WL;
  eachTile(a->t0, a->t1, a->th, a->tw, [&](int64_t i, int64_t n, int64_t ty, int64_t tx) {
    const int64_t rows = Ho - 4 * ty < 4 ? Ho - 4 * ty : 4, cols = Wo - 4 * tx < 4 ? Wo - 4 * tx : 4;
    off[i] = n * a->O * HW + 4 * ty * Wo + 4 * tx;
    valid[i] = 8 * rows + cols;
  });
  for (int64_t i = nt; i < nt + WL; i++) valid[i] = -1;
  const int64_t row0 = a->t0 / a->tw, row1 = (a->t1 - 1) / a->tw;
  prefetchRows(a->dst, a->O * HW, a->th, Ho, Wo, row0, row1, true);
  for (int64_t o = 0; o < a->O; o++) {
    const wv bias = splat(a->bias ? a->bias[o] : 0.0f);
    float* out = a->dst + o * HW;
    if (o + 1 < a->O) prefetchRows(out + HW, a->O * HW, a->th, Ho, Wo, row0, row1, true);
    for (int64_t g = 0; g < nt; g += WL) {
      const float* m = a->m + o * a->ld + g;
      // A^T down each of the 6 columns of the product tiles: s[j][i], row i < 4
      wv s[6][4];
      for (int j = 0; j < 6; j++)
        at4(ld(m + j * plane), ld(m + (6 + j) * plane), ld(m + (12 + j) * plane), ld(m + (18 + j) * plane), ld(m + (24 + j) * plane),
            ld(m + (30 + j) * plane), s[j]);
      bool whole = true;
      for (int q = 0; q < WL; q++) whole = whole && valid[g + q] == 36;
      const int64_t* p = off + g;
      const int64_t* vq = valid + g;
      for (int i = 0; i < 4; i++) {
        wv y[4], r[4];
        at4(s[0][i], s[1][i], s[2][i], s[3][i], s[4][i], s[5][i], y);
        for (int k = 0; k < 4; k++) y[k] += bias;
        // piece h of r[k]: output row i of tile 4 h + k
        transpose4(y, r);
        float* row = out + i * Wo;
        if (whole) {
          eachPiece(r, [&](int q, v4 v) { st4(row + p[q], v); });
          continue;
        }
        eachPiece(r, [&](int q, v4 v) {
          if (vq[q] < 0 || i >= vq[q] >> 3) return;
          const int64_t cols = vq[q] & 7;
          if (cols == 4) st4(row + p[q], v);
          else
            for (int64_t c = 0; c < cols; c++) row[p[q] + c] = v[c];
        });
      }
    }
  }
}

void TG_W_NAME(tg_wino_grad)(const TgWinoGrad* a) {
  const int64_t plane = a->plane, Ho = a->Ho, Wo = a->Wo, nt = a->t1 - a->t0, HW = Ho * Wo;
  // each tile's offset in channel 0, and for a tile past an edge its valid rows and columns (8
  // rows + cols; 0 for a whole tile)
  int64_t* off = a->index;
  int64_t* edge = off + nt + WL;
  eachTile(a->t0, a->t1, a->th, a->tw, [&](int64_t i, int64_t n, int64_t ty, int64_t tx) {
    const int64_t rows = Ho - 4 * ty < 4 ? Ho - 4 * ty : 4, cols = Wo - 4 * tx < 4 ? Wo - 4 * tx : 4;
    off[i] = n * a->O * HW + 4 * ty * Wo + 4 * tx;
    edge[i] = rows == 4 && cols == 4 ? 0 : 8 * rows + cols;
  });
  for (int64_t i = nt; i < nt + WL; i++) {
    off[i] = off[nt - 1];
    edge[i] = edge[nt - 1];
  }
  const int64_t row0 = a->t0 / a->tw, row1 = (a->t1 - 1) / a->tw;
  prefetchRows(a->src, a->O * HW, a->th, Ho, Wo, row0, row1, false);
  for (int64_t o = 0; o < a->O; o++) {
    const float* src = a->src + o * HW;
    if (o + 1 < a->O) prefetchRows(src + HW, a->O * HW, a->th, Ho, Wo, row0, row1, false);
    for (int64_t g = 0; g < nt; g += WL) {
      // each tile's 4 x 4 output gradient: in place (rows Wo apart), or copied with zeros past
      // the edges (rows 4 apart)
      const float* p[WL];
      int64_t ps[WL];
      float tmp[WL][16];
      for (int q = 0; q < WL; q++) {
        const int64_t e = edge[g + q];
        p[q] = src + off[g + q];
        ps[q] = Wo;
        if (e == 0) continue;
        const int64_t rows = e >> 3, cols = e & 7;
        for (int i = 0; i < 4; i++)
          for (int c = 0; c < 4; c++) tmp[q][4 * i + c] = i < rows && c < cols ? p[q][i * Wo + c] : 0.0f;
        p[q] = tmp[q];
        ps[q] = 4;
      }
      // A across each row (dY A^T): u[i][b]; then A down each column b: Z[6 a + b]
      wv u[4][6];
      for (int i = 0; i < 4; i++) {
        const float* rowp[WL];
        for (int q = 0; q < WL; q++) rowp[q] = p[q] + i * ps[q];
        wv r[4], y[4];
        for (int k = 0; k < 4; k++) r[k] = pieces(rowp, k);
        transpose4(r, y);
        a6(y[0], y[1], y[2], y[3], u[i]);
      }
      float* z = a->z + o * a->ld + g;
      for (int b = 0; b < 6; b++) {
        wv c[6];
        a6(u[0][b], u[1][b], u[2][b], u[3][b], c);
        for (int k = 0; k < 6; k++) st(z + (6 * k + b) * plane, c[k]);
      }
    }
  }
}

}  // extern "C"
