// The element-wise loops and sums of addon.cc, compiled once per instruction set:
// kernels_avx512.cc, kernels_avx2.cc and kernels_generic.cc each include this file after
// defining TG_ISA (the suffix of the exported names) and TG_VBYTES (the vector width in bytes),
// so the loops run on 512-, 256- or 128-bit vectors; where a unit cannot be built for its
// instruction set it defines TG_EW_STUB instead and gets functions that are never called (the
// addon only picks an instruction set whose tg_available_* says yes). Everything but the
// exported functions has internal linkage (an anonymous namespace).
//
// Every result but the softmax rows' is the same bits on every instruction set and thread count
// (the softmax rows use the unit's float32 exp, whose fused multiply-adds differ by unit; they
// are the same bits on any thread count):
// - the maps and the column sums do one IEEE operation per element (or one float64 add per row,
//   in row order), whatever the vector width;
// - a run's sum (tg_sum_*) is defined as 32 running float64 sums, sum j taking the elements
//   j, j + 32, j + 64, ... in order (the last partial group from sum 0 on), then combined
//   pairwise: s[j] += s[j + 16] for j < 16, then s[j] += s[j + 8] for j < 8, ... down to s[0].
//   A vector of W doubles holds W of the 32 sums; only how many vectors differs.

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "kernels.h"

#define TG_EW_CAT2(a, b) a##_##b
#define TG_EW_CAT(a, b) TG_EW_CAT2(a, b)

#ifdef TG_EW_STUB
#define TG_EW_NAME(f) TG_EW_CAT(f, TG_EW_STUB)
extern "C" {
double TG_EW_NAME(tg_sum_f32)(const float*, int64_t) { return 0; }
double TG_EW_NAME(tg_sum_f64)(const double*, int64_t) { return 0; }
void TG_EW_NAME(tg_colsum_f32)(const float*, int64_t, int64_t, int64_t, float*) {}
void TG_EW_NAME(tg_colsum_f64)(const double*, int64_t, int64_t, int64_t, double*) {}
void TG_EW_NAME(tg_binary_f32)(int, const float*, int64_t, const float*, int64_t, float*, int64_t) {}
void TG_EW_NAME(tg_binary_f64)(int, const double*, int64_t, const double*, int64_t, double*, int64_t) {}
void TG_EW_NAME(tg_map_f32)(int, const float*, float*, int64_t) {}
void TG_EW_NAME(tg_map_f64)(int, const double*, double*, int64_t) {}
void TG_EW_NAME(tg_softmax_rows)(const float*, float*, int64_t, int64_t, int) {}
void TG_EW_NAME(tg_softmax_backward_rows)(const float*, const float*, float*, int64_t, int64_t, int) {}
}
#else
#define TG_EW_NAME(f) TG_EW_CAT(f, TG_ISA)

namespace {

// W doubles, and W floats (half a vector) that convert to them
typedef double ewd __attribute__((vector_size(TG_VBYTES)));
typedef float ewfh __attribute__((vector_size(TG_VBYTES / 2)));
constexpr int EW_W = TG_VBYTES / 8;
constexpr int EW_LANES = 32;
constexpr int EW_NV = EW_LANES / EW_W;  // accumulator vectors

template <typename T> inline ewd ewLoad(const T* p);
template <> inline ewd ewLoad<float>(const float* p) {
  // one widening load (GCC's generic conversion splits it in two halves and an insert)
#if TG_VBYTES == 64 && defined(__AVX512F__)
  return (ewd)_mm512_cvtps_pd(_mm256_loadu_ps(p));
#elif TG_VBYTES == 32 && defined(__AVX__)
  return (ewd)_mm256_cvtps_pd(_mm_loadu_ps(p));
#elif TG_VBYTES == 16 && defined(__SSE2__)
  return (ewd)_mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i*)p)));
#endif
  ewfh h;
  memcpy(&h, p, sizeof h);
  return __builtin_convertvector(h, ewd);
}
template <> inline ewd ewLoad<double>(const double* p) {
  ewd v;
  memcpy(&v, p, sizeof v);
  return v;
}

// Accumulator vectors live in registers a pass at a time: 128-bit vectors would need 16 (more
// than SSE2 has), so they take two passes over the run, one for sums 0-15 and one for 16-31
// (each sum depends only on its own elements, so the bits are the same).
constexpr int EW_PASS = EW_NV < 8 ? EW_NV : 8;

