// Kernels along one dim of an [outer, len, inner] block (x read through its strides, the output
// contiguous), as core's reference (kernels/js/scan.ts and argReduce in kernels/js/reduce.ts):
// inclusive running sums and products accumulated in float64 (each result rounded once to the
// output's type), running max / min with the index where it was reached, and argmax / argmin.
// Every line is walked in the reference's order by one thread; tasks own lines (or blocks of
// inner columns), so the bits do not depend on the number of threads.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>

#include "kernels.h"
#include "scan.h"
#include "napi_util.h"

namespace {

constexpr int64_t COLS = 256;            // inner columns per task (columns advance together)
constexpr int64_t LINE_ELEMS = 1 << 14;  // elements per task of lines along the last dim
constexpr int LANES = 4;                 // lines along the last dim scanned together

/** The geometry every kernel here shares, and its split into tasks. */
struct Lines {
  int64_t outer, len, inner;
  int64_t so, sl, si;    // x's strides along outer, the line and inner (the output is contiguous)
  int64_t linesPerTask;  // inner == 1: lines per task
  int64_t blocks;        // inner > 1: column blocks per outer slice
  int64_t tasks() const { return inner == 1 ? (outer + linesPerTask - 1) / linesPerTask : outer * blocks; }
  void split() {
    linesPerTask = len >= LINE_ELEMS ? 1 : LINE_ELEMS / (len > 0 ? len : 1);
    blocks = (inner + COLS - 1) / COLS;
  }
  /** The lines of task t: [a0, a1) of outer for inner == 1, else outer slice a and columns [c0, c1). */
  void range(int64_t t, int64_t* a0, int64_t* a1, int64_t* c0, int64_t* c1) const {
    if (inner == 1) {
      *a0 = t * linesPerTask;
      *a1 = *a0 + linesPerTask < outer ? *a0 + linesPerTask : outer;
      *c0 = 0;
      *c1 = 1;
    } else {
      *a0 = t / blocks;
      *a1 = *a0 + 1;
      *c0 = (t % blocks) * COLS;
      *c1 = *c0 + COLS < inner ? *c0 + COLS : inner;
    }
  }
};

// ---- scan: sum or product ----

template <typename T, typename O> struct ScanJob {
  Lines g;
  const T* x;
  O* out;
  bool prod, reverse;
  static void task(void* ctx, int64_t t) {
    const ScanJob& j = *(const ScanJob*)ctx;
    const int64_t len = j.g.len, inner = j.g.inner, so = j.g.so, sl = j.g.sl, si = j.g.si;
    int64_t a0, a1, c0, c1;
    j.g.range(t, &a0, &a1, &c0, &c1);
    double acc[COLS];
    if (inner == 1) {
      // lines along the last dim, LANES at a time: each line's chain of float64 operations is
      // its own (the same bits), and the lanes hide the latency of the chain
      const int64_t s = j.reverse ? -1 : 1, start = j.reverse ? len - 1 : 0;
      int64_t a = a0;
      for (; a + LANES <= a1; a += LANES) {
        const T* x = j.x + a * so + start * sl;
        O* o = j.out + a * len + start;
        double r[LANES];
        for (int l = 0; l < LANES; l++) r[l] = j.prod ? 1 : 0;
        if (j.prod)
          for (int64_t i = 0, k = 0; i < len; i++, k += s)
            for (int l = 0; l < LANES; l++) o[l * len + k] = (O)(r[l] *= (double)x[l * so + k * sl]);
        else
          for (int64_t i = 0, k = 0; i < len; i++, k += s)
            for (int l = 0; l < LANES; l++) o[l * len + k] = (O)(r[l] += (double)x[l * so + k * sl]);
      }
      for (; a < a1; a++) {
        const T* x = j.x + a * so + start * sl;
        O* o = j.out + a * len + start;
        double r = j.prod ? 1 : 0;
        if (j.prod)
          for (int64_t i = 0, k = 0; i < len; i++, k += s) o[k] = (O)(r *= (double)x[k * sl]);
        else
          for (int64_t i = 0, k = 0; i < len; i++, k += s) o[k] = (O)(r += (double)x[k * sl]);
      }
      return;
    }
    for (int64_t a = a0; a < a1; a++) {
      const int64_t w = c1 - c0;
      for (int64_t c = 0; c < w; c++) acc[c] = j.prod ? 1 : 0;
      const T* x = j.x + a * so + c0 * si;
      O* o = j.out + a * len * inner + c0;
      for (int64_t i = 0; i < len; i++) {
        const int64_t k = j.reverse ? len - 1 - i : i;
        const T* xk = x + k * sl;
        O* ok = o + k * inner;
        if (si != 1 && j.prod)
          for (int64_t c = 0; c < w; c++) ok[c] = (O)(acc[c] *= (double)xk[c * si]);
        else if (si != 1)
          for (int64_t c = 0; c < w; c++) ok[c] = (O)(acc[c] += (double)xk[c * si]);
        else if (j.prod)
          for (int64_t c = 0; c < w; c++) ok[c] = (O)(acc[c] *= (double)xk[c]);
        else
          for (int64_t c = 0; c < w; c++) ok[c] = (O)(acc[c] += (double)xk[c]);
      }
    }
  }
};


/**
 * Reads params outer, len, inner at p[1..3] and x's strides at p[st..st+2], and checks that x
 * (from xOff) stays inside its array and the outputs are long enough.
 */
bool geometry(const double* p, int st, Lines* g, int64_t xOff, size_t xLen, size_t outLen, int64_t outLenNeeded) {
  g->outer = (int64_t)p[1];
  g->len = (int64_t)p[2];
  g->inner = (int64_t)p[3];
  g->so = (int64_t)p[st];
  g->sl = (int64_t)p[st + 1];
  g->si = (int64_t)p[st + 2];
  if (g->outer < 0 || g->len < 0 || g->inner < 0 || xOff < 0 || g->so < 0 || g->sl < 0 || g->si < 0) return false;
  const int64_t n = g->outer * g->len * g->inner;
  if (outLenNeeded > (int64_t)outLen) return false;
  if (n > 0 && xOff + (g->outer - 1) * g->so + (g->len - 1) * g->sl + (g->inner - 1) * g->si >= (int64_t)xLen) return false;
  g->split();
  return true;
}

template <typename J> void runJob(J& j, int threads) {
  if (j.g.outer * j.g.len * j.g.inner < (1 << 15)) threads = 1;
  tg_parallel(j.g.tasks(), threads, J::task, &j);
}

// scan(x, out, params): params = op (0 sum, 1 prod), outer, len, inner, reverse, threads, xOff,
// xs[3]; x float32 or float64 from xOff with strides xs along [outer, len, inner] (non-negative),
// out float32 or float64 contiguous from 0.
napi_value Scan(napi_env env, napi_callback_info info) {
  napi_value v[3];
  size_t argc = 3;
  TA x, o, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 3 || !getTA(env, v[0], &x) || !getTA(env, v[1], &o) ||
      !getTA(env, v[2], &p) || p.type != napi_float64_array || p.length < 10)
    return fail(env, "scan: expected (x, out, params)");
  const bool xf = x.type == napi_float32_array, of = o.type == napi_float32_array;
  if (!(xf || x.type == napi_float64_array) || !(of || o.type == napi_float64_array)) return fail(env, "scan: x and out must be Float32Array or Float64Array");
  const double* q = (const double*)p.data;
  Lines g;
  const int64_t xOff = (int64_t)q[6];
  if (!geometry(q, 7, &g, xOff, x.length, o.length, (int64_t)q[1] * (int64_t)q[2] * (int64_t)q[3])) return fail(env, "scan: arrays shorter than the sizes given");
  const bool prod = q[0] != 0, reverse = q[4] != 0;
  const int threads = (int)q[5];
#define TG_SCAN(T, O)                                            \
  {                                                              \
    ScanJob<T, O> j{g, (const T*)x.data + xOff, (O*)o.data, prod, reverse}; \
    runJob(j, threads);                                          \
  }
  if (xf && of) TG_SCAN(float, float)
  else if (xf) TG_SCAN(float, double)
  else if (of) TG_SCAN(double, float)
  else TG_SCAN(double, double)
#undef TG_SCAN
  return nullptr;
}

