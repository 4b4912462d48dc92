// The GEMM driver, micro-kernels and float32 vector math, written once with GCC/Clang vector
// extensions and compiled once per instruction set: kernels_avx512.cc, kernels_avx2.cc and
// kernels_generic.cc each define TG_ISA (the suffix of the exported names), TG_VBYTES (the
// vector width in bytes) and the register tile TG_SMR / TG_DMR (rows of C per micro-kernel),
// then include this file. Everything but the exported functions has internal linkage (an
// anonymous namespace), so no AVX code leaks into another unit's inline functions.
//
// GEMM (the BLIS scheme): A is packed into slivers of MR rows and B into slivers of NR = 2
// vectors of columns, both in blocks of KC along the depth; a micro-kernel keeps an MR x NR tile
// of C in registers and runs one fused multiply-add chain per element over a KC block. The
// operands are packed a panel of depth blocks (~4 MB) at a time, and the tiles of C then add
// that panel's blocks in depth order; a batch of products can also be summed into one C (the
// depth runs over the batches: a convolution's weight gradient over images). The output is
// cut into tiles that the thread pool hands out; the depth K is never split, and each element
// of C is computed by the same sequence of operations whoever computes it, so the bits do not
// depend on the number of threads, the tiling, the tile's row count or the panel size.

#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "kernels.h"

#define TG_CAT2(a, b) a##_##b
#define TG_CAT(a, b) TG_CAT2(a, b)
#define TG_NAME(f) TG_CAT(f, TG_ISA)

namespace {

typedef float vf __attribute__((vector_size(TG_VBYTES)));
typedef double vd __attribute__((vector_size(TG_VBYTES)));
typedef int32_t vi __attribute__((vector_size(TG_VBYTES)));

template <typename T> struct Tr;
template <> struct Tr<float> {
  typedef vf V;
  static constexpr int W = TG_VBYTES / 4, MR = TG_SMR, KC = TG_SKC;
};
template <> struct Tr<double> {
  typedef vd V;
  static constexpr int W = TG_VBYTES / 8, MR = TG_DMR, KC = TG_DKC;
};

template <typename V, typename T> inline V loadu(const T* p) {
  V v;
  memcpy(&v, p, sizeof v);
  return v;
}
template <typename V, typename T> inline void storeu(T* p, V v) { memcpy(p, &v, sizeof v); }
// x (a float or double) in every lane, as one broadcast instruction (GCC turns an element-wise
// fill into a broadcast-and-insert sequence)
template <typename V, typename T> inline V bcast(T x) {
#if TG_VBYTES == 64 && defined(__AVX512F__)
  if (sizeof(T) == 4) return (V)_mm512_set1_ps((float)x);
  if (sizeof(T) == 8) return (V)_mm512_set1_pd((double)x);
#elif TG_VBYTES == 32 && defined(__AVX__)
  if (sizeof(T) == 4) return (V)_mm256_set1_ps((float)x);
  if (sizeof(T) == 8) return (V)_mm256_set1_pd((double)x);
#elif TG_VBYTES == 16 && defined(__SSE2__)
  if (sizeof(T) == 4) return (V)_mm_set1_ps((float)x);
  if (sizeof(T) == 8) return (V)_mm_set1_pd((double)x);
#endif
  V v;
  for (unsigned l = 0; l < sizeof(V) / sizeof(T); l++) v[l] = x;
  return v;
}

/** C[0:mv, 0:nv] (row stride ldc) = (or +=) A-sliver x B-sliver over kc steps. */
template <typename T, int MR, int NV>
inline void micro(int64_t kc, const T* __restrict a, const T* __restrict b, T* __restrict c, int64_t ldc, bool first, int mv, int nv) {
  typedef typename Tr<T>::V V;
  constexpr int W = Tr<T>::W;
  constexpr int NR = NV * W;
  V acc[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) acc[i][j] = V{};
  for (int64_t k = 0; k < kc; k++) {
    V bv[NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) bv[j] = loadu<V>(b + j * W);
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++) {
      V ai = bcast<V>(a[i]);
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) acc[i][j] += ai * bv[j];
    }
    a += MR;
    b += NR;
  }
  if (mv == MR && nv == NR) {
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) {
        T* p = c + i * ldc + j * W;
        storeu(p, first ? acc[i][j] : acc[i][j] + loadu<V>(p));
      }
    return;
  }
  T tmp[MR * NR] __attribute__((aligned(64)));
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NV; j++) storeu(tmp + i * NR + j * W, acc[i][j]);
  for (int i = 0; i < mv; i++)
    for (int j = 0; j < nv; j++) c[i * ldc + j] = first ? tmp[i * NR + j] : tmp[i * NR + j] + c[i * ldc + j];
}

