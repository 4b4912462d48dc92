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
      for (int64_t i = i0; i < i1; i++) {
        const double gi = g[i];
        m[i] = (T)(b1 * m[i] + c1 * gi);
        v[i] = (T)(b2 * v[i] + c2 * gi * gi);
        p[i] = (T)(p[i] - h.stepSize * (m[i] / (std::sqrt((double)v[i]) / h.bc2Sqrt + h.eps)));
      }
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