// ---- cumExtreme: running max / min and where it was reached ----
// `>=` (`<=`): a tie moves the index to the later element; a NaN, once seen, stays.

template <typename T, typename O> struct CumExtremeJob {
  Lines g;
  const T* x;
  O* values;
  int32_t* indices;
  bool isMax;
  static void task(void* ctx, int64_t t) {
    const CumExtremeJob& j = *(const CumExtremeJob*)ctx;
    const int64_t len = j.g.len, inner = j.g.inner, si = j.g.si;
    int64_t a0, a1, c0, c1;
    j.g.range(t, &a0, &a1, &c0, &c1);
    T best[COLS];
    int32_t where[COLS];
    for (int64_t a = a0; a < a1; a++) {
      const int64_t w = c1 - c0, base = a * len * inner + c0;
      for (int64_t k = 0; k < len; k++) {
        const T* xk = j.x + a * j.g.so + c0 * si + k * j.g.sl;
        O* vk = j.values + base + k * inner;
        int32_t* ik = j.indices + base + k * inner;
        for (int64_t c = 0; c < w; c++) {
          const T v = xk[c * si], b = best[c];
          if (k == 0 || (b == b && (v != v || (j.isMax ? v >= b : v <= b)))) {
            best[c] = v;
            where[c] = (int32_t)k;
          }
          vk[c] = (O)best[c];
          ik[c] = where[c];
        }
      }
    }
  }
};

