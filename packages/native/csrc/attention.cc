// Scaled dot-product attention, float32, one batch item (one head of one sequence) per task:
// the scores, the softmax and both products stay in the task's cache, q, k and v are read where
// they lie (a head sliced out of a packed [B, T, 3d] projection needs no copy), and no
// intermediate [L, S] tensor is made but the weights the backward pass needs.
//
// For a batch item with q [L, E], k [S, E], v [S, Ev] and scale c:
//   forward   W = softmax(c q kᵀ) by rows (causal: row i over keys j <= i, zeros after), O = W v
//   backward  from G = dO: dV = Wᵀ G, dP = G vᵀ, dS = c W ∘ (dP - rowsum(dP ∘ W)),
//             dQ = dS k, dK = dSᵀ q
// (dS is softmax's gradient, the same loop as the softmax kernel's). Each product is the
// instruction set's GEMM on one thread; the softmax rows are the softmax kernel's. A task
// computes whole batch items, so the bits do not depend on the number of threads.
//
// attention(q, k, v, out, weights, offsets, params):
//   params = Bt, L, S, E, Ev, qs, ks, vs, scale, causal, threads; offsets = for each batch item b
//   the element offsets of its q, k, v (offsets[3b + 0..2]); rows of q, k, v are qs, ks, vs
//   apart and their elements adjacent. out [Bt, L, Ev] and weights [Bt, L, S] contiguous.
// attentionBackward(g, q, k, v, weights, dq, dk, dv, offsets, params):
//   params = Bt, L, S, E, Ev, gs, qs, ks, vs, scale, threads; offsets[4b + 0..3] for g, q, k, v;
//   weights as the forward wrote them; dq [Bt, L, E], dk [Bt, S, E], dv [Bt, S, Ev] contiguous.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>

#include "attention.h"
#include "kernels.h"
#include "napi_util.h"

namespace {

const TgAttentionIsa* isa = nullptr;

/** C [M, N] = A B on this thread, A's elements (i, k) at a[i as1 + k as2], B's (k, j) at b[k bs1 + j bs2]. */
void gemm(int64_t M, int64_t N, int64_t K, const float* a, int64_t as1, int64_t as2, const float* b, int64_t bs1, int64_t bs2, float* c) {
  TgGemmArgs g{1, M, N, K, a, 0, as1, as2, b, 0, bs1, bs2, c, 1, 0};
  isa->sgemm(&g);
}

struct Dims {
  int64_t L, S, E, Ev;
  float scale;
};

/** Batch item b's block of each of N operands: out[i] = base[i] + offsets[N b + i]. */
template <int N> void items(const float* const (&base)[N], const double* offsets, int64_t b, const float* (&out)[N]) {
  for (int i = 0; i < N; i++) out[i] = base[i] + (int64_t)offsets[N * b + i];
}

struct ForwardJob {
  Dims d;
  const float* in[3];  // q, k, v
  int64_t qs, ks, vs;
  bool causal;
  const double* offsets;
  float *out, *weights;

  static void task(void* ctx, int64_t b) {
    const ForwardJob& j = *(const ForwardJob*)ctx;
    const Dims& d = j.d;
    const float* p[3];
    items(j.in, j.offsets, b, p);
    const float *q = p[0], *k = p[1], *v = p[2];
    float* w = j.weights + b * d.L * d.S;
    gemm(d.L, d.S, d.E, q, j.qs, 1, k, 1, j.ks, w);
    for (int64_t i = 0; i < d.L; i++) {
      float* row = w + i * d.S;
      const int64_t n = j.causal ? (i + 1 < d.S ? i + 1 : d.S) : d.S;
      for (int64_t t = 0; t < n; t++) row[t] *= d.scale;
      isa->softmaxRows(row, row, 1, n, 0);
      for (int64_t t = n; t < d.S; t++) row[t] = 0;
    }
    gemm(d.L, d.Ev, d.S, w, d.S, 1, v, j.vs, 1, j.out + b * d.L * d.Ev);
  }
};

struct BackwardJob {
  Dims d;
  const float* in[4];  // g, q, k, v
  const float* weights;
  int64_t gs, qs, ks, vs;
  const double* offsets;
  float *dq, *dk, *dv;

