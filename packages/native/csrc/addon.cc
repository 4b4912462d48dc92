// The N-API entry points of @tapegrad/native. Every function works on the tensors' own typed
// arrays (N-API hands out their memory; no copy in or out) and takes its integer arguments as
// one Float64Array of parameters, which costs one N-API call instead of one per number.
//
// The instruction set is chosen once at load by CPUID (AVX-512 > AVX2+FMA > generic);
// TAPEGRAD_NATIVE_ISA=avx2|generic forces a lower one (used by the tests).

#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "conv.h"
#include "kernels.h"
#include "optim.h"
#include "copy.h"
#include "pool2x2.h"
#include "rows.h"
#include "index.h"
#include "scan.h"
#include "sort.h"
#include "window.h"
#include "winograd.h"
#include "attention.h"
#include "lstm.h"
#include "napi_util.h"

namespace {

// ---- instruction set dispatch ----

struct Isa {
  const char* name;
  void (*sgemm)(const TgGemmArgs*);
  void (*dgemm)(const TgGemmArgs*);
  void (*unaryF32)(int, const float*, float*, int64_t);
  // ew_impl.h's loops
  double (*sumF32)(const float*, int64_t);
  double (*sumF64)(const double*, int64_t);
  void (*colsumF32)(const float*, int64_t, int64_t, int64_t, float*);
  void (*colsumF64)(const double*, int64_t, int64_t, int64_t, double*);
  void (*binaryF32)(int, const float*, int64_t, const float*, int64_t, float*, int64_t);
  void (*binaryF64)(int, const double*, int64_t, const double*, int64_t, double*, int64_t);
  void (*mapF32)(int, const float*, float*, int64_t);
  void (*mapF64)(int, const double*, double*, int64_t);
  void (*softmaxRows)(const float*, float*, int64_t, int64_t, int);
  void (*softmaxBackwardRows)(const float*, const float*, float*, int64_t, int64_t, int);
};

#define TG_ISA_TABLE(isa)                                                                                                       \
  Isa {                                                                                                                         \
    #isa, tg_sgemm_##isa, tg_dgemm_##isa, tg_unary_f32_##isa, tg_sum_f32_##isa, tg_sum_f64_##isa, tg_colsum_f32_##isa,       \
        tg_colsum_f64_##isa, tg_binary_f32_##isa, tg_binary_f64_##isa, tg_map_f32_##isa, tg_map_f64_##isa,                    \
        tg_softmax_rows_##isa, tg_softmax_backward_rows_##isa                                                             \
  }

Isa chooseIsa() {
  const char* force = std::getenv("TAPEGRAD_NATIVE_ISA");
  auto forced = [&](const char* n) { return force && std::strcmp(force, n) == 0; };
  bool genericOnly = forced("generic");
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
  bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  bool avx512 = false, avx2 = false;
#endif
  if (!genericOnly && !forced("avx2") && avx512 && tg_available_avx512()) return TG_ISA_TABLE(avx512);
  if (!genericOnly && avx2 && tg_available_avx2()) return TG_ISA_TABLE(avx2);
  return TG_ISA_TABLE(generic);
}

const Isa isa = chooseIsa();

// ---- glibc's malloc thresholds ----
//
// Node allocates a typed array's memory with malloc and frees it when V8 collects the array,
// many at once after a garbage collection (V8 starts one after ~64 MB of such memory). glibc by
// default maps blocks above a threshold (128 KB, raised to at most 32 MB as large blocks are
// freed) with mmap and unmaps them on free, and gives the heap's free top back to the system
// past a trim threshold (twice the mmap one): so the next fresh output of a few MB is new
// pages, and faulting them in costs several times the kernel that fills them (add of 1e6
// floats: 1.6 ms instead of 0.2; of 16e6: 60 ms instead of 6, measured). At load the addon
// sets both thresholds: blocks under MMAP_THRESHOLD come from the heap and are reused, and up
// to TRIM_THRESHOLD of free heap top is kept (about 4 collections' worth of V8's frees); the
// price is that much address space held after a peak, resident where it was touched.
// TAPEGRAD_NATIVE_MALLOPT=0 leaves glibc's defaults; so do MALLOC_MMAP_THRESHOLD_,
// MALLOC_TRIM_THRESHOLD_ or GLIBC_TUNABLES set in the environment (the user's choice wins).

constexpr long MMAP_THRESHOLD = 64L << 20;
constexpr long TRIM_THRESHOLD = 256L << 20;

struct MallocSetting {
  bool applied;
  const char* reason;  // why not, when not applied
};

MallocSetting applyMallocThresholds() {
#if defined(__GLIBC__)
  const char* off = std::getenv("TAPEGRAD_NATIVE_MALLOPT");
  if (off && std::strcmp(off, "0") == 0) return {false, "TAPEGRAD_NATIVE_MALLOPT=0 is set"};
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("GLIBC_TUNABLES"))
    return {false, "the environment sets glibc's malloc tunables"};
  if (mallopt(M_MMAP_THRESHOLD, (int)MMAP_THRESHOLD) != 1 || mallopt(M_TRIM_THRESHOLD, (int)TRIM_THRESHOLD) != 1)
    return {false, "mallopt refused the thresholds"};
  return {true, nullptr};
#else
  return {false, "not glibc"};
#endif
}

// ---- N-API helpers ----

template <int N> bool args(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != N) return false;
  return true;
}

/** The parameter block: a Float64Array of integers (offsets, strides, sizes). */
bool getParams(napi_env env, napi_value v, const double** p, size_t* n) {
  TA a;
  if (!getTA(env, v, &a) || a.type != napi_float64_array) return false;
  *p = (const double*)a.data;
  *n = a.length;
  return true;
}

// ---- gemm(a, b, c, params[, bias]) ----
// params: aOff, as0, as1, as2, bOff, bs0, bs1, bs2, B, M, N, K, threads[, biasOff]; with bias, every
// row of C starts from bias[biasOff .. biasOff + N) (a linear layer's bias, no separate pass)

napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  TA a, b, c, bias{};
  const double* p;
  size_t np;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || (argc != 4 && argc != 5) || !getTA(env, argv[0], &a) ||
      !getTA(env, argv[1], &b) || !getTA(env, argv[2], &c) || !getParams(env, argv[3], &p, &np) || np < 13 ||
      (argc == 5 && (!getTA(env, argv[4], &bias) || np < 14)))
    return fail(env, "gemm: expected (a, b, c, params) or (a, b, c, params, bias)");
  if (a.type != b.type || a.type != c.type || (a.type != napi_float32_array && a.type != napi_float64_array) || (argc == 5 && bias.type != a.type))
    return fail(env, "gemm: a, b, c (and bias) must all be Float32Array or all Float64Array");
  const size_t es = a.type == napi_float32_array ? 4 : 8;
  TgGemmArgs g;
  g.a = (const char*)a.data + (int64_t)p[0] * es;
  g.as0 = (int64_t)p[1];
  g.as1 = (int64_t)p[2];
  g.as2 = (int64_t)p[3];
  g.b = (const char*)b.data + (int64_t)p[4] * es;
  g.bs0 = (int64_t)p[5];
  g.bs1 = (int64_t)p[6];
  g.bs2 = (int64_t)p[7];
  g.batch = (int64_t)p[8];
  g.M = (int64_t)p[9];
  g.N = (int64_t)p[10];
  g.K = (int64_t)p[11];
  g.nthreads = (int)p[12];
  g.accumulate = 0;
  g.c = c.data;
  // bias: N contiguous values from offset p[13], added to every row of C
  g.bias = argc == 5 ? (const char*)bias.data + (int64_t)p[13] * es : nullptr;
  const int64_t ash[3] = {g.batch, g.M, g.K}, ast[3] = {g.as0, g.as1, g.as2}, bsh[3] = {g.batch, g.K, g.N}, bst[3] = {g.bs0, g.bs1, g.bs2};
  if (g.batch < 0 || g.M < 0 || g.N < 0 || g.K < 0 || g.nthreads < 1 || !within(0, g.batch * g.M * g.N, c.length) ||
      (g.batch * g.M * g.N > 0 && (!within((int64_t)p[0], ash, ast, 3, a.length) || !within((int64_t)p[4], bsh, bst, 3, b.length))) ||
      (argc == 5 && !within((int64_t)p[13], g.N, bias.length)))
    return fail(env, "gemm: the parameter block does not fit the arrays");
  if (es == 4) isa.sgemm(&g);
  else isa.dgemm(&g);
  return nullptr;
}

// ---- element-wise: a strided odometer over collapsed dims, output contiguous ----

enum BinOp { ADD = 0, SUB = 1, MUL = 2, DIV = 3, RELU_BACKWARD = 4, SIGMOID_BACKWARD = 5, TANH_BACKWARD = 6, GELU_GRAD = 7, GELU_TANH_GRAD = 8 };
// U_EXP..U_SIGMOID and U_ERF..U_GELU_TANH are the float32 maps of the instruction set (TgUnaryF32
// codes 0-3 and 4-6); relu and neg the exact maps (both dtypes)
enum UnOp { U_EXP = 0, U_LOG = 1, U_TANH = 2, U_SIGMOID = 3, U_RELU = 4, U_NEG = 5, U_ERF = 6, U_GELU = 7, U_GELU_TANH = 8 };

constexpr int MAX_ND = 16;
constexpr int64_t EW_CHUNK = 1 << 15;  // elements per task of the element-wise kernels

/** One row of a binary op on the chosen instruction set's loops (ew_impl.h). */
inline void binRow(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* o, int64_t n) { isa.binaryF32(op, a, sa, b, sb, o, n); }
inline void binRow(int op, const double* a, int64_t sa, const double* b, int64_t sb, double* o, int64_t n) { isa.binaryF64(op, a, sa, b, sb, o, n); }

struct Strided {
  int nd;
  int64_t shape[MAX_ND], sa[MAX_ND], sb[MAX_ND], so[MAX_ND];  // so: the output's strides (innermost 1)
  int64_t n;
};

template <typename T> struct BinaryJob {
  int op;
  const Strided* s;
  const T* a;
  const T* b;
  T* o;
  static void task(void* ctx, int64_t t) {
    BinaryJob* j = (BinaryJob*)ctx;
    const Strided& s = *j->s;
    int64_t e = t * EW_CHUNK, end = e + EW_CHUNK < s.n ? e + EW_CHUNK : s.n;
    int64_t idx[MAX_ND];
    int64_t rem = e, pa = 0, pb = 0, po = 0;
    for (int d = s.nd - 1; d >= 0; d--) {
      idx[d] = rem % s.shape[d];
      rem /= s.shape[d];
      pa += idx[d] * s.sa[d];
      pb += idx[d] * s.sb[d];
      po += idx[d] * s.so[d];
    }
    const int last = s.nd - 1;
    while (e < end) {
      int64_t len = s.shape[last] - idx[last];
      if (len > end - e) len = end - e;
      binRow(j->op, j->a + pa, s.sa[last], j->b + pb, s.sb[last], j->o + po, len);
      e += len;
      idx[last] += len;
      pa += len * s.sa[last];
      pb += len * s.sb[last];
      po += len;
      for (int d = last; d > 0 && idx[d] == s.shape[d]; d--) {
        pa -= idx[d] * s.sa[d];
        pb -= idx[d] * s.sb[d];
        po -= idx[d] * s.so[d];
        idx[d] = 0;
        idx[d - 1]++;
        pa += s.sa[d - 1];
        pb += s.sb[d - 1];
        po += s.so[d - 1];
      }
    }
  }
};

template <typename T> void binaryDispatch(int op, const Strided& s, const T* a, const T* b, T* o, int threads) {
  BinaryJob<T> j{op < ADD || op > GELU_TANH_GRAD ? (int)RELU_BACKWARD : op, &s, a, b, o};
  tg_parallel((s.n + EW_CHUNK - 1) / EW_CHUNK, threads, BinaryJob<T>::task, &j);
}

