// Indexing kernels: gather (which also does indexSelect: a 1-D index strided along its dim and
// broadcast over the others) and indexAdd, as core's reference (kernels/js/indexing.ts).
// gather moves elements as bits (1, 4 or 8 bytes), so any dtype gives the reference exactly;
// chunks of the output go to the thread pool and each element is written once. indexAdd adds
// slices in index order, as the reference: each output element receives its additions in that
// order whichever thread owns it (tasks own column blocks of the output, never split the index),
// so the bits do not depend on the number of threads.
//
// Index values outside [0, size) are counted, not followed: the calls return how many there
// were (indexAdd then leaves its output as it was), and the caller hands the op to the
// reference, which reports them as it does.
#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <cstdint>
#include <cstring>

#include "index.h"
#include "kernels.h"
#include "napi_util.h"

namespace {

constexpr int MAX_ND = 16;
constexpr int64_t CHUNK = 1 << 15;  // output elements per task

napi_value count(napi_env env, int64_t n) {
  napi_value r;
  napi_create_double(env, (double)n, &r);
  return r;
}

// ---- gather ----
// out[e] (row-major over shape, contiguous) = x[px + index[pi] * xStep] where px and pi walk
// shape with x's strides (0 along dim) and index's strides (indexSelect: 0 but along dim).

struct GatherJob {
  int nd;
  int64_t shape[MAX_ND], is[MAX_ND], xs[MAX_ND];
  int64_t n, size, xStep;
  const int32_t* index;
  const void* x;
  void* out;
  int bytes;
  std::atomic<int64_t> bad{0};

  template <typename T> void run(int64_t e, int64_t end) {
    const T* xd = (const T*)x;
    T* o = (T*)out;
    int64_t idx[MAX_ND];
    int64_t rem = e, px = 0, pi = 0;
    for (int d = nd - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
      px += idx[d] * xs[d];
      pi += idx[d] * is[d];
    }
    const int last = nd - 1;
    const int64_t lx = xs[last], li = is[last];
    int64_t nbad = 0;
    while (e < end) {
      int64_t len = shape[last] - idx[last];
      if (len > end - e) len = end - e;
      if (li == 0) {
        // one index value for the whole run (indexSelect's rows: an embedding lookup)
        const int64_t k = index[pi];
        if (k >= 0 && k < size) {
          const T* src = xd + px + k * xStep;
          if (lx == 1) std::memcpy(o + e, src, (size_t)len * sizeof(T));
          else
            for (int64_t i = 0; i < len; i++) o[e + i] = src[i * lx];
        } else {
          nbad += len;
          std::memset(o + e, 0, (size_t)len * sizeof(T));
        }
      } else {
        for (int64_t i = 0; i < len; i++) {
          const int64_t k = index[pi + i * li];
          if (k >= 0 && k < size) o[e + i] = xd[px + i * lx + k * xStep];
          else {
            nbad++;
            o[e + i] = 0;
          }
        }
      }
      e += len;
      idx[last] += len;
      px += len * lx;
      pi += len * li;
      for (int d = last; d > 0 && idx[d] == shape[d]; d--) {
        px -= idx[d] * xs[d];
        pi -= idx[d] * is[d];
        idx[d] = 0;
        idx[d - 1]++;
        px += xs[d - 1];
        pi += is[d - 1];
      }
    }
    if (nbad) bad.fetch_add(nbad);
  }

  static void task(void* ctx, int64_t t) {
    GatherJob& j = *(GatherJob*)ctx;
    const int64_t e = t * CHUNK, end = e + CHUNK < j.n ? e + CHUNK : j.n;
    if (j.bytes == 8) j.run<uint64_t>(e, end);
    else if (j.bytes == 4) j.run<uint32_t>(e, end);
    else j.run<uint8_t>(e, end);
  }
};

// gather(x, index, out, params) -> the number of index values outside [0, size):
// params = nd, threads, xOff, iOff, size, xStep, shape[nd], is[nd], xs[nd] (element units; xs
// is 0 along the gathered dim). x and out typed arrays of one type, index an Int32Array; out is
// written contiguously from 0.
napi_value Gather(napi_env env, napi_callback_info info) {
  napi_value v[4];
  size_t argc = 4;
  TA x, ix, o, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 4 || !getTA(env, v[0], &x) || !getTA(env, v[1], &ix) ||
      !getTA(env, v[2], &o) || !getTA(env, v[3], &p) || p.type != napi_float64_array || p.length < 6)
    return fail(env, "gather: expected (x, index, out, params)");
  const int bytes = elementBytes(x.type);
  if (x.type != o.type || bytes == 0 || ix.type != napi_int32_array) return fail(env, "gather: x and out must be typed arrays of one type, index an Int32Array");
  const double* q = (const double*)p.data;
  GatherJob j;
  j.nd = (int)q[0];
  if (j.nd < 1 || j.nd > MAX_ND || p.length < 6 + 3 * (size_t)j.nd) return fail(env, "gather: bad params");
  j.size = (int64_t)q[4];
  j.xStep = (int64_t)q[5];
  j.n = 1;
  for (int d = 0; d < j.nd; d++) {
    j.shape[d] = (int64_t)q[6 + d];
    j.is[d] = (int64_t)q[6 + j.nd + d];
    j.xs[d] = (int64_t)q[6 + 2 * j.nd + d];
    if (j.shape[d] < 0) return fail(env, "gather: bad params");
    j.n *= j.shape[d];
  }
  if (j.n == 0) return count(env, 0);
  const int64_t xOff = (int64_t)q[2], iOff = (int64_t)q[3];
  // x's reach: the walk plus any position along the gathered dim
  int64_t xshape[MAX_ND + 1], xstride[MAX_ND + 1];
  for (int d = 0; d < j.nd; d++) {
    xshape[d] = j.shape[d];
    xstride[d] = j.xs[d];
  }
  xshape[j.nd] = j.size > 0 ? j.size : 1;
  xstride[j.nd] = j.xStep;
  if (!within(xOff, xshape, xstride, j.nd + 1, x.length) || !within(iOff, j.shape, j.is, j.nd, ix.length) || j.n > (int64_t)o.length)
    return fail(env, "gather: a view reaches outside its array");
  j.index = (const int32_t*)ix.data + iOff;
  j.x = (const char*)x.data + xOff * bytes;
  j.out = o.data;
  j.bytes = bytes;
  const int threads = j.n < CHUNK ? 1 : (int)q[1];
  tg_parallel((j.n + CHUNK - 1) / CHUNK, threads, GatherJob::task, &j);
  return count(env, j.bad.load());
}

