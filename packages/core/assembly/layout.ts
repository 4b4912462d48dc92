// Layout helpers: strided gathers into contiguous buffers, fills and copies.

/**
 * Writes the 32-bit pattern `bits` (a float32's or an int32's) to the `n` words at `dst`. JS's
 * `TypedArray.fill` goes element by element over a shared memory: filling 9.4 MB of it with
 * zeros takes 0.65 ms that way and 0.10 ms here.
 */
export function fill32(dst: usize, n: i32, bits: i32): void {
  if (bits == 0) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), bits);
}

/** Copies `bytes` bytes from `src` to `dst` (the ranges may overlap) at memcpy speed (9.4 MB of shared memory: 0.34 ms, against 0.39 ms for `copyWithin`). */
export function copyBytes(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}

/**
 * `dst` (contiguous, row-major) = the `nd`-dim strided view at `src`: shape and strides (in
 * elements, any sign) are `nd` int32s at `shape` and `strides`, and `nd` more int32s of scratch
 * must follow the strides. The last dim runs innermost.
 */
export function copyStridedF32(nd: i32, shape: usize, strides: usize, src: usize, dst: usize): void {
  if (nd == 0) {
    store<f32>(dst, load<f32>(src));
    return;
  }
  const last = nd - 1;
  const len = load<i32>(shape + <usize>last * 4);
  const st = <isize>load<i32>(strides + <usize>last * 4) * 4;
  let total: i32 = 1;
  for (let d = 0; d < nd; d++) total *= load<i32>(shape + <usize>d * 4);
  if (total == 0) return;
  // odometer over the outer dims: the caller leaves room for nd more int32s after the strides
  const idx = strides + <usize>nd * 4;
  for (let d = 0; d < nd; d++) store<i32>(idx + <usize>d * 4, 0);
  let p = <isize>src;
  for (let done = 0; done < total; done += len) {
    let q = p;
    if (st == 4) {
      memory.copy(dst, <usize>q, <usize>len * 4);
      dst += <usize>len * 4;
    } else {
      for (let i = 0; i < len; i++) {
        store<f32>(dst, load<f32>(<usize>q));
        q += st;
        dst += 4;
      }
    }
    for (let d = last - 1; d >= 0; d--) {
      const id = idx + <usize>d * 4;
      const n = load<i32>(shape + <usize>d * 4);
      const s = <isize>load<i32>(strides + <usize>d * 4) * 4;
      const k = load<i32>(id) + 1;
      p += s;
      if (k < n) {
        store<i32>(id, k);
        break;
      }
      p -= s * <isize>n;
      store<i32>(id, 0);
    }
  }
}

/**
 * `dst[j, i] = src[i, j]`: the transpose of `src [rows, cols]` (row stride `ld` elements) into
 * a row-major `dst [cols, rows]`, by 4x4 register blocks inside 32x32 tiles (reading one matrix
 * along rows and writing the other along rows; a plain strided copy misses cache every element).
 */
export function transposeF32(rows: i32, cols: i32, src: usize, ld: i32, dst: usize): void {
  const T = 32;
  const ls = <usize>ld * 4, ldst = <usize>rows * 4;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = min(cols, j0 + T);
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        let j = j0;
        const s0 = src + <usize>i * ls;
        for (; j + 4 <= j1; j += 4) {
          const p = s0 + <usize>j * 4;
          const r0 = v128.load(p), r1 = v128.load(p + ls), r2 = v128.load(p + 2 * ls), r3 = v128.load(p + 3 * ls);
          // 4x4 transpose: interleave pairs, then halves
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const d = dst + <usize>j * ldst + <usize>i * 4;
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(d + ldst, i64x2.shuffle(t0, t1, 1, 3));
          v128.store(d + 2 * ldst, i64x2.shuffle(t2, t3, 0, 2));
          v128.store(d + 3 * ldst, i64x2.shuffle(t2, t3, 1, 3));
        }
        for (; j < j1; j++)
          for (let r = 0; r < 4; r++) store<f32>(dst + <usize>j * ldst + <usize>(i + r) * 4, load<f32>(src + <usize>(i + r) * ls + <usize>j * 4));
      }
      for (; i < i1; i++)
        for (let j = j0; j < j1; j++) store<f32>(dst + <usize>j * ldst + <usize>i * 4, load<f32>(src + <usize>i * ls + <usize>j * 4));
    }
  }
}
