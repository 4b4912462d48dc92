// Row kernels of the transformer hot path, float32: softmax and log-softmax along contiguous
// lines and their gradients, layer norm over trailing elements and its two gradients. The
// formulas are core's reference (kernels/js/softmax.ts, kernels/js/norm.ts): sums in float64,
// each result computed in float64 and rounded once; only exp is float32 (the addon's vector exp
// of its instruction set, within 2 ulp). float64 tensors never come here: the backend hands them
// to its base, so float64 results stay the reference's bits.
//
// Rows are independent and each is computed by one thread in a fixed order, so the bits do not
// depend on the number of threads; the weight gradient of layer norm splits columns, not rows.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "kernels.h"
#include "rows.h"

namespace {

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
#define TG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TG_CLONES
#endif

TgUnaryF32Fn expF32 = nullptr;  // the addon's float32 map of its instruction set (op TG_EXP)

constexpr int64_t ROWS_PER_TASK_ELEMS = 1 << 14;  // elements of rows per task (whole rows)

// ---- softmax / log-softmax of one line ----

/**
 * The shift: the line's max, or 0 when that is not finite (a NaN, an all -inf or +inf line).
 * Sixteen running maxima and a NaN flag, no early exit, so the loop vectorises.
 */
TG_CLONES float lineShift(const float* x, int64_t n) {
  float m[16];
  int nan = 0;
  for (int l = 0; l < 16; l++) m[l] = -INFINITY;
  int64_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) {
      const float v = x[j + l];
      nan |= v != v;
      m[l] = v > m[l] ? v : m[l];
    }
  for (int l = 0; j < n; j++, l++) {
    const float v = x[j];
    nan |= v != v;
    m[l] = v > m[l] ? v : m[l];
  }
  float mx = m[0];
  for (int l = 1; l < 16; l++) mx = m[l] > mx ? m[l] : mx;
  return nan || !std::isfinite(mx) ? 0.0f : mx;
}

TG_CLONES void shifted(const float* x, float m, float* t, int64_t n) {
  for (int64_t j = 0; j < n; j++) t[j] = x[j] - m;
}

TG_CLONES double lineSum(const float* e, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++) s[l] += (double)e[j + l];
  for (int l = 0; j < n; j++, l++) s[l] += (double)e[j];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

TG_CLONES void scaleLine(float* y, double inv, int64_t n) {
  for (int64_t j = 0; j < n; j++) y[j] = (float)((double)y[j] * inv);
}

TG_CLONES void logLine(const float* x, double m, double ls, float* y, int64_t n) {
  for (int64_t j = 0; j < n; j++) y[j] = (float)(((double)x[j] - m) - ls);
}

struct SoftmaxJob {
  const float* x;
  float* y;
  int64_t lines, len, perTask;
  bool log;
  static void task(void* ctx, int64_t t) {
    const SoftmaxJob& j = *(const SoftmaxJob*)ctx;
    const int64_t r0 = t * j.perTask, r1 = r0 + j.perTask < j.lines ? r0 + j.perTask : j.lines;
    // log-softmax keeps x - m and needs exp(x - m) apart: a line of scratch per task
    float* scratch = j.log ? (float*)std::malloc((size_t)j.len * sizeof(float)) : nullptr;
    for (int64_t r = r0; r < r1; r++) {
      const float* x = j.x + r * j.len;
      float* y = j.y + r * j.len;
      const float m = lineShift(x, j.len);
      // exp(x - m): into y for softmax (scaled in place), into scratch for log-softmax
      float* e = j.log ? scratch : y;
      shifted(x, m, e, j.len);
      expF32(TG_EXP, e, e, j.len);
      const double s = lineSum(e, j.len);
      if (j.log)
        logLine(x, (double)m, std::log(s), y, j.len);
      else
        scaleLine(y, 1.0 / s, j.len);
    }
    std::free(scratch);
  }
};

// ---- their gradients ----

TG_CLONES double dotLine(const float* g, const float* y, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++) s[l] += (double)g[j + l] * (double)y[j + l];
  for (int l = 0; j < n; j++, l++) s[l] += (double)g[j] * (double)y[j];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

TG_CLONES void softmaxGradLine(const float* g, const float* y, double s, float* o, int64_t n) {
  for (int64_t j = 0; j < n; j++) o[j] = (float)((double)y[j] * ((double)g[j] - s));
}

TG_CLONES void logSoftmaxGradLine(const float* g, const float* ey, double s, float* o, int64_t n) {
  for (int64_t j = 0; j < n; j++) o[j] = (float)((double)g[j] - (double)ey[j] * s);
}

