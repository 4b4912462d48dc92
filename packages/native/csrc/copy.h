// Strided copies and selects (copy.cc).
#ifndef TAPEGRAD_NATIVE_COPY_H
#define TAPEGRAD_NATIVE_COPY_H

#define NAPI_VERSION 8
#include <node_api.h>

/** Adds copyStrided and where to `exports`. */
void tg_register_copy(napi_env env, napi_value exports);

#endif
