// Average pooling and resampling along a dim (window.cc), with their gradients.
#ifndef TAPEGRAD_NATIVE_WINDOW_H
#define TAPEGRAD_NATIVE_WINDOW_H

#define NAPI_VERSION 8
#include <node_api.h>

/** Adds avgPool, avgPoolBackward, resample and resampleBackward to `exports`. */
void tg_register_window(napi_env env, napi_value exports);

#endif