// binary(op, a, b, out, params): params = nd, threads, aOff, bOff, outOff, shape[nd], sa[nd], sb[nd],
// so[nd] (the output's strides, the innermost 1: rows are written contiguously)
napi_value Binary(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  TA a, b, o;
  const double* p;
  size_t np;
  int32_t op;
  if (!args(env, info, argv) || napi_get_value_int32(env, argv[0], &op) != napi_ok || !getTA(env, argv[1], &a) ||
      !getTA(env, argv[2], &b) || !getTA(env, argv[3], &o) || !getParams(env, argv[4], &p, &np) || np < 5)
    return fail(env, "binary: expected (op, a, b, out, params)");
  if (a.type != b.type || a.type != o.type || (a.type != napi_float32_array && a.type != napi_float64_array))
    return fail(env, "binary: a, b and out must all be Float32Array or all Float64Array");
  if (a.type == napi_float64_array && op >= GELU_GRAD) return fail(env, "binary: the gelu gradients are float32 only");
  Strided s;
  s.nd = (int)p[0];
  if (s.nd < 1 || s.nd > MAX_ND || np < 5 + 4 * (size_t)s.nd) return fail(env, "binary: bad params");
  const int threads = (int)p[1];
  s.n = 1;
  for (int d = 0; d < s.nd; d++) {
    s.shape[d] = (int64_t)p[5 + d];
    s.sa[d] = (int64_t)p[5 + s.nd + d];
    s.sb[d] = (int64_t)p[5 + 2 * s.nd + d];
    s.so[d] = (int64_t)p[5 + 3 * s.nd + d];
    s.n *= s.shape[d];
  }
  if (s.n > 1 && s.so[s.nd - 1] != 1) return fail(env, "binary: the output's innermost stride must be 1");
  if (threads < 1 || !within((int64_t)p[2], s.shape, s.sa, s.nd, a.length) || !within((int64_t)p[3], s.shape, s.sb, s.nd, b.length) ||
      !within((int64_t)p[4], s.shape, s.so, s.nd, o.length))
    return fail(env, "binary: the parameter block does not fit the arrays");
  if (s.n == 0) return nullptr;
  if (a.type == napi_float32_array)
    binaryDispatch<float>(op, s, (const float*)a.data + (int64_t)p[2], (const float*)b.data + (int64_t)p[3], (float*)o.data + (int64_t)p[4], threads);
  else
    binaryDispatch<double>(op, s, (const double*)a.data + (int64_t)p[2], (const double*)b.data + (int64_t)p[3], (double*)o.data + (int64_t)p[4], threads);
  return nullptr;
}

// ---- unary on contiguous arrays ----

template <typename T> struct UnaryJob {
  int op;
  const T* x;
  T* y;
  int64_t n;
  static void task(void* ctx, int64_t t) {
    UnaryJob* j = (UnaryJob*)ctx;
    int64_t i0 = t * EW_CHUNK, i1 = i0 + EW_CHUNK < j->n ? i0 + EW_CHUNK : j->n;
    j->chunk(i0, i1);
  }
  void chunk(int64_t i0, int64_t i1);
};

template <> void UnaryJob<float>::chunk(int64_t i0, int64_t i1) {
  const float* a = x + i0;
  float* o = y + i0;
  const int64_t m = i1 - i0;
  if (op == U_RELU || op == U_NEG) isa.mapF32(op, a, o, m);
  else isa.unaryF32(op >= U_ERF ? op - U_ERF + TG_ERF : op, a, o, m);
}

inline double sigmoid(double v) {
  if (v >= 0) return 1 / (1 + std::exp(-v));
  const double e = std::exp(v);
  return e / (1 + e);
}

template <> void UnaryJob<double>::chunk(int64_t i0, int64_t i1) {
  const double* a = x + i0;
  double* o = y + i0;
  const int64_t m = i1 - i0;
  switch (op) {
    case U_EXP: for (int64_t i = 0; i < m; i++) o[i] = std::exp(a[i]); break;
    case U_LOG: for (int64_t i = 0; i < m; i++) o[i] = std::log(a[i]); break;
    case U_TANH: for (int64_t i = 0; i < m; i++) o[i] = std::tanh(a[i]); break;
    case U_SIGMOID: for (int64_t i = 0; i < m; i++) o[i] = sigmoid(a[i]); break;
    default: isa.mapF64(op, a, o, m); break;
  }
}

// unary(op, x, out, params): params = n, threads, xOff, outOff (both contiguous runs of n)
napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  TA x, o;
  const double* p;
  size_t np;
  int32_t op;
  if (!args(env, info, argv) || napi_get_value_int32(env, argv[0], &op) != napi_ok || !getTA(env, argv[1], &x) ||
      !getTA(env, argv[2], &o) || !getParams(env, argv[3], &p, &np) || np < 4 || op < 0 || op > U_GELU_TANH)
    return fail(env, "unary: expected (op, x, out, params)");
  if (x.type != o.type || (x.type != napi_float32_array && x.type != napi_float64_array))
    return fail(env, "unary: x and out must both be Float32Array or both Float64Array");
  if (x.type == napi_float64_array && op > U_NEG) return fail(env, "unary: erf, gelu and geluTanh are float32 only");
  const int64_t n = (int64_t)p[0];
  const int threads = (int)p[1];
  if (threads < 1 || !within((int64_t)p[2], n, x.length) || !within((int64_t)p[3], n, o.length))
    return fail(env, "unary: the parameter block does not fit the arrays");
  const int64_t tasks = (n + EW_CHUNK - 1) / EW_CHUNK;
  if (x.type == napi_float32_array) {
    UnaryJob<float> j{op, (const float*)x.data + (int64_t)p[2], (float*)o.data + (int64_t)p[3], n};
    tg_parallel(tasks, threads, UnaryJob<float>::task, &j);
  } else {
    UnaryJob<double> j{op, (const double*)x.data + (int64_t)p[2], (double*)o.data + (int64_t)p[3], n};
    tg_parallel(tasks, threads, UnaryJob<double>::task, &j);
  }
  return nullptr;
}

// ---- sum over the middle of [outer, r, inner], accumulated in float64 ----
//
// With inner == 1 each line is summed in fixed blocks of SUM_BLOCK elements (each block's sum as
// ew_impl.h defines it: 32 running sums combined pairwise, the same bits on every instruction
// set), and the blocks' sums are added in order: the blocks can go to any thread and the result
// is the same bits. With inner > 1, tasks own columns and add the r rows in order.

constexpr int64_t SUM_BLOCK = 1 << 14;
constexpr int64_t SUM_COLS = 512;

inline double lineSum(const float* p, int64_t n) { return isa.sumF32(p, n); }
inline double lineSum(const double* p, int64_t n) { return isa.sumF64(p, n); }
inline void colSum(const float* x, int64_t rows, int64_t ld, int64_t n, float* out) { isa.colsumF32(x, rows, ld, n, out); }
inline void colSum(const double* x, int64_t rows, int64_t ld, int64_t n, double* out) { isa.colsumF64(x, rows, ld, n, out); }