// cumExtreme(x, values, indices, params): params = isMax, outer, len, inner, threads, xOff, xs[3];
// x float32 or float64 from xOff with strides xs (as scan's); values (float32 or float64) and
// indices (Int32Array) contiguous from 0.
napi_value CumExtreme(napi_env env, napi_callback_info info) {
  napi_value v[4];
  size_t argc = 4;
  TA x, o, ix, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 4 || !getTA(env, v[0], &x) || !getTA(env, v[1], &o) ||
      !getTA(env, v[2], &ix) || !getTA(env, v[3], &p) || p.type != napi_float64_array || p.length < 9)
    return fail(env, "cumExtreme: expected (x, values, indices, params)");
  const bool xf = x.type == napi_float32_array, of = o.type == napi_float32_array;
  if (!(xf || x.type == napi_float64_array) || !(of || o.type == napi_float64_array) || ix.type != napi_int32_array)
    return fail(env, "cumExtreme: x and values must be Float32Array or Float64Array, indices an Int32Array");
  const double* q = (const double*)p.data;
  Lines g;
  const int64_t xOff = (int64_t)q[5], n = (int64_t)q[1] * (int64_t)q[2] * (int64_t)q[3];
  if (!geometry(q, 6, &g, xOff, x.length, o.length, n) || n > (int64_t)ix.length) return fail(env, "cumExtreme: arrays shorter than the sizes given");
  const bool isMax = q[0] != 0;
  const int threads = (int)q[4];
#define TG_CUMEXT(T, O)                                                                           \
  {                                                                                               \
    CumExtremeJob<T, O> j{g, (const T*)x.data + xOff, (O*)o.data, (int32_t*)ix.data, isMax};      \
    runJob(j, threads);                                                                           \
  }
  if (xf && of) TG_CUMEXT(float, float)
  else if (xf) TG_CUMEXT(float, double)
  else if (of) TG_CUMEXT(double, float)
  else TG_CUMEXT(double, double)
