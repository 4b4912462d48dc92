import type { DType } from '../../dtype.js';
import type { ScanOp, View } from '../backend.js';
import { alloc } from './alloc.js';

/**
 * The `[outer, len, inner]` walk of a strided view along `dim`: the storage offset of each
 * outer slice (odometer over the dims before `dim`) and of each inner position (the dims after
 * it), so a kernel can visit every line along `dim` in O(1) per element. @internal
 */
export interface Lines {
  outer: number;
  len: number;
  inner: number;
  /** Storage step between consecutive elements of a line. */
  step: number;
  outerOff: Int32Array;
  innerOff: Int32Array;
}

function offsets(shape: readonly number[], stride: readonly number[], from: number, to: number): Int32Array {
  let n = 1;
  for (let d = from; d < to; d++) n *= shape[d]!;
  const out = new Int32Array(n);
  if (n === 0) return out;
  const idx = new Array<number>(to - from).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let d = to - 1; d >= from; d--) {
      const j = d - from;
      idx[j]!++;
      off += stride[d]!;
      if (idx[j]! < shape[d]!) break;
      off -= stride[d]! * shape[d]!;
      idx[j] = 0;
    }
  }
  return out;
}

/** The lines of `x` along `dim` (a 0-d view is one line of length 1). @internal */
export function linesOf(x: View, dim: number): Lines {
  const shape = x.shape;
  if (shape.length === 0) return { outer: 1, len: 1, inner: 1, step: 0, outerOff: Int32Array.of(x.offset), innerOff: Int32Array.of(0) };
  const outerOff = offsets(shape, x.stride, 0, dim);
  for (let i = 0; i < outerOff.length; i++) outerOff[i] += x.offset;
  const innerOff = offsets(shape, x.stride, dim + 1, shape.length);
  return { outer: outerOff.length, len: shape[dim]!, inner: innerOff.length, step: x.stride[dim]!, outerOff, innerOff };
}

/**
 * Inclusive scan along `dim` (from the last element backwards with `reverse`): running sums,
 * products, or `log(sum(exp))` (each step `m + log1p(exp(-|a - b|))`, stable for any range).
 * Accumulates in float64; result contiguous, x's shape, in `outDtype`. O(n), any strides.
 */
export function scan(op: ScanOp, x: View, dim: number, reverse: boolean, outDtype: DType): View {
  const out = alloc(outDtype, x.shape);
  if (x.size === 0) return out;
  const { outer, len, inner, step, outerOff, innerOff } = linesOf(x, dim);
  const xd = x.data;
  const o = out.data;
  // Lines are visited together, one step along `dim` at a time across all inner positions, so a
  // row-major input is read in memory order whatever `dim` is; `acc` holds each line's total.
  const acc = new Float64Array(inner);
  const init = op === 'sum' ? 0 : op === 'prod' ? 1 : -Infinity;
  if (inner === 1 && op !== 'logsumexp') {
    // One strided run per line (the usual last-dim scan): a tight loop.
    const ostep = reverse ? -1 : 1;
    const xstep = reverse ? -step : step;
    for (let a = 0; a < outer; a++) {
      let p = reverse ? a * len + len - 1 : a * len;
      let xp = outerOff[a]! + innerOff[0]! + (reverse ? (len - 1) * step : 0);
      let r = init;
      if (op === 'sum') for (let k = 0; k < len; k++, p += ostep, xp += xstep) o[p] = r += xd[xp]!;
      else for (let k = 0; k < len; k++, p += ostep, xp += xstep) o[p] = r *= xd[xp]!;
    }
    return out;
  }
  // Inner dims laid out row-major: inner positions are consecutive in storage.
  let dense = true;
  for (let b = 0; b < inner && dense; b++) dense = innerOff[b] === b;
  for (let a = 0; a < outer; a++) {
    acc.fill(init);
    const base = outerOff[a]!;
    for (let i = 0; i < len; i++) {
      const k = reverse ? len - 1 - i : i;
      const xk = base + k * step;
      const ok = (a * len + k) * inner;
      if (op === 'sum' && dense) {
        for (let b = 0; b < inner; b++) {
          const r = acc[b]! + xd[xk + b]!;
          acc[b] = r;
          o[ok + b] = r;
        }
      } else if (op === 'sum') {
        for (let b = 0; b < inner; b++) o[ok + b] = acc[b] += xd[xk + innerOff[b]!]!;
      } else if (op === 'prod') {
        for (let b = 0; b < inner; b++) o[ok + b] = acc[b] *= xd[xk + innerOff[b]!]!;
      } else {
        for (let b = 0; b < inner; b++) {
          const v = xd[xk + innerOff[b]!]!;
          const c = acc[b]!;
          let r: number;
          if (c === -Infinity) r = v;
          else if (v === c) r = c + Math.LN2; // also inf + inf, where |c - v| is NaN
          else if (v === -Infinity) r = c;
          else r = Math.max(c, v) + Math.log1p(Math.exp(-Math.abs(c - v)));
          o[ok + b] = acc[b] = r;
        }
      }
    }
  }
  return out;
}

/**
 * Running max (or min) along `dim` and the index where it was reached: `>=` (`<=`), so a tie
 * moves the index to the later element, and a NaN, once seen, stays with its index (PyTorch's
 * cummax/cummin). Values in x's dtype, indices int32, both contiguous of x's shape.
 */
export function cumExtreme(op: 'max' | 'min', x: View, dim: number, outDtype: DType): { values: View; indices: View } {
  const values = alloc(outDtype, x.shape);
  const indices = alloc('int32', x.shape);
  if (x.size === 0) return { values, indices };
  const { outer, len, inner, step, outerOff, innerOff } = linesOf(x, dim);
  const xd = x.data;
  const vd = values.data;
  const id = indices.data;
  const isMax = op === 'max';
  // As in scan: all lines of an outer slice advance together, reading memory in order.
  const best = new Float64Array(inner);
  const where = new Int32Array(inner);
  for (let a = 0; a < outer; a++) {
    const base = outerOff[a]!;
    for (let k = 0; k < len; k++) {
      const xk = base + k * step;
      const ok = (a * len + k) * inner;
      for (let b = 0; b < inner; b++) {
        const v = xd[xk + innerOff[b]!]!;
        const c = best[b]!;
        if (k === 0 || (c === c && (v !== v || (isMax ? v >= c : v <= c)))) {
          best[b] = v;
          where[b] = k;
        }
        vd[ok + b] = best[b]!;
        id[ok + b] = where[b]!;
      }
    }
  }
  return { values, indices };
}
