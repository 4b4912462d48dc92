import type { View } from '../backend.js';
import { alloc, dtypeOf, toContiguous } from './alloc.js';

// Resampling along one dim by a sparse matrix of K taps per output position (the nearest,
// linear and cubic interpolations), and its transpose; float64 arithmetic rounded once.

/** [outer, inner] of a shape around `dim`. */
export function around(shape: readonly number[], dim: number): [number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, inner];
}

/** `out[o, i, r] = sum_k weight[i, k] x[o, index[i, k], r]` over the [outer, L, inner] blocks of x. */
export function resample(x: View, dim: number, index: View, weight: View): View {
  const [M, K] = index.shape as [number, number];
  const shape = x.shape.map((d, i) => (i === dim ? M : d));
  const out = alloc(dtypeOf(x), shape);
  if (out.size === 0) return out;
  const L = x.shape[dim]!;
  const [outer, inner] = around(x.shape, dim);
  const xd = toContiguous(x).data;
  const id = toContiguous(index).data;
  const wd = toContiguous(weight).data;
  const od = out.data;
  for (let o = 0; o < outer; o++) {
    const xo = o * L * inner, oo = o * M * inner;
    for (let i = 0; i < M; i++)
      for (let r = 0; r < inner; r++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += wd[i * K + k]! * xd[xo + id[i * K + k]! * inner + r]!;
        od[oo + i * inner + r] = s;
      }
  }
  return out;
}

/** The transpose: `gx[o, index[i, k], r] += weight[i, k] g[o, i, r]`, gx with `inSize` at `dim`. */
export function resampleBackward(g: View, dim: number, index: View, weight: View, inSize: number): View {
  const [M, K] = index.shape as [number, number];
  const shape = g.shape.map((d, i) => (i === dim ? inSize : d));
  const [outer, inner] = around(g.shape, dim);
  const acc = new Float64Array(outer * inSize * inner);
  const gd = toContiguous(g).data;
  const id = toContiguous(index).data;
  const wd = toContiguous(weight).data;
  for (let o = 0; o < outer; o++) {
    const ao = o * inSize * inner, go = o * M * inner;
    for (let i = 0; i < M; i++)
      for (let k = 0; k < K; k++) {
        const w = wd[i * K + k]!;
        const a = ao + id[i * K + k]! * inner;
        for (let r = 0; r < inner; r++) acc[a + r]! += w * gd[go + i * inner + r]!;
      }
  }
  const out = alloc(dtypeOf(g), shape);
  out.data.set(acc);
  return out;
}
