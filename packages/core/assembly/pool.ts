// Max and average pooling (and the average's gradient) on contiguous float32 planes.

/**
 * For planes [p0, p1) of `x [P, H, W]`: out[p, oh, ow] = max over the window, argmax[p, oh, ow]
 * = flat index ih W + iw of the first maximum (NaN wins, as in the reference kernels).
 * geo = [H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo] as int32s.
 */
export function maxPool2dF32(p0: i32, p1: i32, geo: usize, x: usize, out: usize, argmax: usize, _work: usize): void {
  const H = load<i32>(geo), W = load<i32>(geo, 4), kh = load<i32>(geo, 8), kw = load<i32>(geo, 12);
  const sh = load<i32>(geo, 16), sw = load<i32>(geo, 20), ph = load<i32>(geo, 24), pw = load<i32>(geo, 28);
  const dh = load<i32>(geo, 32), dw = load<i32>(geo, 36), Ho = load<i32>(geo, 40), Wo = load<i32>(geo, 44);
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1) {
    pool2x2(p0, p1, H, W, Ho, Wo, x, out, argmax);
    return;
  }
  for (let p = p0; p < p1; p++) {
    const plane = x + <usize>(p * H * W) * 4;
    let o = out + <usize>(p * Ho * Wo) * 4;
    let a = argmax + <usize>(p * Ho * Wo) * 4;
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        let best: f32 = -Infinity;
        let bi: i32 = -1;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw < 0 || iw >= W) continue;
            const v = load<f32>(plane + <usize>(ih * W + iw) * 4);
            if (v > best || bi < 0 || (v != v && best == best)) {
              best = v;
              bi = ih * W + iw;
            }
          }
        }
        store<f32>(o, best);
        store<i32>(a, bi);
        o += 4;
        a += 4;
      }
    }
  }
}

/** `v` replaces the running maximum if larger, or NaN over a number (ties keep the first). */
// @ts-ignore: decorator
@inline
function better(v: f32, best: f32): bool {
  return v > best || (v != v && best == best);
}

/** `better` on four lanes: a mask of the lanes where `v` replaces `best`. */
// @ts-ignore: decorator
@inline
function betterVec(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
}

/** The common 2x2 window, stride 2, no padding: every window lies inside, no bounds checks. */
function pool2x2(p0: i32, p1: i32, H: i32, W: i32, Ho: i32, Wo: i32, x: usize, out: usize, argmax: usize): void {
  const rowB = <usize>W * 4;
  const step = i32x4(0, 2, 4, 6);
  for (let p = p0; p < p1; p++) {
    const plane = x + <usize>(p * H * W) * 4;
    let o = out + <usize>(p * Ho * Wo) * 4;
    let a = argmax + <usize>(p * Ho * Wo) * 4;
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * 2;
      const r0 = plane + <usize>(ih * W) * 4;
      let ow = 0;
      // four windows at a time: even and odd columns of both rows, compared in the order
      // (top left, top right, bottom left, bottom right) as the scalar loop below
      for (; ow + 4 <= Wo; ow += 4) {
        const q = r0 + <usize>ow * 8;
        const t0 = v128.load(q), t1 = v128.load(q, 16);
        const b0 = v128.load(q + rowB), b1 = v128.load(q + rowB, 16);
        const tl = i32x4.shuffle(t0, t1, 0, 2, 4, 6), tr = i32x4.shuffle(t0, t1, 1, 3, 5, 7);
        const bl = i32x4.shuffle(b0, b1, 0, 2, 4, 6), br = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
        const i0 = i32x4.add(i32x4.splat(ih * W + ow * 2), step);
        let best = tl;
        let bi = i0;
        let m = betterVec(tr, best);
        best = v128.bitselect(tr, best, m);
        bi = v128.bitselect(i32x4.add(i0, i32x4.splat(1)), bi, m);
        m = betterVec(bl, best);
        best = v128.bitselect(bl, best, m);
        bi = v128.bitselect(i32x4.add(i0, i32x4.splat(W)), bi, m);
        m = betterVec(br, best);
        best = v128.bitselect(br, best, m);
        bi = v128.bitselect(i32x4.add(i0, i32x4.splat(W + 1)), bi, m);
        v128.store(o, best);
        v128.store(a, bi);
        o += 16;
        a += 16;
      }
      for (; ow < Wo; ow++) {
        const q = r0 + <usize>ow * 8;
        const i0 = ih * W + ow * 2;
        let best = load<f32>(q);
        let bi = i0;
        let v = load<f32>(q, 4);
        if (better(v, best)) { best = v; bi = i0 + 1; }
        v = load<f32>(q + rowB);
        if (better(v, best)) { best = v; bi = i0 + W; }
        v = load<f32>(q + rowB, 4);
        if (better(v, best)) { best = v; bi = i0 + W + 1; }
        store<f32>(o, best);
        store<i32>(a, bi);
        o += 4;
        a += 4;
      }
    }
  }
}

