// 2-D convolution forward and both backward passes by im2col and the GEMM of the chosen
// instruction set, on contiguous NCHW input, OIHW weight and NCHW gradient.
//
// With one group, images go through in chunks: their column matrices [R, L] (R = C kH kW rows,
// L = Ho Wo columns) are built in parallel, one image per task, and one batched product with the
// weight shared across the batch (packed once) writes the chunk's outputs. The weight gradient
// splits the images into a fixed number of parts, one thread each, whose chunks are each one
// product with a depth over the chunk's images (TG_GEMM_SUM_BATCHES): a part's images are added
// into its own buffer one after another, and the parts then in order, the same sums on any
// thread count; the input gradient scatters each image's column gradient back in parallel, one image per task
// (images are disjoint).

#include <cstdlib>
#include <cstring>

#include "conv.h"
#include "winograd.h"

namespace {

/** The output columns [lo, hi) whose input column ow * sw + off lies inside [0, W). */
inline void validRange(int64_t Wo, int64_t W, int64_t sw, int64_t off, int64_t* lo, int64_t* hi) {
  // ow * sw + off >= 0  <=>  ow >= ceil(-off / sw);  ow * sw + off < W  <=>  ow <= floor((W - 1 - off) / sw)
  int64_t l = off >= 0 ? 0 : (-off + sw - 1) / sw;
  int64_t h = W - 1 - off < 0 ? 0 : (W - 1 - off) / sw + 1;
  if (h > Wo) h = Wo;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

/** The kH kW rows of channel c of an image's column matrix (x at the image's group). The
 * geometry in locals and the pointers restrict: with fields re-read after every store and
 * aliasing checks on every short row, this took 3x as long (1.55 -> 0.57 ms for the convnet's
 * 64 images of [32, 26, 26], one thread). */
template <typename T> void im2col(const T* __restrict x, const TgConvDims& d, int64_t c, T* __restrict cols) {
  const int64_t H = d.H, W = d.W, Ho = d.Ho, Wo = d.Wo, L = Ho * Wo, sw = d.sw, sh = d.sh, ph = d.ph, pw = d.pw, dh = d.dh, dw = d.dw;
  const int64_t kH = d.kH, kW = d.kW;
  const T* __restrict xc = x + c * H * W;
  int64_t row = c * kH * kW;
  for (int64_t kh = 0; kh < kH; kh++)
    for (int64_t kw = 0; kw < kW; kw++, row++) {
      const int64_t off = kw * dw - pw;
      int64_t lo, hi;
      validRange(Wo, W, sw, off, &lo, &hi);
      T* __restrict dst = cols + row * L;
      for (int64_t oh = 0; oh < Ho; oh++, dst += Wo) {
        const int64_t ih = oh * sh - ph + kh * dh;
        if (ih < 0 || ih >= H) {
          for (int64_t ow = 0; ow < Wo; ow++) dst[ow] = T(0);
          continue;
        }
        // the valid columns by plain loops (rows are short: a memcpy call per row costs more)
        const T* __restrict src = xc + ih * W + (lo * sw + off);
        for (int64_t ow = 0; ow < lo; ow++) dst[ow] = T(0);
        if (sw == 1)
          for (int64_t i = 0; i < hi - lo; i++) dst[lo + i] = src[i];
        else
          for (int64_t i = 0; i < hi - lo; i++) dst[lo + i] = src[i * sw];
        for (int64_t ow = hi; ow < Wo; ow++) dst[ow] = T(0);
      }
    }
}

/** dx's channel c of an image = the sum of the kH kW rows of channel c of its column gradient
 * (zeroed here first: the task that owns the plane also touches its fresh pages). */
template <typename T> void col2im(const T* __restrict cols, const TgConvDims& d, int64_t c, T* __restrict dx) {
  const int64_t H = d.H, W = d.W, Ho = d.Ho, Wo = d.Wo, L = Ho * Wo, sw = d.sw, sh = d.sh, ph = d.ph, pw = d.pw, dh = d.dh, dw = d.dw;
  const int64_t kH = d.kH, kW = d.kW;
  T* __restrict dc = dx + c * H * W;
  for (int64_t i = 0; i < H * W; i++) dc[i] = T(0);
  int64_t row = c * kH * kW;
  for (int64_t kh = 0; kh < kH; kh++)
    for (int64_t kw = 0; kw < kW; kw++, row++) {
      const int64_t off = kw * dw - pw;
      int64_t lo, hi;
      validRange(Wo, W, sw, off, &lo, &hi);
      for (int64_t oh = 0; oh < Ho; oh++) {
        const int64_t ih = oh * sh - ph + kh * dh;
        if (ih < 0 || ih >= H) continue;
        const T* __restrict src = cols + row * L + oh * Wo + lo;
        T* __restrict dst = dc + ih * W + (lo * sw + off);
        if (sw == 1)
          for (int64_t i = 0; i < hi - lo; i++) dst[i] += src[i];
        else
          for (int64_t i = 0; i < hi - lo; i++) dst[i * sw] += src[i];
      }
    }
}

bool pointwise(const TgConvDims& d) {
  return d.kH == 1 && d.kW == 1 && d.sh == 1 && d.sw == 1 && d.ph == 0 && d.pw == 0;
}

/** Images per chunk: their column matrices fit in about 2 MB, so that they are still in the
 * cache (the L2 of this machine is 1 MB per core, its L3 32 MB) when the GEMM packs them; a
 * chunk of 16 MB spent more time streaming columns through memory than multiplying. */
template <typename T> int64_t chunkOf(const TgConvDims& d, int64_t R, int64_t L) {
  int64_t per = R * L * (int64_t)sizeof(T);
  int64_t n = per > 0 ? (2 << 20) / per : d.N;
  return n < 1 ? 1 : n > d.N ? d.N : n;
}

template <typename T> struct Im2colJob {
  const TgConvDims* d;
  const T* x;  // first image of the chunk, at its group's first channel
  int64_t xStride;
  T* cols;
  int64_t colStride;
  static void task(void* ctx, int64_t t) {
    Im2colJob* j = (Im2colJob*)ctx;
    const int64_t Cg = j->d->C / j->d->groups, n = t / Cg;
    im2col(j->x + n * j->xStride, *j->d, t % Cg, j->cols + n * j->colStride);
  }
};

template <typename T> struct Col2imJob {
  const TgConvDims* d;
  const T* cols;
  int64_t colStride;
  T* dx;
  int64_t dxStride;
  static void task(void* ctx, int64_t t) {
    Col2imJob* j = (Col2imJob*)ctx;
    const int64_t Cg = j->d->C / j->d->groups, n = t / Cg;
    col2im(j->cols + n * j->colStride, *j->d, t % Cg, j->dx + n * j->dxStride);
  }
};

template <typename T> struct BiasJob {
  const T* bias;
  T* out;  // [images, O, L]
  int64_t O, L;
  static void task(void* ctx, int64_t t) {
    BiasJob* j = (BiasJob*)ctx;
    const T v = j->bias[t % j->O];
    T* o = j->out + t * j->L;
    for (int64_t i = 0; i < j->L; i++) o[i] += v;
  }
};

/** Images per task when each thread takes whole chunks (see byImage): their column matrices
 * fit in about 1 MB (one core's L2), and there are at least 4 tasks per thread. */
template <typename T> int64_t taskImages(const TgConvDims& d, int64_t R, int64_t L) {
  const int64_t per = R * L * (int64_t)sizeof(T);
  int64_t n = per > 0 ? (1 << 20) / per : d.N;
  const int64_t spread = (d.N + 4 * d.threads - 1) / (4 * d.threads);
  if (n > spread) n = spread;
  return n < 1 ? 1 : n;
}

/** With many images (one group), the forward pass and the input gradient hand whole chunks of
 * images to the threads, each running im2col (col2im), the GEMM and the bias on its own: no
 * meeting of the threads per chunk (three or four per chunk otherwise, which cost most on a
 * busy machine, where a thread that is waited for may not be running). Each output element is
 * computed the same way either way (the GEMM's sums do not depend on its threads or tiling),
 * so the bits are the same. */
inline bool byImage(const TgConvDims& d) { return d.groups == 1 && d.threads > 1 && d.N >= 4 * d.threads; }

/** Forward of images [n0, n0 + nb): cols holds their column matrices (null for 1x1). */
template <typename T>
void forwardChunk(const TgConvDims& d, const T* x, const T* w, const T* bias, T* out, TgGemm gemm, int64_t n0, int64_t nb, T* cols, int threads) {
  const int64_t G = d.groups, Cg = d.C / G, Og = d.O / G, L = d.Ho * d.Wo, R = Cg * d.kH * d.kW, HW = d.H * d.W;
  for (int64_t gi = 0; gi < G; gi++) {
    const T* xs = x + (n0 * d.C + gi * Cg) * HW;
    const T* B = xs;
    int64_t bs0 = d.C * HW;
    if (cols) {
      Im2colJob<T> j{&d, xs, d.C * HW, cols, R * L};
      tg_parallel(nb * Cg, threads, Im2colJob<T>::task, &j);
      B = cols;
      bs0 = R * L;
    }
    // out[n, group] [Og, L] = w[group] [Og, R] @ cols[n] [R, L]; with one group the chunk's
    // outputs are one contiguous [nb, O, L] block
    TgGemmArgs g = tgGemmArgs(nb, Og, L, R, w + gi * Og * R, 0, R, 1, B, bs0, L, 1, out + (n0 * d.O + gi * Og) * L, threads, 0);
    gemm(&g);
  }
  // the bias while the chunk's outputs are still in the cache
  if (bias) {
    BiasJob<T> j{bias, out + n0 * d.O * L, d.O, L};
    tg_parallel(nb * d.O, nb * d.O * L < (1 << 15) ? 1 : threads, BiasJob<T>::task, &j);
  }
}

/** Input gradient of images [n0, n0 + nb): cols holds their column gradients (null for 1x1). */
template <typename T> void backwardInputChunk(const TgConvDims& d, const T* grad, const T* w, T* dx, TgGemm gemm, int64_t n0, int64_t nb, T* cols, int threads) {
  const int64_t G = d.groups, Cg = d.C / G, Og = d.O / G, L = d.Ho * d.Wo, R = Cg * d.kH * d.kW, HW = d.H * d.W;
  for (int64_t gi = 0; gi < G; gi++) {
    // dcols[n] [R, L] = w[group]^T [R, Og] @ grad[n, group] [Og, L]
    T* dxs = dx + (n0 * d.C + gi * Cg) * HW;
    T* C = cols ? cols : dxs;
    TgGemmArgs g = tgGemmArgs(nb, R, L, Og, w + gi * Og * R, 0, 1, R, grad + (n0 * d.O + gi * Og) * L, d.O * L, L, 1, C, threads, 0);
    gemm(&g);
    if (cols) {
      Col2imJob<T> j{&d, cols, R * L, dxs, d.C * HW};
      tg_parallel(nb * Cg, threads, Col2imJob<T>::task, &j);
    }
  }
}

/** A chunk of images per task, on one thread each (byImage). */
template <typename T> struct ImageTasks {
  const TgConvDims* d;
  const T* a;     // x (forward) or grad (input gradient)
  const T* w;
  const T* bias;  // forward only
  T* out;
  TgGemm gemm;
  int64_t per;    // images per task
  bool input;     // the input gradient, else the forward pass
  static void task(void* ctx, int64_t t) {
    const ImageTasks& j = *(const ImageTasks*)ctx;
    const TgConvDims& d = *j.d;
    const int64_t n0 = t * j.per, nb = d.N - n0 < j.per ? d.N - n0 : j.per;
    const int64_t L = d.Ho * d.Wo, R = d.C / d.groups * d.kH * d.kW;
    T* cols = pointwise(d) ? nullptr : (T*)tg_scratch_take((size_t)(nb * R * L) * sizeof(T));
    if (j.input) backwardInputChunk(d, j.a, j.w, j.out, j.gemm, n0, nb, cols, 1);
    else forwardChunk(d, j.a, j.w, j.bias, j.out, j.gemm, n0, nb, cols, 1);
    if (cols) tg_scratch_give(cols);
  }
};

/**
 * The forward pass (`input` false: a = x, out = y, with the bias) or the input gradient (`input`
 * true: a = grad, out = dx) over every image: whole chunks of images per thread when there are
 * many (byImage), else chunk by chunk with the threads splitting each chunk's work.
 */
template <typename T> void overImages(const TgConvDims& d, const T* a, const T* w, const T* bias, T* out, TgGemm gemm, bool input) {
  const int64_t G = d.groups, L = d.Ho * d.Wo, R = d.C / G * d.kH * d.kW;
  if (byImage(d)) {
    const int64_t per = taskImages<T>(d, R, L);
    ImageTasks<T> j{&d, a, w, bias, out, gemm, per, input};
    tg_parallel((d.N + per - 1) / per, d.threads, ImageTasks<T>::task, &j);
    return;
  }
  const int64_t chunk = G == 1 ? chunkOf<T>(d, R, L) : 1;
  T* cols = pointwise(d) ? nullptr : (T*)tg_scratch_take((size_t)(chunk * R * L) * sizeof(T));
  for (int64_t n0 = 0; n0 < d.N; n0 += chunk) {
    const int64_t nb = d.N - n0 < chunk ? d.N - n0 : chunk;
    if (input) backwardInputChunk(d, a, w, out, gemm, n0, nb, cols, d.threads);
    else forwardChunk(d, a, w, bias, out, gemm, n0, nb, cols, d.threads);
  }
  if (cols) tg_scratch_give(cols);
}

/** The weight gradient of images [n0, n1) added into acc (dW, or dW^T [R, Og] per group when
 * `transposed`), chunk by chunk, the images' products one after another; the GEMMs run on
 * `threads` threads. */
template <typename T>
void weightRun(const TgConvDims& d, const T* x, const T* grad, T* acc, TgGemm gemm, int64_t n0, int64_t n1, bool transposed, int threads) {
  const int64_t G = d.groups, Cg = d.C / G, Og = d.O / G, L = d.Ho * d.Wo, R = Cg * d.kH * d.kW, HW = d.H * d.W;
  const bool pw = pointwise(d);
  const int64_t chunk = threads > 1 ? chunkOf<T>(d, R, L) : taskImages<T>(d, R, L);
  T* cols = pw ? nullptr : (T*)tg_scratch_take((size_t)(chunk * R * L) * sizeof(T));
  for (int64_t c0 = n0; c0 < n1; c0 += chunk) {
    const int64_t nb = n1 - c0 < chunk ? n1 - c0 : chunk;
    for (int64_t gi = 0; gi < G; gi++) {
      const T* xs = x + (c0 * d.C + gi * Cg) * HW;
      if (!pw) {
        Im2colJob<T> j{&d, xs, d.C * HW, cols, R * L};
        tg_parallel(nb * Cg, threads, Im2colJob<T>::task, &j);
      }
      // dw[group] [Og, R] += sum over the chunk's images n of grad[n, group] [Og, L] @ cols[n]^T
      // [L, R]: one product whose depth runs over the images (added one after another)
      const T* cs = pw ? xs : cols;
      const int64_t cs0 = pw ? d.C * HW : R * L;
      const T* gs = grad + (c0 * d.O + gi * Og) * L;
      const int flags = TG_GEMM_ACCUMULATE | TG_GEMM_SUM_BATCHES;
      TgGemmArgs g = transposed ? tgGemmArgs(nb, R, Og, L, cs, cs0, L, 1, gs, d.O * L, 1, L, acc + gi * R * Og, threads, flags)
                                : tgGemmArgs(nb, Og, R, L, gs, d.O * L, L, 1, cs, cs0, 1, L, acc + gi * Og * R, threads, flags);
      gemm(&g);
    }
  }
  if (cols) tg_scratch_give(cols);
}

/** The images split into parts: each part's weight gradient is summed on one thread into its
 * own buffer, and the parts' buffers are then added in part order. */
constexpr int64_t WEIGHT_PARTS = 12;

/** Each task sums one part's images into its own buffer (see backwardWeight). */
template <typename T> struct WeightParts {
  const TgConvDims* d;
  const T* x;
  const T* grad;
  T* partials;  // [parts][size]
  int64_t size, parts;
  TgGemm gemm;
  bool transposed;
  static void task(void* ctx, int64_t t) {
    const WeightParts& j = *(const WeightParts*)ctx;
    const int64_t N = j.d->N, n0 = t * N / j.parts, n1 = (t + 1) * N / j.parts;
    T* acc = j.partials + t * j.size;
    memset(acc, 0, (size_t)j.size * sizeof(T));
    weightRun(*j.d, j.x, j.grad, acc, j.gemm, n0, n1, j.transposed, 1);
  }
};

/** out[i] = the sum over parts p, in order, of partials[p][i] (element blocks in parallel). */
template <typename T> struct AddParts {
  const T* partials;
  T* out;
  int64_t size, parts;
  static constexpr int64_t BLOCK = 4096;
  static void task(void* ctx, int64_t t) {
    const AddParts& j = *(const AddParts*)ctx;
    const int64_t i0 = t * BLOCK, i1 = i0 + BLOCK < j.size ? i0 + BLOCK : j.size;
    for (int64_t i = i0; i < i1; i++) {
      T s = j.partials[i];
      for (int64_t p = 1; p < j.parts; p++) s += j.partials[p * j.size + i];
      j.out[i] = s;
    }
  }
};

/**
 * dW over every image. With several images they are split into WEIGHT_PARTS parts by index
 * (fixed by N, whatever the thread count): each part's gradient is summed on one thread, its
 * images one after another, and the parts are then added in order, so the bits do not depend on
 * the threads, and the threads meet twice instead of three times per chunk of images (on a busy
 * machine a meeting waits for a thread that may not be running: inside a training step the
 * chunk-by-chunk split, ~66 meetings for the convnet's second layer, ran no faster on two
 * threads than on one). A single image goes chunk by chunk with the threads inside the GEMM.
 */
template <typename T> void backwardWeight(const TgConvDims& d, const T* x, const T* grad, T* dw, TgGemm gemm) {
  const int64_t G = d.groups, Cg = d.C / G, Og = d.O / G, R = Cg * d.kH * d.kW;
  // Few rows per output channel (a first layer's C = 1: R = kH kW = 9) would fill a register
  // tile's columns with padding: then the product is computed transposed, dW^T [R, Og], and
  // turned around at the end. Each element is the same sum of the same products (a fused
  // multiply-add does not depend on the order of its factors): the same bits.
  const bool transposed = R <= 16 && Og > R;
  const int64_t size = d.O * R, parts = d.N < WEIGHT_PARTS ? d.N : WEIGHT_PARTS;
  T* acc = transposed || parts > 1 ? (T*)tg_scratch_take((size_t)size * sizeof(T)) : dw;
  if (parts > 1) {
    T* partials = (T*)tg_scratch_take((size_t)(parts * size) * sizeof(T));
    WeightParts<T> j{&d, x, grad, partials, size, parts, gemm, transposed};
    tg_parallel(parts, d.threads, WeightParts<T>::task, &j);
    AddParts<T> a{partials, acc, size, parts};
    const int64_t blocks = (size + AddParts<T>::BLOCK - 1) / AddParts<T>::BLOCK;
    tg_parallel(blocks, size * parts < (1 << 16) ? 1 : d.threads, AddParts<T>::task, &a);
    tg_scratch_give(partials);
  } else {
    memset(acc, 0, (size_t)size * sizeof(T));
    weightRun(d, x, grad, acc, gemm, 0, d.N, transposed, d.threads);
  }
  if (transposed) {
    for (int64_t gi = 0; gi < G; gi++)
      for (int64_t o = 0; o < Og; o++)
        for (int64_t r = 0; r < R; r++) dw[(gi * Og + o) * R + r] = acc[(gi * R + r) * Og + o];
  } else if (acc != dw) {
    memcpy(dw, acc, (size_t)size * sizeof(T));
  }
  if (acc != dw) tg_scratch_give(acc);
}

}  // namespace

void tg_conv2d(const TgConvDims* d, bool f64, const void* x, const void* w, const void* bias, void* out, TgGemm gemm) {
  if (tg_winograd_conv2d(d, f64, x, w, bias, out, gemm)) return;
  if (f64) overImages(*d, (const double*)x, (const double*)w, (const double*)bias, (double*)out, gemm, false);
  else overImages(*d, (const float*)x, (const float*)w, (const float*)bias, (float*)out, gemm, false);
}

void tg_conv2d_backward_input(const TgConvDims* d, bool f64, const void* grad, const void* w, void* dx, TgGemm gemm) {
  if (tg_winograd_backward_input(d, f64, grad, w, dx, gemm)) return;
  if (f64) overImages(*d, (const double*)grad, (const double*)w, (const double*)nullptr, (double*)dx, gemm, true);
  else overImages(*d, (const float*)grad, (const float*)w, (const float*)nullptr, (float*)dx, gemm, true);
}

void tg_conv2d_backward_weight(const TgConvDims* d, bool f64, const void* x, const void* grad, void* dw, TgGemm gemm) {
  if (tg_winograd_backward_weight(d, f64, x, grad, dw, gemm)) return;
  if (f64) backwardWeight(*d, (const double*)x, (const double*)grad, (double*)dw, gemm);
  else backwardWeight(*d, (const float*)x, (const float*)grad, (float*)dw, gemm);
}
