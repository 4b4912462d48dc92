// Strided copies into a contiguous output (a transpose made contiguous, a slice cloned), and
// selects `out = cond ? a : b` (a mask applied to attention scores): the elements are moved as
// bits (1, 4 or 8 bytes), so any dtype copies exactly. Chunks of the output go to the thread
// pool; each element is written once, so the result does not depend on the number of threads.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>
#include <cstring>

#include "copy.h"
#include "kernels.h"
#include "napi_util.h"

namespace {

constexpr int MAX_ND = 16;
constexpr int64_t CHUNK = 1 << 15;  // output elements per task

struct CopyJob {
  int nd;
  int64_t shape[MAX_ND], stride[MAX_ND];
  int64_t n;
  const void* x;
  void* out;
  int bytes;

  template <typename T> void run(int64_t e, int64_t end) const {
    const T* xs = (const T*)x;
    T* o = (T*)out;
    int64_t idx[MAX_ND];
    int64_t rem = e, px = 0;
    for (int d = nd - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
      px += idx[d] * stride[d];
    }
    const int last = nd - 1;
    const int64_t s = stride[last];
    while (e < end) {
      int64_t len = shape[last] - idx[last];
      if (len > end - e) len = end - e;
      if (s == 1)
        std::memcpy(o + e, xs + px, (size_t)len * sizeof(T));
      else
        for (int64_t i = 0; i < len; i++) o[e + i] = xs[px + i * s];
      e += len;
      idx[last] += len;
      px += len * s;
      for (int d = last; d > 0 && idx[d] == shape[d]; d--) {
        px -= idx[d] * stride[d];
        idx[d] = 0;
        idx[d - 1]++;
        px += stride[d - 1];
      }
    }
  }

  static void task(void* ctx, int64_t t) {
    const CopyJob& j = *(const CopyJob*)ctx;
    const int64_t e = t * CHUNK, end = e + CHUNK < j.n ? e + CHUNK : j.n;
    if (j.bytes == 8) j.run<uint64_t>(e, end);
    else if (j.bytes == 4) j.run<uint32_t>(e, end);
    else j.run<uint8_t>(e, end);
  }
};

/**
 * A copy whose innermost dim is strided while another dim `k` has stride 1 (a transpose made
 * contiguous: `x.t().contiguous()`, attention's `k.transpose(-2, -1)`). The element walk above
 * would read one element per cache line; this one moves T x T tiles, reading runs along `k` and
 * writing runs along the last dim, so both sides use whole lines. A task is T rows of `k` (all
 * of the last dim) at one index of the other dims; each output element is written once.
 */
struct TileJob {
  static constexpr int64_t T = 16;
  int nd, k;
  int64_t shape[MAX_ND], stride[MAX_ND], ostride[MAX_ND];
  int64_t kTiles;
  const void* x;
  void* out;
  int bytes;

  template <typename T_> void run(int64_t t) const {
    const T_* xs = (const T_*)x;
    T_* o = (T_*)out;
    const int last = nd - 1;
    int64_t rem = t / kTiles, px = 0, po = 0;
    for (int d = last - 1; d >= 0; d--) {
      if (d == k) continue;
      const int64_t i = rem % shape[d];
      rem /= shape[d];
      px += i * stride[d];
      po += i * ostride[d];
    }
    const int64_t i0 = (t % kTiles) * T, i1 = i0 + T < shape[k] ? i0 + T : shape[k];
    const int64_t L = shape[last], s = stride[last], osk = ostride[k];
    px += i0;  // stride[k] is 1
    po += i0 * osk;
    for (int64_t j0 = 0; j0 < L; j0 += T) {
      const int64_t j1 = j0 + T < L ? j0 + T : L;
      for (int64_t i = 0; i < i1 - i0; i++) {
        const T_* src = xs + px + i;
        T_* dst = o + po + i * osk;
        for (int64_t j = j0; j < j1; j++) dst[j] = src[j * s];
      }
    }
  }

