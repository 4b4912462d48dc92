import type { View } from '../backend.js';
import { alloc, dtypeOf, toContiguous } from './alloc.js';

// Layer norm over the last k dims and its gradients, row by row in float64 arithmetic, each
// result rounded once into x's dtype. Rows are the R = size / n blocks of n trailing elements.

/** The per-row shape: x's shape with its last `k` dims 1. */
export function rowStatsShape(shape: readonly number[], k: number): number[] {
  return shape.map((d, i) => (i >= shape.length - k ? 1 : d));
}

/** Elements per row: the product of the last `k` dims. */
export function rowLength(shape: readonly number[], k: number): number {
  let n = 1;
  for (let i = shape.length - k; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** `(x - mean) rstd * weight + bias` per row of n elements, the biased variance centred first. */
export function layerNorm(x: View, k: number, weight: View | null, bias: View | null, eps: number): { out: View; mean: View; rstd: View } {
  const dt = dtypeOf(x);
  const n = rowLength(x.shape, k);
  const R = n === 0 ? 0 : x.size / n;
  const out = alloc(dt, x.shape);
  const mean = alloc(dt, rowStatsShape(x.shape, k));
  const rstd = alloc(dt, rowStatsShape(x.shape, k));
  if (n === 0) {
    mean.data.fill(NaN);
    rstd.data.fill(NaN);
    return { out, mean, rstd };
  }
  const xd = toContiguous(x).data;
  const wd = weight ? toContiguous(weight).data : null;
  const bd = bias ? toContiguous(bias).data : null;
  const od = out.data;
  for (let r = 0; r < R; r++) {
    const p = r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += xd[p + j]!;
    const mu = s / n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const d = xd[p + j]! - mu;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / n + eps);
    mean.data[r] = mu;
    rstd.data[r] = rs;
    for (let j = 0; j < n; j++) {
      let y = (xd[p + j]! - mu) * rs;
      if (wd) y *= wd[j]!;
      if (bd) y += bd[j]!;
      od[p + j] = y;
    }
  }
  return { out, mean, rstd };
}

/** The input gradient: per row `rstd (a - mean(a) - xh mean(a xh))`, `a = g weight`, `xh = (x - mean) rstd`. */
export function layerNormBackward(g: View, x: View, mean: View, rstd: View, weight: View | null, k: number): View {
  const n = rowLength(x.shape, k);
  const out = alloc(dtypeOf(g), x.shape);
  if (n === 0 || x.size === 0) return out;
  const R = x.size / n;
  const gd = toContiguous(g).data;
  const xd = toContiguous(x).data;
  const md = toContiguous(mean).data;
  const rd = toContiguous(rstd).data;
  const wd = weight ? toContiguous(weight).data : null;
  const od = out.data;
  for (let r = 0; r < R; r++) {
    const p = r * n;
    const mu = md[r]!, rs = rd[r]!;
    let sa = 0, sax = 0;
    for (let j = 0; j < n; j++) {
      const a = wd ? gd[p + j]! * wd[j]! : gd[p + j]!;
      sa += a;
      sax += a * (xd[p + j]! - mu) * rs;
    }
    const ma = sa / n, max = sax / n;
    for (let j = 0; j < n; j++) {
      const a = wd ? gd[p + j]! * wd[j]! : gd[p + j]!;
      od[p + j] = rs * (a - ma - (xd[p + j]! - mu) * rs * max);
    }
  }
  return out;
}

/** The weight gradient: `sum over rows of g xh`, of x's last `k` dims. */
export function layerNormBackwardWeight(g: View, x: View, mean: View, rstd: View, k: number): View {
  const n = rowLength(x.shape, k);
  const out = alloc(dtypeOf(g), x.shape.slice(x.shape.length - k));
  if (n === 0 || x.size === 0) return out;
  const R = x.size / n;
  const gd = toContiguous(g).data;
  const xd = toContiguous(x).data;
  const md = toContiguous(mean).data;
  const rd = toContiguous(rstd).data;
  const acc = new Float64Array(n);
  for (let r = 0; r < R; r++) {
    const p = r * n;
    const mu = md[r]!, rs = rd[r]!;
    for (let j = 0; j < n; j++) acc[j]! += gd[p + j]! * (xd[p + j]! - mu) * rs;
  }
  out.data.set(acc);
  return out;
}