template <typename T> struct SumJob {
  const T* x;
  T* out;
  int64_t outer, r, inner, blocks, colTasks;
  double* partial;  // [outer][blocks] when inner == 1

  int64_t linesPerTask;  // short lines (one block each) go several to a task

  static void lineTask(void* ctx, int64_t t) {
    SumJob* j = (SumJob*)ctx;
    if (j->blocks == 1) {
      const int64_t o0 = t * j->linesPerTask, o1 = o0 + j->linesPerTask < j->outer ? o0 + j->linesPerTask : j->outer;
      for (int64_t o = o0; o < o1; o++) j->partial[o] = lineSum(j->x + o * j->r, j->r);
      return;
    }
    const int64_t o = t / j->blocks, b = t % j->blocks;
    const int64_t k0 = b * SUM_BLOCK, k1 = k0 + SUM_BLOCK < j->r ? k0 + SUM_BLOCK : j->r;
    j->partial[t] = lineSum(j->x + o * j->r + k0, k1 - k0);
  }

  static void colTask(void* ctx, int64_t t) {
    SumJob* j = (SumJob*)ctx;
    const int64_t o = t / j->colTasks, c0 = (t % j->colTasks) * SUM_COLS;
    const int64_t c1 = c0 + SUM_COLS < j->inner ? c0 + SUM_COLS : j->inner;
    colSum(j->x + o * j->r * j->inner + c0, j->r, j->inner, c1 - c0, j->out + o * j->inner + c0);
  }

  void run(int threads) {
    // fewer threads for small inputs: waking the pool costs about as much as summing 64K floats
    if (outer * r * inner < (1 << 16)) threads = 1;
    if (inner == 1) {
      blocks = r == 0 ? 1 : (r + SUM_BLOCK - 1) / SUM_BLOCK;
      double small[64];
      partial = outer * blocks <= 64 ? small : (double*)std::malloc((size_t)(outer * blocks) * sizeof(double));
      linesPerTask = blocks == 1 && r < 4096 ? 4096 / (r > 0 ? r : 1) : 1;
      tg_parallel(blocks == 1 ? (outer + linesPerTask - 1) / linesPerTask : outer * blocks, threads, lineTask, this);
      for (int64_t o = 0; o < outer; o++) {
        double s = 0;
        for (int64_t b = 0; b < blocks; b++) s += partial[o * blocks + b];
        out[o] = (T)s;
      }
      if (partial != small) std::free(partial);
    } else {
      colTasks = (inner + SUM_COLS - 1) / SUM_COLS;
      tg_parallel(outer * colTasks, threads, colTask, this);
    }
  }
};

// sum(x, out, params): params = threads, xOff, outer, r, inner (x contiguous from xOff, out from 0)
napi_value Sum(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  TA x, o;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &x) || !getTA(env, argv[1], &o) || !getParams(env, argv[2], &p, &np) || np < 5)
    return fail(env, "sum: expected (x, out, params)");
  if (x.type != o.type || (x.type != napi_float32_array && x.type != napi_float64_array))
    return fail(env, "sum: x and out must both be Float32Array or both Float64Array");
  const int threads = (int)p[0];
  const int64_t off = (int64_t)p[1], outer = (int64_t)p[2], r = (int64_t)p[3], inner = (int64_t)p[4];
  if (threads < 1 || outer < 0 || r < 0 || inner < 0 || !within(off, outer * r * inner, x.length) || !within(0, outer * inner, o.length))
    return fail(env, "sum: the parameter block does not fit the arrays");
  if (outer * inner == 0) return nullptr;
  if (x.type == napi_float32_array) {
    SumJob<float> j{(const float*)x.data + off, (float*)o.data, outer, r, inner, 0, 0, nullptr, 1};
    j.run(threads);
  } else {
    SumJob<double> j{(const double*)x.data + off, (double*)o.data, outer, r, inner, 0, 0, nullptr, 1};
    j.run(threads);
  }
  return nullptr;
}

// ---- convolutions: conv(kind, a, b, c, out, params) ----
// kind 0: forward (a = x, b = w, c = bias or null); 1: input gradient (a = grad, b = w);
// 2: weight gradient (a = x, b = grad). params = N, C, H, W, O, kH, kW, sh, sw, ph, pw, dh, dw,
// groups, Ho, Wo, threads. Every array contiguous from its start, of one float type.

napi_value Conv(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  TA a, b, c, o;
  const double* p;
  size_t np;
  int32_t kind;
  napi_valuetype ct;
  if (!args(env, info, argv) || napi_get_value_int32(env, argv[0], &kind) != napi_ok || !getTA(env, argv[1], &a) ||
      !getTA(env, argv[2], &b) || napi_typeof(env, argv[3], &ct) != napi_ok || !getTA(env, argv[4], &o) ||
      !getParams(env, argv[5], &p, &np) || np < 17)
    return fail(env, "conv: expected (kind, a, b, bias, out, params)");
  const bool hasBias = ct != napi_null && ct != napi_undefined;
  if (hasBias && !getTA(env, argv[3], &c)) return fail(env, "conv: bias must be a typed array or null");
  if (a.type != b.type || a.type != o.type || (hasBias && c.type != a.type) || (a.type != napi_float32_array && a.type != napi_float64_array))
    return fail(env, "conv: every array must be Float32Array or every one Float64Array");
  TgConvDims d;
  int64_t* f[] = {&d.N, &d.C, &d.H, &d.W, &d.O, &d.kH, &d.kW, &d.sh, &d.sw, &d.ph, &d.pw, &d.dh, &d.dw, &d.groups, &d.Ho, &d.Wo};
  for (int i = 0; i < 16; i++) *f[i] = (int64_t)p[i];
  d.threads = (int)p[16];
  // the geometry must fit the arrays: a wrong parameter block would otherwise read and write
  // past them (a caller's bug, caught here as an error instead of corrupted memory)
  bool ok = d.threads >= 1 && d.groups >= 1 && d.C % d.groups == 0 && d.O % d.groups == 0 && kind >= 0 && kind <= 2;
  for (int i = 0; i < 16; i++) ok = ok && *f[i] >= 0;
  for (int i = 5; i < 9; i++) ok = ok && *f[i] >= 1;  // kH, kW, sh, sw
  ok = ok && d.dh >= 1 && d.dw >= 1;
  const size_t xs = (size_t)(d.N * d.C * d.H * d.W), ws = (size_t)(d.O * (ok ? d.C / d.groups : 0) * d.kH * d.kW), ys = (size_t)(d.N * d.O * d.Ho * d.Wo);
  const size_t need[3][3] = {{xs, ws, ys}, {ys, ws, xs}, {xs, ys, ws}};  // a, b, out per kind
  if (!ok || a.length < need[kind][0] || b.length < need[kind][1] || o.length < need[kind][2] || (hasBias && c.length < (size_t)d.O))
    return fail(env, "conv: the parameter block does not fit the arrays");
  const bool f64 = a.type == napi_float64_array;
  const TgGemm gemm = f64 ? isa.dgemm : isa.sgemm;
  if (kind == 0) tg_conv2d(&d, f64, a.data, b.data, hasBias ? c.data : nullptr, o.data, gemm);
  else if (kind == 1) tg_conv2d_backward_input(&d, f64, a.data, b.data, o.data, gemm);
  else tg_conv2d_backward_weight(&d, f64, a.data, b.data, o.data, gemm);
  return nullptr;
}

