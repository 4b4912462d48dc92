import type { DType } from '../../dtype.js';
import type { ReduceOp, View } from '../backend.js';
import { alloc } from './alloc.js';

/**
 * Reduces over `dims`, producing the keepdim shape. A row-major input whose reduced dims are
 * adjacent (the usual case: last dim, leading dims, everything) takes the `[outer, n, inner]`
 * loops of {@link reduceBlock}; any other layout takes one pass with an odometer, each input
 * element mapping to its output slot through the output's strides (0 on reduced dims).
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
  const block = contiguousBlock(x, dims);
  if (block) {
    reduceBlock(op, x.data, x.offset, block, acc);
    for (let i = 0; i < acc.length; i++) o[i] = acc[i]!;
    return out;
  }
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

/**
 * Index of the first max/min along `dim`, int32, keepdim shape. NaN wins, as in PyTorch.
 * The input is walked as `[outer, len, inner]` through its strides; for each outer slice the
 * running best of all inner positions is updated one `k` at a time, which reads a row-major
 * input in memory order whatever `dim` is.
 */
export function argReduce(op: 'argmax' | 'argmin', x: View, dim: number): View {
  const shape = x.shape;
  const outShape = shape.map((d, i) => (i === dim ? 1 : d));
  const out = alloc('int32', outShape);
  const len = shape.length === 0 ? 1 : shape[dim]!;
  if (len === 0) throw new Error(`${op}: cannot reduce over a zero-size dim (shape [${shape.join(',')}])`);
  const o = out.data;
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  if (out.size === 0) return out;
  const outer = out.size / inner;
  const xd = x.data;
  const xs = x.stride;
  const ks = shape.length === 0 ? 0 : xs[dim]!;
  // Storage offset of flat index `flat` over dims [from, to).
  const offsetOf = (flat: number, from: number, to: number): number => {
    let off = 0;
    for (let d = to - 1; d >= from; d--) {
      const s = shape[d]!;
      off += (flat % s) * xs[d]!;
      flat = Math.floor(flat / s);
    }
    return off;
  };
  const isMax = op === 'argmax';
  if (inner === 1) {
    // One strided run per output (the common case: reducing the last dim). A NaN ends the scan.
    for (let a = 0; a < outer; a++) {
      const base = x.offset + offsetOf(a, 0, dim);
      let bv = xd[base]!;
      let bi = 0;
      for (let k = 1; k < len && bv === bv; k++) {
        const v = xd[base + k * ks]!;
        if ((isMax ? v > bv : v < bv) || v !== v) {
          bv = v;
          bi = k;
        }
      }
      o[a] = bi;
    }
    return out;
  }
  const innerOff = new Int32Array(inner);
  for (let b = 0; b < inner; b++) innerOff[b] = offsetOf(b, dim + 1, shape.length);
  const best = new Float64Array(inner);
  for (let a = 0; a < outer; a++) {
    const ao = x.offset + offsetOf(a, 0, dim);
    const ob = a * inner;
    // k = 0 starts every position; a NaN seen stays the answer (v !== v marks it).
    for (let b = 0; b < inner; b++) {
      best[b] = xd[ao + innerOff[b]!]!;
      o[ob + b] = 0;
    }
    for (let k = 1; k < len; k++) {
      const base = ao + k * ks;
      if (isMax) {
        for (let b = 0; b < inner; b++) {
          const v = xd[base + innerOff[b]!]!;
          const cur = best[b]!;
          if ((v > cur || v !== v) && cur === cur) {
            best[b] = v;
            o[ob + b] = k;
          }
        }
      } else {
        for (let b = 0; b < inner; b++) {
          const v = xd[base + innerOff[b]!]!;
          const cur = best[b]!;
          if ((v < cur || v !== v) && cur === cur) {
            best[b] = v;
            o[ob + b] = k;
          }
        }
      }
    }
  }
  return out;
}

/** A row-major input seen as `[outer, n, inner]` with the reduced dims forming the middle `n`. */
interface Block {
  outer: number;
  n: number;
  inner: number;
}

/**
 * The `[outer, n, inner]` split of `x` when `x` is laid out row-major (any offset) and `dims`
 * (sorted) are adjacent, so the fast loops below can walk memory in order; otherwise null.
 */
function contiguousBlock(x: View, dims: readonly number[]): Block | null {
  const shape = x.shape;
  if (dims.length === 0 || shape.length === 0) return null;
  const first = dims[0]!;
  const last = dims[dims.length - 1]!;
  if (last - first !== dims.length - 1) return null;
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && x.stride[i] !== expected) return null;
    expected *= shape[i]!;
  }
  const prod = (from: number, to: number) => {
    let p = 1;
    for (let i = from; i < to; i++) p *= shape[i]!;
    return p;
  };
  return { outer: prod(0, first), n: prod(first, last + 1), inner: prod(last + 1, shape.length) };
}

/**
 * Reduces a row-major `[outer, n, inner]` block into `acc` (`[outer, inner]`, pre-filled with
 * the identity). With inner = 1 each output is one contiguous run; otherwise whole inner rows
 * are combined at a time, so memory is read in order either way. One loop per op keeps each
 * loop body free of branches on the op.
 */
function reduceBlock(op: ReduceOp, xd: View['data'], off: number, { outer, n, inner }: Block, acc: Float64Array): void {
  if (inner === 1) {
    for (let a = 0; a < outer; a++) {
      const base = off + a * n;
      let r = acc[a]!;
      switch (op) {
        case 'sum':
          for (let k = 0; k < n; k++) r += xd[base + k]!;
          break;
        case 'prod':
          for (let k = 0; k < n; k++) r *= xd[base + k]!;
          break;
        case 'max':
          for (let k = 0; k < n; k++) {
            const v = xd[base + k]!;
            if (v > r || v !== v) r = v;
          }
          break;
        case 'min':
          for (let k = 0; k < n; k++) {
            const v = xd[base + k]!;
            if (v < r || v !== v) r = v;
          }
          break;
      }
      acc[a] = r;
    }
    return;
  }
  for (let a = 0; a < outer; a++) {
    const ob = a * inner;
    for (let k = 0; k < n; k++) {
      const base = off + (a * n + k) * inner;
      switch (op) {
        case 'sum':
          for (let b = 0; b < inner; b++) acc[ob + b] += xd[base + b]!;
          break;
        case 'prod':
          for (let b = 0; b < inner; b++) acc[ob + b] *= xd[base + b]!;
          break;
        case 'max':
          for (let b = 0; b < inner; b++) {
            const v = xd[base + b]!;
            if (v > acc[ob + b]! || v !== v) acc[ob + b] = v;
          }
          break;
        case 'min':
          for (let b = 0; b < inner; b++) {
            const v = xd[base + b]!;
            if (v < acc[ob + b]! || v !== v) acc[ob + b] = v;
          }
          break;
      }
    }
  }
}
