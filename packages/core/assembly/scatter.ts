// Scatter kernels: float32 additions at int32 positions along the last dim, range-checked.

/**
 * `out[o, index[o, l]] += src[o, l]` over a run of `n` flat positions `start .. start + n` of the
 * row-major `[outer, L]` index and src (their chunk at `index` and `src`, element `start` first)
 * into the row-major `out [outer, D]`, in order (each target sums as the reference kernel does).
 * Stops at the first index outside `[0, D)` and returns its flat position plus 1; else 0.
 */
export function scatterAddF32(D: i32, L: i32, out: usize, index: usize, src: usize, start: i32, n: i32): i32 {
  const o = start / L;
  let l = start - o * L;
  let row = out + ((<usize>o * <usize>D) << 2);
  let done = 0;
  while (done < n) {
    // the rest of this row, or of the chunk
    const len = min(L - l, n - done);
    const bad = addRow(D, row, index + (<usize>done << 2), src + (<usize>done << 2), len);
    if (bad !== 0) return start + done + bad;
    done += len;
    l = 0;
    row += <usize>D << 2;
  }
  return 0;
}

/**
 * `row[index[i]] += src[i]` for i < n in order; returns the position plus 1 of the first index
 * outside `[0, D)` (nothing from there on is added), else 0. Four at a time: the indices of a
 * group are checked together before any of its additions.
 */
function addRow(D: i32, row: usize, index: usize, src: usize, n: i32): i32 {
  const vd = i32x4.splat(D);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const ki = v128.load(index + (<usize>i << 2));
    if (!i32x4.all_true(i32x4.lt_u(ki, vd))) break;
    const vs = v128.load(src + (<usize>i << 2));
    const p0 = row + (<usize>i32x4.extract_lane(ki, 0) << 2);
    store<f32>(p0, load<f32>(p0) + f32x4.extract_lane(vs, 0));
    const p1 = row + (<usize>i32x4.extract_lane(ki, 1) << 2);
    store<f32>(p1, load<f32>(p1) + f32x4.extract_lane(vs, 1));
    const p2 = row + (<usize>i32x4.extract_lane(ki, 2) << 2);
    store<f32>(p2, load<f32>(p2) + f32x4.extract_lane(vs, 2));
    const p3 = row + (<usize>i32x4.extract_lane(ki, 3) << 2);
    store<f32>(p3, load<f32>(p3) + f32x4.extract_lane(vs, 3));
  }
  for (; i < n; i++) {
    const k = load<i32>(index + (<usize>i << 2));
    if (<u32>k >= <u32>D) return i + 1;
    const p = row + (<usize>k << 2);
    store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>i << 2)));
  }
  return 0;
}