// ---- fused optimizer steps ----

/** An optional typed array argument (null or undefined for none); false when it is neither. */
bool optArr(napi_env env, napi_value v, TA* out, bool* present) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  *present = t != napi_null && t != napi_undefined;
  return !*present || getTA(env, v, out);
}

bool sameFloatArrays(const TA* const* arrs, int n, size_t length) {
  const napi_typedarray_type t = arrs[0]->type;
  if (t != napi_float32_array && t != napi_float64_array) return false;
  for (int i = 0; i < n; i++)
    if (arrs[i]->type != t || arrs[i]->length != length) return false;
  return true;
}

// adam(param, grad, expAvg, expAvgSq, maxExpAvgSq | null, params): params = beta1, beta2,
// stepSize, bc2Sqrt, eps, l2, decay, maximize, threads
napi_value Adam(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  TA p, g, m, v, vm;
  bool hasMax;
  const double* h;
  size_t nh;
  if (!args(env, info, argv) || !getTA(env, argv[0], &p) || !getTA(env, argv[1], &g) || !getTA(env, argv[2], &m) ||
      !getTA(env, argv[3], &v) || !optArr(env, argv[4], &vm, &hasMax) || !getParams(env, argv[5], &h, &nh) || nh < 9)
    return fail(env, "adam: expected (param, grad, expAvg, expAvgSq, maxExpAvgSq, params)");
  const TA* all[] = {&p, &g, &m, &v, &vm};
  if (!sameFloatArrays(all, hasMax ? 5 : 4, p.length)) return fail(env, "adam: the arrays must be of one float type and length");
  TgAdamHyper hy{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7] != 0};
  tg_adam(p.type == napi_float64_array, p.data, g.data, m.data, v.data, hasMax ? vm.data : nullptr, (int64_t)p.length, &hy, (int)h[8]);
  return nullptr;
}

// sgd(param, grad, momentumBuffer | null, params): params = lr, momentum, dampening,
// weightDecay, nesterov, maximize, firstStep, threads
napi_value Sgd(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  TA p, g, b;
  bool hasBuf;
  const double* h;
  size_t nh;
  if (!args(env, info, argv) || !getTA(env, argv[0], &p) || !getTA(env, argv[1], &g) || !optArr(env, argv[2], &b, &hasBuf) ||
      !getParams(env, argv[3], &h, &nh) || nh < 8)
    return fail(env, "sgd: expected (param, grad, momentumBuffer, params)");
  const TA* all[] = {&p, &g, &b};
  if (!sameFloatArrays(all, hasBuf ? 3 : 2, p.length)) return fail(env, "sgd: the arrays must be of one float type and length");
  TgSgdHyper hy{h[0], h[1], h[2], h[3], h[4] != 0, h[5] != 0, h[6] != 0};
  tg_sgd(p.type == napi_float64_array, p.data, g.data, hasBuf ? b.data : nullptr, (int64_t)p.length, &hy, (int)h[7]);
  return nullptr;
}

// ---- sum over any set of dims of a strided input: sumDims(x, out, params) ----
// params = threads, xOff, nk, nr, kept shape[nk], kept strides[nk], reduced shape[nr], reduced
// strides[nr]. out is contiguous over the kept dims in order. Each output element is one task's:
// its reduced elements are added in row-major order (8 running sums over the innermost run when
// it is contiguous, combined in a fixed order), so the bits do not depend on the thread count.

constexpr int MAX_RED = 16;
constexpr int64_t SUMDIMS_CHUNK = 64;  // most output elements per task

template <typename T> struct SumDimsJob {
  const T* x;
  T* out;
  int nk, nr;
  int64_t ks[MAX_RED], kst[MAX_RED], rs[MAX_RED], rst[MAX_RED];
  int64_t nout, chunk;  // output elements, and per task

  double line(const T* p, int64_t n, int64_t st) const {
    if (st != 1) {
      double s = 0;
      for (int64_t i = 0; i < n; i++) s += (double)p[i * st];
      return s;
    }
    double l[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; k++) l[k] += (double)p[i + k];
    for (int k = 0; i < n; i++, k++) l[k] += (double)p[i];
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
  }

  double one(int64_t o) const {
    int64_t base = 0;
    for (int d = nk - 1; d >= 0; d--) {
      base += (o % ks[d]) * kst[d];
      o /= ks[d];
    }
    if (nr == 0) return (double)x[base];
    const int last = nr - 1;
    int64_t idx[MAX_RED] = {0};
    double s = 0;
    int64_t p = base;
    for (;;) {
      s += line(x + p, rs[last], rst[last]);
      int d = last - 1;
      for (; d >= 0; d--) {
        p += rst[d];
        if (++idx[d] < rs[d]) break;
        p -= rst[d] * rs[d];
        idx[d] = 0;
      }
      if (d < 0) return s;
    }
  }

  static void task(void* ctx, int64_t t) {
    SumDimsJob* j = (SumDimsJob*)ctx;
    const int64_t o0 = t * j->chunk, o1 = o0 + j->chunk < j->nout ? o0 + j->chunk : j->nout;
    for (int64_t o = o0; o < o1; o++) j->out[o] = (T)j->one(o);
  }
};