struct SoftmaxBackJob {
  const float* g;
  const float* y;
  float* o;
  int64_t lines, len, perTask;
  bool log;
  static void task(void* ctx, int64_t t) {
    const SoftmaxBackJob& j = *(const SoftmaxBackJob*)ctx;
    const int64_t r0 = t * j.perTask, r1 = r0 + j.perTask < j.lines ? r0 + j.perTask : j.lines;
    for (int64_t r = r0; r < r1; r++) {
      const float* g = j.g + r * j.len;
      const float* y = j.y + r * j.len;
      float* o = j.o + r * j.len;
      if (j.log) {
        // g - exp(y) sum(g): exp(y) goes through o first
        const double s = lineSum(g, j.len);
        expF32(TG_EXP, y, o, j.len);
        logSoftmaxGradLine(g, o, s, o, j.len);
      } else {
        softmaxGradLine(g, y, dotLine(g, y, j.len), o, j.len);
      }
    }
  }
};

// ---- layer norm ----

TG_CLONES double centredSquares(const float* x, double mu, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++) {
      const double d = (double)x[j + l] - mu;
      s[l] += d * d;
    }
  for (int l = 0; j < n; j++, l++) {
    const double d = (double)x[j] - mu;
    s[l] += d * d;
  }
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

TG_CLONES void normLine(const float* x, const float* w, const float* b, double mu, double rs, float* y, int64_t n) {
  if (w && b)
    for (int64_t j = 0; j < n; j++) y[j] = (float)(((double)x[j] - mu) * rs * (double)w[j] + (double)b[j]);
  else if (w)
    for (int64_t j = 0; j < n; j++) y[j] = (float)(((double)x[j] - mu) * rs * (double)w[j]);
  else if (b)
    for (int64_t j = 0; j < n; j++) y[j] = (float)(((double)x[j] - mu) * rs + (double)b[j]);
  else
    for (int64_t j = 0; j < n; j++) y[j] = (float)(((double)x[j] - mu) * rs);
}

struct LayerNormJob {
  const float* x;
  const float* w;
  const float* b;
  float* y;
  float* mean;
  float* rstd;
  int64_t rows, n, perTask;
  double eps;
  static void task(void* ctx, int64_t t) {
    const LayerNormJob& j = *(const LayerNormJob*)ctx;
    const int64_t r0 = t * j.perTask, r1 = r0 + j.perTask < j.rows ? r0 + j.perTask : j.rows;
    for (int64_t r = r0; r < r1; r++) {
      const float* x = j.x + r * j.n;
      const double mu = lineSum(x, j.n) / (double)j.n;
      const double rs = 1.0 / std::sqrt(centredSquares(x, mu, j.n) / (double)j.n + j.eps);
      j.mean[r] = (float)mu;
      j.rstd[r] = (float)rs;
      normLine(x, j.w, j.b, mu, rs, j.y + r * j.n, j.n);
    }
  }
};

/** Per row, sum(a) and sum(a xh) with a = g w (or g) and xh = (x - mu) rs, in float64 (8 running sums each). */
TG_CLONES void gradSums(const float* g, const float* x, const float* w, double mu, double rs, int64_t n, double* sa, double* sax) {
  double a0[8] = {0, 0, 0, 0, 0, 0, 0, 0}, a1[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++) {
      const double a = w ? (double)g[j + l] * (double)w[j + l] : (double)g[j + l];
      a0[l] += a;
      a1[l] += a * (((double)x[j + l] - mu) * rs);
    }
  for (int l = 0; j < n; j++, l++) {
    const double a = w ? (double)g[j] * (double)w[j] : (double)g[j];
    a0[l] += a;
    a1[l] += a * (((double)x[j] - mu) * rs);
  }
  *sa = ((a0[0] + a0[1]) + (a0[2] + a0[3])) + ((a0[4] + a0[5]) + (a0[6] + a0[7]));
  *sax = ((a1[0] + a1[1]) + (a1[2] + a1[3])) + ((a1[4] + a1[5]) + (a1[6] + a1[7]));
}

TG_CLONES void gradLine(const float* g, const float* x, const float* w, double mu, double rs, double ma, double max, float* o, int64_t n) {
  if (w)
    for (int64_t j = 0; j < n; j++) o[j] = (float)(rs * ((double)g[j] * (double)w[j] - ma - ((double)x[j] - mu) * rs * max));
  else
    for (int64_t j = 0; j < n; j++) o[j] = (float)(rs * ((double)g[j] - ma - ((double)x[j] - mu) * rs * max));
}

struct LayerNormBackJob {
  const float* g;
  const float* x;
  const float* mean;
  const float* rstd;
  const float* w;
  float* o;
  int64_t rows, n, perTask;
  static void task(void* ctx, int64_t t) {
    const LayerNormBackJob& j = *(const LayerNormBackJob*)ctx;
    const int64_t r0 = t * j.perTask, r1 = r0 + j.perTask < j.rows ? r0 + j.perTask : j.rows;
    for (int64_t r = r0; r < r1; r++) {
      const float* g = j.g + r * j.n;
      const float* x = j.x + r * j.n;
      const double mu = j.mean[r], rs = j.rstd[r];
      double sa, sax;
      gradSums(g, x, j.w, mu, rs, j.n, &sa, &sax);
      gradLine(g, x, j.w, mu, rs, sa / (double)j.n, sax / (double)j.n, j.o + r * j.n, j.n);
    }
  }
};

