// One LSTM step's pointwise part, float32, a block of rows per task (the formulas are core's
// reference, kernels/js/lstm.ts, here in float32 with the instruction set's vector σ and tanh,
// within 2 ulp each). Gates in PyTorch's order i, f, g, o, each H wide; a = gi + gh:
//   act = (σ(a_i), σ(a_f), tanh(a_g), σ(a_o)), c1 = f c + i g, h1 = o tanh(c1)
// backward from (dh1, dc1), with tanh(c1) recomputed from act and c:
//   dc = dc1 + dh1 o (1 - tanh²(c1)), da = (dc g i(1-i), dc c f(1-f), dc i (1-g²), dh1 tanh(c1) o(1-o)),
//   dc0 = dc f
// Rows are independent and each is one task's, so the bits do not depend on the thread count.
//
// lstmCell(gi, gh, c, out, act, params): params = b, H, gis, giOff, ghs, ghOff, cs, cOff, threads
//   (row strides and offsets in elements; each row's elements adjacent); out [b, 2H] (h1 then
//   c1) and act [b, 4H] contiguous.
// lstmCellBackward(g, act, c, dgates, dc, params): params = b, H, gs, gOff, cs, cOff, threads; act
//   as the forward wrote it; dgates [b, 4H] and dc [b, H] contiguous.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>

#include "kernels.h"
#include "lstm.h"
#include "napi_util.h"

namespace {

TgUnaryF32Fn unary = nullptr;

/** Rows per task: about 16K elements of gates. */
int64_t rowsPerTask(int64_t H) {
  const int64_t n = (1 << 14) / (4 * H > 0 ? 4 * H : 1);
  return n < 1 ? 1 : n;
}

struct ForwardJob {
  const float *gi, *gh, *c;
  int64_t gis, ghs, cs, b, H, per;
  float *out, *act;

  static void task(void* ctx, int64_t t) {
    const ForwardJob& j = *(const ForwardJob*)ctx;
    const int64_t H = j.H, r1 = (t + 1) * j.per < j.b ? (t + 1) * j.per : j.b;
    for (int64_t r = t * j.per; r < r1; r++) {
      const float *x = j.gi + r * j.gis, *y = j.gh + r * j.ghs, *c = j.c + r * j.cs;
      float* a = j.act + r * 4 * H;
      float* o = j.out + r * 2 * H;
      for (int64_t k = 0; k < 4 * H; k++) a[k] = x[k] + y[k];
      unary(TG_SIGMOID, a, a, 2 * H);
      unary(TG_TANH, a + 2 * H, a + 2 * H, H);
      unary(TG_SIGMOID, a + 3 * H, a + 3 * H, H);
      for (int64_t k = 0; k < H; k++) o[H + k] = a[H + k] * c[k] + a[k] * a[2 * H + k];
      unary(TG_TANH, o + H, o, H);
      for (int64_t k = 0; k < H; k++) o[k] *= a[3 * H + k];
    }
  }
};

struct BackwardJob {
  const float *g, *act, *c;
  int64_t gs, cs, b, H, per;
  float *dgates, *dc;