napi_value SumDims(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  TA x, o;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &x) || !getTA(env, argv[1], &o) || !getParams(env, argv[2], &p, &np) || np < 4)
    return fail(env, "sumDims: expected (x, out, params)");
  if (x.type != o.type || (x.type != napi_float32_array && x.type != napi_float64_array))
    return fail(env, "sumDims: x and out must both be Float32Array or both Float64Array");
  const int nk = (int)p[2], nr = (int)p[3];
  if (nk < 0 || nr < 0 || nk > MAX_RED || nr > MAX_RED || np < 4 + 2 * (size_t)(nk + nr)) return fail(env, "sumDims: bad params");
  const int64_t off = (int64_t)p[1];
  bool bad = false;
  auto fill = [&](auto& j) {
    j.nk = nk;
    j.nr = nr;
    j.nout = 1;
    int64_t work = 1;
    for (int d = 0; d < nk; d++) {
      j.ks[d] = (int64_t)p[4 + d];
      j.kst[d] = (int64_t)p[4 + nk + d];
      j.nout *= j.ks[d];
    }
    for (int d = 0; d < nr; d++) {
      j.rs[d] = (int64_t)p[4 + 2 * nk + d];
      j.rst[d] = (int64_t)p[4 + 2 * nk + nr + d];
      work *= j.rs[d];
    }
    if (j.nout == 0) return;
    int64_t shape[2 * MAX_RED], stride[2 * MAX_RED];
    for (int d = 0; d < nk; d++) shape[d] = j.ks[d], stride[d] = j.kst[d];
    for (int d = 0; d < nr; d++) shape[nk + d] = j.rs[d], stride[nk + d] = j.rst[d];
    if (p[0] < 1 || !within(off, shape, stride, nk + nr, x.length) || !within(0, j.nout, o.length)) {
      bad = true;
      return;
    }
    const int threads = j.nout * work < (1 << 16) ? 1 : (int)p[0];
    // few long sums (a conv bias gradient: 64 channels of 36,864 elements each) go a few to a
    // task, at least 4 tasks per thread (one task for all 64 left the other threads idle)
    const int64_t spread = j.nout / (4 * (int64_t)threads);
    j.chunk = spread < 1 ? 1 : spread < SUMDIMS_CHUNK ? spread : SUMDIMS_CHUNK;
    tg_parallel((j.nout + j.chunk - 1) / j.chunk, threads, std::remove_reference<decltype(j)>::type::task, &j);
  };
  if (x.type == napi_float32_array) {
    SumDimsJob<float> j;
    j.x = (const float*)x.data + off;
    j.out = (float*)o.data;
    fill(j);
  } else {
    SumDimsJob<double> j;
    j.x = (const double*)x.data + off;
    j.out = (double*)o.data;
    fill(j);
  }
  return bad ? fail(env, "sumDims: the parameter block does not fit the arrays") : nullptr;
}

// ---- max pooling: maxPool(x, out, argmax, params) ----
// params = planes, H, W, Ho, Wo, kH, kW, sh, sw, ph, pw, dh, dw, threads; x contiguous
// [planes, H, W], out and argmax [planes, Ho, Wo] with argmax the flat index ih * W + iw of the
// chosen element in its plane (the first maximum; NaN wins, as the reference).

template <typename T> struct MaxPoolJob {
  typedef typename std::conditional<sizeof(T) == 4, int32_t, int64_t>::type I;
  const T* x;
  T* out;
  int32_t* arg;
  int64_t H, W, Ho, Wo, kH, kW, sh, sw, ph, pw, dh, dw;
  /** best/at become v/i when v wins: greater, or NaN over a number (the reference's rule). */
  static inline void pick(T v, int64_t i, T& best, int64_t& at) {
    // without branches (bit masks): on real data whether a tap wins is a coin toss, and the
    // mispredicted branches cost several times the loads (measured)
    const I take = -(I)((at < 0) | (v > best) | ((v != v) & (best == best)));
    I vb, bb;
    memcpy(&vb, &v, sizeof v);
    memcpy(&bb, &best, sizeof best);
    bb = (bb & ~take) | (vb & take);
    memcpy(&best, &bb, sizeof best);
    at = (at & ~(int64_t)take) | (i & (int64_t)take);
  }
  static void task(void* ctx, int64_t pl) {
    const MaxPoolJob& j = *(MaxPoolJob*)ctx;
    // the geometry in locals: the compiler cannot keep struct fields in registers across the stores
    const int64_t H = j.H, W = j.W, Ho = j.Ho, Wo = j.Wo, kH = j.kH, kW = j.kW, sh = j.sh, sw = j.sw, ph = j.ph, pw = j.pw, dh = j.dh, dw = j.dw;
    const T* x = j.x + pl * H * W;
    T* out = j.out + pl * Ho * Wo;
    int32_t* arg = j.arg + pl * Ho * Wo;
    for (int64_t oh = 0; oh < Ho; oh++) {
      const int64_t ih0 = oh * sh - ph;
      const bool rowsInside = ih0 >= 0 && ih0 + (kH - 1) * dh < H;
      for (int64_t ow = 0; ow < Wo; ow++) {
        const int64_t iw0 = ow * sw - pw;
        T best = -INFINITY;
        int64_t at = -1;
        if (rowsInside && iw0 >= 0 && iw0 + (kW - 1) * dw < W) {
          // the whole window inside the plane: no bounds checks
          for (int64_t kh = 0; kh < kH; kh++) {
            const int64_t r = (ih0 + kh * dh) * W + iw0;
            for (int64_t kw = 0; kw < kW; kw++) pick(x[r + kw * dw], r + kw * dw, best, at);
          }
        } else {
          for (int64_t kh = 0; kh < kH; kh++) {
            const int64_t ih = ih0 + kh * dh;
            if (ih < 0 || ih >= H) continue;
            for (int64_t kw = 0; kw < kW; kw++) {
              const int64_t iw = iw0 + kw * dw;
              if (iw >= 0 && iw < W) pick(x[ih * W + iw], ih * W + iw, best, at);
            }
          }
        }
        out[oh * Wo + ow] = best;
        arg[oh * Wo + ow] = (int32_t)at;
      }
    }
  }
};

