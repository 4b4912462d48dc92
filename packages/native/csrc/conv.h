// Convolutions by im2col and GEMM (conv.cc). Generic code: it calls the GEMM of the instruction
// set the addon chose through a function pointer.
#ifndef TAPEGRAD_NATIVE_CONV_H
#define TAPEGRAD_NATIVE_CONV_H

#include "kernels.h"

/** Shapes and geometry: x [N, C, H, W], w [O, C / groups, kH, kW], out [N, O, Ho, Wo]. */
struct TgConvDims {
  int64_t N, C, H, W, O, kH, kW, sh, sw, ph, pw, dh, dw, groups, Ho, Wo;
  int threads;
};

typedef void (*TgGemm)(const TgGemmArgs*);

/** The arguments of a batched product (kernels.h's TgGemmArgs) in one call. Static: this header
 * is only for generic units (see kernels.h on inline functions). */
static inline TgGemmArgs tgGemmArgs(int64_t batch, int64_t M, int64_t N, int64_t K, const void* a, int64_t as0, int64_t as1, int64_t as2,
                                    const void* b, int64_t bs0, int64_t bs1, int64_t bs2, void* c, int threads, int flags) {
  TgGemmArgs g;
  g.batch = batch;
  g.M = M;
  g.N = N;
  g.K = K;
  g.a = a;
  g.as0 = as0;
  g.as1 = as1;
  g.as2 = as2;
  g.b = b;
  g.bs0 = bs0;
  g.bs1 = bs1;
  g.bs2 = bs2;
  g.c = c;
  g.nthreads = threads;
  g.accumulate = flags;
  g.bias = nullptr;
  return g;
}

/** out = conv(x, w) (+ bias per output channel when bias is not null); every array contiguous. */
void tg_conv2d(const TgConvDims* d, bool f64, const void* x, const void* w, const void* bias, void* out, TgGemm gemm);
/** dx [N, C, H, W] = the gradient of conv2d for its input, from grad [N, O, Ho, Wo]. */
void tg_conv2d_backward_input(const TgConvDims* d, bool f64, const void* grad, const void* w, void* dx, TgGemm gemm);
/** dw [O, C / groups, kH, kW] = the gradient of conv2d for its weight. */
void tg_conv2d_backward_weight(const TgConvDims* d, bool f64, const void* x, const void* grad, void* dw, TgGemm gemm);

#endif
