// Shared declarations of the native kernels. Plain C types only: this header is included by the
// per-ISA translation units (compiled with -mavx512f / -mavx2 ...), which must not instantiate
// any inline C++ library code the generic code could end up sharing (the linker keeps one copy
// of an inline function, and an AVX-512 copy would crash a machine without AVX-512).
#ifndef TAPEGRAD_NATIVE_KERNELS_H
#define TAPEGRAD_NATIVE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

extern "C" {

/** A batched product C[b] = A[b] B[b]: A [B, M, K], B [B, K, N] strided (element units,
 * pointers already at the views' offsets), C [B, M, N] contiguous. */
struct TgGemmArgs {
  int64_t batch, M, N, K;
  const void* a;
  int64_t as0, as1, as2;
  const void* b;
  int64_t bs0, bs1, bs2;
  void* c;
  int nthreads;
  int accumulate;  // flags: TG_GEMM_ACCUMULATE (C += instead of C =), TG_GEMM_SUM_BATCHES
};

/** C += A B instead of C = A B. */
#define TG_GEMM_ACCUMULATE 1
/** One C [M, N] = the sum over b of A[b] B[b] (a depth running over batches, then K; e.g. a
 * weight gradient over images): each batch's products are added in batch order. */
#define TG_GEMM_SUM_BATCHES 2
/** Products of fewer multiply-adds (batch M N K) run on the calling thread. */
#define TG_GEMM_MIN_PARALLEL (48.0 * 48 * 48)

/** Runs fn(ctx, t) for t in [0, ntasks) on up to nthreads threads (the caller included). */
void tg_parallel(int64_t ntasks, int nthreads, void (*fn)(void* ctx, int64_t task), void* ctx);

/** A reusable 64-byte-aligned scratch block of at least `bytes` (give it back when done). */
void* tg_scratch_take(size_t bytes);
void tg_scratch_give(void* p);

enum TgUnaryF32 { TG_EXP = 0, TG_LOG = 1, TG_TANH = 2, TG_SIGMOID = 3 };

#define TG_DECLARE_ISA(isa)                                                        \
  int tg_available_##isa(void);                                                    \
  void tg_sgemm_##isa(const TgGemmArgs* g);                                        \
  void tg_dgemm_##isa(const TgGemmArgs* g);                                        \
  void tg_unary_f32_##isa(int op, const float* x, float* y, int64_t n);

TG_DECLARE_ISA(avx512)
TG_DECLARE_ISA(avx2)
TG_DECLARE_ISA(generic)
}

#endif
