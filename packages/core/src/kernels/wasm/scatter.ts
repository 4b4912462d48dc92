import { allocateUninitialized } from '../../dtype.js';
import type { Backend, View } from '../backend.js';
import { IndexRangeError } from '../index-range-error.js';
import { jsBackend } from '../js/index.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type WasmRuntime } from './module.js';
import { isRowMajor } from '../view.js';

// scatterAdd along the last dim in WebAssembly. The index and src stream through the module's
// memory in chunks (copied in while the previous chunk's additions are still in cache), the
// result block stays there from the copy of x to the copy out; the kernel checks each index
// value as it adds, so the op scans the index once, not twice. It runs on the calling thread in
// the unshared memory of streamRuntime(), into which V8 copies 1.5x faster than into shared
// memory; each target sums its src values in index order, as the reference kernel does, so the
// result is the same bit for bit.

/** The kernel's signature (assembly/scatter.ts). */
interface ScatterExports {
  scatterAddF32(D: number, L: number, out: number, index: number, src: number, start: number, n: number): number;
}

/** Index positions per chunk: the chunk of index and src (512 KB) stays in L2. */
const CHUNK = 65536;
/** Below this many index values the copies would dominate: the reference kernel runs. */
const MIN_SCATTER = 32;
/** Results up to this many bytes go to the small unshared memory; larger ones to the main one. */
const MAX_STREAM_BYTES = 8 << 20;


/** The view's elements in row-major order as one flat array and the index of the first. */
function flat<T extends Float32Array | Int32Array>(v: View): { data: T; offset: number } {
  if (isRowMajor(v.shape, v.stride)) return { data: v.data as T, offset: v.offset };
  const Ctor = v.data.constructor as new (n: number) => T;
  const dense = makeView(new Ctor(v.size), v.shape);
  copyInto(dense, v);
  return { data: dense.data as T, offset: 0 };
}

/**
 * A copy of float32 `x [..., D]` with `src[..., l]` added at `index[..., l]` along the last dim
 * (index and src of the same shape `[..., L]`, x's outside the last dim); the reference kernel
 * for every other case. Throws IndexRangeError at the first index outside `[0, D)`.
 */
export function scatterAdd(x: View, dim: number, index: View, src: View): View {
  const nd = x.shape.length;
  const fits =
    x.data instanceof Float32Array && src.data instanceof Float32Array && index.data instanceof Int32Array && nd > 0 &&
    dim === nd - 1 && index.size >= MIN_SCATTER && x.shape[nd - 1]! > 0 &&
    index.shape.every((d, i) => i === nd - 1 || d === x.shape[i]);
  if (!fits) return jsBackend.scatterAdd(x, dim, index, src);
  const n = x.size;
  const rt = (n * 4 <= MAX_STREAM_BYTES ? streamRuntime() : null) ?? wasmRuntime()!;
  const mark = rt.mark();
  try {
    return scatterIn(rt, x, index, src);
  } finally {
    rt.release(mark);
  }
}

function scatterIn(rt: WasmRuntime, x: View, index: View, src: View): View {
  const nd = x.shape.length;
  const D = x.shape[nd - 1]!;
  const L = index.shape[nd - 1]!;
  const n = x.size;
  const total = index.size;
  const C = Math.min(total, CHUNK);
  const out = rt.alloc(n * 4);
  const pi = rt.alloc(C * 4);
  const ps = rt.alloc(C * 4);
  // every alloc is done: the memory's views are final now
  const f32 = rt.f32;
  const i32 = rt.i32;
  if (isRowMajor(x.shape, x.stride)) f32.set((x.data as Float32Array).subarray(x.offset, x.offset + n), out >> 2);
  else if (x.stride.every((st) => st === 0)) f32.fill(x.data[x.offset]!, out >> 2, (out >> 2) + n); // zeros(...).expand: maxPool2d's gradient
  else copyInto(makeView(f32, x.shape, undefined, out >> 2), x);
  const idx = flat<Int32Array>(index);
  const val = flat<Float32Array>(src);
  const E = rt.exports as unknown as ScatterExports;
  for (let s = 0; s < total; s += C) {
    const len = Math.min(C, total - s);
    i32.set(idx.data.subarray(idx.offset + s, idx.offset + s + len), pi >> 2);
    f32.set(val.data.subarray(val.offset + s, val.offset + s + len), ps >> 2);
    const bad = E.scatterAddF32(D, L, out, pi, ps, s, len);
    if (bad !== 0) throw new IndexRangeError(idx.data[idx.offset + bad - 1]!, D);
  }
  const data = allocateUninitialized('float32', n) as Float32Array;
  data.set(f32.subarray(out >> 2, (out >> 2) + n));
  return makeView(data, [...x.shape]);
}

/**
 * The kernels of this file, spread last into the wasm backend (it replaces the scatterAdd
 * defined in index.ts).
 */
export const scatterKernels: Partial<Backend> = { scatterAdd };