napi_value MaxPool(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  TA x, o, a;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &x) || !getTA(env, argv[1], &o) || !getTA(env, argv[2], &a) ||
      !getParams(env, argv[3], &p, &np) || np < 14)
    return fail(env, "maxPool: expected (x, out, argmax, params)");
  if (x.type != o.type || a.type != napi_int32_array || (x.type != napi_float32_array && x.type != napi_float64_array))
    return fail(env, "maxPool: x and out must be of one float type, argmax an Int32Array");
  const int64_t planes = (int64_t)p[0];
  bool fits = p[13] >= 1 && within(0, planes * (int64_t)p[1] * (int64_t)p[2], x.length) && within(0, planes * (int64_t)p[3] * (int64_t)p[4], o.length) &&
              within(0, planes * (int64_t)p[3] * (int64_t)p[4], a.length);
  for (int i = 0; i < 13; i++) fits = fits && p[i] >= (i >= 5 && i != 9 && i != 10 ? 1 : 0);  // sizes >= 0; kernel, stride, dilation >= 1
  // the last window's last row and column inside the plane or its padding (the 2x2 kernel,
  // without padding, reads them unchecked)
  fits = fits && (p[3] == 0 || (p[3] - 1) * p[7] + (p[5] - 1) * p[11] < p[1] + 2 * p[9]) && (p[4] == 0 || (p[4] - 1) * p[8] + (p[6] - 1) * p[12] < p[2] + 2 * p[10]);
  if (!fits) return fail(env, "maxPool: the parameter block does not fit the arrays");
  if (x.type == napi_float32_array && p[5] == 2 && p[6] == 2 && p[7] == 2 && p[8] == 2 && p[9] == 0 && p[10] == 0 && p[11] == 1 && p[12] == 1) {
    // 2x2, stride 2: the vectorised kernel (pool2x2.cc)
    tg_maxpool2x2_f32((const float*)x.data, (float*)o.data, (int32_t*)a.data, planes, (int64_t)p[1], (int64_t)p[2], (int)p[13]);
    return nullptr;
  }
  const int threads = planes * (int64_t)p[3] * (int64_t)p[4] * (int64_t)p[5] * (int64_t)p[6] < (1 << 15) ? 1 : (int)p[13];
  auto run = [&](auto* xd, auto* od) {
    typedef typename std::remove_const<typename std::remove_pointer<decltype(xd)>::type>::type T;
    MaxPoolJob<T> j{xd, od, (int32_t*)a.data, (int64_t)p[1], (int64_t)p[2], (int64_t)p[3], (int64_t)p[4], (int64_t)p[5], (int64_t)p[6],
                    (int64_t)p[7], (int64_t)p[8], (int64_t)p[9], (int64_t)p[10], (int64_t)p[11], (int64_t)p[12]};
    tg_parallel(planes, threads, MaxPoolJob<T>::task, &j);
  };
  if (x.type == napi_float32_array) run((const float*)x.data, (float*)o.data);
  else run((const double*)x.data, (double*)o.data);
  return nullptr;
}

// ---- scatter-add along the last dim: scatterAddRows(out, index, src, params) ----
// params = rows, M (out's last dim), L (index's last dim), threads, fill, value; out [rows, M],
// index and src [rows, L], all contiguous. With fill set, each row of out is first set to value
// (a broadcast x such as max pooling's zeros: one pass over rows still in cache, instead of a
// fill of the whole output before). out[r, index[r, j]] += src[r, j] for j in order; rows are
// independent. An index outside [0, M) is skipped, not written outside its row, and counted:
// the call returns how many (the caller then hands the op to the reference, which throws).

template <typename T> struct ScatterRowsJob {
  T* out;
  const int32_t* idx;
  const T* src;
  int64_t M, L;
  bool fill;
  T value;
  std::atomic<int64_t> skipped{0};
  static void task(void* ctx, int64_t r) {
    ScatterRowsJob& j = *(ScatterRowsJob*)ctx;
    T* o = j.out + r * j.M;
    const int32_t* ix = j.idx + r * j.L;
    const T* s = j.src + r * j.L;
    if (j.fill)
      for (int64_t i = 0; i < j.M; i++) o[i] = j.value;
    int64_t bad = 0;
    for (int64_t i = 0; i < j.L; i++) {
      const int64_t k = ix[i];
      if (k >= 0 && k < j.M) o[k] += s[i];
      else bad++;
    }
    if (bad) j.skipped.fetch_add(bad);
  }
};

napi_value ScatterAddRows(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  TA o, ix, s;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &o) || !getTA(env, argv[1], &ix) || !getTA(env, argv[2], &s) ||
      !getParams(env, argv[3], &p, &np) || np < 6)
    return fail(env, "scatterAddRows: expected (out, index, src, params)");
  if (o.type != s.type || ix.type != napi_int32_array || (o.type != napi_float32_array && o.type != napi_float64_array))
    return fail(env, "scatterAddRows: out and src must be of one float type, index an Int32Array");
  const int64_t rows = (int64_t)p[0], M = (int64_t)p[1], L = (int64_t)p[2];
  if ((size_t)(rows * M) > o.length || (size_t)(rows * L) > ix.length || (size_t)(rows * L) > s.length) return fail(env, "scatterAddRows: arrays too short");
  const bool fill = p[4] != 0;
  const int threads = rows * (L + (fill ? M : 0)) < (1 << 15) ? 1 : (int)p[3];
  int64_t skipped;
  if (o.type == napi_float32_array) {
    ScatterRowsJob<float> j{(float*)o.data, (const int32_t*)ix.data, (const float*)s.data, M, L, fill, (float)p[5]};
    tg_parallel(rows, threads, ScatterRowsJob<float>::task, &j);
    skipped = j.skipped.load();
  } else {
    ScatterRowsJob<double> j{(double*)o.data, (const int32_t*)ix.data, (const double*)s.data, M, L, fill, p[5]};
    tg_parallel(rows, threads, ScatterRowsJob<double>::task, &j);
    skipped = j.skipped.load();
  }
  napi_value r;
  napi_create_double(env, (double)skipped, &r);
  return r;
}

// ---- softmax / log-softmax over the last dim of float32 rows ----
// softmax(x, out, params): params = rows, n, log, threads, xOff; x contiguous from xOff, out
// from 0, both [rows, n]. As core's reference: m = the row's max (0 where it is not finite:
// a NaN, or an all -inf or +inf row), s = the float64 sum of exp(x - m), then exp(x - m) / s or
// (x - m) - log(s) in float64, rounded once (the loops are ew_impl.h's, per instruction set). exp
// is the float32 vector exp (within 2 ulp), so results are within a few ulp of the reference's.
// Rows are independent: tasks take whole rows, so any thread count gives the same bits.
// softmaxBackward(g, y, out, params): params = rows, n, log, threads, gOff, yOff:
// y (g - sum(g y)), or with log g - exp(y) sum(g), sums in float64.

