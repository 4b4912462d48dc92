// float32 2-D convolutions by Winograd F(4x4, 3x3): the forward pass, the input gradient and
// the weight gradient of 3x3 convolutions with stride 1, dilation 1, one group and zero padding
// 0..2 (conv.cc hands them here when they fit, see fits()). Each 4x4 output tile costs 36
// multiplies per pair of channels instead of im2col's 144.
//
// With U[k] = (G g G^T)[k] for each filter g (6x6, k = 6 i + j), V[k] = (B^T d B)[k] for each
// 6x6 input tile d (tiles at stride 4), the output tile is Y = A^T M A with M[k] = the sum over
// input channels of U[k] V[k]: 36 matrix products M[k] [Co, tiles] = U[k] [Co, Ci] V[k] [Ci,
// tiles], which run on the chosen instruction set's GEMM (one batched call of 36 products per
// block of tiles). The input gradient is the same convolution of the output gradient with the
// transposed, rotated filters w'[c, o] = w[o, c] turned by 180 degrees and padding 2 - p; the
// weight gradient is the adjoint: dU[k] [O, C] = the sum over tiles of Z[k] V[k]^T with
// Z = A dY A^T (one GEMM per block whose depth is the block's tiles), then dg = G^T dU G.
//
// The matrices come from the Toom-Cook construction with the points 0, b, -b, a, -a and
// infinity (b = 3/4, a = 3/2; winograd_impl.h spells out B^T, A^T and A). With the finite
// points p_j and N_j = the product over l != j of (p_j - p_l), row j of G is (1, p_j, p_j^2) /
// N_j, its last row (0, 0, 1). The points are those of the wasm backend's winograd4.ts, which
// measured them against others: the classic 0, +-1, +-2 put 5 into B^T and 8 into A^T and had
// 5.7x the largest error; every coefficient here (3/4, 9/16, 27/64, 45/16, ...) is exact in
// float32. U and the weight gradient's back-transform are computed in float64, rounded once.
//
// Accuracy, measured against the float64 reference on N(0, 1) inputs and weights (8 to 64
// channels, padding 0-2, sizes 5 to 26, 1 to 13 images, AVX-512): the forward pass and the input
// gradient within 7.6e-6 sqrt(9 K) (K the channels summed over: outputs have standard deviation
// sqrt(9 K)), the weight gradient within 4.4e-6 sqrt(L) (L = N Ho Wo positions summed over). The
// wasm backend's F(4x4, 3x3) measures 8.4e-6 and 7e-6, its F(2x2, 3x3) 1.9e-6 and 3.3e-6; im2col
// about 1e-7 sqrt(9 K). The tests allow 3e-5 sqrt(9 K) and 2e-5 sqrt(L) (native.test.ts, as the
// wasm backend's). float64 convolutions stay on im2col (their tests hold them to 1e-11).
//
// Blocks and threads. Tiles are numbered image by image, tile row by tile row, and cut into
// blocks of a multiple of 32 tiles (whole slivers of every build's GEMM) whose V and M take
// about BLOCK_BYTES; a block may start or end inside a tile row. The transforms work on a
// vector of consecutive tiles at a time, across tile rows (winograd_impl.h). U is computed on the
// calling thread first (~0.1 ms for 64 x 32 filters; on every thread from 128 x 128 filters, see
// LARGE_FILTERS). The forward pass and the input gradient hand whole blocks to the threads, each
// running its block's input transform, GEMM (on its own thread) and output transform: the
// threads meet once per call (large filters on few blocks: the threads work inside each block's
// product instead). Each output element is the same
// operations whoever computes it and wherever its block starts (the GEMM's sums do not depend on
// its tiling), so the bits do not depend on the number of threads. The weight gradient cuts the
// tiles into at most WEIGHT_PARTS parts fixed by the shapes (never by the thread count); a part's
// blocks are summed into its own dU on one thread, block after block, and the parts' dU are then
// added in part order and transformed back, in one more meeting: the same bits on any number of
// threads.
//
// No F(2x2, 3x3): its multiplies per output (16 per 2x2 tile) are fewer than F(4x4, 3x3)'s only
// on outputs 1 or 2 wide (h = 2: 0.44 of im2col's against 1.0), equal at 5 and 6 (0.64, 0.44)
// and more everywhere else (the convnet's 24 and 26: 0.44 against 0.25 and 0.29); the wasm
// backend measured F(4x4, 3x3) 1.3-1.6x faster on the convnet's second layer.
//
// TAPEGRAD_NATIVE_WINOGRAD (read once at load): 0 turns Winograd off (every convolution runs
// im2col + GEMM), `force` runs it on every geometry it can do whatever the channel counts and
// sizes (tests and measurements); unset or anything else, the thresholds below decide.

