import { allocateUninitialized } from '../../dtype.js';
import type { View } from '../backend.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { collapse, contiguousStrides, forSlices, isRowMajor, sizeOf } from './layout.js';
import { wasmRuntime, type WasmRuntime } from './module.js';

// Moving operands into the module's scratch memory and results out of it (see the module
// comment of index.ts): pinned operands are read where they are, others are copied in.

/** Below this many elements an element-wise op or reduction stays in JS (copies would dominate). */
export const MIN_ELEMENTWISE = 32;

/** A fresh contiguous float32 view of `shape` holding `n` floats copied from memory at `ptr`. */
export function takeF32(rt: WasmRuntime, ptr: number, shape: readonly number[]): View {
  const n = sizeOf(shape);
  // new + set: TypedArray.slice of a SharedArrayBuffer view copies element by element (10x slower)
  const data = allocateUninitialized('float32', n);
  data.set(rt.f32.subarray(ptr >> 2, (ptr >> 2) + n));
  return makeView(data, [...shape]);
}

/**
 * Copies the storage range a float32 view spans into scratch memory and returns the address
 * of its element 0 (strides are unchanged, in elements). Views that touch only a small part
 * of their span (a column of a large matrix, say) are gathered into a dense copy instead.
 */
export function stage(rt: WasmRuntime, v: View): { ptr: number; stride: number[] } {
  const src = v.data as Float32Array | Int32Array | Uint8Array;
  const pinned = rt.addressOf(src);
  if (pinned !== undefined) return { ptr: pinned + v.offset * src.BYTES_PER_ELEMENT, stride: v.stride.slice() };
  let lo = v.offset;
  let hi = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    const ext = (v.shape[d]! - 1) * v.stride[d]!;
    if (ext > 0) hi += ext;
    else lo += ext;
  }
  const size = sizeOf(v.shape);
  const bytes = src.BYTES_PER_ELEMENT;
  if (hi + 1 - lo > 2 * size + 1024) {
    const Ctor = src.constructor as Float32ArrayConstructor;
    const dense = makeView(new Ctor(size), [...v.shape]);
    copyInto(dense, v);
    return { ptr: put(rt, dense.data as Float32Array), stride: contiguousStrides(v.shape) };
  }
  const p = rt.alloc((hi + 1 - lo) * bytes);
  view(rt, src).set(src.subarray(lo, hi + 1), p / bytes);
  return { ptr: p + (v.offset - lo) * bytes, stride: v.stride.slice() };
}

/** The runtime's memory as an array of the same type as `a`. */
function view(rt: WasmRuntime, a: Float32Array | Int32Array | Uint8Array): Float32Array | Int32Array | Uint8Array {
  return a instanceof Float32Array ? rt.f32 : a instanceof Int32Array ? rt.i32 : rt.u8;
}

/** Copies a typed array into fresh scratch memory; returns its address. */
export function put(rt: WasmRuntime, a: Float32Array | Int32Array | Uint8Array): number {
  const p = rt.alloc(a.byteLength);
  view(rt, a).set(a, p / a.BYTES_PER_ELEMENT);
  return p;
}

/** The view as a contiguous row-major float32 block in scratch memory; returns its address. */
export function contiguous(rt: WasmRuntime, v: View): number {
  if (v.stride.every((st) => st === 0) && v.size > 1) {
    // one value broadcast to every element (e.g. zeros([1]).expand(shape)): a fill
    if (!(v.data instanceof Float32Array || v.data instanceof Int32Array)) return stageContiguous(rt, v);
    const dst = rt.alloc(v.size * 4);
    rt.exports.fill32(dst, v.size, wordBits(v.data, v.offset));
    return dst;
  }
  return stageContiguous(rt, v);
}

/** The 32 bits of element `i` of a float32 or int32 array, as an int32. */
function wordBits(a: Float32Array | Int32Array, i: number): number {
  return new Int32Array(a.buffer, a.byteOffset + i * 4, 1)[0]!;
}

/** {@link contiguous} for views that hold more than one distinct element. */
function stageContiguous(rt: WasmRuntime, v: View): number {
  const s = stage(rt, v);
  if (isRowMajor(v.shape, s.stride)) return s.ptr;
  const nd = v.shape.length;
  const dst = rt.alloc(sizeOf(v.shape) * 4);
  // (a batch of) transposed matrices: strides [.., 1, s] over [.., A, B] with s >= A
  const c = collapse(v.shape, [s.stride]);
  const [sd] = c.st as [number[]];
  const k = c.dims.length;
  const A = c.dims[k - 2]!;
  const B = c.dims[k - 1]!;
  if (sd[k - 2] === 1 && sd[k - 1]! >= A && A >= 4 && B >= 4) {
    forSlices(c.dims, c.st, [s.ptr], [4], dst, 4, (m, n, [p], o) => rt.exports.transposeF32(n, m, p!, sd[k - 1]!, o));
    return dst;
  }
  const meta = rt.putInts([...v.shape, ...s.stride, ...new Array<number>(nd).fill(0)]);
  rt.exports.copyStridedF32(nd, meta, meta + nd * 4, s.ptr, dst);
  return dst;
}

/** Runs `f` on the runtime (present whenever the wasm backend is registered), releasing the scratch memory it used afterwards. */
export function withRuntime<T>(f: (rt: WasmRuntime) => T): T {
  const rt = wasmRuntime()!;
  const mark = rt.mark();
  try {
    return f(rt);
  } finally {
    rt.release(mark);
  }
}