  static void task(void* ctx, int64_t b) {
    const BackwardJob& j = *(const BackwardJob*)ctx;
    const Dims& d = j.d;
    const float* p[4];
    items(j.in, j.offsets, b, p);
    const float *g = p[0], *q = p[1], *k = p[2], *v = p[3];
    const float* w = j.weights + b * d.L * d.S;
    float* ds = (float*)tg_scratch_take((size_t)(d.L * d.S) * sizeof(float));
    gemm(d.S, d.Ev, d.L, w, 1, d.S, g, j.gs, 1, j.dv + b * d.S * d.Ev);  // dV = Wᵀ G
    gemm(d.L, d.S, d.Ev, g, j.gs, 1, v, 1, j.vs, ds);                      // dP = G vᵀ
    isa->softmaxBackwardRows(ds, w, ds, d.L, d.S, 0);                      // W ∘ (dP - rowsum(dP ∘ W))
    for (int64_t t = 0; t < d.L * d.S; t++) ds[t] *= d.scale;
    gemm(d.L, d.E, d.S, ds, d.S, 1, k, j.ks, 1, j.dq + b * d.L * d.E);    // dQ = dS k
    gemm(d.S, d.E, d.L, ds, 1, d.S, q, j.qs, 1, j.dk + b * d.S * d.E);    // dK = dSᵀ q
    tg_scratch_give(ds);
  }
};

/** True when every batch item's [rows, cols] block (rows `rs` apart) of operand `which` lies inside the array. */
bool blocksWithin(const double* offsets, int per, int which, int64_t Bt, int64_t rows, int64_t cols, int64_t rs, size_t length) {
  const int64_t shape[2] = {rows, cols}, stride[2] = {rs, 1};
  for (int64_t b = 0; b < Bt; b++)
    if (!within((int64_t)offsets[per * b + which], shape, stride, 2, length)) return false;
  return true;
}

/** Tasks for `Bt` items of `work` multiply-adds each: one thread below ~100k in all. */
int threadsFor(int64_t Bt, double work, int threads) {
  return Bt * work < 1e5 ? 1 : threads;
}

napi_value Attention(napi_env env, napi_callback_info info) {
  TA a[7];  // q, k, v, out, weights, offsets, params
  if (!getAll(env, info, a) || !allFloat32(a, 5) || a[5].type != napi_float64_array || a[6].length < 11)
    return fail(env, "attention: expected Float32Array q, k, v, out, weights and Float64Array offsets, params (11)");
  const TA &q = a[0], &k = a[1], &v = a[2], &out = a[3], &w = a[4], &off = a[5], &p = a[6];
  const double* pr = (const double*)p.data;
  const int64_t Bt = (int64_t)pr[0], L = (int64_t)pr[1], S = (int64_t)pr[2], E = (int64_t)pr[3], Ev = (int64_t)pr[4];
  const int64_t qs = (int64_t)pr[5], ks = (int64_t)pr[6], vs = (int64_t)pr[7];
  const double* o = (const double*)off.data;
  if (Bt < 0 || L < 0 || S < 0 || E < 0 || Ev < 0 || off.length < (size_t)(3 * Bt) || !within(0, Bt * L * Ev, out.length) ||
      !within(0, Bt * L * S, w.length) || !blocksWithin(o, 3, 0, Bt, L, E, qs, q.length) || !blocksWithin(o, 3, 1, Bt, S, E, ks, k.length) ||
      !blocksWithin(o, 3, 2, Bt, S, Ev, vs, v.length))
    return fail(env, "attention: operands outside their arrays");
  ForwardJob j{{L, S, E, Ev, (float)pr[8]}, {(const float*)q.data, (const float*)k.data, (const float*)v.data}, qs, ks, vs, pr[9] != 0, o,
               (float*)out.data, (float*)w.data};
  tg_parallel(Bt, threadsFor(Bt, (double)L * S * (E + Ev), (int)pr[10]), ForwardJob::task, &j);
  return nullptr;
}

napi_value AttentionBackward(napi_env env, napi_callback_info info) {
  TA a[10];  // g, q, k, v, weights, dq, dk, dv, offsets, params
  if (!getAll(env, info, a) || !allFloat32(a, 8) || a[8].type != napi_float64_array || a[9].length < 11)
    return fail(env, "attentionBackward: expected Float32Array g, q, k, v, weights, dq, dk, dv and Float64Array offsets, params (11)");
  const TA &g = a[0], &q = a[1], &k = a[2], &v = a[3], &w = a[4], &dq = a[5], &dk = a[6], &dv = a[7], &off = a[8], &p = a[9];
  const double* pr = (const double*)p.data;
  const int64_t Bt = (int64_t)pr[0], L = (int64_t)pr[1], S = (int64_t)pr[2], E = (int64_t)pr[3], Ev = (int64_t)pr[4];
  const int64_t gs = (int64_t)pr[5], qs = (int64_t)pr[6], ks = (int64_t)pr[7], vs = (int64_t)pr[8];
  const double* o = (const double*)off.data;
  if (Bt < 0 || L < 0 || S < 0 || E < 0 || Ev < 0 || off.length < (size_t)(4 * Bt) || !within(0, Bt * L * S, w.length) ||
      !within(0, Bt * L * E, dq.length) || !within(0, Bt * S * E, dk.length) || !within(0, Bt * S * Ev, dv.length) ||
      !blocksWithin(o, 4, 0, Bt, L, Ev, gs, g.length) || !blocksWithin(o, 4, 1, Bt, L, E, qs, q.length) ||
      !blocksWithin(o, 4, 2, Bt, S, E, ks, k.length) || !blocksWithin(o, 4, 3, Bt, S, Ev, vs, v.length))
    return fail(env, "attentionBackward: operands outside their arrays");
  BackwardJob j{{L, S, E, Ev, (float)pr[9]},
                {(const float*)g.data, (const float*)q.data, (const float*)k.data, (const float*)v.data},
                (const float*)w.data,
                gs,
                qs,
                ks,
                vs,
                o,
                (float*)dq.data,
                (float*)dk.data,
                (float*)dv.data};
  tg_parallel(Bt, threadsFor(Bt, 2.0 * L * S * (E + Ev), (int)pr[10]), BackwardJob::task, &j);
  return nullptr;
}

}  // namespace

void tg_register_attention(napi_env env, napi_value exports, const TgAttentionIsa* chosen) {
  isa = chosen;
  exportFunction(env, exports, "attention", Attention);
  exportFunction(env, exports, "attentionBackward", AttentionBackward);
}