#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "conv.h"
#include "winograd.h"

namespace {

// ---- when Winograd runs ----

enum Mode { AUTO, OFF, FORCE };

Mode readMode() {
  const char* v = std::getenv("TAPEGRAD_NATIVE_WINOGRAD");
  if (v && std::strcmp(v, "0") == 0) return OFF;
  if (v && std::strcmp(v, "force") == 0) return FORCE;
  return AUTO;
}

const Mode mode = readMode();

/**
 * Fewest input and output channels, and the largest ratio of Winograd's multiplies (36 per tile,
 * partial tiles included) to im2col's (9 per output) for which Winograd runs. Measured (one
 * thread, 16 images, padding 1, im2col time / Winograd time for the forward pass, input and
 * weight gradient, AVX-512): 4 -> 4 channels 1.3-1.7x, 1.0-1.5x, 0.8-1.5x (the weight gradient
 * loses at 5x5, 14x14, 28x28); 8 -> 8 channels 1.6-2.7x, 1.3-2.6x, 1.2-2.1x; 16 -> 16: 1.7-2.8x,
 * 1.3-2.5x, 1.4-2.3x; 32 -> 32: 1.0-2.3x, 0.8-2.3x, 1.7-2.8x, the least at 5x5 outputs (ratio
 * 0.64: 4 tiles of 16 outputs for 25), the most at 8x8 and 12x12 (0.25, whole tiles).
 */
constexpr int64_t MIN_CHANNELS = 8;
constexpr double MAX_RATIO = 0.5;
/**
 * The forward pass and input gradient transform all O C filters on every call: they run by
 * Winograd only with at least O C / TILES_PER_FILTERS tiles. Measured (2 threads, padding 1,
 * im2col / Winograd time, forward and input gradient): 512 -> 512 channels, 8 images of 7x7 (32
 * tiles) 0.65x, 0.69x; 256 -> 256, 16 images of 7x7 (64 tiles) 0.9x; 256 -> 256, 16 images of
 * 14x14 (256 tiles) 1.4x, 1.3x; 128 -> 256, 32 of 7x7 (128 tiles) 1.5x, 1.3x; 128 -> 128, 32 of
 * 14x14 2.1x, 1.9x. (The weight gradient, which transforms back O C filters once, won on all of
 * them: 1.1-1.4x.)
 */
constexpr int64_t TILES_PER_FILTERS = 256;

std::atomic<int64_t> runs[3];  // forward, input gradient, weight gradient

/** True when the convolution's geometry is one Winograd F(4x4, 3x3) can do. */
bool geometryFits(const TgConvDims& d, bool f64) {
  return !f64 && d.groups == 1 && d.kH == 3 && d.kW == 3 && d.sh == 1 && d.sw == 1 && d.dh == 1 && d.dw == 1 && d.ph >= 0 && d.ph <= 2 &&
         d.pw >= 0 && d.pw <= 2 && d.N > 0 && d.C > 0 && d.O > 0 && d.Ho > 0 && d.Wo > 0;
}

/** True when Winograd runs a pass of this convolution whose output is [rows, cols] per channel
 * (`weights`: the pass transforms the filters forward, so it needs enough tiles). */
bool fits(const TgConvDims& d, bool f64, int64_t rows, int64_t cols, bool weights) {
  if (mode == OFF || !geometryFits(d, f64)) return false;
  if (mode == FORCE) return true;
  const int64_t tiles = d.N * ((rows + 3) / 4) * ((cols + 3) / 4);
  const double ratio = 36.0 * ((rows + 3) / 4) * ((cols + 3) / 4) / (9.0 * rows * cols);
  return d.C >= MIN_CHANNELS && d.O >= MIN_CHANNELS && ratio <= MAX_RATIO && (!weights || tiles * TILES_PER_FILTERS >= d.O * d.C);
}

// ---- the transforms of the chosen instruction set ----

struct Transforms {
  int lanes;
  void (*input)(const TgWinoInput*);
  void (*output)(const TgWinoOutput*);
  void (*grad)(const TgWinoGrad*);
};

/** The transforms compiled for the instruction set of `gemm` (the one the addon chose). */
Transforms transformsFor(TgGemm gemm) {
  if (gemm == tg_sgemm_avx512) return {tg_wino_lanes_avx512(), tg_wino_input_avx512, tg_wino_output_avx512, tg_wino_grad_avx512};
  if (gemm == tg_sgemm_avx2) return {tg_wino_lanes_avx2(), tg_wino_input_avx2, tg_wino_output_avx2, tg_wino_grad_avx2};
  return {tg_wino_lanes_generic(), tg_wino_input_generic, tg_wino_output_generic, tg_wino_grad_generic};
}

// ---- the filters: U = G g G^T and back, in float64 ----

constexpr double PA = 1.5, PB = 0.75;
constexpr double INV0 = 1 / (PA * PA * PB * PB);
constexpr double INVB = 1 / (2 * PB * PB * (PB * PB - PA * PA));
constexpr double INVA = 1 / (2 * PA * PA * (PA * PA - PB * PB));

/** DL filters at a time, one per lane. */
typedef double vd __attribute__((vector_size(16)));
constexpr int DL = 2;

/** Row j of G applied to the taps (a, b, c): (a + p_j b + p_j^2 c) / N_j; row 5 is c. */
inline vd gRow(int j, vd a, vd b, vd c) {
  switch (j) {
    case 0: return a * INV0;
    case 1: return (a + PB * b + PB * PB * c) * INVB;
    case 2: return (a - PB * b + PB * PB * c) * INVB;
    case 3: return (a + PA * b + PA * PA * c) * INVA;
    case 4: return (a - PA * b + PA * PA * c) * INVA;
    default: return c;
  }
}

/** Column k of G against (u0..u5): the sum over i of G[i][k] u_i. */
inline vd gCol(int k, const vd* u) {
  if (k == 0) return u[0] * INV0 + (u[1] + u[2]) * INVB + (u[3] + u[4]) * INVA;
  if (k == 1) return PB * (u[1] - u[2]) * INVB + PA * (u[3] - u[4]) * INVA;
  return PB * PB * (u[1] + u[2]) * INVB + PA * PA * (u[3] + u[4]) * INVA + u[5];
}

/**
 * U for the filters of w [O, C, 3, 3]: 36 matrices [Co, Ci] stored transposed, u[k][ci Co + co]
 * (the GEMM packs its left operand fastest from contiguous columns). Forward: Ci = C, Co = O,
 * filter (co, ci) = w[o, c]; `flip` (the input gradient): Ci = O, Co = C, filter (c, o) = w[o, c]
 * turned by 180 degrees. Task ci writes row ci of every u[k], DL filters at a time.
 */
struct WeightsJob {
  const float* w;
  int64_t O, C;
  bool flip;
  float* u;
  static void task(void* ctx, int64_t ci) {
    const WeightsJob& j = *(const WeightsJob*)ctx;
    const int64_t plane = j.O * j.C, Co = j.flip ? j.C : j.O;
    float* row = j.u + ci * Co;
    for (int64_t co0 = 0; co0 < Co; co0 += DL) {
      const int nl = Co - co0 < DL ? (int)(Co - co0) : DL;
      vd g[3][3] = {};
      for (int l = 0; l < nl; l++) {
        const int64_t co = co0 + l;
        const float* f = j.w + (j.flip ? ci * j.C + co : co * j.C + ci) * 9;
        for (int r = 0; r < 3; r++)
          for (int s = 0; s < 3; s++) g[r][s][l] = j.flip ? f[8 - 3 * r - s] : f[3 * r + s];
      }
      for (int i = 0; i < 6; i++) {
        const vd a = gRow(i, g[0][0], g[1][0], g[2][0]), b = gRow(i, g[0][1], g[1][1], g[2][1]), e = gRow(i, g[0][2], g[1][2], g[2][2]);
        for (int k = 0; k < 6; k++) {
          const vd v = gRow(k, a, b, e);
          float* dst = row + (6 * i + k) * plane + co0;
          for (int l = 0; l < nl; l++) dst[l] = (float)v[l];
        }
      }
    }
  }
};

// ---- blocks of tiles ----

/** Bytes of V and M (or Z) a block aims at: about one core's L2 cache here. */
constexpr int64_t BLOCK_BYTES = 1 << 20;
/** Tiles per block are a multiple of this (whole slivers of every build's GEMM: 32, 16, 8 columns). */
constexpr int64_t BLOCK_ALIGN = 32;

/** A convolution in [N, Ci, Hi, Wi] -> out [N, Co, Ho, Wo] with zero padding (ph, pw), tiled. */
struct Plan {
  int64_t N, Ci, Hi, Wi, Co, Ho, Wo, ph, pw;
  int64_t th, tw, T;  // tile rows and columns per image, tiles in all
  int64_t nb;         // tiles per block
  int64_t ld;         // floats per row of V and Z: nb and room for a vector's overrun
  int64_t vPlane, zPlane;  // floats from one plane of V (of Z) to the next
  int64_t LB;         // floats per line buffer
  Transforms f;
  int threads;
};

/**
 * Floats from one plane of `rows` rows of ld floats to the next, rounded up to an odd number of
 * 64-byte lines. A transform stores to all 36 planes at one offset; planes a multiple of 4 KB
 * apart (64 rows of 80 floats: 20 KB) put those lines into one set of the L1 cache, whose 8 ways
 * they then keep evicting (the input gradient of the convnet's second layer: 7.3 -> 6.x ms).
 */
int64_t planeFloats(int64_t rows, int64_t ld) { return (((rows * ld + 15) / 16) | 1) * 16; }

void setBlock(Plan& p, int64_t nb) {
  p.nb = nb;
  p.ld = nb + p.f.lanes;
  p.vPlane = planeFloats(p.Ci, p.ld);
  p.zPlane = planeFloats(p.Co, p.ld);
}

Plan plan(int64_t N, int64_t Ci, int64_t Hi, int64_t Wi, int64_t Co, int64_t Ho, int64_t Wo, int64_t ph, int64_t pw, TgGemm gemm, int threads) {
  Plan p;
  p.N = N, p.Ci = Ci, p.Hi = Hi, p.Wi = Wi, p.Co = Co, p.Ho = Ho, p.Wo = Wo, p.ph = ph, p.pw = pw;
  p.th = (Ho + 3) / 4, p.tw = (Wo + 3) / 4, p.T = N * p.th * p.tw;
  p.f = transformsFor(gemm);
  p.threads = threads;
  int64_t nb = BLOCK_BYTES / (144 * (Ci + Co)) / BLOCK_ALIGN * BLOCK_ALIGN;
  if (nb < BLOCK_ALIGN) nb = BLOCK_ALIGN;
  setBlock(p, nb < p.T ? nb : p.T);
  const int64_t L = p.f.lanes;
  p.LB = (4 * p.tw + 4 + L - 1) / L * L;
  return p;
}

/** V [36][Ci][ld] of tiles [t0, t1) of `in`. */
void inputBlock(const Plan& p, const float* in, int64_t t0, int64_t t1, float* V, float* lines, const float* zero, int64_t* index) {
  TgWinoInput a{in, p.Ci, p.Hi, p.Wi, p.ph, p.pw, p.th, p.tw, t0, t1, zero, lines, p.LB, V, p.ld, p.vPlane, index};
  p.f.input(&a);
}

/** The scratch of one block: V (or V and Z), M, the line buffers and a zero row. */
struct Scratch {
  float* V;
  float* M;  // forward: M [36][Co][nb]; weight gradient: Z [36][Co][ld]
  float* lines;
  float* zero;
  int64_t* index;
  float* base;
  Scratch(const Plan& p, int64_t mFloats) {
    // the line buffers of every tile row a block touches
    const int64_t rows = (p.nb - 1) / p.tw + 2;
    const int64_t v = 36 * p.vPlane, m = mFloats + p.f.lanes, l = 6 * p.LB * rows, z = p.Wi + p.f.lanes;
    const int64_t ix = 2 * (p.nb + p.f.lanes);
    base = (float*)tg_scratch_take((size_t)(v + m + l + z) * sizeof(float) + (size_t)ix * sizeof(int64_t));
    V = base;
    M = V + v;
    lines = M + m;
    zero = lines + l;
    index = (int64_t*)(zero + z);
    memset(lines, 0, (size_t)(l + z) * sizeof(float));
  }
  ~Scratch() { tg_scratch_give(base); }
};

// ---- forward pass and input gradient ----

/** Filters (O C) from which the forward pass and input gradient transform them on every thread,
 * and, when there are few blocks, run a block at a time with the threads inside its product
 * (see convolve); the bytes of V and M such a block aims at. */
constexpr int64_t LARGE_FILTERS = 128 * 128;
constexpr int64_t LARGE_BLOCK_BYTES = 16 << 20;

struct ConvJob {
  const Plan* p;
  const float* in;
  const float* u;
  const float* bias;
  float* out;
  TgGemm gemm;
  int gemmThreads;
  static void task(void* ctx, int64_t b) {
    const ConvJob& j = *(const ConvJob*)ctx;
    const Plan& p = *j.p;
    const int64_t t0 = b * p.nb, t1 = t0 + p.nb < p.T ? t0 + p.nb : p.T, nt = t1 - t0;
    Scratch s(p, 36 * p.Co * p.nb);
    inputBlock(p, j.in, t0, t1, s.V, s.lines, s.zero, s.index);
    // M[k] [Co, nt] = U[k] [Co, Ci] V[k] [Ci, nt]
    TgGemmArgs g = tgGemmArgs(36, p.Co, nt, p.Ci, j.u, p.Ci * p.Co, 1, p.Co, s.V, p.vPlane, p.ld, 1, s.M, j.gemmThreads, 0);
    j.gemm(&g);
    TgWinoOutput a{s.M, nt, p.Co * nt, j.out, p.Co, p.Ho, p.Wo, p.th, p.tw, t0, t1, j.bias, s.index};
    p.f.output(&a);
  }
};

/** out = the convolution of `in` with the filters of w [O, C, 3, 3] (flipped and transposed with `flip`). */
void convolve(Plan p, const float* in, const float* w, int64_t O, int64_t C, bool flip, const float* bias, float* out, TgGemm gemm) {
  float* u = (float*)tg_scratch_take((size_t)(36 * O * C) * sizeof(float));
  WeightsJob wj{w, O, C, flip, u};
  tg_parallel(p.Ci, O * C >= LARGE_FILTERS ? p.threads : 1, WeightsJob::task, &wj);
  int64_t blocks = (p.T + p.nb - 1) / p.nb;
  if (O * C >= LARGE_FILTERS && blocks < 4 * p.threads) {
    // many filters: each block's product packs all of U, so blocks of more tiles, one after
    // another, each product split across the threads (the transforms on the calling thread)
    int64_t nb = LARGE_BLOCK_BYTES / (144 * (p.Ci + p.Co)) / BLOCK_ALIGN * BLOCK_ALIGN;
    if (nb < p.nb) nb = p.nb;
    setBlock(p, nb < p.T ? nb : p.T);
    ConvJob j{&p, in, u, bias, out, gemm, p.threads};
    for (int64_t b = 0; b < (p.T + p.nb - 1) / p.nb; b++) ConvJob::task(&j, b);
    tg_scratch_give(u);
    return;
  }
  // few blocks: smaller ones, so that every thread gets some (the bits do not depend on it)
  if (blocks < 2 * p.threads && p.nb > BLOCK_ALIGN) {
    const int64_t want = (p.T + 2 * p.threads - 1) / (2 * p.threads);
    const int64_t nb = (want + BLOCK_ALIGN - 1) / BLOCK_ALIGN * BLOCK_ALIGN;
    setBlock(p, nb < p.T ? nb : p.T);
    blocks = (p.T + p.nb - 1) / p.nb;
  }
  ConvJob j{&p, in, u, bias, out, gemm, 1};
  tg_parallel(blocks, p.threads, ConvJob::task, &j);
  tg_scratch_give(u);
}

// ---- weight gradient ----

/** Parts the tiles are cut into for the weight gradient (each summed on one thread). */
constexpr int64_t WEIGHT_PARTS = 12;
/** The parts' dU together stay under this. */
constexpr int64_t PARTS_BYTES = 64 << 20;

struct WeightGradJob {
  const Plan* p;  // Ci = C (x), Co = O (grad)
  const float* x;
  const float* grad;
  float* parts;   // [P][36][O][C]
  int64_t P;
  TgGemm gemm;
  int gemmThreads;

