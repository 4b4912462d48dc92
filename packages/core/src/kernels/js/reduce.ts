import type { DType } from '../../dtype.js';
import type { ReduceOp, View } from '../backend.js';
import { alloc } from './alloc.js';

/**
 * Reduces over `dims`, producing the keepdim shape. One pass over the input with an odometer;
 * each input element maps to its output slot through the output's strides (0 on reduced dims).
 */
export function reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): View {
  const shape = x.shape;
  const nd = shape.length;
  const outShape = shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const out = alloc(outDtype, outShape);
  const o = out.data;
  const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
  if (x.size === 0) {
    if ((op === 'max' || op === 'min') && out.size > 0)
      throw new Error(`${op}: cannot reduce over a zero-size dim (shape [${shape.join(',')}])`);
    o.fill(init);
    return out;
  }
  // Accumulate in a float64 buffer: float32 sums of many terms keep their precision.
  const acc = new Float64Array(out.size).fill(init);
  const ostr = out.stride.map((s, i) => (dims.includes(i) ? 0 : s));
  const xs = x.stride;
  const xd = x.data;
  if (nd === 0) {
    acc[0] = xd[x.offset]!;
  } else {
    const idx = new Array<number>(nd).fill(0);
    const last = nd - 1;
    const len = shape[last]!;
    const xsl = xs[last]!;
    const osl = ostr[last]!;
    let xp = x.offset;
    let op_ = 0;
    const n = x.size;
    for (let count = 0; count < n; count += len) {
      switch (op) {
        case 'sum':
          if (osl === 0) {
            let s = 0;
            for (let i = 0; i < len; i++) s += xd[xp + i * xsl]!;
            acc[op_] += s;
          } else for (let i = 0; i < len; i++) acc[op_ + i * osl] += xd[xp + i * xsl]!;
          break;
        case 'prod':
          for (let i = 0; i < len; i++) acc[op_ + i * osl] *= xd[xp + i * xsl]!;
          break;
        case 'max':
          for (let i = 0; i < len; i++) {
            const v = xd[xp + i * xsl]!;
            const j = op_ + i * osl;
            if (v > acc[j]! || v !== v) acc[j] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < len; i++) {
            const v = xd[xp + i * xsl]!;
            const j = op_ + i * osl;
            if (v < acc[j]! || v !== v) acc[j] = v;
          }
          break;
      }
      for (let d = last - 1; d >= 0; d--) {
        idx[d]!++;
        xp += xs[d]!;
        op_ += ostr[d]!;
        if (idx[d]! < shape[d]!) break;
        xp -= xs[d]! * shape[d]!;
        op_ -= ostr[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
  }
  for (let i = 0; i < acc.length; i++) o[i] = acc[i]!;
  return out;
}

/** Index of the first max/min along `dim`, int32, keepdim shape. NaN wins, as in PyTorch. */
export function argReduce(op: 'argmax' | 'argmin', x: View, dim: number): View {
  const shape = x.shape;
  const outShape = shape.map((d, i) => (i === dim ? 1 : d));
  const out = alloc('int32', outShape);
  const len = shape[dim]!;
  if (len === 0) throw new Error(`${op}: cannot reduce over a zero-size dim (shape [${shape.join(',')}])`);
  const best = new Float64Array(out.size).fill(op === 'argmax' ? -Infinity : Infinity);
  const o = out.data;
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const xd = x.data;
  const xs = x.stride;
  // Decompose outer and inner flat indices into strided offsets.
  const offsetOf = (flat: number, from: number, to: number): number => {
    let off = 0;
    for (let d = to - 1; d >= from; d--) {
      const s = shape[d]!;
      off += (flat % s) * xs[d]!;
      flat = Math.floor(flat / s);
    }
    return off;
  };
  for (let a = 0; a < outer; a++) {
    const ao = x.offset + offsetOf(a, 0, dim);
    for (let b = 0; b < inner; b++) {
      const base = ao + offsetOf(b, dim + 1, shape.length);
      const oi = a * inner + b;
      let bi = 0;
      let bv = best[oi]!;
      for (let k = 0; k < len; k++) {
        const v = xd[base + k * xs[dim]!]!;
        if (v !== v) {
          bi = k;
          break;
        }
        if (op === 'argmax' ? v > bv : v < bv) {
          bv = v;
          bi = k;
        }
      }
      o[oi] = bi;
    }
  }
  return out;
}
