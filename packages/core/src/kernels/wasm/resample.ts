import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { fusable, runRows } from './softmax.js';
import { around } from '../js/resample.js';

// Resampling along a dim on the wasm backend (assembly/resample.ts): float32 inputs of at
// least MIN_FUSED elements, a chunk of [L, inner] blocks at a time (runRows), the taps staged
// once as int32 and float32; float64 and small inputs run the reference kernels.

export function resample(x: View, dim: number, index: View, weight: View): View {
  const [M, K] = index.shape as [number, number];
  if (!fusable(x) || M * K === 0) return jsBackend.resample(x, dim, index, weight);
  const L = x.shape[dim]!;
  const [outer, inner] = around(x.shape, dim);
  const shape = x.shape.map((d, i) => (i === dim ? M : d));
  return runRows(outer, [{ view: x, per: L * inner }, { view: index, per: 0 }, { view: weight, per: 0 }], [{ shape, per: M * inner }], 0,
    (E, _r0, nr, [xp, ip, wp], [op]) => E.resampleF32(nr, L, inner, M, K, xp!, ip!, wp!, op!))[0]!;
}

export function resampleBackward(g: View, dim: number, index: View, weight: View, inSize: number): View {
  const [M, K] = index.shape as [number, number];
  if (!fusable(g) || M * K === 0 || inSize === 0) return jsBackend.resampleBackward(g, dim, index, weight, inSize);
  const [outer, inner] = around(g.shape, dim);
  const shape = g.shape.map((d, i) => (i === dim ? inSize : d));
  return runRows(outer, [{ view: g, per: M * inner }, { view: index, per: 0 }, { view: weight, per: 0 }], [{ shape, per: inSize * inner }], 0,
    (E, _r0, nr, [gp, ip, wp], [op]) => E.resampleBackwardF32(nr, inSize, inner, M, K, gp!, ip!, wp!, op!))[0]!;
}