  static void task(void* ctx, int64_t t) {
    const TileJob& j = *(const TileJob*)ctx;
    if (j.bytes == 8) j.run<uint64_t>(t);
    else if (j.bytes == 4) j.run<uint32_t>(t);
    else j.run<uint8_t>(t);
  }
};

/** Bytes one output row must span in x before tiles pay (measured: 128x784 transposed, 400 KB, is faster by rows). */
constexpr int64_t TILE_MIN_SPAN = 512 * 1024;

/**
 * Runs `c` as a tiled transpose when it is one (innermost stride not 1, another dim of stride 1,
 * both dims long enough to fill tiles) and an output row reaches across so much of x that
 * walking by rows misses the caches and the TLB on every element; false otherwise. (Below that,
 * consecutive rows read neighbouring elements of the lines the row before brought in.)
 */
bool tiledCopy(const CopyJob& c, int threads) {
  const int last = c.nd - 1;
  if (c.nd < 2 || c.stride[last] == 1 || c.shape[last] < TileJob::T) return false;
  const int64_t s = c.stride[last] < 0 ? -c.stride[last] : c.stride[last];
  if (c.shape[last] * s * c.bytes < TILE_MIN_SPAN) return false;
  int k = -1;
  for (int d = last - 1; d >= 0; d--)
    if (c.stride[d] == 1 && c.shape[d] >= TileJob::T) {
      k = d;
      break;
    }
  if (k < 0) return false;
  TileJob j;
  j.nd = c.nd;
  j.k = k;
  int64_t os = 1;
  for (int d = last; d >= 0; d--) {
    j.shape[d] = c.shape[d];
    j.stride[d] = c.stride[d];
    j.ostride[d] = os;
    os *= c.shape[d];
  }
  j.kTiles = (c.shape[k] + TileJob::T - 1) / TileJob::T;
  j.x = c.x;
  j.out = c.out;
  j.bytes = c.bytes;
  tg_parallel(c.n / (c.shape[k] * c.shape[last]) * j.kTiles, threads, TileJob::task, &j);
  return true;
}

/** out[e] = cond[..] ? a[..] : b[..] over a row-major walk of `shape` (strides per operand). */
struct WhereJob {
  int nd;
  int64_t shape[MAX_ND], sc[MAX_ND], sa[MAX_ND], sb[MAX_ND];
  int64_t n;
  const uint8_t* c;
  const void* a;
  const void* b;
  void* out;
  int bytes;

  template <typename T> void run(int64_t e, int64_t end) const {
    const T* as = (const T*)a;
    const T* bs = (const T*)b;
    T* o = (T*)out;
    int64_t idx[MAX_ND];
    int64_t rem = e, pc = 0, pa = 0, pb = 0;
    for (int d = nd - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
      pc += idx[d] * sc[d];
      pa += idx[d] * sa[d];
      pb += idx[d] * sb[d];
    }
    const int last = nd - 1;
    const int64_t lc = sc[last], la = sa[last], lb = sb[last];
    while (e < end) {
      int64_t len = shape[last] - idx[last];
      if (len > end - e) len = end - e;
      for (int64_t i = 0; i < len; i++) o[e + i] = c[pc + i * lc] ? as[pa + i * la] : bs[pb + i * lb];
      e += len;
      idx[last] += len;
      pc += len * lc;
      pa += len * la;
      pb += len * lb;
      for (int d = last; d > 0 && idx[d] == shape[d]; d--) {
        pc -= idx[d] * sc[d];
        pa -= idx[d] * sa[d];
        pb -= idx[d] * sb[d];
        idx[d] = 0;
        idx[d - 1]++;
        pc += sc[d - 1];
        pa += sa[d - 1];
        pb += sb[d - 1];
      }
    }
  }

