import type { View } from '../backend.js';
import { alloc, dtypeOf, toContiguous } from './alloc.js';

// One LSTM step's pointwise part, row by row in float64 arithmetic, each result rounded once
// into the operands' dtype. Gates in PyTorch's order i, f, g, o, each H wide: with a = gi + gh,
//   i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c1 = f c + i g, h1 = o tanh(c1).
// The backward from (dh1, dc1): dc = dc1 + dh1 o (1 - tanh²(c1)), then
//   da_i = dc g i (1 - i), da_f = dc c f (1 - f), da_g = dc i (1 - g²), da_o = dh1 tanh(c1) o (1 - o),
// and dc0 = dc f.

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** `{ out: [b, 2H] (h1 then c1), act: [b, 4H] (i, f, g, o) }` from gi, gh [b, 4H] and c [b, H]. */
export function lstmCell(gi: View, gh: View, c: View): { out: View; act: View } {
  const dt = dtypeOf(gi);
  const [b, H] = c.shape as [number, number];
  const out = alloc(dt, [b, 2 * H]), act = alloc(dt, [b, 4 * H]);
  const x = toContiguous(gi).data, y = toContiguous(gh).data, cd = toContiguous(c).data;
  const o = out.data, a = act.data;
  for (let r = 0; r < b; r++) {
    const p = 4 * H * r;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(x[p + j]! + y[p + j]!);
      const f = sigmoid(x[p + H + j]! + y[p + H + j]!);
      const g = Math.tanh(x[p + 2 * H + j]! + y[p + 2 * H + j]!);
      const og = sigmoid(x[p + 3 * H + j]! + y[p + 3 * H + j]!);
      a[p + j] = i;
      a[p + H + j] = f;
      a[p + 2 * H + j] = g;
      a[p + 3 * H + j] = og;
      const c1 = f * cd[H * r + j]! + i * g;
      o[2 * H * r + j] = og * Math.tanh(c1);
      o[2 * H * r + H + j] = c1;
    }
  }
  return { out, act };
}

/** `{ dgates: [b, 4H], dc: [b, H] }` from the output gradient g [b, 2H] (dh1 then dc1), act and c. */
export function lstmCellBackward(g: View, act: View, c: View): { dgates: View; dc: View } {
  const dt = dtypeOf(act);
  const [b, H] = c.shape as [number, number];
  const dgates = alloc(dt, [b, 4 * H]), dc = alloc(dt, [b, H]);
  const gd = toContiguous(g).data, a = toContiguous(act).data, cd = toContiguous(c).data;
  const d = dgates.data, dcd = dc.data;
  for (let r = 0; r < b; r++) {
    const p = 4 * H * r;
    for (let j = 0; j < H; j++) {
      const i = a[p + j]!, f = a[p + H + j]!, gg = a[p + 2 * H + j]!, og = a[p + 3 * H + j]!;
      const c0 = cd[H * r + j]!;
      const tc = Math.tanh(f * c0 + i * gg);
      const dh1 = gd[2 * H * r + j]!, dc1 = gd[2 * H * r + H + j]!;
      const dcs = dc1 + dh1 * og * (1 - tc * tc);
      d[p + j] = dcs * gg * i * (1 - i);
      d[p + H + j] = dcs * c0 * f * (1 - f);
      d[p + 2 * H + j] = dcs * i * (1 - gg * gg);
      d[p + 3 * H + j] = dh1 * tc * og * (1 - og);
      dcd[H * r + j] = dcs * f;
    }
  }
  return { dgates, dc };
}
