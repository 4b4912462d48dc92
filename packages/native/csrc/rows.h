// Row kernels (rows.cc): layer norm, float32, with its gradients.
#ifndef TAPEGRAD_NATIVE_ROWS_H
#define TAPEGRAD_NATIVE_ROWS_H

#define NAPI_VERSION 8
#include <node_api.h>

#include "kernels.h"

/** Adds layerNorm, layerNormBackward and layerNormBackwardWeight to `exports`. */
void tg_register_rows(napi_env env, napi_value exports);

#endif
