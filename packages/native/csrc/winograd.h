// Convolutions by Winograd F(4x4, 3x3) (winograd.cc), and the tile transforms it runs on the
// chosen instruction set (winograd_impl.h, compiled once per instruction set). Plain C types
// only: the per-ISA units include this header.
#ifndef TAPEGRAD_NATIVE_WINOGRAD_H
#define TAPEGRAD_NATIVE_WINOGRAD_H

#include "kernels.h"

extern "C" {

// A transform runs over tiles [t0, t1) of a convolution's tiles, numbered image by image, tile
// row by tile row (th rows of tw tiles per image; tile (ty, tx) covers output rows 4 ty .. 4 ty
// + 3 and columns 4 tx .. 4 tx + 3), for every channel; column t - t0 of row c of each of the 36
// planes of V, M or Z belongs to tile t. `index` is scratch for 2 (t1 - t0 + 8) integers.

/** The input transform V = B^T d B. */
struct TgWinoInput {
  const float* src;       // the input [N, C, H, W]
  int64_t C, H, W, ph, pw, th, tw, t0, t1;
  const float* zero;      // at least W + 8 zeros (rows above and below the image)
  float* lines;           // scratch: 6 line buffers of LB floats per tile row the tiles touch, zero
                          // outside the image's columns (only those are written)
  int64_t LB;             // at least 4 tw + 4, whole vectors
  float* v;               // V: row c of plane k at v + k plane + c ld
  int64_t ld, plane;
  int64_t* index;
};

/** The output transform Y = A^T M A, plus the bias. */
struct TgWinoOutput {
  const float* m;         // M: row o of plane k at m + k plane + o ld
  int64_t ld, plane;
  float* dst;             // the output [N, O, Ho, Wo]
  int64_t O, Ho, Wo, th, tw, t0, t1;
  const float* bias;      // [O] or null
  int64_t* index;
};

/** The weight gradient's transform Z = A dY A^T of the output gradient (zero past its edges). */
struct TgWinoGrad {
  const float* src;       // the output gradient [N, O, Ho, Wo]
  int64_t O, Ho, Wo, th, tw, t0, t1;
  float* z;               // Z: row o of plane k at z + k plane + o ld
  int64_t ld, plane;
  int64_t* index;
};

/* Each writes whole vectors: up to one vector's lanes past column t1 - t0 of V or Z, and it
 * reads as far past it in M (the buffers leave room). */
#define TG_DECLARE_WINO(isa)                              \
  int tg_wino_lanes_##isa(void);                          \
  void tg_wino_input_##isa(const TgWinoInput* a);         \
  void tg_wino_output_##isa(const TgWinoOutput* a);       \
  void tg_wino_grad_##isa(const TgWinoGrad* a);

TG_DECLARE_WINO(avx512)
TG_DECLARE_WINO(avx2)
TG_DECLARE_WINO(generic)
}

#ifdef TAPEGRAD_NATIVE_CONV_H
/** Each runs the pass by Winograd and returns true when the convolution fits (winograd.cc says
 * when), else returns false and leaves `out` alone (the caller runs im2col). */
bool tg_winograd_conv2d(const TgConvDims* d, bool f64, const void* x, const void* w, const void* bias, void* out, TgGemm gemm);
bool tg_winograd_backward_input(const TgConvDims* d, bool f64, const void* grad, const void* w, void* dx, TgGemm gemm);
bool tg_winograd_backward_weight(const TgConvDims* d, bool f64, const void* x, const void* grad, void* dw, TgGemm gemm);
#endif

#ifdef NAPI_VERSION
/** Adds convStats() to `exports`: which mode TAPEGRAD_NATIVE_WINOGRAD set, and how many passes ran by Winograd. */
void tg_register_winograd(napi_env env, napi_value exports);
#endif

#endif