constexpr int64_t WCOLS = 64;  // columns per task of the weight gradient

TG_CLONES void weightGradRows(const float* g, const float* x, const float* mean, const float* rstd, int64_t rows, int64_t n, int64_t c0,
                              int64_t c1, double* acc) {
  for (int64_t r = 0; r < rows; r++) {
    const double mu = mean[r], rs = rstd[r];
    const float* gr = g + r * n;
    const float* xr = x + r * n;
    for (int64_t c = c0; c < c1; c++) acc[c - c0] += (double)gr[c] * (((double)xr[c] - mu) * rs);
  }
}

struct LayerNormWeightJob {
  const float* g;
  const float* x;
  const float* mean;
  const float* rstd;
  float* o;
  int64_t rows, n;
  static void task(void* ctx, int64_t t) {
    const LayerNormWeightJob& j = *(const LayerNormWeightJob*)ctx;
    const int64_t c0 = t * WCOLS, c1 = c0 + WCOLS < j.n ? c0 + WCOLS : j.n;
    double acc[WCOLS];
    for (int64_t c = 0; c < c1 - c0; c++) acc[c] = 0;
    weightGradRows(j.g, j.x, j.mean, j.rstd, j.rows, j.n, c0, c1, acc);
    for (int64_t c = c0; c < c1; c++) j.o[c] = (float)acc[c - c0];
  }
};

/** Rows per task: whole rows, about ROWS_PER_TASK_ELEMS elements a task. */
int64_t rowsPerTask(int64_t len) {
  const int64_t k = len > 0 ? ROWS_PER_TASK_ELEMS / len : 1;
  return k > 0 ? k : 1;
}

int64_t tasksFor(int64_t rows, int64_t per) { return (rows + per - 1) / per; }

// ---- N-API ----

struct F32 {
  float* data;
  size_t length;
};

/** A Float32Array's elements, or null for null/undefined (optional arrays); false for anything else. */
bool f32(napi_env env, napi_value v, F32* out, bool optional) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (optional && (t == napi_null || t == napi_undefined)) {
    out->data = nullptr;
    out->length = 0;
    return true;
  }
  napi_typedarray_type type;
  void* data;
  napi_value buf;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &out->length, &data, &buf, &off) != napi_ok || type != napi_float32_array) return false;
  out->data = (float*)data;
  return true;
}

bool params(napi_env env, napi_value v, const double** p, size_t need) {
  napi_typedarray_type type;
  size_t n;
  void* data;
  napi_value buf;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &n, &data, &buf, &off) != napi_ok || type != napi_float64_array || n < need) return false;
  *p = (const double*)data;
  return true;
}

/**
 * Reads a call's arguments: N - 1 Float32Arrays (`kinds[i]` 'o': may be null or undefined, then
 * its data is null) and a last Float64Array parameter block of at least `need` numbers.
 */
template <int N> bool readArgs(napi_env env, napi_callback_info info, const char* kinds, F32 (&arr)[N - 1], const double** p, size_t need) {
  napi_value a[N];
  size_t argc = N;
  if (napi_get_cb_info(env, info, &argc, a, nullptr, nullptr) != napi_ok || argc != N) return false;
  for (int i = 0; i < N - 1; i++)
    if (!f32(env, a[i], &arr[i], kinds[i] == 'o')) return false;
  return params(env, a[N - 1], p, need);
}

