import { allocateUninitialized, type DType } from '../../dtype.js';
import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type WasmRuntime } from './module.js';
import { isRowMajor } from '../view.js';

// topk in WebAssembly: the few largest (or smallest) of each float32 line, the reference
// kernel's bounded-buffer path (k at most 1/16 of the line) with its skip test four lines wide.
// Lines stream through the unshared memory of streamRuntime() a block at a time on the calling
// thread; a dim other than the last is moved last by a copy first. Every other sort (all of a
// line, a larger k, float64, int32) runs the reference kernel. The result is the same as the
// reference's: the same elements in the same order (a total order, ties by position).

/** The kernel's signature (assembly/sort.ts). */
interface SortExports {
  topkF32(lines: number, len: number, k: number, x: number, desc: number, vals: number, idx: number, buf: number): void;
}

/** A k of at most 1/SMALL_K of the line takes the bounded buffer (as in the reference kernel). */
const SMALL_K = 16;
/** Lines longer than this are packed differently by the reference: it keeps them. */
const PACK_LIMIT = 1 << 21;
/** Below this many elements the reference kernel runs (the copies would dominate). */
const MIN_TOPK = 4096;
/** Floats of input per block of lines (256 KB: the block stays in L2 while it is scanned). */
const BLOCK = 65536;

/**
 * Sorts each line of `x` along `dim` and keeps the first `k` (see the Backend interface); the
 * wasm kernel for a float32 top-k, the reference for the rest.
 */
export function sort(x: View, dim: number, descending: boolean, outDtype: DType, k?: number): { values: View; indices: View } {
  const nd = x.shape.length;
  const len = nd === 0 ? 1 : x.shape[dim]!;
  const fits =
    x.data instanceof Float32Array && outDtype === 'float32' && nd > 0 && k !== undefined && k > 0 && k * SMALL_K <= len &&
    len <= PACK_LIMIT && x.size >= MIN_TOPK;
  if (!fits) return jsBackend.sort(x, dim, descending, outDtype, k);
  const rt = streamRuntime() ?? wasmRuntime()!;
  const mark = rt.mark();
  try {
    return topk(rt, x, dim, descending, k);
  } finally {
    rt.release(mark);
  }
}

function topk(rt: WasmRuntime, x: View, dim: number, descending: boolean, k: number): { values: View; indices: View } {
  const nd = x.shape.length;
  const len = x.shape[dim]!;
  const lines = x.size / len;
  // x's lines as a row-major [lines, len] block: the view itself when dim is last and dense
  let lineMajor = x;
  if (!(x.stride[dim] === 1 && isRowMajor(x.shape, x.stride) && dim === nd - 1)) {
    const moved = [...x.shape.filter((_, d) => d !== dim), len];
    const stride = [...x.stride.filter((_, d) => d !== dim), x.stride[dim]!];
    lineMajor = makeView(allocateUninitialized('float32', x.size), moved);
    copyInto(lineMajor, makeView(x.data, moved, stride, x.offset));
  }
  const src = (lineMajor.data as Float32Array).subarray(lineMajor.offset, lineMajor.offset + x.size);
  const vals = allocateUninitialized('float32', lines * k) as Float32Array;
  const idx = allocateUninitialized('int32', lines * k) as Int32Array;
  const per = Math.max(1, Math.floor(BLOCK / len));
  const block = Math.min(per, lines);
  const px = rt.alloc(block * len * 4);
  const pv = rt.alloc(block * k * 4);
  const pi = rt.alloc(block * k * 4);
  const buf = rt.alloc(k * 8);
  const f32 = rt.f32;
  const i32 = rt.i32;
  const E = rt.exports as unknown as SortExports;
  for (let r = 0; r < lines; r += block) {
    const m = Math.min(block, lines - r);
    f32.set(src.subarray(r * len, (r + m) * len), px >> 2);
    E.topkF32(m, len, k, px, descending ? 1 : 0, pv, pi, buf);
    vals.set(f32.subarray(pv >> 2, (pv >> 2) + m * k), r * k);
    idx.set(i32.subarray(pi >> 2, (pi >> 2) + m * k), r * k);
  }
  const outShape = x.shape.map((s, d) => (d === dim ? k : s));
  if (dim === nd - 1) return { values: makeView(vals, outShape), indices: makeView(idx, outShape) };
  // [outer, inner, k] back to [outer, k, inner]
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = lines / inner;
  const from = (d: Float32Array | Int32Array) => makeView(d, [outer, k, inner], [inner * k, 1, k]);
  const values = makeView(allocateUninitialized('float32', lines * k), [outer, k, inner]);
  const indices = makeView(allocateUninitialized('int32', lines * k), [outer, k, inner]);
  copyInto(values, from(vals));
  copyInto(indices, from(idx));
  return { values: makeView(values.data, outShape), indices: makeView(indices.data, outShape) };
}