// ---- indexAdd ----
// out [outer, D, inner] (holding x already) += src [outer, n, inner] at index[j] along D, for j in
// order; tasks own (outer slice, block of inner columns).

constexpr int64_t COLS = 64;  // inner columns per task when there are few outer slices

template <typename T> struct IndexAddJob {
  T* out;
  const T* src;
  const int32_t* index;
  int64_t iStride, outer, D, n, inner, cols, blocks;
  static void task(void* ctx, int64_t t) {
    const IndexAddJob& j = *(const IndexAddJob*)ctx;
    const int64_t o = t / j.blocks, c0 = (t % j.blocks) * j.cols, c1 = c0 + j.cols < j.inner ? c0 + j.cols : j.inner, w = c1 - c0;
    T* out = j.out + o * j.D * j.inner + c0;
    const T* src = j.src + o * j.n * j.inner + c0;
    for (int64_t i = 0; i < j.n; i++) {
      T* __restrict d = out + (int64_t)j.index[i * j.iStride] * j.inner;
      const T* __restrict s = src + i * j.inner;
      for (int64_t c = 0; c < w; c++) d[c] += s[c];
    }
  }
};

// indexAdd(out, index, src, params) -> the number of index values outside [0, D) (out is then
// untouched): params = outer, D, n, inner, threads, iOff, iStride, srcOff; out contiguous from 0,
// src contiguous from srcOff, index n values from iOff with stride iStride.
napi_value IndexAdd(napi_env env, napi_callback_info info) {
  napi_value v[4];
  size_t argc = 4;
  TA o, ix, s, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 4 || !getTA(env, v[0], &o) || !getTA(env, v[1], &ix) ||
      !getTA(env, v[2], &s) || !getTA(env, v[3], &p) || p.type != napi_float64_array || p.length < 8)
    return fail(env, "indexAdd: expected (out, index, src, params)");
  if (o.type != s.type || ix.type != napi_int32_array || (o.type != napi_float32_array && o.type != napi_float64_array))
    return fail(env, "indexAdd: out and src must be of one float type, index an Int32Array");
  const double* q = (const double*)p.data;
  const int64_t outer = (int64_t)q[0], D = (int64_t)q[1], n = (int64_t)q[2], inner = (int64_t)q[3], iOff = (int64_t)q[5], iStride = (int64_t)q[6],
                srcOff = (int64_t)q[7];
  if (outer < 0 || D < 0 || n < 0 || inner < 0) return fail(env, "indexAdd: bad params");
  if (outer * D * inner > (int64_t)o.length || srcOff < 0 || srcOff + outer * n * inner > (int64_t)s.length ||
      (n > 0 && (iOff < 0 || iOff >= (int64_t)ix.length || iOff + (n - 1) * iStride < 0 || iOff + (n - 1) * iStride >= (int64_t)ix.length)))
    return fail(env, "indexAdd: a view reaches outside its array");
  const int32_t* index = (const int32_t*)ix.data + iOff;
  int64_t bad = 0;
  for (int64_t i = 0; i < n; i++) {
    const int64_t k = index[i * iStride];
    bad += k < 0 || k >= D;
  }
  if (bad || outer * n * inner == 0) return count(env, bad);
  const int64_t cols = outer >= 8 || inner <= COLS ? inner : COLS, blocks = (inner + cols - 1) / cols;
  const int threads = outer * n * inner < (1 << 15) ? 1 : (int)q[4];
  if (o.type == napi_float32_array) {
    IndexAddJob<float> j{(float*)o.data, (const float*)s.data + srcOff, index, iStride, outer, D, n, inner, cols, blocks};
    tg_parallel(outer * blocks, threads, IndexAddJob<float>::task, &j);
  } else {
    IndexAddJob<double> j{(double*)o.data, (const double*)s.data + srcOff, index, iStride, outer, D, n, inner, cols, blocks};
    tg_parallel(outer * blocks, threads, IndexAddJob<double>::task, &j);
  }
  return count(env, 0);
}

}  // namespace

void tg_register_index(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"gather", Gather}, {"indexAdd", IndexAdd}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
