// Average pooling over [planes, H, W] (padding counted in the divisor) and resampling along a
// dim by a sparse [M, K] matrix of taps (interpolate), with their gradients, as core's
// reference (kernels/js/pool.ts, kernels/js/resample.ts): float64 sums in the reference's order,
// rounded once (the pooling gradient rounds each addition to the output's type, as the
// reference's typed-array `+=`). Tasks own planes, or outer slices and column blocks, so each
// output is computed by one thread in that order: the bits do not depend on the number of threads.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "window.h"
#include "napi_util.h"

// products and sums stay separate roundings, as in the reference (no fused multiply-add)
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace {

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define TG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TG_CLONES
#endif

/** acc[r] += wt * row[r] for r < w, in float64 (a product and a sum each rounded: fp-contract is off). */
TG_CLONES void addScaled(double* acc, double wt, const float* row, int64_t w) {
  for (int64_t r = 0; r < w; r++) acc[r] += wt * (double)row[r];
}
TG_CLONES void addScaled(double* acc, double wt, const double* row, int64_t w) {
  for (int64_t r = 0; r < w; r++) acc[r] += wt * row[r];
}

constexpr int64_t COLS = 256;           // inner columns per task
constexpr int64_t TASK_WORK = 1 << 14;  // multiply-adds per task (about)

// ---- average pooling ----

struct PoolGeo {
  int64_t planes, H, W, Ho, Wo, kH, kW, sh, sw, ph, pw, dh, dw;
  double scale;
};

template <typename T> struct AvgPoolJob {
  PoolGeo g;
  const T* x;
  T* out;
  static void forward(void* ctx, int64_t p) {
    const AvgPoolJob& j = *(const AvgPoolJob*)ctx;
    const PoolGeo& g = j.g;
    const T* x = j.x + p * g.H * g.W;
    T* o = j.out + p * g.Ho * g.Wo;
    for (int64_t oh = 0; oh < g.Ho; oh++)
      for (int64_t ow = 0; ow < g.Wo; ow++) {
        double s = 0;
        for (int64_t kh = 0; kh < g.kH; kh++) {
          const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          for (int64_t kw = 0; kw < g.kW; kw++) {
            const int64_t iw = ow * g.sw - g.pw + kw * g.dw;
            if (iw >= 0 && iw < g.W) s += (double)x[ih * g.W + iw];
          }
        }
        o[oh * g.Wo + ow] = (T)(s * g.scale);
      }
  }
  // x holds the gradient [planes, Ho, Wo], out the input's gradient [planes, H, W]
  static void backward(void* ctx, int64_t p) {
    const AvgPoolJob& j = *(const AvgPoolJob*)ctx;
    const PoolGeo& g = j.g;
    const T* gr = j.x + p * g.Ho * g.Wo;
    T* d = j.out + p * g.H * g.W;
    std::memset(d, 0, (size_t)(g.H * g.W) * sizeof(T));
    for (int64_t oh = 0; oh < g.Ho; oh++)
      for (int64_t ow = 0; ow < g.Wo; ow++) {
        const double v = (double)gr[oh * g.Wo + ow] * g.scale;
        for (int64_t kh = 0; kh < g.kH; kh++) {
          const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          for (int64_t kw = 0; kw < g.kW; kw++) {
            const int64_t iw = ow * g.sw - g.pw + kw * g.dw;
            if (iw >= 0 && iw < g.W) d[ih * g.W + iw] = (T)((double)d[ih * g.W + iw] + v);
          }
        }
      }
  }
};

// avgPool(x, out, params) and avgPoolBackward(grad, dx, params): params = planes, H, W, Ho, Wo,
// kH, kW, sh, sw, ph, pw, dh, dw, threads, inOff; x [planes, H, W] (grad [planes, Ho, Wo])
// contiguous from inOff, out [planes, Ho, Wo] (dx [planes, H, W]) from 0, one float type.
napi_value avgPoolEither(napi_env env, napi_callback_info info, bool back) {
  const char* name = back ? "avgPoolBackward: expected (grad, dx, params) of one float type" : "avgPool: expected (x, out, params) of one float type";
  TA a[3];
  if (!getAll(env, info, a) || a[2].length < 15 || a[0].type != a[1].type || (a[0].type != napi_float32_array && a[0].type != napi_float64_array))
    return fail(env, name);
  const double* q = (const double*)a[2].data;
  PoolGeo g{(int64_t)q[0], (int64_t)q[1], (int64_t)q[2], (int64_t)q[3], (int64_t)q[4], (int64_t)q[5], (int64_t)q[6],
            (int64_t)q[7], (int64_t)q[8], (int64_t)q[9], (int64_t)q[10], (int64_t)q[11], (int64_t)q[12], 0};
  const int64_t off = (int64_t)q[14];
  if (g.planes < 0 || g.H < 0 || g.W < 0 || g.Ho < 0 || g.Wo < 0 || g.kH < 1 || g.kW < 1 || off < 0) return fail(env, name);
  g.scale = 1.0 / (double)(g.kH * g.kW);
  const int64_t inN = g.planes * (back ? g.Ho * g.Wo : g.H * g.W), outN = g.planes * (back ? g.H * g.W : g.Ho * g.Wo);
  if (off + inN > (int64_t)a[0].length || outN > (int64_t)a[1].length) return fail(env, back ? "avgPoolBackward: arrays too short" : "avgPool: arrays too short");
  const int threads = g.planes * g.Ho * g.Wo * g.kH * g.kW < (1 << 15) ? 1 : (int)q[13];
  if (a[0].type == napi_float32_array) {
    AvgPoolJob<float> j{g, (const float*)a[0].data + off, (float*)a[1].data};
    tg_parallel(g.planes, threads, back ? AvgPoolJob<float>::backward : AvgPoolJob<float>::forward, &j);
  } else {
    AvgPoolJob<double> j{g, (const double*)a[0].data + off, (double*)a[1].data};
    tg_parallel(g.planes, threads, back ? AvgPoolJob<double>::backward : AvgPoolJob<double>::forward, &j);
  }
  return nullptr;
}

napi_value AvgPool(napi_env env, napi_callback_info info) { return avgPoolEither(env, info, false); }
napi_value AvgPoolBackward(napi_env env, napi_callback_info info) { return avgPoolEither(env, info, true); }

// ---- resampling along a dim ----

struct Taps {
  const int32_t* index;  // [M, K]
  const double* weight;  // [M, K]
  int64_t M, K;
};

/** Tasks over [outer, ..., inner]: groups of outer slices when inner fits one column block, else (slice, block). */
struct Split {
  int64_t outer, inner, cols, blocks, per;
  void plan(int64_t work, int64_t maxCols) {
    cols = inner <= maxCols ? inner : maxCols;
    blocks = (inner + cols - 1) / cols;
    per = blocks > 1 ? 1 : (work >= TASK_WORK ? 1 : TASK_WORK / (work > 0 ? work : 1));
  }
  int64_t tasks() const { return blocks > 1 ? outer * blocks : (outer + per - 1) / per; }
  void range(int64_t t, int64_t* o0, int64_t* o1, int64_t* c0, int64_t* c1) const {
    if (blocks > 1) {
      *o0 = t / blocks;
      *o1 = *o0 + 1;
      *c0 = (t % blocks) * cols;
      *c1 = *c0 + cols < inner ? *c0 + cols : inner;
    } else {
      *o0 = t * per;
      *o1 = *o0 + per < outer ? *o0 + per : outer;
      *c0 = 0;
      *c1 = inner;
    }
  }
};

template <typename T> struct ResampleJob {
  Taps t;
  Split s;
  int64_t L;  // the input's size along the dim (forward), or the gradient's (backward: inSize)
  const T* x;
  T* out;

  // out[o, i, r] = sum_k weight[i, k] x[o, index[i, k], r], k in order
  static void forward(void* ctx, int64_t task) {
    const ResampleJob& j = *(const ResampleJob*)ctx;
    const int64_t M = j.t.M, K = j.t.K, inner = j.s.inner;
    int64_t o0, o1, c0, c1;
    j.s.range(task, &o0, &o1, &c0, &c1);
    const int64_t w = c1 - c0;
    double acc[COLS];
    if (inner == 1) {
      // along the last dim: one sum per output
      const int32_t* index = j.t.index;
      const double* weight = j.t.weight;
      for (int64_t o = o0; o < o1; o++) {
        const T* x = j.x + o * j.L;
        T* out = j.out + o * M;
        for (int64_t i = 0; i < M; i++) {
          double s = 0;
          for (int64_t k = 0; k < K; k++) s += weight[i * K + k] * (double)x[index[i * K + k]];
          out[i] = (T)s;
        }
      }
      return;
    }
    for (int64_t o = o0; o < o1; o++) {
      const T* x = j.x + o * j.L * inner + c0;
      T* out = j.out + o * M * inner + c0;
      for (int64_t i = 0; i < M; i++) {
        for (int64_t r = 0; r < w; r++) acc[r] = 0;
        for (int64_t k = 0; k < K; k++) {
          const double wt = j.t.weight[i * K + k];
          addScaled(acc, wt, x + (int64_t)j.t.index[i * K + k] * inner, w);
        }
        for (int64_t r = 0; r < w; r++) out[i * inner + r] = (T)acc[r];
      }
    }
  }

  // out[o, index[i, k], r] += weight[i, k] g[o, i, r], i then k in order, in float64, rounded once
  static void backward(void* ctx, int64_t task) {
    const ResampleJob& j = *(const ResampleJob*)ctx;
    const int64_t M = j.t.M, K = j.t.K, inner = j.s.inner, inSize = j.L;
    int64_t o0, o1, c0, c1;
    j.s.range(task, &o0, &o1, &c0, &c1);
    const int64_t w = c1 - c0;
    double* acc = (double*)tg_scratch_take((size_t)(inSize * w) * sizeof(double));
    if (inner == 1) {
      // along the last dim: one scalar tap at a time (the loop below would call addScaled for each)
      const int32_t* index = j.t.index;
      const double* weight = j.t.weight;
      for (int64_t o = o0; o < o1; o++) {
        std::memset(acc, 0, (size_t)inSize * sizeof(double));
        const T* g = j.x + o * M;
        for (int64_t i = 0; i < M; i++) {
          const double gi = (double)g[i];
          for (int64_t k = 0; k < K; k++) acc[index[i * K + k]] += weight[i * K + k] * gi;
        }
        T* out = j.out + o * inSize;
        for (int64_t p = 0; p < inSize; p++) out[p] = (T)acc[p];
      }
      tg_scratch_give(acc);
      return;
    }
    for (int64_t o = o0; o < o1; o++) {
      std::memset(acc, 0, (size_t)(inSize * w) * sizeof(double));
      const T* g = j.x + o * M * inner + c0;
      for (int64_t i = 0; i < M; i++)
        for (int64_t k = 0; k < K; k++) {
          const double wt = j.t.weight[i * K + k];
          double* a = acc + (int64_t)j.t.index[i * K + k] * w;
          addScaled(a, wt, g + i * inner, w);
        }
      T* out = j.out + o * inSize * inner + c0;
      for (int64_t p = 0; p < inSize; p++)
        for (int64_t r = 0; r < w; r++) out[p * inner + r] = (T)acc[p * w + r];
    }
    tg_scratch_give(acc);
  }
};

// resample(x, index, weight, out, params) and resampleBackward(g, index, weight, out, params) ->
// the number of index values outside [0, L) (inSize backward; nothing is computed then):
// params = outer, L (forward: x's size along the dim; backward: inSize), inner, M, K, threads,
// inOff; x [outer, L, inner] (g [outer, M, inner]) contiguous from inOff, index an Int32Array
// and weight a Float64Array, both [M, K] from 0, out [outer, M, inner] ([outer, inSize, inner])
// from 0 in the input's float type.
napi_value resampleEither(napi_env env, napi_callback_info info, bool back) {
  const char* name = back ? "resampleBackward: expected (g, index, weight, out, params)" : "resample: expected (x, index, weight, out, params)";
  TA a[5];
  if (!getAll(env, info, a) || a[4].length < 7 || a[0].type != a[3].type || (a[0].type != napi_float32_array && a[0].type != napi_float64_array) ||
      a[1].type != napi_int32_array || a[2].type != napi_float64_array)
    return fail(env, name);
  const double* q = (const double*)a[4].data;
  const int64_t outer = (int64_t)q[0], L = (int64_t)q[1], inner = (int64_t)q[2], M = (int64_t)q[3], K = (int64_t)q[4], off = (int64_t)q[6];
  if (outer < 0 || L < 0 || inner < 0 || M < 0 || K < 0 || off < 0) return fail(env, name);
  const int64_t inN = outer * (back ? M : L) * inner, outN = outer * (back ? L : M) * inner;
  if (off + inN > (int64_t)a[0].length || M * K > (int64_t)a[1].length || M * K > (int64_t)a[2].length || outN > (int64_t)a[3].length)
    return fail(env, back ? "resampleBackward: arrays too short" : "resample: arrays too short");
  const int32_t* index = (const int32_t*)a[1].data;
  int64_t bad = 0;
  for (int64_t i = 0; i < M * K; i++) bad += index[i] < 0 || index[i] >= L;
  napi_value r;
  napi_create_double(env, (double)bad, &r);
  if (bad || outN == 0) return r;
  Split s{outer, inner, 0, 0, 0};
  // the gradient's task sums into a float64 block of [inSize, cols]: at most ~8 MB
  const int64_t maxCols = back ? (L * COLS <= (1 << 20) ? COLS : ((1 << 20) / L > 1 ? (1 << 20) / L : 1)) : COLS;
  s.plan(M * K * inner, maxCols);
  const int threads = outer * M * K * inner < (1 << 15) ? 1 : (int)q[5];
  const Taps t{index, (const double*)a[2].data, M, K};
  if (a[0].type == napi_float32_array) {
    ResampleJob<float> j{t, s, L, (const float*)a[0].data + off, (float*)a[3].data};
    tg_parallel(s.tasks(), threads, back ? ResampleJob<float>::backward : ResampleJob<float>::forward, &j);
  } else {
    ResampleJob<double> j{t, s, L, (const double*)a[0].data + off, (double*)a[3].data};
    tg_parallel(s.tasks(), threads, back ? ResampleJob<double>::backward : ResampleJob<double>::forward, &j);
  }
  return r;
}

napi_value Resample(napi_env env, napi_callback_info info) { return resampleEither(env, info, false); }
napi_value ResampleBackward(napi_env env, napi_callback_info info) { return resampleEither(env, info, true); }

}  // namespace

void tg_register_window(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"avgPool", AvgPool}, {"avgPoolBackward", AvgPoolBackward}, {"resample", Resample}, {"resampleBackward", ResampleBackward}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
