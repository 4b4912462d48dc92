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
  // null, or N values added to every row of C (a linear layer's bias: C = bias + A B, each
  // element starting from its bias before the products are added, depth block by depth block)
  const void* bias;
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

enum TgUnaryF32 { TG_EXP = 0, TG_LOG = 1, TG_TANH = 2, TG_SIGMOID = 3, TG_ERF = 4, TG_GELU = 5, TG_GELU_TANH = 6 };

#define TG_DECLARE_ISA(isa)                                                        \
  int tg_available_##isa(void);                                                    \
  void tg_sgemm_##isa(const TgGemmArgs* g);                                        \
  void tg_dgemm_##isa(const TgGemmArgs* g);                                        \
  void tg_unary_f32_##isa(int op, const float* x, float* y, int64_t n);

TG_DECLARE_ISA(avx512)
TG_DECLARE_ISA(avx2)
TG_DECLARE_ISA(generic)

/* The element-wise loops and sums of ew_impl.h, per instruction set (the same bits on each):
 * tg_sum_*: a contiguous run's sum in float64 (32 running sums, combined pairwise);
 * tg_colsum_*: out[c] = the float64 sum over rows k, in order, of x[k * ld + c], c < n;
 * tg_binary_*: o[i] = a[i * sa] op b[i * sb] (op: add, sub, mul, div, reluBackward = 0..4);
 * tg_map_*: y = relu(x) (op 4) or -x (op 5);
 * tg_softmax_rows_*, tg_softmax_backward_rows_*: float32 [rows, n] softmax (log: log-softmax) and
 * its gradient from the output y, as addon.cc's softmax() documents. */
#define TG_DECLARE_EW(isa)                                                                                      \
  double tg_sum_f32_##isa(const float* x, int64_t n);                                                           \
  double tg_sum_f64_##isa(const double* x, int64_t n);                                                          \
  void tg_colsum_f32_##isa(const float* x, int64_t rows, int64_t ld, int64_t n, float* out);                    \
  void tg_colsum_f64_##isa(const double* x, int64_t rows, int64_t ld, int64_t n, double* out);                  \
  void tg_binary_f32_##isa(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* o, int64_t n); \
  void tg_binary_f64_##isa(int op, const double* a, int64_t sa, const double* b, int64_t sb, double* o, int64_t n); \
  void tg_map_f32_##isa(int op, const float* x, float* y, int64_t n);                                           \
  void tg_map_f64_##isa(int op, const double* x, double* y, int64_t n);                                         \
  void tg_softmax_rows_##isa(const float* x, float* o, int64_t rows, int64_t n, int log);                       \
  void tg_softmax_backward_rows_##isa(const float* g, const float* y, float* o, int64_t rows, int64_t n, int log);

TG_DECLARE_EW(avx512)
TG_DECLARE_EW(avx2)
TG_DECLARE_EW(generic)
}

#endif
