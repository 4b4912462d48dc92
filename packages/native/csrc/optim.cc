// The fused optimizer updates (Adam/AdamW, SGD) in place, as core's js reference
// (kernels/js/optim.ts) computes them: float64 arithmetic in the same order, every store into a
// float32 array rounded and read back, so the results are the reference's bits. Contraction
// into fused multiply-adds is off here for that reason. Elements are independent: chunks go to
// the thread pool.
#pragma GCC optimize("fp-contract=off")

#include <cmath>

#include "optim.h"

namespace {

constexpr int64_t CHUNK = 1 << 15;

// The plain Adam step (no l2, decay, maximize or amsgrad: what Adam with default options runs)
// is bound by float64 square roots and divisions, which the baseline x86-64 build does two at a
// time: on Linux x86-64 it is also compiled for AVX2 and AVX-512 and the loader picks one by
// CPUID (an ifunc). Same operations in the same order, each correctly rounded: the same bits.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
#define TG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TG_CLONES
#endif

template <typename T>
__attribute__((always_inline)) inline void adamPlain(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t i0,
                                                     int64_t i1, double b1, double c1, double b2, double c2, double stepSize, double bc2Sqrt,
                                                     double eps) {
  for (int64_t i = i0; i < i1; i++) {
    const double gi = g[i];
    const T mi = (T)(b1 * m[i] + c1 * gi);
    const T vi = (T)(b2 * v[i] + c2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = (T)(p[i] - stepSize * (mi / (std::sqrt((double)vi) / bc2Sqrt + eps)));
  }
}

TG_CLONES void adamPlainF32(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t i0, int64_t i1,
                            double b1, double c1, double b2, double c2, double stepSize, double bc2Sqrt, double eps) {
  adamPlain<float>(p, g, m, v, i0, i1, b1, c1, b2, c2, stepSize, bc2Sqrt, eps);
}

TG_CLONES void adamPlainF64(double* __restrict p, const double* __restrict g, double* __restrict m, double* __restrict v, int64_t i0,
                            int64_t i1, double b1, double c1, double b2, double c2, double stepSize, double bc2Sqrt, double eps) {
  adamPlain<double>(p, g, m, v, i0, i1, b1, c1, b2, c2, stepSize, bc2Sqrt, eps);
}

inline void adamPlainAny(float* p, float* g, float* m, float* v, int64_t i0, int64_t i1, double b1, double c1, double b2, double c2, double s,
                         double bc, double eps) {
  adamPlainF32(p, g, m, v, i0, i1, b1, c1, b2, c2, s, bc, eps);
}
inline void adamPlainAny(double* p, double* g, double* m, double* v, int64_t i0, int64_t i1, double b1, double c1, double b2, double c2,
                         double s, double bc, double eps) {
  adamPlainF64(p, g, m, v, i0, i1, b1, c1, b2, c2, s, bc, eps);
}

template <typename T> struct AdamJob {
  T *p, *g, *m, *v, *vmax;
  int64_t n;
  const TgAdamHyper* h;
  static void task(void* ctx, int64_t t) {
    AdamJob* j = (AdamJob*)ctx;
    const TgAdamHyper& h = *j->h;
    const int64_t i0 = t * CHUNK, i1 = i0 + CHUNK < j->n ? i0 + CHUNK : j->n;
    T *p = j->p, *g = j->g, *m = j->m, *v = j->v, *vmax = j->vmax;
    const double b1 = h.beta1, b2 = h.beta2, c1 = 1 - h.beta1, c2 = 1 - h.beta2;
    if (!h.maximize && h.l2 == 0 && h.decay == 1 && !vmax) {
      adamPlainAny(p, g, m, v, i0, i1, b1, c1, b2, c2, h.stepSize, h.bc2Sqrt, h.eps);
      return;
    }
    for (int64_t i = i0; i < i1; i++) {
      double gi = h.maximize ? -(double)g[i] : (double)g[i];
      if (h.l2 != 0) gi += h.l2 * p[i];
      if (h.decay != 1) p[i] = (T)(p[i] * h.decay);
      m[i] = (T)(b1 * m[i] + c1 * gi);
      v[i] = (T)(b2 * v[i] + c2 * gi * gi);
      double vi = v[i];
      if (vmax) {
        if (vi > vmax[i]) vmax[i] = (T)vi;
        vi = vmax[i];
      }
      const double denom = std::sqrt(vi) / h.bc2Sqrt + h.eps;
      p[i] = (T)(p[i] - h.stepSize * (m[i] / denom));
    }
  }
};

template <typename T> struct SgdJob {
  T *p, *g, *buf;
  int64_t n;
  const TgSgdHyper* h;
  static void task(void* ctx, int64_t t) {
    SgdJob* j = (SgdJob*)ctx;
    const TgSgdHyper& h = *j->h;
    const int64_t i0 = t * CHUNK, i1 = i0 + CHUNK < j->n ? i0 + CHUNK : j->n;
    T *p = j->p, *g = j->g, *buf = j->buf;
    const double keep = 1 - h.dampening;
    for (int64_t i = i0; i < i1; i++) {
      double gi = h.maximize ? -(double)g[i] : (double)g[i];
      if (h.weightDecay != 0) gi += h.weightDecay * p[i];
      if (buf) {
        buf[i] = (T)(h.firstStep ? gi : h.momentum * buf[i] + keep * gi);
        const double b = buf[i];
        gi = h.nesterov ? gi + h.momentum * b : b;
      }
      p[i] = (T)(p[i] - h.lr * gi);
    }
  }
};

}  // namespace

void tg_adam(bool f64, void* p, void* g, void* m, void* v, void* vmax, int64_t n, const TgAdamHyper* h, int threads) {
  if (n < (1 << 16)) threads = 1;
  if (f64) {
    AdamJob<double> j{(double*)p, (double*)g, (double*)m, (double*)v, (double*)vmax, n, h};
    tg_parallel((n + CHUNK - 1) / CHUNK, threads, AdamJob<double>::task, &j);
  } else {
    AdamJob<float> j{(float*)p, (float*)g, (float*)m, (float*)v, (float*)vmax, n, h};
    tg_parallel((n + CHUNK - 1) / CHUNK, threads, AdamJob<float>::task, &j);
  }
}

void tg_sgd(bool f64, void* p, void* g, void* buf, int64_t n, const TgSgdHyper* h, int threads) {
  if (n < (1 << 16)) threads = 1;
  if (f64) {
    SgdJob<double> j{(double*)p, (double*)g, (double*)buf, n, h};
    tg_parallel((n + CHUNK - 1) / CHUNK, threads, SgdJob<double>::task, &j);
  } else {
    SgdJob<float> j{(float*)p, (float*)g, (float*)buf, n, h};
    tg_parallel((n + CHUNK - 1) / CHUNK, threads, SgdJob<float>::task, &j);
  }
}