/**
 * For planes [p0, p1) of `x [P, H, W]`: out[p, oh, ow] = the sum over the window's elements
 * inside the input, times `1 / (kh kw)` (padding counts in the divisor), accumulated in float64
 * like the reference kernel. `geo` as for {@link maxPool2dF32}.
 */
export function avgPool2dF32(p0: i32, p1: i32, geo: usize, x: usize, out: usize, _work: usize): void {
  const H = load<i32>(geo), W = load<i32>(geo, 4), kh = load<i32>(geo, 8), kw = load<i32>(geo, 12);
  const sh = load<i32>(geo, 16), sw = load<i32>(geo, 20), ph = load<i32>(geo, 24), pw = load<i32>(geo, 28);
  const dh = load<i32>(geo, 32), dw = load<i32>(geo, 36), Ho = load<i32>(geo, 40), Wo = load<i32>(geo, 44);
  const scale: f64 = 1.0 / <f64>(kh * kw);
  for (let p = p0; p < p1; p++) {
    const plane = x + <usize>(p * H * W) * 4;
    let o = out + <usize>(p * Ho * Wo) * 4;
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        let s: f64 = 0;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw >= 0 && iw < W) s += <f64>load<f32>(plane + <usize>(ih * W + iw) * 4);
          }
        }
        store<f32>(o, <f32>(s * scale));
        o += 4;
      }
    }
  }
}

/**
 * The gradient of {@link avgPool2dF32} for planes [p0, p1): dx (zeroed here) receives each
 * output gradient times `1 / (kh kw)` at every in-bounds element of its window.
 */
export function avgPool2dBackwardF32(p0: i32, p1: i32, geo: usize, grad: usize, dx: usize, _work: usize): void {
  const H = load<i32>(geo), W = load<i32>(geo, 4), kh = load<i32>(geo, 8), kw = load<i32>(geo, 12);
  const sh = load<i32>(geo, 16), sw = load<i32>(geo, 20), ph = load<i32>(geo, 24), pw = load<i32>(geo, 28);
  const dh = load<i32>(geo, 32), dw = load<i32>(geo, 36), Ho = load<i32>(geo, 40), Wo = load<i32>(geo, 44);
  const scale: f64 = 1.0 / <f64>(kh * kw);
  memory.fill(dx + <usize>(p0 * H * W) * 4, 0, <usize>((p1 - p0) * H * W) * 4);
  for (let p = p0; p < p1; p++) {
    const plane = dx + <usize>(p * H * W) * 4;
    let gp = grad + <usize>(p * Ho * Wo) * 4;
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const v = <f32>(<f64>load<f32>(gp) * scale);
        gp += 4;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw >= 0 && iw < W) {
              const q = plane + <usize>(ih * W + iw) * 4;
              store<f32>(q, load<f32>(q) + v);
            }
          }
        }
      }
    }
  }
}