struct SoftmaxJob {
  const float* x;
  const float* g;  // backward only
  float* out;
  int64_t n, rowsPerTask, rows;
  bool log;

  static void forward(void* ctx, int64_t t) {
    const SoftmaxJob& j = *(const SoftmaxJob*)ctx;
    const int64_t r0 = t * j.rowsPerTask, r1 = r0 + j.rowsPerTask < j.rows ? r0 + j.rowsPerTask : j.rows;
    isa.softmaxRows(j.x + r0 * j.n, j.out + r0 * j.n, r1 - r0, j.n, j.log);
  }

  // x holds y here
  static void backward(void* ctx, int64_t t) {
    const SoftmaxJob& j = *(const SoftmaxJob*)ctx;
    const int64_t r0 = t * j.rowsPerTask, r1 = r0 + j.rowsPerTask < j.rows ? r0 + j.rowsPerTask : j.rows;
    isa.softmaxBackwardRows(j.g + r0 * j.n, j.x + r0 * j.n, j.out + r0 * j.n, r1 - r0, j.n, j.log);
  }

  void run(bool back, int threads) {
    rowsPerTask = n >= 4096 ? 1 : 4096 / (n > 0 ? n : 1);
    if (rows * n < (1 << 15)) threads = 1;
    tg_parallel((rows + rowsPerTask - 1) / rowsPerTask, threads, back ? backward : forward, this);
  }
};

napi_value Softmax(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  TA x, o;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &x) || !getTA(env, argv[1], &o) || !getParams(env, argv[2], &p, &np) || np < 5)
    return fail(env, "softmax: expected (x, out, params)");
  if (x.type != napi_float32_array || o.type != napi_float32_array) return fail(env, "softmax: x and out must be Float32Array");
  const int64_t rows = (int64_t)p[0], n = (int64_t)p[1], off = (int64_t)p[4];
  if ((size_t)(off + rows * n) > x.length || (size_t)(rows * n) > o.length) return fail(env, "softmax: arrays too short");
  SoftmaxJob j{(const float*)x.data + off, nullptr, (float*)o.data, n, 1, rows, p[2] != 0};
  j.run(false, (int)p[3]);
  return nullptr;
}

napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  TA g, y, o;
  const double* p;
  size_t np;
  if (!args(env, info, argv) || !getTA(env, argv[0], &g) || !getTA(env, argv[1], &y) || !getTA(env, argv[2], &o) ||
      !getParams(env, argv[3], &p, &np) || np < 6)
    return fail(env, "softmaxBackward: expected (g, y, out, params)");
  if (g.type != napi_float32_array || y.type != napi_float32_array || o.type != napi_float32_array)
    return fail(env, "softmaxBackward: g, y and out must be Float32Array");
  const int64_t rows = (int64_t)p[0], n = (int64_t)p[1], gOff = (int64_t)p[4], yOff = (int64_t)p[5];
  if ((size_t)(gOff + rows * n) > g.length || (size_t)(yOff + rows * n) > y.length || (size_t)(rows * n) > o.length)
    return fail(env, "softmaxBackward: arrays too short");
  SoftmaxJob j{(const float*)y.data + yOff, (const float*)g.data + gOff, (float*)o.data, n, 1, rows, p[2] != 0};
  j.run(true, (int)p[3]);
  return nullptr;
}

// Once per process (worker threads load the addon again; mallopt is process-wide).
const MallocSetting& mallocSetting() {
  static const MallocSetting s = applyMallocThresholds();
  return s;
}

/**
 * mallocSettings() -> { applied, reason, mmapThreshold, trimThreshold, largeFromHeap }: what the
 * load did, and a probe: whether a 48 MB block (above glibc's largest automatic mmap threshold,
 * below ours) comes from the heap rather than its own mapping (glibc marks mapped chunks with
 * bit 2 of the size word before the block); null where that cannot be told (not glibc).
 */
napi_value MallocSettings(napi_env env, napi_callback_info) {
  const MallocSetting& m = mallocSetting();
  napi_value o, v;
  napi_create_object(env, &o);
  napi_get_boolean(env, m.applied, &v);
  napi_set_named_property(env, o, "applied", v);
  if (m.reason) napi_create_string_utf8(env, m.reason, NAPI_AUTO_LENGTH, &v);
  else napi_get_null(env, &v);
  napi_set_named_property(env, o, "reason", v);
  napi_create_double(env, m.applied ? (double)MMAP_THRESHOLD : 0, &v);
  napi_set_named_property(env, o, "mmapThreshold", v);
  napi_create_double(env, m.applied ? (double)TRIM_THRESHOLD : 0, &v);
  napi_set_named_property(env, o, "trimThreshold", v);
#if defined(__GLIBC__)
  void* p = std::malloc((size_t)48 << 20);
  const bool mapped = p && (((const size_t*)p)[-1] & 2) != 0;
  std::free(p);
  napi_get_boolean(env, p && !mapped, &v);
#else
  napi_get_null(env, &v);
#endif
  napi_set_named_property(env, o, "largeFromHeap", v);
  return o;
}

napi_value Isa_(napi_env env, napi_callback_info) {
  napi_value s;
  napi_create_string_utf8(env, isa.name, NAPI_AUTO_LENGTH, &s);
  return s;
}

}  // namespace

NAPI_MODULE_INIT() {
  mallocSetting();
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"gemm", Gemm}, {"binary", Binary}, {"unary", Unary}, {"sum", Sum}, {"sumDims", SumDims}, {"conv", Conv}, {"adam", Adam}, {"sgd", Sgd}, {"maxPool", MaxPool}, {"scatterAddRows", ScatterAddRows}, {"isa", Isa_}, {"mallocSettings", MallocSettings}, {"softmax", Softmax}, {"softmaxBackward", SoftmaxBackward}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
  tg_register_rows(env, exports);
  tg_register_copy(env, exports);
  tg_register_index(env, exports);
  tg_register_scan(env, exports);
  tg_register_sort(env, exports);
  tg_register_window(env, exports);
  tg_register_winograd(env, exports);
  static const TgAttentionIsa attentionIsa{isa.sgemm, isa.softmaxRows, isa.softmaxBackwardRows};
  tg_register_attention(env, exports, &attentionIsa);
  tg_register_lstm(env, exports, isa.unaryF32);
  return exports;
}