  /** Part `t`'s dU: its blocks' products added one after another. */
  void part(int64_t t) const {
    const Plan& q = *p;
    const int64_t p0 = t * q.T / P, p1 = (t + 1) * q.T / P;
    const int64_t size = 36 * q.Co * q.Ci;
    float* du = parts + t * size;
    Scratch s(q, 36 * q.zPlane);
    for (int64_t t0 = p0; t0 < p1; t0 += q.nb) {
      const int64_t t1 = t0 + q.nb < p1 ? t0 + q.nb : p1, nt = t1 - t0;
      inputBlock(q, x, t0, t1, s.V, s.lines, s.zero, s.index);
      TgWinoGrad a{grad, q.Co, q.Ho, q.Wo, q.th, q.tw, t0, t1, s.M, q.ld, q.zPlane, s.index};
      q.f.grad(&a);
      // dU[k] [O, C] (+)= Z[k] [O, nt] V[k]^T [nt, C]
      TgGemmArgs g = tgGemmArgs(36, q.Co, q.Ci, nt, s.M, q.zPlane, q.ld, 1, s.V, q.vPlane, 1, q.ld, du, gemmThreads, t0 == p0 ? 0 : TG_GEMM_ACCUMULATE);
      gemm(&g);
    }
  }
  static void task(void* ctx, int64_t t) { ((const WeightGradJob*)ctx)->part(t); }
};

/** dw[o] = G^T (the sum over parts, in order, of dU) G for each filter of output channel o. */
struct WeightsBackJob {
  const float* parts;  // [P][36][O][C]
  int64_t P, O, C;
  float* sums;         // scratch: [O][36][C]
  float* dw;
  static void task(void* ctx, int64_t o) {
    const WeightsBackJob& j = *(const WeightsBackJob*)ctx;
    const int64_t C = j.C, plane = j.O * C, size = 36 * plane;
    float* sum = j.sums + o * 36 * C;
    for (int k = 0; k < 36; k++) {
      const float* src = j.parts + k * plane + o * C;
      float* dst = sum + k * C;
      for (int64_t c = 0; c < C; c++) dst[c] = src[c];
      for (int64_t q = 1; q < j.P; q++)
        for (int64_t c = 0; c < C; c++) dst[c] += src[q * size + c];
    }
    // (G^T dU)[r][k] for the 6 columns k, then each row times G; DL filters at a time
    for (int64_t c0 = 0; c0 < C; c0 += DL) {
      const int nl = C - c0 < DL ? (int)(C - c0) : DL;
      vd u[36] = {};
      for (int k = 0; k < 36; k++)
        for (int l = 0; l < nl; l++) u[k][l] = sum[k * C + c0 + l];
      vd t[3][6];
      for (int k = 0; k < 6; k++) {
        const vd col[6] = {u[k], u[6 + k], u[12 + k], u[18 + k], u[24 + k], u[30 + k]};
        for (int r = 0; r < 3; r++) t[r][k] = gCol(r, col);
      }
      for (int r = 0; r < 3; r++)
        for (int s = 0; s < 3; s++) {
          const vd v = gCol(s, t[r]);
          for (int l = 0; l < nl; l++) j.dw[(o * C + c0 + l) * 9 + 3 * r + s] = (float)v[l];
        }
    }
  }
};

}  // namespace

