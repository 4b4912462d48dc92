// Row kernels of the transformer hot path, float32: layer norm over trailing elements and its
// two gradients (softmax rows are per instruction set, in ew_impl.h). The formulas are core's
// reference (kernels/js/norm.ts): sums in float64, each result computed in float64 and rounded
// once. float64 tensors never come here: the backend hands them to its base, so float64 results
// stay the reference's bits.
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
#include "napi_util.h"

namespace {

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
#define TG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TG_CLONES
#endif


constexpr int64_t ROWS_PER_TASK_ELEMS = 1 << 14;  // elements of rows per task (whole rows)

// ---- layer norm ----

TG_CLONES double lineSum(const float* e, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++) s[l] += (double)e[j + l];
  for (int l = 0; j < n; j++, l++) s[l] += (double)e[j];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

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

/** True when `a` is absent (optional) or holds at least `n` elements: every kernel checks its arrays before touching them. */
bool holds(const F32& a, int64_t n, bool optional = false) { return a.data == nullptr ? optional : (int64_t)a.length >= n; }

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

void tg_register_rows(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"layerNorm", LayerNorm},
             {"layerNormBackward", LayerNormBackward},
             {"layerNormBackwardWeight", LayerNormBackwardWeight}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
