import type { DType } from '../../dtype.js';
import type { ReduceOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { isF32, isRowMajor } from './layout.js';
import { contiguous, MIN_ELEMENTWISE, stage, takeF32, withRuntime } from './staging.js';

const REDUCE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };

/**
 * The reduction as one strided block `[outer, r, inner]` reduced over its middle dim, or null
 * when the reduced dims do not merge into one (e.g. dims 0 and 2 of a 3-D tensor).
 */
function reduceBlock(shape: readonly number[], stride: readonly number[], dims: readonly number[]) {
  const groups: Array<{ size: number; stride: number; reduced: boolean }> = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const reduced = dims.includes(i);
    const g = groups[groups.length - 1];
    if (g && g.reduced === reduced && g.stride === stride[i]! * shape[i]!) {
      g.size *= shape[i]!;
      g.stride = stride[i]!;
    } else groups.push({ size: shape[i]!, stride: stride[i]!, reduced });
  }
  const red = groups.filter((g) => g.reduced);
  if (red.length > 1) return null;
  const at = groups.findIndex((g) => g.reduced);
  const before = at < 0 ? groups : groups.slice(0, at);
  const after = at < 0 ? [] : groups.slice(at + 1);
  if (before.length > 1 || after.length > 1) return null;
  return {
    outer: before[0]?.size ?? 1, s0: before[0]?.stride ?? 0,
    r: red[0]?.size ?? 1, s1: red[0]?.stride ?? 0,
    inner: after[0]?.size ?? 1, s2: after[0]?.stride ?? 0,
  };
}

function reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): View {
  const code = REDUCE[op];
  if (code === undefined || outDtype !== 'float32' || !isF32(x) || x.size < MIN_ELEMENTWISE)
    return jsBackend.reduce(op, x, dims, outDtype);
  const outShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  return withRuntime((rt) => {
    const E = rt.exports;
    const S = stage(rt, x);
    const blk = reduceBlock(x.shape, S.stride, dims);
    if (blk) {
      const out = rt.alloc(blk.outer * blk.inner * 4);
      const work = rt.alloc(blk.inner * 8);
      E.reduceF32(code, blk.outer, blk.r, blk.inner, S.ptr, blk.s0, blk.s1, blk.s2, out, work);
      return takeF32(rt, out, outShape);
    }
    // Several separate reduced dims (e.g. the bias gradient of a convolution, dims 0, 2, 3):
    // reduce one run of dims at a time, innermost first, on a contiguous copy (the staged one
    // when it is already row-major: staging twice would copy the whole input again).
    let ptr = isRowMajor(x.shape, S.stride) ? S.ptr : contiguous(rt, x);
    const groups = runs(x.shape, dims);
    for (let g = groups.length - 1; g >= 0; g--) {
      if (!groups[g]!.reduced) continue;
      let outer = 1;
      let inner = 1;
      for (let i = 0; i < g; i++) outer *= groups[i]!.size;
      for (let i = g + 1; i < groups.length; i++) inner *= groups[i]!.size;
      const r = groups[g]!.size;
      const out = rt.alloc(outer * inner * 4);
      const work = rt.alloc(inner * 8);
      E.reduceF32(code, outer, r, inner, ptr, r * inner, inner, 1, out, work);
      ptr = out;
      groups[g]!.size = 1;
    }
    return takeF32(rt, ptr, outShape);
  });
}

/** Maximal runs of adjacent dims that are all reduced or all kept (contiguous layout). */
function runs(shape: readonly number[], dims: readonly number[]): Array<{ size: number; reduced: boolean }> {
  const out: Array<{ size: number; reduced: boolean }> = [];
  for (let i = 0; i < shape.length; i++) {
    const reduced = dims.includes(i);
    const last = out[out.length - 1];
    if (last && last.reduced === reduced) last.size *= shape[i]!;
    else out.push({ size: shape[i]!, reduced });
  }
  return out;
}

/** The reductions of the wasm backend. @internal */
export const reduceKernels = { reduce };
