import type { View } from '../backend.js';
import { alloc, dtypeOf } from './alloc.js';
import { linesOf } from './scan.js';

// Softmax and log-softmax along a dim, one pass per line, in float64 arithmetic rounded once
// into the output's dtype; and their gradients from the output.

/**
 * `softmax` (or with `log`, `logSoftmax`) of `x` along `dim`. The shift `m` is the line's max,
 * or 0 where that is not finite (a NaN, or an all -inf or +inf line): the same NaN and
 * infinity results as exp(x - max) / sum, without -inf - -inf.
 */
export function softmax(x: View, dim: number, log: boolean): View {
  const out = alloc(dtypeOf(x), x.shape);
  if (x.size === 0) return out;
  const { outer, len, inner, step, outerOff, innerOff } = linesOf(x, dim);
  const xd = x.data;
  const od = out.data;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = outerOff[o]! + innerOff[i]!;
      const ob = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) {
        const v = xd[base + j * step]!;
        if (v > m || v !== v) m = v;
        if (m !== m) break;
      }
      if (!Number.isFinite(m)) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(xd[base + j * step]! - m);
      if (log) {
        const ls = Math.log(s);
        for (let j = 0; j < len; j++) od[ob + j * inner] = xd[base + j * step]! - m - ls;
      } else {
        for (let j = 0; j < len; j++) od[ob + j * inner] = Math.exp(xd[base + j * step]! - m) / s;
      }
    }
  return out;
}

/** The gradient of {@link softmax} from its output `y`: `y (g - sum(g y))`, or `g - exp(y) sum(g)` with `log`. */
export function softmaxBackward(g: View, y: View, dim: number, log: boolean): View {
  const out = alloc(dtypeOf(g), g.shape);
  if (g.size === 0) return out;
  const G = linesOf(g, dim);
  const Y = linesOf(y, dim);
  const { outer, len, inner } = G;
  const gd = g.data;
  const yd = y.data;
  const od = out.data;
  const gs = G.step, ys = Y.step;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const gb = G.outerOff[o]! + G.innerOff[i]!;
      const yb = Y.outerOff[o]! + Y.innerOff[i]!;
      const ob = o * len * inner + i;
      let s = 0;
      if (log) {
        for (let j = 0; j < len; j++) s += gd[gb + j * gs]!;
        for (let j = 0; j < len; j++) od[ob + j * inner] = gd[gb + j * gs]! - Math.exp(yd[yb + j * ys]!) * s;
      } else {
        for (let j = 0; j < len; j++) s += gd[gb + j * gs]! * yd[yb + j * ys]!;
        for (let j = 0; j < len; j++) od[ob + j * inner] = yd[yb + j * ys]! * (gd[gb + j * gs]! - s);
      }
    }
  return out;
}
