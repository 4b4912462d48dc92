// Layout helpers: strided gathers into contiguous buffers.

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
