// Max pooling 2x2 / stride 2 on float32, four outputs at a time with 128-bit vectors (SSE2 on
// x86-64, NEON on arm64: generic code). Each output row reads two input rows; the even and
// odd columns of each are split apart, so the four taps of four windows are four vectors, taken
// in window order with the reference's rule (greater, or NaN over a number; the first tap on a
// tie). The same values and argmax as the scalar kernel, as the reference.

#include "pool2x2.h"

#include <cstring>

#include "kernels.h"

namespace {

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

inline v4f load4(const float* p) {
  v4f v;
  memcpy(&v, p, sizeof v);
  return v;
}

// the even and the odd lanes of a and b together (GCC and Clang spell the shuffle differently)
#if defined(__clang__)
inline v4f evens(v4f a, v4f b) { return __builtin_shufflevector(a, b, 0, 2, 4, 6); }
inline v4f odds(v4f a, v4f b) { return __builtin_shufflevector(a, b, 1, 3, 5, 7); }
#else
inline v4f evens(v4f a, v4f b) { return __builtin_shuffle(a, b, v4i{0, 2, 4, 6}); }
inline v4f odds(v4f a, v4f b) { return __builtin_shuffle(a, b, v4i{1, 3, 5, 7}); }
#endif

/** best/at become v/i in the lanes where v wins (selects by bit masks: a compare gives -1). */
inline void pick(v4f v, v4i i, v4f& best, v4i& at) {
  const v4i take = (v > best) | ((v != v) & (best == best));
  best = (v4f)(((v4i)v & take) | ((v4i)best & ~take));
  at = (i & take) | (at & ~take);
}

struct Job {
  const float* x;
  float* out;
  int32_t* arg;
  int64_t H, W, Ho, Wo;
  static void task(void* ctx, int64_t pl) {
    const Job& j = *(const Job*)ctx;
    const int64_t H = j.H, W = j.W, Ho = j.Ho, Wo = j.Wo;
    const float* x = j.x + pl * H * W;
    float* out = j.out + pl * Ho * Wo;
    int32_t* arg = j.arg + pl * Ho * Wo;
    const v4i lane = {0, 2, 4, 6};
    for (int64_t oh = 0; oh < Ho; oh++) {
      const float* r0 = x + 2 * oh * W;
      const float* r1 = r0 + W;
      const int32_t base = (int32_t)(2 * oh * W);
      int64_t ow = 0;
      // four windows read 8 columns: 2 ow + 8 <= W
      for (; 2 * ow + 8 <= W; ow += 4) {
        const v4f a0 = load4(r0 + 2 * ow), a1 = load4(r0 + 2 * ow + 4), b0 = load4(r1 + 2 * ow), b1 = load4(r1 + 2 * ow + 4);
        const v4f e0 = evens(a0, a1), o0 = odds(a0, a1), e1 = evens(b0, b1), o1 = odds(b0, b1);
        const v4i i00 = lane + (int32_t)(base + 2 * ow);
        v4f best = e0;
        v4i at = i00;
        pick(o0, i00 + 1, best, at);
        pick(e1, i00 + (int32_t)W, best, at);
        pick(o1, i00 + (int32_t)W + 1, best, at);
        memcpy(out + oh * Wo + ow, &best, sizeof best);
        memcpy(arg + oh * Wo + ow, &at, sizeof at);
      }
      for (; ow < Wo; ow++) {
        const int64_t c = 2 * ow;
        const float t[4] = {r0[c], r0[c + 1], r1[c], r1[c + 1]};
        const int32_t idx[4] = {(int32_t)(base + c), (int32_t)(base + c + 1), (int32_t)(base + W + c), (int32_t)(base + W + c + 1)};
        float best = t[0];
        int32_t at = idx[0];
        for (int k = 1; k < 4; k++)
          if (t[k] > best || (t[k] != t[k] && best == best)) best = t[k], at = idx[k];
        out[oh * Wo + ow] = best;
        arg[oh * Wo + ow] = at;
      }
    }
  }
};

}  // namespace

void tg_maxpool2x2_f32(const float* x, float* out, int32_t* argmax, int64_t planes, int64_t H, int64_t W, int threads) {
  Job j{x, out, argmax, H, W, H / 2, W / 2};
  tg_parallel(planes, planes * H * W < (1 << 16) ? 1 : threads, Job::task, &j);
}