bool tg_winograd_conv2d(const TgConvDims* d, bool f64, const void* x, const void* w, const void* bias, void* out, TgGemm gemm) {
  if (!fits(*d, f64, d->Ho, d->Wo, true)) return false;
  runs[0]++;
  const Plan p = plan(d->N, d->C, d->H, d->W, d->O, d->Ho, d->Wo, d->ph, d->pw, gemm, d->threads);
  convolve(p, (const float*)x, (const float*)w, d->O, d->C, false, (const float*)bias, (float*)out, gemm);
  return true;
}

bool tg_winograd_backward_input(const TgConvDims* d, bool f64, const void* grad, const void* w, void* dx, TgGemm gemm) {
  if (!fits(*d, f64, d->H, d->W, true)) return false;
  runs[1]++;
  // dx = the convolution of grad with w'[c, o] = w[o, c] turned by 180 degrees, padding 2 - p
  const Plan p = plan(d->N, d->O, d->Ho, d->Wo, d->C, d->H, d->W, 2 - d->ph, 2 - d->pw, gemm, d->threads);
  convolve(p, (const float*)grad, (const float*)w, d->O, d->C, true, nullptr, (float*)dx, gemm);
  return true;
}

bool tg_winograd_backward_weight(const TgConvDims* d, bool f64, const void* x, const void* grad, void* dw, TgGemm gemm) {
  if (!fits(*d, f64, d->Ho, d->Wo, false)) return false;
  runs[2]++;
  const Plan p = plan(d->N, d->C, d->H, d->W, d->O, d->Ho, d->Wo, d->ph, d->pw, gemm, d->threads);
  const int64_t size = 36 * d->O * d->C;
  int64_t P = (p.T + p.nb - 1) / p.nb;
  if (P > WEIGHT_PARTS) P = WEIGHT_PARTS;
  const int64_t fit = PARTS_BYTES / (size * (int64_t)sizeof(float));
  if (P > fit) P = fit < 1 ? 1 : fit;
  float* parts = (float*)tg_scratch_take((size_t)((P + 1) * size) * sizeof(float));
  // one part (large filters): the blocks one after another, each product split across threads
  WeightGradJob j{&p, (const float*)x, (const float*)grad, parts, P, gemm, P == 1 ? d->threads : 1};
  tg_parallel(P, d->threads, WeightGradJob::task, &j);
  WeightsBackJob b{parts, P, d->O, d->C, parts + P * size, (float*)dw};
  tg_parallel(d->O, d->O * d->C < 256 ? 1 : d->threads, WeightsBackJob::task, &b);
  tg_scratch_give(parts);
  return true;
}

// ---- convStats() ----

namespace {

napi_value ConvStats(napi_env env, napi_callback_info) {
  napi_value o, v;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, mode == OFF ? "off" : mode == FORCE ? "force" : "auto", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "winograd", v);
  const char* names[3] = {"forward", "backwardInput", "backwardWeight"};
  for (int i = 0; i < 3; i++) {
    napi_create_double(env, (double)runs[i].load(), &v);
    napi_set_named_property(env, o, names[i], v);
  }
  return o;
}

}  // namespace

void tg_register_winograd(napi_env env, napi_value exports) {
  napi_value v;
  napi_create_function(env, "convStats", NAPI_AUTO_LENGTH, ConvStats, nullptr, &v);
  napi_set_named_property(env, exports, "convStats", v);
}