// Transposing pack: dst[k * R + r] = src[r * rs + k] for r below the returned row count (a
// multiple of the block size, at most rv), k < K. A block of rows x depth steps is loaded row by
// row and stored step by step after a transpose in registers; what is left (depth steps past the
// last whole block) is copied singly. Returns 0 where no vector transpose is compiled in.
#if defined(__AVX__)
inline void tr8x8(const float* s, int64_t rs, float* d, int64_t ds) {
  const __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + rs), r2 = _mm256_loadu_ps(s + 2 * rs), r3 = _mm256_loadu_ps(s + 3 * rs);
  const __m256 r4 = _mm256_loadu_ps(s + 4 * rs), r5 = _mm256_loadu_ps(s + 5 * rs), r6 = _mm256_loadu_ps(s + 6 * rs), r7 = _mm256_loadu_ps(s + 7 * rs);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5), t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee), u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee), u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
  _mm256_storeu_ps(d, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(d + ds, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(d + 2 * ds, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(d + 3 * ds, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(d + 4 * ds, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(d + 5 * ds, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(d + 6 * ds, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(d + 7 * ds, _mm256_permute2f128_ps(u3, u7, 0x31));
}
inline void tr4x4(const double* s, int64_t rs, double* d, int64_t ds) {
  const __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + rs), r2 = _mm256_loadu_pd(s + 2 * rs), r3 = _mm256_loadu_pd(s + 3 * rs);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1), t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(d + ds, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(d + 2 * ds, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(d + 3 * ds, _mm256_permute2f128_pd(t1, t3, 0x31));
}
#endif
#if defined(__SSE2__)
inline void tr4x4(const float* s, int64_t rs, float* d, int64_t ds) {
  __m128 r0 = _mm_loadu_ps(s), r1 = _mm_loadu_ps(s + rs), r2 = _mm_loadu_ps(s + 2 * rs), r3 = _mm_loadu_ps(s + 3 * rs);
  _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
  _mm_storeu_ps(d, r0);
  _mm_storeu_ps(d + ds, r1);
  _mm_storeu_ps(d + 2 * ds, r2);
  _mm_storeu_ps(d + 3 * ds, r3);
}
#endif

/** Rows [r, r + G) of a transposing pack, G x G blocks by `tr`, the last depth steps singly. */
template <int G, typename T, typename F>
inline void packRowsBlock(const T* src, int64_t rs, int64_t r, int64_t K, T* dst, int64_t R, F tr) {
  int64_t k = 0;
  for (; k + G <= K; k += G) tr(src + r * rs + k, rs, dst + k * R + r, R);
  for (; k < K; k++)
    for (int i = 0; i < G; i++) dst[k * R + r + i] = src[(r + i) * rs + k];
}

inline int64_t packRowsT(const float* src, int64_t rs, int64_t rv, int64_t K, float* dst, int64_t R) {
  int64_t r = 0;
#if defined(__AVX__)
  for (; r + 8 <= rv; r += 8) packRowsBlock<8>(src, rs, r, K, dst, R, [](const float* s, int64_t a, float* d, int64_t b) { tr8x8(s, a, d, b); });
#endif
#if defined(__SSE2__)
  for (; r + 4 <= rv; r += 4) packRowsBlock<4>(src, rs, r, K, dst, R, [](const float* s, int64_t a, float* d, int64_t b) { tr4x4(s, a, d, b); });
#endif
  (void)src, (void)rs, (void)rv, (void)K, (void)dst, (void)R;
  return r;
}

inline int64_t packRowsT(const double* src, int64_t rs, int64_t rv, int64_t K, double* dst, int64_t R) {
  int64_t r = 0;
#if defined(__AVX__)
  for (; r + 4 <= rv; r += 4) packRowsBlock<4>(src, rs, r, K, dst, R, [](const double* s, int64_t a, double* d, int64_t b) { tr4x4(s, a, d, b); });
#endif
  (void)src, (void)rs, (void)rv, (void)K, (void)dst, (void)R;
  return r;
}

/** dst[k * R + r] = src[(r0 + r) * rs + k * cs] for r < rv (zero for rv <= r < R), k < K. */
template <typename T, int R>
void packSliver(const T* src, int64_t rs, int64_t cs, int64_t rv, int64_t K, int64_t KC, T* dst) {
  (void)KC;
  if (rv < R)
    for (int64_t k = 0; k < K; k++)
      for (int64_t r = rv; r < R; r++) dst[k * R + r] = 0;
  if (cs == 1) {
    // rows run along the depth: a transpose, by blocks in registers, then the odd rows singly
    for (int64_t r = packRowsT(src, rs, rv, K, dst, R); r < rv; r++) {
      const T* s = src + r * rs;
      for (int64_t k = 0; k < K; k++) dst[k * R + r] = s[k];
    }
  } else if (rs == 1 && rv == R) {
    for (int64_t k = 0; k < K; k++) memcpy(dst + k * R, src + k * cs, R * sizeof(T));
  } else {
    for (int64_t k = 0; k < K; k++) {
      const T* s = src + k * cs;
      for (int64_t r = 0; r < rv; r++) dst[k * R + r] = s[r * rs];
    }
  }
}

template <typename T, int64_t MR_> struct Gemm {
  static constexpr int64_t MR = MR_, NV = 2, NR = NV * Tr<T>::W, KC = Tr<T>::KC;
  const TgGemmArgs* g;
  const T* a;
  const T* b;
  T* c;
  bool sum;                // C = sum over batches of A[b] B[b]: the depth runs over (batch, k)
  int64_t Ms, Ns, Kb;      // slivers of A, of B, depth blocks of one batch's K
  int64_t KS;              // depth steps a packed block holds: KC, or K when it is shorter
  int64_t pa, pb;          // batches packed per block: 1 when an operand is shared (stride 0) or summed
  int64_t q0, nq;          // the panel: depth blocks [q0, q0 + nq) of the sequence
  T* packA;                // [pa][nq][Ms][KS][MR]
  T* packB;                // [pb][nq][Ns][KS][NR]
  int64_t tm, tn, gm, gn;  // tile: slivers per tile along M and N, tiles along M and N

  // Depth block q of the sequence: its batch (summing) and its first depth step and length.
  void block(int64_t q, int64_t* batch, int64_t* k0, int64_t* kc) const {
    const int64_t kb = sum ? q % Kb : q;
    *batch = sum ? q / Kb : 0;
    *k0 = kb * KC;
    *kc = g->K - *k0 < KC ? g->K - *k0 : KC;
  }

  // Packs one sliver of A or of B for one depth block of the panel.
  void pack(int64_t t) {
    const int64_t perBlock = pa * Ms + pb * Ns;
    const int64_t j = t / perBlock;
    int64_t r = t % perBlock, bq, k0, kc;
    block(q0 + j, &bq, &k0, &kc);
    if (r < pa * Ms) {
      const int64_t p = r / Ms, s = r % Ms;
      const T* src = a + (sum ? bq : p) * g->as0 + s * MR * g->as1 + k0 * g->as2;
      const int64_t rv = g->M - s * MR < MR ? g->M - s * MR : MR;
      packSliver<T, MR>(src, g->as1, g->as2, rv, kc, KC, packA + ((p * nq + j) * Ms + s) * KS * MR);
      return;
    }
    r -= pa * Ms;
    const int64_t p = r / Ns, s = r % Ns;
    // B's sliver: rows are columns of B (stride bs2), depth steps are rows (stride bs1)
    const T* src = b + (sum ? bq : p) * g->bs0 + s * NR * g->bs2 + k0 * g->bs1;
    const int64_t rv = g->N - s * NR < NR ? g->N - s * NR : NR;
    packSliver<T, NR>(src, g->bs2, g->bs1, rv, kc, KC, packB + ((p * nq + j) * Ns + s) * KS * NR);
  }

  // One tile of one batch's C, over the panel's depth blocks.
  void tile(int64_t t) {
    const int64_t perBatch = gm * gn;
    const int64_t p = t / perBatch, r = t % perBatch;
    const int64_t i0 = (r / gn) * tm, j0 = (r % gn) * tn;
    const int64_t i1 = i0 + tm < Ms ? i0 + tm : Ms, j1 = j0 + tn < Ns ? j0 + tn : Ns;
    const int64_t M = g->M, N = g->N;
    const T* A = packA + (pa == 1 ? 0 : p) * nq * Ms * KS * MR;
    const T* B = packB + (pb == 1 ? 0 : p) * nq * Ns * KS * NR;
    T* C = c + p * M * N;
    const T* bias = (const T*)g->bias;
    for (int64_t j = 0; j < nq; j++) {
      int64_t bq, k0, kc;
      block(q0 + j, &bq, &k0, &kc);
      const bool first = q0 + j == 0 && !(g->accumulate & TG_GEMM_ACCUMULATE);
      const T* Ak = A + j * Ms * KS * MR;
      const T* Bk = B + j * Ns * KS * NR;
      for (int64_t js = j0; js < j1; js++) {
        const int nv = (int)(N - js * NR < NR ? N - js * NR : NR);
        for (int64_t is = i0; is < i1; is++) {
          const int mv = (int)(M - is * MR < MR ? M - is * MR : MR);
          T* Ct = C + is * MR * N + js * NR;
          if (first && bias) {
            // the sliver starts from the bias (in cache, as the products are added into it)
            for (int r = 0; r < mv; r++) memcpy(Ct + r * N, bias + js * NR, (size_t)nv * sizeof(T));
            micro<T, MR, NV>(kc, Ak + is * KS * MR, Bk + js * KS * NR, Ct, N, false, mv, nv);
          } else {
            micro<T, MR, NV>(kc, Ak + is * KS * MR, Bk + js * KS * NR, Ct, N, first, mv, nv);
          }
        }
      }
    }
  }

  static void packTask(void* ctx, int64_t t) { ((Gemm*)ctx)->pack(t); }
  static void tileTask(void* ctx, int64_t t) { ((Gemm*)ctx)->tile(t); }

  void run() {
    const int64_t M = g->M, N = g->N, K = g->K, B = g->batch;
    sum = (g->accumulate & TG_GEMM_SUM_BATCHES) != 0;
    if (B == 0 || M == 0 || N == 0) {
      if (sum && M > 0 && N > 0 && !(g->accumulate & TG_GEMM_ACCUMULATE)) memset(c, 0, (size_t)(M * N) * sizeof(T));
      return;
    }
    const int64_t outB = sum ? 1 : B;
    if (K == 0) {
      if (!(g->accumulate & TG_GEMM_ACCUMULATE)) {
        if (g->bias)
          for (int64_t r = 0; r < outB * M; r++) memcpy(c + r * N, g->bias, (size_t)N * sizeof(T));
        else
          memset(c, 0, (size_t)(outB * M * N) * sizeof(T));
      }
      return;
    }
    Ms = (M + MR - 1) / MR;
    Ns = (N + NR - 1) / NR;
    Kb = (K + KC - 1) / KC;
    pa = sum || g->as0 == 0 ? 1 : B;
    pb = sum || g->bs0 == 0 ? 1 : B;
    if (!sum && B > 1) {
      // many batches: a chunk at a time, so the packed operands stay under ~64 MB
      const int64_t perBatch = (Ms * MR + Ns * NR) * K * (int64_t)sizeof(T);
      const int64_t step = (64 << 20) / perBatch < 1 ? 1 : (64 << 20) / perBatch;
      if (step < B) {
        for (int64_t b0 = 0; b0 < B; b0 += step) {
          TgGemmArgs sub = *g;
          sub.batch = B - b0 < step ? B - b0 : step;
          sub.a = a + b0 * g->as0;
          sub.b = b + b0 * g->bs0;
          sub.c = c + b0 * M * N;
          Gemm part;
          part.g = &sub;
          part.a = (const T*)sub.a;
          part.b = (const T*)sub.b;
          part.c = (T*)sub.c;
          part.run();
        }
        return;
      }
    }
    // The operands are packed a panel of depth blocks at a time (~4 MB: it stays in the
    // last-level cache while the tiles read it back), so that a long depth, such as a weight
    // gradient summed over images, does not stream its packed copy through memory. Each tile
    // still adds the blocks into C in depth order: the same bits as packing the whole depth.
    KS = K < KC ? K : KC;
    const int64_t blockBytes = (pa * Ms * MR + pb * Ns * NR) * KS * (int64_t)sizeof(T);
    const int64_t nblocks = sum ? B * Kb : Kb;
    int64_t panel = (4 << 20) / blockBytes;
    if (panel < 1) panel = 1;
    if (panel > nblocks) panel = nblocks;
    const int64_t aRegion = (pa * panel * Ms * KS * MR + 63) / 64 * 64;
    packA = (T*)tg_scratch_take((size_t)(aRegion + pb * panel * Ns * KS * NR) * sizeof(T));
    packB = packA + aRegion;
    // small products run on the calling thread: waking the pool costs more than it saves
    const int nt = (double)B * M * N * K < TG_GEMM_MIN_PARALLEL ? 1 : g->nthreads;
    // tiles of at most ~192 rows x ~256 columns, smaller until there are a few per thread and
    // the last round leaves threads idle for at most ~5% of the time (9 equal tiles on two
    // threads take 5 rounds where 4.5 would do: 10% lost)
    tm = (192 + MR - 1) / MR;
    tn = (256 + NR - 1) / NR;
    if (tm > Ms) tm = Ms;
    if (tn > Ns) tn = Ns;
    for (;;) {
      gm = (Ms + tm - 1) / tm;
      gn = (Ns + tn - 1) / tn;
      const int64_t tiles = outB * gm * gn, rounds = (tiles + nt - 1) / nt;
      if (nt == 1 || (tiles >= 3 * nt && (rounds * nt - tiles) * 20 <= tiles)) break;
      if (tn * NR >= tm * MR && tn > 1) tn = (tn + 1) / 2;
      else if (tm > 1) tm = (tm + 1) / 2;
      else if (tn > 1) tn = (tn + 1) / 2;
      else break;
    }
    for (q0 = 0; q0 < nblocks; q0 += panel) {
      nq = nblocks - q0 < panel ? nblocks - q0 : panel;
      tg_parallel(nq * (pa * Ms + pb * Ns), nt, packTask, this);
      tg_parallel(outB * gm * gn, nt, tileTask, this);
    }
    tg_scratch_give(packA);
  }
};

template <typename T, int64_t MR> void runGemm(const TgGemmArgs* g) {
  Gemm<T, MR> G;
  G.g = g;
  G.a = (const T*)g->a;
  G.b = (const T*)g->b;
  G.c = (T*)g->c;
  G.run();
}

// The row count of the register tile: the build's MR, or where it has a second one (TG_MR2),
// that one when it pads M with fewer rows (M = 64, 128, 256 with tiles of 8 rows instead of 12).
// Which tile computes an element of C does not change its sum: the same bits either way.
template <typename T> void gemm(const TgGemmArgs* g) {
#ifdef TG_MR2
  const int64_t M = g->M, pad1 = (M + Tr<T>::MR - 1) / Tr<T>::MR * Tr<T>::MR - M, pad2 = (M + TG_MR2 - 1) / TG_MR2 * TG_MR2 - M;
  if (pad2 < pad1) return runGemm<T, TG_MR2>(g);
#endif
  runGemm<T, Tr<T>::MR>(g);
}

// ---- float32 vector math (Cephes' single-precision polynomials, ~1-2 ulp) ----

inline vf vexp(vf x) {
  // clamping keeps the exponent arithmetic in range; NaN fails both compares and stays NaN
  x = x > 89.0f ? bcast<vf>(89.0f) : x;
  x = x < -104.0f ? bcast<vf>(-104.0f) : x;
  const vf magic = bcast<vf>(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
  vf t = x * 1.44269504088896341f + magic;
  vf z = t - magic;
  vi n = __builtin_convertvector(z, vi);
  vf r = x - z * 0.693359375f;
  r = r - z * -2.12194440e-4f;
  vf p = bcast<vf>(1.9875691500E-4f);
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  vf y = p * (r * r) + r + 1.0f;
  // 2^n as two factors, so that results down in the subnormals (n to -150) and up to 2^128
  // (overflowing to infinity) come out right
  vi n1 = n >> 1, n2 = n - n1;
  vf s1, s2;
  vi e1 = (n1 + 127) << 23, e2 = (n2 + 127) << 23;
  memcpy(&s1, &e1, sizeof s1);
  memcpy(&s2, &e2, sizeof s2);
  return y * s1 * s2;
}

inline vf vlog(vf x) {
  vf x0 = x;
  // subnormals: scale into the normal range first
  vi adj = (x < 1.17549435e-38f) & 23;  // a compare gives -1 (all bits) where true
  x = x < 1.17549435e-38f ? x * 8388608.0f : x;
  vi bits;
  memcpy(&bits, &x, sizeof bits);
  vi e = ((bits >> 23) & 0xff) - 126 - adj;
  vi mb = (bits & 0x007fffff) | 0x3f000000;  // mantissa in [0.5, 1)
  vf m;
  memcpy(&m, &mb, sizeof m);
  vi small = m < 0.707106781186547524f;
  e = e + small;  // small is -1 (all bits) where true
  vf ef = __builtin_convertvector(e, vf);
  vf f = small ? m + m - 1.0f : m - 1.0f;
  vf z = f * f;
  vf y = bcast<vf>(7.0376836292E-2f);
  y = y * f - 1.1514610310E-1f;
  y = y * f + 1.1676998740E-1f;
  y = y * f - 1.2420140846E-1f;
  y = y * f + 1.4249322787E-1f;
  y = y * f - 1.6668057665E-1f;
  y = y * f + 2.0000714765E-1f;
  y = y * f - 2.4999993993E-1f;
  y = y * f + 3.3333331174E-1f;
  y = y * f * z;
  y = y + ef * -2.12194440e-4f;
  y = y - z * 0.5f;
  vf r = f + y;
  r = r + ef * 0.693359375f;
  const float inf = __builtin_inff(), nan = __builtin_nanf("");
  r = x0 == 0.0f ? bcast<vf>(-inf) : r;
  r = x0 < 0.0f ? bcast<vf>(nan) : r;
  r = x0 == inf ? bcast<vf>(inf) : r;
  r = x0 != x0 ? x0 : r;
  return r;
}

inline vf vsigmoid(vf x) {
  vf ax = x < 0.0f ? -x : x;
  vf e = vexp(-ax);
  vf d = 1.0f + e;
  return x >= 0.0f ? 1.0f / d : e / d;
}

inline vf vtanh(vf x) {
  vf ax = x < 0.0f ? -x : x;
  // small |x|: Cephes' odd polynomial; else 1 - 2 / (e^{2|x|} + 1) with x's sign
  vf z = x * x;
  vf p = bcast<vf>(-5.70498872745E-3f);
  p = p * z + 2.06390887954E-2f;
  p = p * z - 5.37397155531E-2f;
  p = p * z + 1.33314422036E-1f;
  p = p * z - 3.33332819422E-1f;
  vf small = p * z * x + x;
  vf e = vexp(ax + ax);
  vf big = 1.0f - 2.0f / (e + 1.0f);
  big = x < 0.0f ? -big : big;
  return ax < 0.625f ? small : big;
}

// erf by two minimax fits (N. Juffa's, as the wasm kernels use): an odd polynomial in x below
// |x| = 0.927734375, 1 - e^(-q(|x|)) above (q a polynomial), with x's sign. Within ~2 ulp of the
// correctly rounded value (the conformance suite checks 2e-6 relative + 1e-6 absolute against
// the reference); erf(±inf) = ±1, erf(NaN) = NaN, erf(-0) = -0.
constexpr float ERF_SPLIT = 0.927734375f;

/** erfc(t) = e^(-q(t)) for t = |x| above the split, s = x². */
inline vf verfcLarge(vf t, vf s) {
  vf r = -1.72853470e-5f * t + 3.83197126e-4f;
  vf u = -3.88396438e-3f * t + 2.42546219e-2f;
  r = r * s + u;
  r = r * t - 1.06777877e-1f;
  r = r * t - 6.34846687e-1f;
  r = r * t - 1.28717512e-1f;
  r = r * t - t;
  return vexp(r);
}

/** erf(x) below the split: x + x p(x²), s = x². */
inline vf verfSmall(vf x, vf s) {
  vf p = bcast<vf>(-5.96761703e-4f);
  p = p * s + 4.99119423e-3f;
  p = p * s - 2.67681349e-2f;
  p = p * s + 1.12819925e-1f;
  p = p * s - 3.76125336e-1f;
  p = p * s + 1.28379166e-1f;
  return p * x + x;
}

inline vf vabs(vf x) { return (vf)((vi)x & 0x7fffffff); }

inline vf verf(vf x) {
  vf t = vabs(x), s = x * x;
  vf big = 1.0f - verfcLarge(t, s);
  // x's sign on the large branch; NaN lanes fail t > split and take the small one, which carries NaN
  vf large = (vf)(((vi)big & 0x7fffffff) | ((vi)x & (vi)bcast<vf>(-0.0f)));
  return t > ERF_SPLIT ? large : verfSmall(x, s);
}

/** Φ(x) = (1 + erf(x / √2)) / 2, from erfc on the negative side so the left tail keeps its relative accuracy. */
inline vf vphi(vf x) {
  vf z = x * 0.70710678118654752f, t = vabs(z), s = z * z;
  vf e = 0.5f * verfcLarge(t, s);
  vf large = x < 0.0f ? e : 1.0f - e;
  return t > ERF_SPLIT ? large : 0.5f + 0.5f * verfSmall(z, s);
}

/** gelu(x) = x Φ(x). */
inline vf vgelu(vf x) { return x * vphi(x); }

/** tanh gelu as x σ(2u) = x / (1 + e^(-2u)), u = √(2/π) (x + 0.044715 x³): no cancellation for negative x. */
inline vf vgeluTanh(vf x) {
  vf k = 1.0f + 0.044715f * (x * x);
  vf e = vexp(x * k * -1.5957691216057308f);
  return x / (1.0f + e);
}

/** gelu'(x) = Φ(x) + x φ(x); ±inf give NaN (inf · 0) as the reference. */
inline vf vgeluGrad(vf x) {
  vf pdf = vexp(x * x * -0.5f) * 0.3989422804014327f;
  return (vphi(x) + x * pdf) + (x - x);  // x - x: 0 for finite x, NaN for ±inf and NaN
}

/**
 * tanh gelu's derivative: with s = σ(2u), s (1 + 2 x (1 - s) u'), u' = √(2/π) (1 + 3 · 0.044715 x²),
 * 1 - s taken as e^(-2u) s where that is small so neither tail cancels; x clamped to ±10 first
 * (the result moves by < 1e-36) so x² cannot overflow; ±inf give NaN as the reference.
 */
inline vf vgeluTanhGrad(vf x) {
  vf xc = x < -10.0f ? bcast<vf>(-10.0f) : x;
  xc = xc > 10.0f ? bcast<vf>(10.0f) : xc;
  vf x2 = xc * xc;
  vf e = vexp(xc * (1.0f + 0.044715f * x2) * -1.5957691216057308f);
  vf sg = 1.0f / (1.0f + e);
  vf sm = e > 1.0f ? 1.0f - sg : e * sg;
  vf du = (1.0f + 0.134145f * x2) * 0.7978845608028654f;
  return sg * (1.0f + (xc + xc) * sm * du) + (x - x);
}

template <int OP> inline vf vunary(vf x) {
  if (OP == TG_EXP) return vexp(x);
  if (OP == TG_LOG) return vlog(x);
  if (OP == TG_TANH) return vtanh(x);
  if (OP == TG_ERF) return verf(x);
  if (OP == TG_GELU) return vgelu(x);
  if (OP == TG_GELU_TANH) return vgeluTanh(x);
  return vsigmoid(x);
}

template <int OP> void unaryLoop(const float* x, float* y, int64_t n) {
  constexpr int W = TG_VBYTES / 4;
  int64_t i = 0;
  for (; i + W <= n; i += W) storeu(y + i, vunary<OP>(loadu<vf>(x + i)));
  if (i < n) {
    float buf[W] = {};
    memcpy(buf, x + i, (size_t)(n - i) * 4);
    vf r = vunary<OP>(loadu<vf>(buf));
    storeu(buf, r);
    memcpy(y + i, buf, (size_t)(n - i) * 4);
  }
}

}  // namespace

extern "C" {

int TG_NAME(tg_available)(void) { return TG_AVAILABLE; }

void TG_NAME(tg_sgemm)(const TgGemmArgs* g) { gemm<float>(g); }

void TG_NAME(tg_dgemm)(const TgGemmArgs* g) { gemm<double>(g); }

void TG_NAME(tg_unary_f32)(int op, const float* x, float* y, int64_t n) {
  switch (op) {
    case TG_EXP: unaryLoop<TG_EXP>(x, y, n); break;
    case TG_LOG: unaryLoop<TG_LOG>(x, y, n); break;
    case TG_TANH: unaryLoop<TG_TANH>(x, y, n); break;
    case TG_ERF: unaryLoop<TG_ERF>(x, y, n); break;
    case TG_GELU: unaryLoop<TG_GELU>(x, y, n); break;
    case TG_GELU_TANH: unaryLoop<TG_GELU_TANH>(x, y, n); break;
    default: unaryLoop<TG_SIGMOID>(x, y, n); break;
  }
}
}
