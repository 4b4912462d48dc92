// Indexing kernels (index.cc): gather / indexSelect and indexAdd.
#ifndef TAPEGRAD_NATIVE_INDEX_H
#define TAPEGRAD_NATIVE_INDEX_H

#define NAPI_VERSION 8
#include <node_api.h>

/** Adds gather and indexAdd to `exports`. */
void tg_register_index(napi_env env, napi_value exports);

#endif
