import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { rowLength, rowStatsShape } from '../js/norm.js';
import { fusable, runRows } from './softmax.js';

// Layer norm on the wasm backend (assembly/norm.ts): float32 inputs of at least MIN_FUSED
// elements, rows of the last k dims streamed through the kernels a chunk at a time (runRows);
// float64 and small inputs run the reference kernels.

export function layerNorm(x: View, k: number, weight: View | null, bias: View | null, eps: number): { out: View; mean: View; rstd: View } {
  const n = rowLength(x.shape, k);
  if (!fusable(x, weight, bias) || n === 0) return jsBackend.layerNorm(x, k, weight, bias, eps);
  const stats = rowStatsShape(x.shape, k);
  const ins = [{ view: x, per: n }];
  if (weight) ins.push({ view: weight, per: 0 });
  if (bias) ins.push({ view: bias, per: 0 });
  const [out, mean, rstd] = runRows(x.size / n, ins, [{ shape: x.shape, per: n }, { shape: stats, per: 1 }, { shape: stats, per: 1 }], 0,
    (E, _r0, nr, p, [o, m, r]) => E.layerNormF32(nr, n, p[0]!, weight ? p[1]! : 0, bias ? p[weight ? 2 : 1]! : 0, o!, m!, r!, eps));
  return { out: out!, mean: mean!, rstd: rstd! };
}

export function layerNormBackward(g: View, x: View, mean: View, rstd: View, weight: View | null, k: number): View {
  const n = rowLength(x.shape, k);
  if (!fusable(g, x, mean, rstd, weight) || n === 0) return jsBackend.layerNormBackward(g, x, mean, rstd, weight, k);
  const ins = [{ view: g, per: n }, { view: x, per: n }, { view: mean, per: 1 }, { view: rstd, per: 1 }];
  if (weight) ins.push({ view: weight, per: 0 });
  return runRows(x.size / n, ins, [{ shape: x.shape, per: n }], 0, (E, _r0, nr, p, [o]) =>
    E.layerNormBackwardF32(nr, n, p[0]!, p[1]!, p[2]!, p[3]!, weight ? p[4]! : 0, o!))[0]!;
}

export function layerNormBackwardWeight(g: View, x: View, mean: View, rstd: View, k: number): View {
  const n = rowLength(x.shape, k);
  if (!fusable(g, x, mean, rstd) || n === 0) return jsBackend.layerNormBackwardWeight(g, x, mean, rstd, k);
  const rows = x.size / n;
  // the column sums accumulate across chunks in the float64 scratch; the last chunk writes them out
  const ins = [{ view: g, per: n }, { view: x, per: n }, { view: mean, per: 1 }, { view: rstd, per: 1 }];
  return runRows(rows, ins, [{ shape: x.shape.slice(x.shape.length - k), per: 0 }], n * 8, (E, r0, nr, p, [o], work) =>
    E.layerNormBackwardWeightF32(nr, n, p[0]!, p[1]!, p[2]!, p[3]!, work, o!, r0 === 0 ? 1 : 0, r0 + nr === rows ? 1 : 0))[0]!;
}
