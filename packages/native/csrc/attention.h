// Fused scaled dot-product attention, float32 (attention.cc).
#ifndef TAPEGRAD_NATIVE_ATTENTION_H
#define TAPEGRAD_NATIVE_ATTENTION_H

#include <node_api.h>

#include "kernels.h"

/** The kernels of the chosen instruction set that attention is made of. */
struct TgAttentionIsa {
  void (*sgemm)(const TgGemmArgs*);
  void (*softmaxRows)(const float* x, float* o, int64_t rows, int64_t n, int log);
  void (*softmaxBackwardRows)(const float* g, const float* y, float* o, int64_t rows, int64_t n, int log);
};

/** Adds attention() and attentionBackward() to the addon's exports; `isa` must outlive the addon. */
void tg_register_attention(napi_env env, napi_value exports, const TgAttentionIsa* isa);

#endif
