// Sorting along a dim (sort.cc): sort and topk.
#ifndef TAPEGRAD_NATIVE_SORT_H
#define TAPEGRAD_NATIVE_SORT_H

#define NAPI_VERSION 8
#include <node_api.h>

/** Adds sort to `exports`. */
void tg_register_sort(napi_env env, napi_value exports);

#endif