template <typename T> double ewSum(const T* __restrict p, int64_t n) {
  ewd acc[EW_NV];
  const int64_t full = n / EW_LANES * EW_LANES;
  // the last partial group, padded with zeros: a sum starts at +0 and never becomes -0, so
  // adding +0 leaves it as it is
  T tail[EW_LANES] = {};
  memcpy(tail, p + full, (size_t)(n - full) * sizeof(T));
  for (int v0 = 0; v0 < EW_NV; v0 += EW_PASS) {
    ewd a[EW_PASS];
#pragma GCC unroll 8
    for (int v = 0; v < EW_PASS; v++) a[v] = ewd{};
    for (int64_t i = 0; i < full; i += EW_LANES)
#pragma GCC unroll 8
      for (int v = 0; v < EW_PASS; v++) a[v] += ewLoad<T>(p + i + (v0 + v) * EW_W);
#pragma GCC unroll 8
    for (int v = 0; v < EW_PASS; v++) acc[v0 + v] = a[v] + ewLoad<T>(tail + (v0 + v) * EW_W);
  }
  // the pairwise steps that pair whole vectors, then the ones inside the last vector
  for (int h = EW_NV / 2; h >= 1; h /= 2)
    for (int v = 0; v < h; v++) acc[v] += acc[v + h];
  double s[EW_W];
  memcpy(s, &acc[0], sizeof s);
  for (int h = EW_W / 2; h >= 1; h /= 2)
    for (int j = 0; j < h; j++) s[j] += s[j + h];
  return s[0];
}

constexpr int64_t EW_COLS = 512;

/** out[c] = sum over rows k (in order, in float64) of x[k * ld + c], c < n. */
template <typename T> void ewColsum(const T* __restrict x, int64_t rows, int64_t ld, int64_t n, T* __restrict out) {
  for (int64_t c0 = 0; c0 < n; c0 += EW_COLS) {
    const int64_t m = n - c0 < EW_COLS ? n - c0 : EW_COLS;
    double acc[EW_COLS];
    for (int64_t c = 0; c < m; c++) acc[c] = 0;
    for (int64_t k = 0; k < rows; k++) {
      const T* row = x + k * ld + c0;
      for (int64_t c = 0; c < m; c++) acc[c] += (double)row[c];
    }
    for (int64_t c = 0; c < m; c++) out[c0 + c] = (T)acc[c];
  }
}

enum { EW_ADD = 0, EW_SUB = 1, EW_MUL = 2, EW_DIV = 3, EW_RELU_BACKWARD = 4, EW_SIGMOID_BACKWARD = 5, EW_TANH_BACKWARD = 6, EW_GELU_GRAD = 7, EW_GELU_TANH_GRAD = 8 };

/**
 * o[i] = a[i sa] gelu'(b[i sb]) (or the tanh gelu's derivative), float32: the vector math of
 * kernels_impl.h (this file is included after it), whole vectors of contiguous operands directly,
 * the rest (strides, the tail) gathered a vector at a time.
 */
template <int OP> void ewGeluGradRow(const float* a, int64_t sa, const float* b, int64_t sb, float* o, int64_t n) {
  constexpr int W = TG_VBYTES / 4;
  auto grad = [](vf x) { return OP == EW_GELU_GRAD ? vgeluGrad(x) : vgeluTanhGrad(x); };
  int64_t i = 0;
  if (sa == 1 && sb == 1)
    for (; i + W <= n; i += W) storeu(o + i, loadu<vf>(a + i) * grad(loadu<vf>(b + i)));
  while (i < n) {
    const int64_t m = n - i < W ? n - i : W;
    float ab[W] = {}, bb[W] = {}, rb[W];
    for (int64_t k = 0; k < m; k++) {
      ab[k] = a[(i + k) * sa];
      bb[k] = b[(i + k) * sb];
    }
    storeu(rb, loadu<vf>(ab) * grad(loadu<vf>(bb)));
    memcpy(o + i, rb, (size_t)m * sizeof(float));
    i += m;
  }
}

inline void ewGeluGrad(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* o, int64_t n) {
  if (op == EW_GELU_GRAD) ewGeluGradRow<EW_GELU_GRAD>(a, sa, b, sb, o, n);
  else ewGeluGradRow<EW_GELU_TANH_GRAD>(a, sa, b, sb, o, n);
}
// float64 gelu gradients stay on the reference (addon.cc refuses them): never called
inline void ewGeluGrad(int, const double*, int64_t, const double*, int64_t, double*, int64_t) {}