  static void task(void* ctx, int64_t t) {
    const WhereJob& j = *(const WhereJob*)ctx;
    const int64_t e = t * CHUNK, end = e + CHUNK < j.n ? e + CHUNK : j.n;
    if (j.bytes == 8) j.run<uint64_t>(e, end);
    else if (j.bytes == 4) j.run<uint32_t>(e, end);
    else j.run<uint8_t>(e, end);
  }
};

/** The element range [lo, hi] a view of `shape` with `stride` from `off` reads (shape non-empty). */
void reach(int nd, const int64_t* shape, const int64_t* stride, int64_t off, int64_t* lo, int64_t* hi) {
  *lo = *hi = off;
  for (int d = 0; d < nd; d++) {
    const int64_t r = (shape[d] - 1) * stride[d];
    if (r < 0) *lo += r;
    else *hi += r;
  }
}

// copyStrided(x, out, params): params = nd, threads, xOff, outOff, shape[nd], stride[nd] (x's
// strides, element units); out is written contiguously from outOff. x and out are typed arrays
// of the same type.
napi_value CopyStrided(napi_env env, napi_callback_info info) {
  napi_value a[3];
  size_t argc = 3;
  napi_typedarray_type tx, to, tp;
  size_t nx, no, np;
  void *dx, *dout, *dp;
  napi_value buf;
  size_t off;
  if (napi_get_cb_info(env, info, &argc, a, nullptr, nullptr) != napi_ok || argc != 3 ||
      napi_get_typedarray_info(env, a[0], &tx, &nx, &dx, &buf, &off) != napi_ok ||
      napi_get_typedarray_info(env, a[1], &to, &no, &dout, &buf, &off) != napi_ok ||
      napi_get_typedarray_info(env, a[2], &tp, &np, &dp, &buf, &off) != napi_ok || tp != napi_float64_array || np < 4)
    return fail(env, "copyStrided: expected (x, out: typed arrays, params: Float64Array)");
  const double* p = (const double*)dp;
  const int bytes = elementBytes(tx);
  if (tx != to || bytes == 0) return fail(env, "copyStrided: x and out must be typed arrays of one type (float32, float64, int32 or uint8)");
  CopyJob j;
  j.nd = (int)p[0];
  if (j.nd < 1 || j.nd > MAX_ND || np < 4 + 2 * (size_t)j.nd) return fail(env, "copyStrided: bad params");
  const int64_t xOff = (int64_t)p[2], outOff = (int64_t)p[3];
  // the element range x is read over, checked against its length (a bad stride never reads out of bounds)
  int64_t lo = xOff, hi = xOff;
  j.n = 1;
  for (int d = 0; d < j.nd; d++) {
    j.shape[d] = (int64_t)p[4 + d];
    j.stride[d] = (int64_t)p[4 + j.nd + d];
    if (j.shape[d] < 0) return fail(env, "copyStrided: bad params");
    j.n *= j.shape[d];
    if (j.shape[d] > 0) {
      const int64_t reach = (j.shape[d] - 1) * j.stride[d];
      if (reach < 0) lo += reach;
      else hi += reach;
    }
  }
  if (j.n == 0) return nullptr;
  if (lo < 0 || hi >= (int64_t)nx || outOff < 0 || outOff + j.n > (int64_t)no) return fail(env, "copyStrided: the view reaches outside its array");
  j.x = (const char*)dx + xOff * bytes;
  j.out = (char*)dout + outOff * bytes;
  j.bytes = bytes;
  if (!tiledCopy(j, (int)p[1])) tg_parallel((j.n + CHUNK - 1) / CHUNK, (int)p[1], CopyJob::task, &j);
  return nullptr;
}

// where(cond, a, b, out, params): params = nd, threads, cOff, aOff, bOff, shape[nd], sc[nd],
// sa[nd], sb[nd] (element units); cond a Uint8Array, a, b and out typed arrays of one type; out
// written contiguously from 0.
napi_value Where(napi_env env, napi_callback_info info) {
  napi_value v[5];
  size_t argc = 5;
  napi_typedarray_type t[5];
  size_t len[5];
  void* data[5];
  napi_value buf;
  size_t off;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 5) return fail(env, "where: expected (cond, a, b, out, params)");
  for (int i = 0; i < 5; i++)
    if (napi_get_typedarray_info(env, v[i], &t[i], &len[i], &data[i], &buf, &off) != napi_ok) return fail(env, "where: expected (cond, a, b, out, params)");
  const int bytes = elementBytes(t[1]);
  if (t[0] != napi_uint8_array || t[1] != t[2] || t[1] != t[3] || bytes == 0 || t[4] != napi_float64_array || len[4] < 5)
    return fail(env, "where: cond must be a Uint8Array, a, b and out typed arrays of one type");
  const double* p = (const double*)data[4];
  WhereJob j;
  j.nd = (int)p[0];
  if (j.nd < 1 || j.nd > MAX_ND || len[4] < 5 + 4 * (size_t)j.nd) return fail(env, "where: bad params");
  j.n = 1;
  for (int d = 0; d < j.nd; d++) {
    j.shape[d] = (int64_t)p[5 + d];
    j.sc[d] = (int64_t)p[5 + j.nd + d];
    j.sa[d] = (int64_t)p[5 + 2 * j.nd + d];
    j.sb[d] = (int64_t)p[5 + 3 * j.nd + d];
    if (j.shape[d] < 0) return fail(env, "where: bad params");
    j.n *= j.shape[d];
  }
  if (j.n == 0) return nullptr;
  const int64_t* strides[3] = {j.sc, j.sa, j.sb};
  for (int i = 0; i < 3; i++) {
    int64_t lo, hi;
    reach(j.nd, j.shape, strides[i], (int64_t)p[2 + i], &lo, &hi);
    if (lo < 0 || hi >= (int64_t)len[i]) return fail(env, "where: a view reaches outside its array");
  }
  if (j.n > (int64_t)len[3]) return fail(env, "where: out is shorter than the shape");
  j.c = (const uint8_t*)data[0] + (int64_t)p[2];
  j.a = (const char*)data[1] + (int64_t)p[3] * bytes;
  j.b = (const char*)data[2] + (int64_t)p[4] * bytes;
  j.out = data[3];
  j.bytes = bytes;
  tg_parallel((j.n + CHUNK - 1) / CHUNK, (int)p[1], WhereJob::task, &j);
  return nullptr;
}

}  // namespace

void tg_register_copy(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"copyStrided", CopyStrided}, {"where", Where}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