napi_value fail(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

/** True when `a` is absent (optional) or holds at least `n` elements: every kernel checks its arrays before touching them. */
bool holds(const F32& a, int64_t n, bool optional = false) { return a.data == nullptr ? optional : (int64_t)a.length >= n; }

// softmax(x, y, params): params = lines, len, log, threads; x and y contiguous Float32Arrays
napi_value Softmax(napi_env env, napi_callback_info info) {
  F32 v[2];
  const double* p;
  if (!readArgs<3>(env, info, "rr", v, &p, 4)) return fail(env, "softmax: expected (x: Float32Array, y: Float32Array, params)");
  const int64_t lines = (int64_t)p[0], len = (int64_t)p[1];
  if (lines < 0 || len < 0 || !holds(v[0], lines * len) || !holds(v[1], lines * len)) return fail(env, "softmax: arrays shorter than lines * len");
  if (lines * len == 0) return nullptr;
  SoftmaxJob j{v[0].data, v[1].data, lines, len, rowsPerTask(len), p[2] != 0};
  tg_parallel(tasksFor(lines, j.perTask), (int)p[3], SoftmaxJob::task, &j);
  return nullptr;
}

// softmaxBackward(g, y, out, params): params = lines, len, log, threads
napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  F32 v[3];
  const double* p;
  if (!readArgs<4>(env, info, "rrr", v, &p, 4)) return fail(env, "softmaxBackward: expected (g, y, out: Float32Array, params)");
  const int64_t lines = (int64_t)p[0], len = (int64_t)p[1];
  if (lines < 0 || len < 0 || !holds(v[0], lines * len) || !holds(v[1], lines * len) || !holds(v[2], lines * len))
    return fail(env, "softmaxBackward: arrays shorter than lines * len");
  if (lines * len == 0) return nullptr;
  SoftmaxBackJob j{v[0].data, v[1].data, v[2].data, lines, len, rowsPerTask(len), p[2] != 0};
  tg_parallel(tasksFor(lines, j.perTask), (int)p[3], SoftmaxBackJob::task, &j);
  return nullptr;
}

// layerNorm(x, w | null, b | null, y, mean, rstd, params): params = rows, n, eps, threads
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  F32 v[6];  // x, w, b, y, mean, rstd
  const double* p;
  if (!readArgs<7>(env, info, "roorrr", v, &p, 4)) return fail(env, "layerNorm: expected (x, weight | null, bias | null, out, mean, rstd: Float32Array, params)");
  const int64_t rows = (int64_t)p[0], n = (int64_t)p[1];
  const int64_t want[6] = {rows * n, n, n, rows * n, rows, rows};
  for (int i = 0; i < 6; i++)
    if (rows < 0 || n <= 0 || !holds(v[i], want[i], i == 1 || i == 2)) return fail(env, "layerNorm: arrays shorter than the rows and n given");
  LayerNormJob j{v[0].data, v[1].data, v[2].data, v[3].data, v[4].data, v[5].data, rows, n, rowsPerTask(n), p[2]};
  tg_parallel(tasksFor(rows, j.perTask), (int)p[3], LayerNormJob::task, &j);
  return nullptr;
}

// layerNormBackward(g, x, mean, rstd, w | null, out, params): params = rows, n, threads
napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  F32 v[6];  // g, x, mean, rstd, w, out
  const double* p;
  if (!readArgs<7>(env, info, "rrrror", v, &p, 3)) return fail(env, "layerNormBackward: expected (g, x, mean, rstd, weight | null, out: Float32Array, params)");
  const int64_t rows = (int64_t)p[0], n = (int64_t)p[1];
  const int64_t want[6] = {rows * n, rows * n, rows, rows, n, rows * n};
  for (int i = 0; i < 6; i++)
    if (rows < 0 || n <= 0 || !holds(v[i], want[i], i == 4)) return fail(env, "layerNormBackward: arrays shorter than the rows and n given");
  LayerNormBackJob j{v[0].data, v[1].data, v[2].data, v[3].data, v[4].data, v[5].data, rows, n, rowsPerTask(n)};
  tg_parallel(tasksFor(rows, j.perTask), (int)p[2], LayerNormBackJob::task, &j);
  return nullptr;
}

// layerNormBackwardWeight(g, x, mean, rstd, out, params): params = rows, n, threads
napi_value LayerNormBackwardWeight(napi_env env, napi_callback_info info) {
  F32 v[5];  // g, x, mean, rstd, out
  const double* p;
  if (!readArgs<6>(env, info, "rrrrr", v, &p, 3)) return fail(env, "layerNormBackwardWeight: expected (g, x, mean, rstd, out: Float32Array, params)");
  const int64_t rows = (int64_t)p[0], n = (int64_t)p[1];
  const int64_t want[5] = {rows * n, rows * n, rows, rows, n};
  for (int i = 0; i < 5; i++)
    if (rows < 0 || n <= 0 || !holds(v[i], want[i])) return fail(env, "layerNormBackwardWeight: arrays shorter than the rows and n given");
  LayerNormWeightJob j{v[0].data, v[1].data, v[2].data, v[3].data, v[4].data, rows, n};
  // few rows: one thread (waking the pool costs more than the sums)
  tg_parallel((n + WCOLS - 1) / WCOLS, rows * n < (1 << 15) ? 1 : (int)p[2], LayerNormWeightJob::task, &j);
  return nullptr;
}

}  // namespace

void tg_register_rows(napi_env env, napi_value exports, TgUnaryF32Fn unaryF32) {
  expF32 = unaryF32;
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"softmax", Softmax},
             {"softmaxBackward", SoftmaxBackward},
             {"layerNorm", LayerNorm},
             {"layerNormBackward", LayerNormBackward},
             {"layerNormBackwardWeight", LayerNormBackwardWeight}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
