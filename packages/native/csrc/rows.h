// Row kernels (rows.cc): softmax / log-softmax and layer norm, float32, with their gradients.
#ifndef TAPEGRAD_NATIVE_ROWS_H
#define TAPEGRAD_NATIVE_ROWS_H

#define NAPI_VERSION 8
#include <node_api.h>

#include "kernels.h"

/** A float32 element-wise map of the chosen instruction set: (op, x, y, n), op a TgUnaryF32. */
typedef void (*TgUnaryF32Fn)(int op, const float* x, float* y, int64_t n);

/** Adds softmax, softmaxBackward, layerNorm, layerNormBackward and layerNormBackwardWeight to `exports`; exp runs on `unaryF32`. */
void tg_register_rows(napi_env env, napi_value exports, TgUnaryF32Fn unaryF32);

#endif
