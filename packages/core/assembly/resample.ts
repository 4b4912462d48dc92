// Resampling along the middle dim of contiguous float32 blocks [outer, L, inner] by a sparse
// [M, K] matrix (int32 `index`, float32 `weight`): the nearest, linear and cubic
// interpolations, and the transpose (their gradient). float32 arithmetic; the reference
// (src/kernels/js/resample.ts) computes in float64.

/** `out[o, i, r] = sum_k weight[i, k] x[o, index[i, k], r]`. */
export function resampleF32(outer: i32, L: i32, inner: i32, M: i32, K: i32, x: usize, index: usize, weight: usize, out: usize): void {
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>L * rowBytes, oo = out + <usize>o * <usize>M * rowBytes;
    if (inner == 1) {
      for (let i = 0; i < M; i++) {
        let s: f32 = 0;
        for (let k = 0; k < K; k++) {
          const t = <usize>(i * K + k) << 2;
          s += load<f32>(weight + t) * load<f32>(xo + (<usize>load<i32>(index + t) << 2));
        }
        store<f32>(oo + (<usize>i << 2), s);
      }
      continue;
    }
    for (let i = 0; i < M; i++) {
      const orow = oo + <usize>i * rowBytes;
      for (let k = 0; k < K; k++) {
        const t = <usize>(i * K + k) << 2;
        const w = load<f32>(weight + t);
        const wv = f32x4.splat(w);
        const xrow = xo + <usize>load<i32>(index + t) * rowBytes;
        let r = 0;
        if (k == 0) {
          for (; r + 4 <= inner; r += 4) v128.store(orow + (<usize>r << 2), f32x4.mul(wv, v128.load(xrow + (<usize>r << 2))));
          for (; r < inner; r++) store<f32>(orow + (<usize>r << 2), w * load<f32>(xrow + (<usize>r << 2)));
        } else {
          for (; r + 4 <= inner; r += 4) {
            const p = orow + (<usize>r << 2);
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(wv, v128.load(xrow + (<usize>r << 2)))));
          }
          for (; r < inner; r++) {
            const p = orow + (<usize>r << 2);
            store<f32>(p, load<f32>(p) + w * load<f32>(xrow + (<usize>r << 2)));
          }
        }
      }
      if (K == 0) memory.fill(orow, 0, rowBytes);
    }
  }
}

/** The transpose: `out[o, index[i, k], r] += weight[i, k] g[o, i, r]`, out [outer, L, inner] zeroed first. */
export function resampleBackwardF32(outer: i32, L: i32, inner: i32, M: i32, K: i32, g: usize, index: usize, weight: usize, out: usize): void {
  const rowBytes = <usize>inner << 2;
  memory.fill(out, 0, <usize>outer * <usize>L * rowBytes);
  for (let o = 0; o < outer; o++) {
    const go = g + <usize>o * <usize>M * rowBytes, oo = out + <usize>o * <usize>L * rowBytes;
    for (let i = 0; i < M; i++) {
      const grow = go + <usize>i * rowBytes;
      for (let k = 0; k < K; k++) {
        const t = <usize>(i * K + k) << 2;
        const w = load<f32>(weight + t);
        const arow = oo + <usize>load<i32>(index + t) * rowBytes;
        if (inner == 1) {
          store<f32>(arow, load<f32>(arow) + w * load<f32>(grow));
          continue;
        }
        const wv = f32x4.splat(w);
        let r = 0;
        for (; r + 4 <= inner; r += 4) {
          const p = arow + (<usize>r << 2);
          v128.store(p, f32x4.add(v128.load(p), f32x4.mul(wv, v128.load(grow + (<usize>r << 2)))));
        }
        for (; r < inner; r++) {
          const p = arow + (<usize>r << 2);
          store<f32>(p, load<f32>(p) + w * load<f32>(grow + (<usize>r << 2)));
        }
      }
    }
  }
}
