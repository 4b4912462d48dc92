import { allocateUninitialized } from '../../dtype.js';
import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type WasmRuntime } from './module.js';
import { isRowMajor } from '../view.js';

// Softmax and log-softmax on the wasm backend (assembly/softmax.ts), and the row runner that
// layer norm (norm.ts) and resampling (resample.ts) share: float32 inputs of at least MIN_FUSED elements stream through
// the kernels a chunk of rows at a time (staged, computed and copied out while in cache) on the
// calling thread, in the unshared memory of streamRuntime, which V8 copies into 1.5x faster
// than into shared memory; float64 and small inputs run the reference kernels.

/** The wasm kernels of this file, norm.ts and resample.ts (addresses are byte offsets into the memory). */
export interface FusedExports {
  softmaxF32(outer: number, len: number, inner: number, x: number, out: number, log: number, work: number): void;
  softmaxBackwardF32(outer: number, len: number, inner: number, g: number, y: number, out: number, log: number, work: number): void;
  layerNormF32(rows: number, n: number, x: number, w: number, b: number, out: number, mean: number, rstd: number, eps: number): void;
  layerNormBackwardF32(rows: number, n: number, g: number, x: number, mean: number, rstd: number, w: number, out: number): void;
  layerNormBackwardWeightF32(rows: number, n: number, g: number, x: number, mean: number, rstd: number, work: number, out: number, first: number, last: number): void;
  resampleF32(outer: number, L: number, inner: number, M: number, K: number, x: number, index: number, weight: number, out: number): void;
  resampleBackwardF32(outer: number, L: number, inner: number, M: number, K: number, g: number, index: number, weight: number, out: number): void;
}

/** Below this many elements the fused kernels stay in JS (the copies would dominate). */
export const MIN_FUSED = 32;
/** Elements of the largest operand staged per chunk of rows (measured best between 32K and 128K). */
const CHUNK = 65536;

/** True for float32 views (or nulls) whose first has at least {@link MIN_FUSED} elements. */
export function fusable(...views: Array<View | null>): boolean {
  return views.every((v) => v === null || v.data instanceof Float32Array) && views[0]!.size >= MIN_FUSED;
}


/** The view's elements in row-major order: its array and the index of the first (a dense copy when strided). */
function rowMajor(v: View): { a: Float32Array | Float64Array | Int32Array; off: number } {
  const a = v.data as Float32Array | Float64Array | Int32Array;
  if (isRowMajor(v.shape, v.stride)) return { a, off: v.offset };
  const dense = makeView(new (a.constructor as Float32ArrayConstructor)(v.size), v.shape);
  copyInto(dense, v);
  return { a: dense.data as Float32Array, off: 0 };
}

/**
 * An operand of {@link runRows}: `per` float32 elements per row of `view`, or a whole view
 * copied once (`per` 0; int32 stays int32, float64 is rounded to float32).
 */
export interface RowOperand {
  view: View;
  per: number;
}

/**
 * Runs `kernel(E, r0, nr, ptrs, outs)` over `rows` rows a chunk at a time: each operand with
 * `per` > 0 has its chunk's rows staged at `ptrs[i]` (one with `per` 0 is staged once), and each
 * output (`per` elements a row, shape `shape`) is read back from `outs[j]` into a fresh
 * float32 view (an output with `per` 0 once, after the last chunk). `work` bytes of scratch are reserved once (the kernel finds them at `work`).
 */
export function runRows(
  rows: number, ins: RowOperand[], outs: Array<{ shape: readonly number[]; per: number }>, workBytes: number,
  kernel: (E: FusedExports, r0: number, nr: number, ptrs: number[], outPtrs: number[], work: number) => void,
): View[] {
  const rt: WasmRuntime = streamRuntime() ?? wasmRuntime()!;
  const E = rt.exports as unknown as FusedExports;
  const mark = rt.mark();
  try {
    const maxPer = Math.max(1, ...ins.map((o) => o.per), ...outs.map((o) => o.per));
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK / maxPer)));
    const srcs = ins.map((o) => rowMajor(o.view));
    const work = rt.alloc(workBytes);
    const ptrs = ins.map((o, i) => {
      const p = rt.alloc((o.per === 0 ? o.view.size : o.per * chunk) * 4);
      // (an int32 operand as int32, a float64 one rounded to float32)
      const s = srcs[i]!;
      if (o.per === 0) (s.a instanceof Int32Array ? rt.i32 : rt.f32).set(s.a.subarray(s.off, s.off + o.view.size), p >> 2);
      return p;
    });
    const whole = (o: { shape: readonly number[] }) => o.shape.reduce((a, b) => a * b, 1);
    const outPtrs = outs.map((o) => rt.alloc((o.per === 0 ? whole(o) : o.per * chunk) * 4));
    const results = outs.map((o) => allocateUninitialized('float32', o.per === 0 ? whole(o) : o.per * rows));
    const f32 = rt.f32;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const nr = Math.min(chunk, rows - r0);
      ins.forEach((o, i) => {
        if (o.per === 0) return;
        const s = srcs[i]!;
        f32.set(s.a.subarray(s.off + r0 * o.per, s.off + (r0 + nr) * o.per), ptrs[i]! >> 2);
      });
      kernel(E, r0, nr, ptrs, outPtrs, work);
      outs.forEach((o, j) => {
        if (o.per > 0) results[j]!.set(f32.subarray(outPtrs[j]! >> 2, (outPtrs[j]! >> 2) + nr * o.per), r0 * o.per);
      });
    }
    outs.forEach((o, j) => {
      if (o.per === 0) results[j]!.set(f32.subarray(outPtrs[j]! >> 2, (outPtrs[j]! >> 2) + results[j]!.length));
    });
    return outs.map((o, j) => makeView(results[j]!, [...o.shape]));
  } finally {
    rt.release(mark);
  }
}

/** [outer, len, inner] of a shape around `dim`. */
function around(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[dim]!, inner];
}

export function softmax(x: View, dim: number, log: boolean): View {
  if (!fusable(x) || x.shape.length === 0) return jsBackend.softmax(x, dim, log);
  const [outer, len, inner] = around(x.shape, dim);
  const per = len * inner;
  return runRows(outer, [{ view: x, per }], [{ shape: x.shape, per }], len * 16 * 2, (E, _r0, nr, [xp], [op], work) =>
    E.softmaxF32(nr, len, inner, xp!, op!, log ? 1 : 0, work))[0]!;
}

export function softmaxBackward(g: View, y: View, dim: number, log: boolean): View {
  if (!fusable(g, y) || g.shape.length === 0) return jsBackend.softmaxBackward(g, y, dim, log);
  const [outer, len, inner] = around(g.shape, dim);
  const per = len * inner;
  return runRows(outer, [{ view: g, per }, { view: y, per }], [{ shape: g.shape, per }], len * 16 * 3, (E, _r0, nr, [gp, yp], [op], work) =>
    E.softmaxBackwardF32(nr, len, inner, gp!, yp!, op!, log ? 1 : 0, work))[0]!;
}
