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

/** out = conv(x, w) (+ bias per output channel when bias is not null); every array contiguous. */
void tg_conv2d(const TgConvDims* d, bool f64, const void* x, const void* w, const void* bias, void* out, TgGemm gemm);
/** dx [N, C, H, W] = the gradient of conv2d for its input, from grad [N, O, Ho, Wo]. */
void tg_conv2d_backward_input(const TgConvDims* d, bool f64, const void* grad, const void* w, void* dx, TgGemm gemm);
/** dw [O, C / groups, kH, kW] = the gradient of conv2d for its weight. */
void tg_conv2d_backward_weight(const TgConvDims* d, bool f64, const void* x, const void* grad, void* dw, TgGemm gemm);

#endif