  static void task(void* ctx, int64_t t) {
    const BackwardJob& j = *(const BackwardJob*)ctx;
    const int64_t H = j.H, r1 = (t + 1) * j.per < j.b ? (t + 1) * j.per : j.b;
    for (int64_t r = t * j.per; r < r1; r++) {
      const float *a = j.act + r * 4 * H, *c = j.c + r * j.cs, *g = j.g + r * j.gs;
      float* d = j.dgates + r * 4 * H;
      float* tc = d + 3 * H;  // tanh(c1), until the o gate's gradient replaces it
      for (int64_t k = 0; k < H; k++) tc[k] = a[H + k] * c[k] + a[k] * a[2 * H + k];
      unary(TG_TANH, tc, tc, H);
      for (int64_t k = 0; k < H; k++) {
        const float i = a[k], f = a[H + k], gg = a[2 * H + k], o = a[3 * H + k], t = tc[k];
        const float dh = g[k], dcs = g[H + k] + dh * o * (1 - t * t);
        d[k] = dcs * gg * i * (1 - i);
        d[H + k] = dcs * c[k] * f * (1 - f);
        d[2 * H + k] = dcs * i * (1 - gg * gg);
        d[3 * H + k] = dh * t * o * (1 - o);
        j.dc[r * H + k] = dcs * f;
      }
    }
  }
};

/** True when `rows` rows of `cols` adjacent elements, `rs` apart from `off`, lie inside the array. */
bool rowsWithin(int64_t off, int64_t rows, int64_t cols, int64_t rs, size_t length) {
  const int64_t shape[2] = {rows, cols}, stride[2] = {rs, 1};
  return within(off, shape, stride, 2, length);
}

int threadsFor(int64_t b, int64_t H, int threads) {
  return b * H < (1 << 15) ? 1 : threads;
}

napi_value LstmCell(napi_env env, napi_callback_info info) {
  TA a[6];  // gi, gh, c, out, act, params
  if (!getAll(env, info, a) || !allFloat32(a, 5) || a[5].length < 9)
    return fail(env, "lstmCell: expected Float32Array gi, gh, c, out, act and a Float64Array of 9 params");
  const TA &gi = a[0], &gh = a[1], &c = a[2], &out = a[3], &act = a[4], &p = a[5];
  const double* q = (const double*)p.data;
  const int64_t b = (int64_t)q[0], H = (int64_t)q[1];
  if (b < 0 || H < 0 || !rowsWithin((int64_t)q[3], b, 4 * H, (int64_t)q[2], gi.length) || !rowsWithin((int64_t)q[5], b, 4 * H, (int64_t)q[4], gh.length) ||
      !rowsWithin((int64_t)q[7], b, H, (int64_t)q[6], c.length) || !within(0, b * 2 * H, out.length) || !within(0, b * 4 * H, act.length))
    return fail(env, "lstmCell: operands outside their arrays");
  const int64_t per = rowsPerTask(H);
  ForwardJob j{(const float*)gi.data + (int64_t)q[3], (const float*)gh.data + (int64_t)q[5], (const float*)c.data + (int64_t)q[7],
               (int64_t)q[2], (int64_t)q[4], (int64_t)q[6], b, H, per, (float*)out.data, (float*)act.data};
  tg_parallel((b + per - 1) / per, threadsFor(b, H, (int)q[8]), ForwardJob::task, &j);
  return nullptr;
}

napi_value LstmCellBackward(napi_env env, napi_callback_info info) {
  TA a[6];  // g, act, c, dgates, dc, params
  if (!getAll(env, info, a) || !allFloat32(a, 5) || a[5].length < 7)
    return fail(env, "lstmCellBackward: expected Float32Array g, act, c, dgates, dc and a Float64Array of 7 params");
  const TA &g = a[0], &act = a[1], &c = a[2], &dg = a[3], &dc = a[4], &p = a[5];
  const double* q = (const double*)p.data;
  const int64_t b = (int64_t)q[0], H = (int64_t)q[1];
  if (b < 0 || H < 0 || !rowsWithin((int64_t)q[3], b, 2 * H, (int64_t)q[2], g.length) || !rowsWithin((int64_t)q[5], b, H, (int64_t)q[4], c.length) ||
      !within(0, b * 4 * H, act.length) || !within(0, b * 4 * H, dg.length) || !within(0, b * H, dc.length))
    return fail(env, "lstmCellBackward: operands outside their arrays");
  const int64_t per = rowsPerTask(H);
  BackwardJob j{(const float*)g.data + (int64_t)q[3], (const float*)act.data, (const float*)c.data + (int64_t)q[5], (int64_t)q[2], (int64_t)q[4],
                b, H, per, (float*)dg.data, (float*)dc.data};
  tg_parallel((b + per - 1) / per, threadsFor(b, H, (int)q[6]), BackwardJob::task, &j);
  return nullptr;
}

}  // namespace

void tg_register_lstm(napi_env env, napi_value exports, TgUnaryF32Fn chosen) {
  unary = chosen;
  exportFunction(env, exports, "lstmCell", LstmCell);
  exportFunction(env, exports, "lstmCellBackward", LstmCellBackward);
}
