// N-API argument helpers shared by the addon's entry points (addon.cc, copy.cc, rows.cc,
// index.cc, scan.cc, sort.cc, window.cc, winograd.cc, attention.cc, lstm.cc). In an anonymous namespace: each
// translation unit keeps its own copy, so no unit compiled for a wider instruction set can
// lend the others its version (see kernels.h).
#ifndef TAPEGRAD_NATIVE_NAPI_UTIL_H
#define TAPEGRAD_NATIVE_NAPI_UTIL_H

#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace {

/** A typed array argument: its type, element count and memory (from its byte offset on). */
struct TA {
  napi_typedarray_type type;
  size_t length;
  void* data;
};

/** Reads a typed array argument; false when `v` is not one. */
inline bool getTA(napi_env env, napi_value v, TA* a) {
  napi_value buf;
  size_t off;
  return napi_get_typedarray_info(env, v, &a->type, &a->length, &a->data, &buf, &off) == napi_ok;
}

/** Throws a TypeError with `msg` (the caller returns the nullptr this gives). */
inline napi_value fail(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

/** Bytes per element of the typed array types the kernels move as bits, 0 for others. */
inline int elementBytes(napi_typedarray_type t) {
  switch (t) {
    case napi_float64_array: return 8;
    case napi_float32_array:
    case napi_int32_array:
    case napi_uint32_array: return 4;
    case napi_uint8_array:
    case napi_int8_array: return 1;
    default: return 0;
  }
}

/** True when the elements of a strided view (element units: its offset, shape and strides over
 * nd dims) all lie inside an array of `length` elements; an empty view always does. The entry
 * points check every operand this way, so a wrong parameter block from a caller's bug throws
 * instead of reading or writing past an array. */
inline bool within(int64_t off, const int64_t* shape, const int64_t* stride, int nd, size_t length) {
  int64_t lo = off, hi = off;
  for (int d = 0; d < nd; d++) {
    if (shape[d] < 0) return false;
    if (shape[d] == 0) return true;
    const int64_t reach = (shape[d] - 1) * stride[d];
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  return lo >= 0 && hi < (int64_t)length;
}

/** Reads exactly N typed-array arguments; false unless there are N and the last (the parameter block) is a Float64Array. */
template <size_t N> bool getAll(napi_env env, napi_callback_info info, TA (&a)[N]) {
  napi_value v[N];
  size_t argc = N;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != N) return false;
  for (size_t i = 0; i < N; i++)
    if (!getTA(env, v[i], &a[i])) return false;
  return a[N - 1].type == napi_float64_array;
}

/** True when the first `n` arguments read by getAll are Float32Arrays. */
template <size_t N> bool allFloat32(const TA (&a)[N], size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i].type != napi_float32_array) return false;
  return true;
}

/** Adds `fn` to the addon's exports as `name`. */
inline void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

/** A contiguous run of n elements from off inside an array of `length` elements. */
inline bool within(int64_t off, int64_t n, size_t length) { return n <= 0 || (off >= 0 && off + n <= (int64_t)length); }

}  // namespace

#endif