template <typename T, int OP> inline T ewBin(T x, T y) {
  if (OP == EW_ADD) return x + y;
  if (OP == EW_SUB) return x - y;
  if (OP == EW_MUL) return x * y;
  if (OP == EW_DIV) return x / y;
  // the gradients of sigmoid and tanh from their output y, in T (a few roundings: within a few
  // ulp of the reference's float64 arithmetic rounded once)
  if (OP == EW_SIGMOID_BACKWARD) return (x * y) * ((T)1 - y);
  if (OP == EW_TANH_BACKWARD) return x * ((T)1 - y * y);
  return y > 0 ? x : 0;
}

/** o[i] = a[i sa] op b[i sb], i < n: contiguous and broadcast (stride 0) operands get their own loops. */
template <typename T, int OP> void ewRow(const T* a, int64_t sa, const T* b, int64_t sb, T* o, int64_t n) {
  if (sa == 1 && sb == 1)
    for (int64_t i = 0; i < n; i++) o[i] = ewBin<T, OP>(a[i], b[i]);
  else if (sa == 1 && sb == 0) {
    const T y = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = ewBin<T, OP>(a[i], y);
  } else if (sa == 0 && sb == 1) {
    const T x = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = ewBin<T, OP>(x, b[i]);
  } else
    for (int64_t i = 0; i < n; i++) o[i] = ewBin<T, OP>(a[i * sa], b[i * sb]);
}

template <typename T> void ewBinary(int op, const T* a, int64_t sa, const T* b, int64_t sb, T* o, int64_t n) {
  switch (op) {
    case EW_ADD: ewRow<T, EW_ADD>(a, sa, b, sb, o, n); break;
    case EW_SUB: ewRow<T, EW_SUB>(a, sa, b, sb, o, n); break;
    case EW_MUL: ewRow<T, EW_MUL>(a, sa, b, sb, o, n); break;
    case EW_DIV: ewRow<T, EW_DIV>(a, sa, b, sb, o, n); break;
    case EW_SIGMOID_BACKWARD: ewRow<T, EW_SIGMOID_BACKWARD>(a, sa, b, sb, o, n); break;
    case EW_TANH_BACKWARD: ewRow<T, EW_TANH_BACKWARD>(a, sa, b, sb, o, n); break;
    case EW_GELU_GRAD:
    case EW_GELU_TANH_GRAD: ewGeluGrad(op, a, sa, b, sb, o, n); break;
    default: ewRow<T, EW_RELU_BACKWARD>(a, sa, b, sb, o, n); break;
  }
}

/** relu (op 4: x <= 0 gives 0, NaN stays) or neg (op 5). */
template <typename T> void ewMap(int op, const T* x, T* y, int64_t n) {
  if (op == 4)
    for (int64_t i = 0; i < n; i++) y[i] = x[i] <= 0 ? (T)0 : x[i];
  else
    for (int64_t i = 0; i < n; i++) y[i] = -x[i];
}

typedef float ewf __attribute__((vector_size(TG_VBYTES)));
typedef int32_t ewi __attribute__((vector_size(TG_VBYTES)));
constexpr int EW_FW = TG_VBYTES / 4;

/** The row's max, or 0 where that is not finite (a NaN in the row, or all -inf, or a +inf). */
inline float ewRowShift(const float* x, int64_t n) {
  ewf m = ewf{} - __builtin_inff();
  ewi nan = ewi{};
  int64_t i = 0;
  for (; i + EW_FW <= n; i += EW_FW) {
    ewf v;
    memcpy(&v, x + i, sizeof v);
    m = v > m ? v : m;
    nan |= v != v;
  }
  float r = -__builtin_inff();
  bool anyNan = false;
  for (int l = 0; l < EW_FW; l++) {
    r = m[l] > r ? m[l] : r;
    anyNan |= nan[l] != 0;
  }
  for (; i < n; i++) {
    r = x[i] > r ? x[i] : r;
    anyNan |= x[i] != x[i];
  }
  return anyNan || !(r - r == 0) ? 0.0f : r;
}

/** The float64 sum of g[i] y[i] over the row, in ewSum's 32-lane order. */
inline double ewDot(const float* g, const float* y, int64_t n) {
  double s[EW_LANES] = {};
  int64_t i = 0;
  for (; i + EW_LANES <= n; i += EW_LANES)
    for (int j = 0; j < EW_LANES; j++) s[j] += (double)g[i + j] * (double)y[i + j];
  for (int j = 0; i < n; i++, j++) s[j] += (double)g[i] * (double)y[i];
  for (int h = EW_LANES / 2; h >= 1; h /= 2)
    for (int j = 0; j < h; j++) s[j] += s[j + h];
  return s[0];
}