#undef TG_CUMEXT
  return nullptr;
}

// ---- argReduce: the index of the first max / min along the dim (the first NaN wins) ----

template <typename T> struct ArgReduceJob {
  Lines g;
  const T* x;
  int32_t* out;  // [outer, inner]
  bool isMax;
  static void task(void* ctx, int64_t t) {
    const ArgReduceJob& j = *(const ArgReduceJob*)ctx;
    const int64_t len = j.g.len, inner = j.g.inner, so = j.g.so, sl = j.g.sl, si = j.g.si;
    int64_t a0, a1, c0, c1;
    j.g.range(t, &a0, &a1, &c0, &c1);
    if (inner == 1) {
      for (int64_t a = a0; a < a1; a++) {
        const T* x = j.x + a * so;
        T bv = x[0];
        int64_t bi = 0;
        for (int64_t k = 1; k < len && bv == bv; k++) {
          const T v = x[k * sl];
          if ((j.isMax ? v > bv : v < bv) || v != v) {
            bv = v;
            bi = k;
          }
        }
        j.out[a] = (int32_t)bi;
      }
      return;
    }
    T best[COLS];
    const int64_t w = c1 - c0;
    const T* x = j.x + a0 * so + c0 * si;
    int32_t* o = j.out + a0 * inner + c0;
    for (int64_t c = 0; c < w; c++) {
      best[c] = x[c * si];
      o[c] = 0;
    }
    for (int64_t k = 1; k < len; k++) {
      const T* xk = x + k * sl;
      for (int64_t c = 0; c < w; c++) {
        const T v = xk[c * si], cur = best[c];
        if (((j.isMax ? v > cur : v < cur) || v != v) && cur == cur) {
          best[c] = v;
          o[c] = (int32_t)k;
        }
      }
    }
  }
};

// argReduce(x, out, params): params = isMax, outer, len, inner, threads, xOff, xs[3]; x float32,
// float64 or int32 from xOff with strides xs (as scan's), len >= 1; out an Int32Array [outer,
// inner] from 0.
napi_value ArgReduce(napi_env env, napi_callback_info info) {
  napi_value v[3];
  size_t argc = 3;
  TA x, o, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 3 || !getTA(env, v[0], &x) || !getTA(env, v[1], &o) ||
      !getTA(env, v[2], &p) || p.type != napi_float64_array || p.length < 9)
    return fail(env, "argReduce: expected (x, out, params)");
  if ((x.type != napi_float32_array && x.type != napi_float64_array && x.type != napi_int32_array) || o.type != napi_int32_array)
    return fail(env, "argReduce: x must be a Float32Array, Float64Array or Int32Array, out an Int32Array");
  const double* q = (const double*)p.data;
  Lines g;
  const int64_t xOff = (int64_t)q[5];
  if (!geometry(q, 6, &g, xOff, x.length, o.length, (int64_t)q[1] * (int64_t)q[3]) || g.len < 1) return fail(env, "argReduce: arrays shorter than the sizes given");
  const bool isMax = q[0] != 0;
  const int threads = (int)q[4];
  if (x.type == napi_float32_array) {
    ArgReduceJob<float> j{g, (const float*)x.data + xOff, (int32_t*)o.data, isMax};
    runJob(j, threads);
  } else if (x.type == napi_float64_array) {
    ArgReduceJob<double> j{g, (const double*)x.data + xOff, (int32_t*)o.data, isMax};
    runJob(j, threads);
  } else {
    ArgReduceJob<int32_t> j{g, (const int32_t*)x.data + xOff, (int32_t*)o.data, isMax};
    runJob(j, threads);
  }
  return nullptr;
}

}  // namespace

void tg_register_scan(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"scan", Scan}, {"cumExtreme", CumExtreme}, {"argReduce", ArgReduce}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
}
