// Scans along a dim (scan.cc): cumsum / cumprod, cummax / cummin, argmax / argmin.
#ifndef TAPEGRAD_NATIVE_SCAN_H
#define TAPEGRAD_NATIVE_SCAN_H

#define NAPI_VERSION 8
#include <node_api.h>

/** Adds scan, cumExtreme and argReduce to `exports`. */
void tg_register_scan(napi_env env, napi_value exports);

#endif
