// 2-D convolution (groups = 1) on contiguous NCHW float32 tensors by im2col/col2im and the
// SIMD GEMM. Each entry point handles the images [n0, n1), so threads can split a batch.
import { sgemm, sgemmWorkBytes } from './gemm';

/**
 * cols[(c kh + i) kw + j, oh Wo + ow] = x[c, oh sh - ph + i dh, ow sw - pw + j dw] (0 outside):
 * the patches of one image `x [C, H, W]` as columns of a `[C kh kw, Ho Wo]` matrix.
 */
function im2col(
  x: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, Ho: i32, Wo: i32, cols: usize,
): void {
  let dst = cols;
  for (let c = 0; c < C; c++) {
    const plane = x + <usize>(c * H * W) * 4;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const jo = j * dw - pw;
        // output columns whose input column lies inside [0, W)
        let lo = jo >= 0 ? 0 : (-jo + sw - 1) / sw;
        let hi = W - jo <= 0 ? 0 : (W - jo + sw - 1) / sw;
        if (hi > Wo) hi = Wo;
        if (lo > hi) lo = hi;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) {
            memory.fill(dst, 0, <usize>Wo * 4);
          } else {
            const row = plane + <usize>(ih * W) * 4;
            if (lo > 0) memory.fill(dst, 0, <usize>lo * 4);
            if (sw == 1) {
              memory.copy(dst + <usize>lo * 4, row + <usize>(lo + jo) * 4, <usize>(hi - lo) * 4);
            } else {
              for (let ow = lo; ow < hi; ow++) store<f32>(dst + <usize>ow * 4, load<f32>(row + <usize>(ow * sw + jo) * 4));
            }
            if (hi < Wo) memory.fill(dst + <usize>hi * 4, 0, <usize>(Wo - hi) * 4);
          }
          dst += <usize>Wo * 4;
        }
      }
    }
  }
}

/** dx[c, ih, iw] += cols[...]: the adjoint of {@link im2col}; `dx` must be zeroed first. */
function col2im(
  cols: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  dh: i32, dw: i32, Ho: i32, Wo: i32, dx: usize,
): void {
  let src = cols;
  for (let c = 0; c < C; c++) {
    const plane = dx + <usize>(c * H * W) * 4;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const jo = j * dw - pw;
        let lo = jo >= 0 ? 0 : (-jo + sw - 1) / sw;
        let hi = W - jo <= 0 ? 0 : (W - jo + sw - 1) / sw;
        if (hi > Wo) hi = Wo;
        if (lo > hi) lo = hi;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + i * dh;
          if (ih >= 0 && ih < H) {
            const row = plane + <usize>(ih * W) * 4;
            if (sw == 1) {
              let ow = lo;
              const d = row + <usize>jo * 4;
              for (; ow + 4 <= hi; ow += 4) {
                const p = d + <usize>ow * 4;
                v128.store(p, f32x4.add(v128.load(p), v128.load(src + <usize>ow * 4)));
              }
              for (; ow < hi; ow++) {
                const p = d + <usize>ow * 4;
                store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
              }
            } else {
              for (let ow = lo; ow < hi; ow++) {
                const p = row + <usize>(ow * sw + jo) * 4;
                store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
              }
            }
          }
          src += <usize>Wo * 4;
        }
      }
    }
  }
}

// The geometry travels as an int32 array `geo` of 16 entries:
// [C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo, _, _].
// @ts-ignore: decorator
@inline function g(geo: usize, i: i32): i32 { return load<i32>(geo + <usize>i * 4); }

/** True when im2col is the identity (1x1 kernel, stride 1, no padding): GEMM on x directly. */
function pointwise(geo: usize): bool {
  return g(geo, 4) == 1 && g(geo, 5) == 1 && g(geo, 6) == 1 && g(geo, 7) == 1 && g(geo, 8) == 0 && g(geo, 9) == 0;
}

/**
 * out[n] = w [O, C kh kw] cols(x[n]) for images n in [n0, n1). `work` holds the GEMM's scratch
 * (`sgemmWorkBytes()`) followed by room for the columns (C kh kw Ho Wo floats).
 */
export function conv2dForward(n0: i32, n1: i32, geo: usize, x: usize, w: usize, out: usize, work: usize): void {
  const cols = work + <usize>sgemmWorkBytes();
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), kh = g(geo, 4), kw = g(geo, 5);
  const Ho = g(geo, 12), Wo = g(geo, 13);
  const ckk = C * kh * kw, hw = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    const xn = x + <usize>(n * C * H * W) * 4;
    let b = xn;
    if (!pointwise(geo)) {
      im2col(xn, C, H, W, kh, kw, g(geo, 6), g(geo, 7), g(geo, 8), g(geo, 9), g(geo, 10), g(geo, 11), Ho, Wo, cols);
      b = cols;
    }
    sgemm(O, hw, ckk, w, ckk, 1, b, hw, 1, out + <usize>(n * O * hw) * 4, hw, 0, work);
  }
}

/** dx[n] = col2im(w^T [C kh kw, O] grad[n]) for n in [n0, n1); dx zeroed here. */
export function conv2dBackwardInput(n0: i32, n1: i32, geo: usize, grad: usize, w: usize, dx: usize, work: usize): void {
  const cols = work + <usize>sgemmWorkBytes();
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), kh = g(geo, 4), kw = g(geo, 5);
  const Ho = g(geo, 12), Wo = g(geo, 13);
  const ckk = C * kh * kw, hw = Ho * Wo;
  for (let n = n0; n < n1; n++) {
    const dxn = dx + <usize>(n * C * H * W) * 4;
    const gn = grad + <usize>(n * O * hw) * 4;
    if (pointwise(geo)) {
      sgemm(ckk, hw, O, w, 1, ckk, gn, hw, 1, dxn, hw, 0, work);
    } else {
      sgemm(ckk, hw, O, w, 1, ckk, gn, hw, 1, cols, hw, 0, work);
      memory.fill(dxn, 0, <usize>(C * H * W) * 4);
      col2im(cols, C, H, W, kh, kw, g(geo, 6), g(geo, 7), g(geo, 8), g(geo, 9), g(geo, 10), g(geo, 11), Ho, Wo, dxn);
    }
  }
}

/** dw (+)= sum over n in [n0, n1) of grad[n] [O, Ho Wo] cols(x[n])^T; `beta` 0 overwrites dw first. */
export function conv2dBackwardWeight(n0: i32, n1: i32, geo: usize, x: usize, grad: usize, dw: usize, beta: i32, work: usize): void {
  const cols = work + <usize>sgemmWorkBytes();
  const C = g(geo, 0), H = g(geo, 1), W = g(geo, 2), O = g(geo, 3), kh = g(geo, 4), kw = g(geo, 5);
  const Ho = g(geo, 12), Wo = g(geo, 13);
  const ckk = C * kh * kw, hw = Ho * Wo;
  if (n1 <= n0 && beta == 0) memory.fill(dw, 0, <usize>(O * ckk) * 4);
  for (let n = n0; n < n1; n++) {
    const xn = x + <usize>(n * C * H * W) * 4;
    let b = xn;
    if (!pointwise(geo)) {
      im2col(xn, C, H, W, kh, kw, g(geo, 6), g(geo, 7), g(geo, 8), g(geo, 9), g(geo, 10), g(geo, 11), Ho, Wo, cols);
      b = cols;
    }
    sgemm(O, ckk, hw, grad + <usize>(n * O * hw) * 4, hw, 1, b, 1, hw, dw, ckk, n > n0 || beta != 0 ? 1 : 0, work);
  }
}