/** A row's float64 sum: sequential under 32 elements (short rows), else ewSum's order. */
inline double ewRowSum(const float* p, int64_t n) {
  if (n >= EW_LANES) return ewSum<float>(p, n);
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += (double)p[i];
  return s;
}

constexpr int64_t EW_ROW_CHUNK = 64;  // short rows: one exp call for this many

void ewSoftmaxRows(const float* x, float* o, int64_t rows, int64_t n, bool log) {
  float shift[EW_ROW_CHUNK];
  for (int64_t r0 = 0; r0 < rows; r0 += EW_ROW_CHUNK) {
    const int64_t nr = rows - r0 < EW_ROW_CHUNK ? rows - r0 : EW_ROW_CHUNK;
    const float* xc = x + r0 * n;
    float* oc = o + r0 * n;
    // x - m in float32 (the reference takes it in float64): exp's relative error grows by at
    // most |x - m| 2^-24 (< 7e-6 where the float32 result is not 0)
    for (int64_t r = 0; r < nr; r++) {
      const float m = shift[r] = ewRowShift(xc + r * n, n);
      for (int64_t i = 0; i < n; i++) oc[r * n + i] = xc[r * n + i] - m;
    }
    TG_EW_NAME(tg_unary_f32)(TG_EXP, oc, oc, nr * n);
    for (int64_t r = 0; r < nr; r++) {
      const float* xr = xc + r * n;
      float* orow = oc + r * n;
      const double s = ewRowSum(orow, n);
      if (log) {
        const double ls = __builtin_log(s), m = shift[r];
        for (int64_t i = 0; i < n; i++) orow[i] = (float)((double)xr[i] - m - ls);
      } else {
        const double inv = 1 / s;
        for (int64_t i = 0; i < n; i++) orow[i] = (float)((double)orow[i] * inv);
      }
    }
  }
}

void ewSoftmaxBackwardRows(const float* g, const float* y, float* o, int64_t rows, int64_t n, bool log) {
  if (log) TG_EW_NAME(tg_unary_f32)(TG_EXP, y, o, rows * n);  // exp(y) for every row at once
  for (int64_t r = 0; r < rows; r++, g += n, y += n, o += n) {
    if (log) {
      const double s = ewRowSum(g, n);
      for (int64_t i = 0; i < n; i++) o[i] = (float)((double)g[i] - (double)o[i] * s);
    } else {
      const double s = ewDot(g, y, n);
      for (int64_t i = 0; i < n; i++) o[i] = (float)((double)y[i] * ((double)g[i] - s));
    }
  }
}

}  // namespace

extern "C" {
void TG_EW_NAME(tg_softmax_rows)(const float* x, float* o, int64_t rows, int64_t n, int log) { ewSoftmaxRows(x, o, rows, n, log != 0); }
void TG_EW_NAME(tg_softmax_backward_rows)(const float* g, const float* y, float* o, int64_t rows, int64_t n, int log) {
  ewSoftmaxBackwardRows(g, y, o, rows, n, log != 0);
}
double TG_EW_NAME(tg_sum_f32)(const float* x, int64_t n) { return ewSum<float>(x, n); }
double TG_EW_NAME(tg_sum_f64)(const double* x, int64_t n) { return ewSum<double>(x, n); }
void TG_EW_NAME(tg_colsum_f32)(const float* x, int64_t rows, int64_t ld, int64_t n, float* out) { ewColsum<float>(x, rows, ld, n, out); }
void TG_EW_NAME(tg_colsum_f64)(const double* x, int64_t rows, int64_t ld, int64_t n, double* out) { ewColsum<double>(x, rows, ld, n, out); }
void TG_EW_NAME(tg_binary_f32)(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* o, int64_t n) { ewBinary<float>(op, a, sa, b, sb, o, n); }
void TG_EW_NAME(tg_binary_f64)(int op, const double* a, int64_t sa, const double* b, int64_t sb, double* o, int64_t n) { ewBinary<double>(op, a, sa, b, sb, o, n); }
void TG_EW_NAME(tg_map_f32)(int op, const float* x, float* y, int64_t n) { ewMap<float>(op, x, y, n); }
void TG_EW_NAME(tg_map_f64)(int op, const double* x, double* y, int64_t n) { ewMap<double>(op, x, y, n); }
}
#endif
