import { allocateUninitialized, type DType } from '../../dtype.js';
import type { AdamHyper, Backend, BinaryOp, Conv2dGeometry, FloatArray, ReduceOp, SgdHyper, UnaryOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto, dtypeOf } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type KernelExports, type WasmRuntime } from './module.js';
import { parallelFor, winogradStats } from './threads.js';
import { scatterKernels } from './scatter.js';
import { sort } from './sort.js';
import { cumExtreme, scan } from './scan.js';

// The WebAssembly backend: float32 GEMM, convolution, pooling, element-wise maps and reductions
// in SIMD kernels (packages/core/assembly); every other case (float64, integer dtypes, ops
// without a wasm kernel, tiny inputs where the copies would dominate) runs the JS reference
// kernels, so this backend is complete. Operands are copied into the module's linear memory
// and results copied out into fresh typed arrays owned by the caller; operands in pinned memory
// (already in the module's memory: parameters, optimizer state) are read where they are, so a
// kernel must never write to an operand's address except where the op updates it in place.

/** Unary ops with a SIMD kernel, by op code (assembly/elementwise.ts). */
const UNARY: Partial<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, exp: 3, log: 4, sqrt: 5, rsqrt: 6, tanh: 7, sigmoid: 8, relu: 9,
  step: 10, leakyRelu: 11, clamp: 12,
};
/** Binary ops with a SIMD kernel, by op code. */
const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, reluBackward: 6 };
const REDUCE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };

/** Below this many elements an element-wise op or reduction stays in JS (copies would dominate). */
const MIN_ELEMENTWISE = 32;
/** Below this many multiply-adds a matrix product stays in JS. */
const MIN_GEMM = 4096;

function isF32(v: View): boolean {
  return v.data instanceof Float32Array;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** True if strides walk `shape` in row-major order without gaps (any offset). */
function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** A fresh contiguous float32 view of `shape` holding `n` floats copied from memory at `ptr`. */
function takeF32(rt: WasmRuntime, ptr: number, shape: readonly number[]): View {
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
function stage(rt: WasmRuntime, v: View): { ptr: number; stride: number[] } {
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
function put(rt: WasmRuntime, a: Float32Array | Int32Array | Uint8Array): number {
  const p = rt.alloc(a.byteLength);
  view(rt, a).set(a, p / a.BYTES_PER_ELEMENT);
  return p;
}

/** The view as a contiguous row-major float32 block in scratch memory; returns its address. */
function contiguous(rt: WasmRuntime, v: View): number {
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

/**
 * Above this many elements, element-wise ops over flat operands run in chunks of this many:
 * each chunk is staged, computed and copied out while it is still in cache. Staging whole
 * operands first streams every array through memory three times (measured on 2.4M floats:
 * add 2.4 ms whole, 1.8 ms in chunks).
 */
const CHUNK = 131072;

/**
 * An operand of a chunked element-wise op: its pinned address or its array (and the index of
 * element 0 there), and whether it steps through its elements (`step` 1) or repeats one value
 * (0, a broadcast scalar).
 */
interface FlatSource {
  ptr?: number;
  data?: Float32Array;
  offset: number;
  step: 0 | 1;
}

/**
 * The view as a {@link FlatSource} over `shape` (which it is broadcast to), or undefined unless
 * it is row-major over all of `shape` or one value repeated.
 */
function flatSource(rt: WasmRuntime, v: View, shape: readonly number[]): FlatSource | undefined {
  if (!isF32(v)) return undefined;
  const data = v.data as Float32Array;
  const step = v.stride.every((s) => s === 0) ? 0 : isRowMajor(shape, v.stride) ? 1 : undefined;
  if (step === undefined) return undefined;
  const pinned = rt.addressOf(data);
  return pinned !== undefined ? { ptr: pinned + v.offset * 4, offset: 0, step } : { data, offset: v.offset, step };
}

/**
 * Runs `kernel(exports, len, ptrs, out)` over `n` elements in chunks of {@link CHUNK}, staging
 * each unpinned source's chunk into scratch memory and copying each chunk of the result into
 * `out` from element `outOffset` on; a pinned `out` is written where it is, without a copy.
 * With nothing pinned it works in {@link streamRuntime}'s unshared memory, which V8 copies to
 * and from 1.5x faster than shared memory (the chunk loop of a 1e6-float add: 0.83 -> 0.75 ms).
 * A source may be `out` itself (the same elements): each chunk is read before it is written.
 */
function streamMap(
  shared: WasmRuntime, n: number, srcs: FlatSource[], out: Float32Array | Uint8Array,
  kernel: (E: KernelExports, len: number, ptrs: number[], o: number) => void, outOffset = 0,
): void {
  const pinnedOut = shared.addressOf(out);
  const rt = (pinnedOut === undefined && srcs.every((src) => src.ptr === undefined) ? streamRuntime() : null) ?? shared;
  const mark = rt.mark();
  try {
    const C = Math.min(n, CHUNK);
    const bytes = out.BYTES_PER_ELEMENT;
    const bufs = srcs.map((src) => (src.ptr !== undefined ? src.ptr : src.step === 0 ? rt.put(src.data!.subarray(src.offset, src.offset + 1)) : rt.alloc(C * 4)));
    const o = pinnedOut === undefined ? rt.alloc(C * bytes) : 0;
    const mem = out instanceof Float32Array ? rt.f32 : rt.u8;
    const f32 = rt.f32;
    const oi = o / bytes;
    const ptrs = bufs.slice();
    const E = rt.exports;
    for (let s = 0; s < n; s += C) {
      const len = Math.min(C, n - s);
      for (let i = 0; i < srcs.length; i++) {
        const src = srcs[i]!;
        if (src.step === 0) continue;
        if (src.ptr !== undefined) ptrs[i] = src.ptr + s * 4;
        else f32.set(src.data!.subarray(src.offset + s, src.offset + s + len), bufs[i]! >> 2);
      }
      if (pinnedOut !== undefined) {
        kernel(E, len, ptrs, pinnedOut + (outOffset + s) * bytes);
      } else {
        kernel(E, len, ptrs, o);
        out.set(mem.subarray(oi, oi + len), outOffset + s);
      }
    }
  } finally {
    rt.release(mark);
  }
}

/**
 * The sources of an element-wise op that writes into the existing float32 view `out` (see
 * {@link streamMap}), or undefined unless `out` is row-major and each operand is row-major or
 * one repeated value, and either the very same view as `out` or in another array. A partly
 * overlapping operand would read elements already written, which the chunks would not
 * reproduce alike: those cases go to the reference kernels.
 */
function intoSources(rt: WasmRuntime, out: View, operands: View[]): FlatSource[] | undefined {
  if (!isF32(out) || out.size < MIN_ELEMENTWISE || !isRowMajor(out.shape, out.stride)) return undefined;
  const srcs: FlatSource[] = [];
  for (const v of operands) {
    if (v.data === out.data && !(v.offset === out.offset && v.stride.every((st, i) => st === out.stride[i] || out.shape[i] === 1))) return undefined;
    const f = flatSource(rt, v, out.shape);
    if (!f) return undefined;
    srcs.push(f);
  }
  return srcs;
}

/** Runs `f` on the runtime (present whenever the wasm backend is registered), releasing the scratch memory it used afterwards. */
function withRuntime<T>(f: (rt: WasmRuntime) => T): T {
  const rt = wasmRuntime()!;
  const mark = rt.mark();
  try {
    return f(rt);
  } finally {
    rt.release(mark);
  }
}

// ------------------------------------------------------------------ element-wise

function unary(op: UnaryOp, x: View, outDtype: DType, p0 = 0, p1 = 0): View {
  const code = UNARY[op];
  if (code === undefined || outDtype !== 'float32' || !isF32(x) || x.size < MIN_ELEMENTWISE)
    return jsBackend.unary(op, x, outDtype, p0, p1);
  return withRuntime((rt) => {
    const n = x.size;
    const flat = n > CHUNK ? flatSource(rt, x, x.shape) : undefined;
    if (flat && flat.step === 1) {
      const data = allocateUninitialized('float32', n) as Float32Array;
      streamMap(rt, n, [flat], data, (E, len, [p], o) => E.unaryF32(code, len, p!, o, p0, p1));
      return makeView(data, [...x.shape]);
    }
    const src = contiguous(rt, x);
    const dst = rt.alloc(n * 4);
    rt.exports.unaryF32(code, n, src, dst, p0, p1);
    return takeF32(rt, dst, x.shape);
  });
}

/**
 * Merges adjacent dims of the output shape that every operand traverses uniformly, dropping
 * size-1 dims: `[N, C, H, W]` plus a `[C, 1, 1]` bias collapses to `[N, C, H*W]`. Returns at
 * least two dims (leading 1s added) and each operand's strides over them.
 */
function collapse(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { dims: number[]; st: number[][] } {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && strides.every((s, v) => st[v]![k] === s[i]! * shape[i]!)) {
      dims[k] *= shape[i]!;
      strides.forEach((s, v) => (st[v]![k] = s[i]!));
    } else {
      dims.push(shape[i]!);
      strides.forEach((s, v) => st[v]!.push(s[i]!));
    }
  }
  while (dims.length < 2) {
    dims.unshift(1);
    for (const s of st) s.unshift(0);
  }
  return { dims, st };
}

/**
 * Runs a row kernel over the collapsed operands: `kernel(m, n, ptrs, rowStrides, colStrides, out)`
 * once per slice of the dims outside the last two (an odometer over those).
 */
function forSlices(
  dims: number[], st: number[][], ptrs: number[], sizes: number[], out: number, outBytes: number,
  kernel: (m: number, n: number, p: number[], out: number) => void,
): void {
  const nd = dims.length;
  const m = dims[nd - 2]!;
  const n = dims[nd - 1]!;
  const outer = dims.slice(0, nd - 2);
  const idx = new Array<number>(outer.length).fill(0);
  const slices = sizeOf(outer);
  const p = [...ptrs];
  for (let s = 0; s < slices; s++) {
    kernel(m, n, p, out + s * m * n * outBytes);
    for (let d = outer.length - 1; d >= 0; d--) {
      idx[d]!++;
      for (let v = 0; v < p.length; v++) p[v]! += st[v]![d]! * sizes[v]!;
      if (idx[d]! < outer[d]!) break;
      for (let v = 0; v < p.length; v++) p[v]! -= st[v]![d]! * sizes[v]! * outer[d]!;
      idx[d] = 0;
    }
  }
}

const COMPARE: Partial<Record<BinaryOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

function binary(op: BinaryOp, a: View, b: View, outDtype: DType): View {
  const arith = BINARY[op];
  const cmp = COMPARE[op];
  const ok = arith !== undefined ? outDtype === 'float32' : cmp !== undefined && outDtype === 'bool';
  if (!ok || !isF32(a) || !isF32(b) || a.size < MIN_ELEMENTWISE) return jsBackend.binary(op, a, b, outDtype);
  return withRuntime((rt) => {
    const shape = a.shape;
    const n = a.size;
    const fa = n > CHUNK ? flatSource(rt, a, shape) : undefined;
    const fb = fa ? flatSource(rt, b, shape) : undefined;
    if (fa && fb && (fa.step === 1 || fb.step === 1)) {
      const sa = fa.step, sb = fb.step;
      if (arith !== undefined) {
        const data = allocateUninitialized('float32', n) as Float32Array;
        streamMap(rt, n, [fa, fb], data, (E, len, [pa, pb], o) => E.binaryF32(arith, 1, len, pa!, 0, sa, pb!, 0, sb, o));
        return makeView(data, [...shape]);
      }
      const data = allocateUninitialized('bool', n) as Uint8Array;
      streamMap(rt, n, [fa, fb], data, (E, len, [pa, pb], o) => E.compareF32(cmp!, 1, len, pa!, 0, sa, pb!, 0, sb, o));
      return makeView(data, [...shape]);
    }
    let A = stage(rt, a);
    let B = stage(rt, b);
    let c = collapse(shape, [A.stride, B.stride]);
    // the kernels walk each operand's rows with unit or zero stride; densify any other
    const last = c.dims.length - 1;
    const odd = (s: number) => s !== 0 && s !== 1;
    if (odd(c.st[0]![last]!)) A = { ptr: contiguous(rt, a), stride: contiguousStrides(shape) };
    if (odd(c.st[1]![last]!)) B = { ptr: contiguous(rt, b), stride: contiguousStrides(shape) };
    c = collapse(shape, [A.stride, B.stride]);
    const [sa, sb] = c.st as [number[], number[]];
    const nd = c.dims.length;
    const total = sizeOf(c.dims);
    const E = rt.exports;
    if (arith !== undefined) {
      const out = rt.alloc(total * 4);
      forSlices(c.dims, c.st, [A.ptr, B.ptr], [4, 4], out, 4, (m, n, [pa, pb], o) =>
        E.binaryF32(arith, m, n, pa!, sa[nd - 2]!, sa[nd - 1]!, pb!, sb[nd - 2]!, sb[nd - 1]!, o));
      return takeF32(rt, out, shape);
    }
    const out = rt.alloc(total);
    forSlices(c.dims, c.st, [A.ptr, B.ptr], [4, 4], out, 1, (m, n, [pa, pb], o) =>
      E.compareF32(cmp!, m, n, pa!, sa[nd - 2]!, sa[nd - 1]!, pb!, sb[nd - 2]!, sb[nd - 1]!, o));
    const data = allocateUninitialized('bool', total);
    data.set(rt.u8.subarray(out, out + total));
    return makeView(data, [...shape]);
  });
}

function where(cond: View, a: View, b: View, outDtype: DType): View {
  if (outDtype !== 'float32' || !(cond.data instanceof Uint8Array) || !isF32(a) || !isF32(b) || cond.size < MIN_ELEMENTWISE)
    return jsBackend.where(cond, a, b, outDtype);
  const shape = cond.shape;
  const pre = collapse(shape, [cond.stride, a.stride, b.stride]);
  const last = pre.dims.length - 1;
  if (pre.st.some((s) => s[last] !== 0 && s[last] !== 1)) return jsBackend.where(cond, a, b, outDtype);
  return withRuntime((rt) => {
    const C = stage(rt, cond);
    const A = stage(rt, a);
    const B = stage(rt, b);
    const c = collapse(shape, [C.stride, A.stride, B.stride]);
    const [sc, sa, sb] = c.st as [number[], number[], number[]];
    const nd = c.dims.length;
    const out = rt.alloc(sizeOf(c.dims) * 4);
    forSlices(c.dims, c.st, [C.ptr, A.ptr, B.ptr], [1, 4, 4], out, 4, (m, n, [pc, pa, pb], o) =>
      rt.exports.whereF32(m, n, pc!, sc[nd - 2]!, sc[nd - 1]!, pa!, sa[nd - 2]!, sa[nd - 1]!, pb!, sb[nd - 2]!, sb[nd - 1]!, o));
    return takeF32(rt, out, shape);
  });
}

// Into an existing view: streamed where the layouts allow (see intoSources), else the result
// is computed as `unary` or `binary` compute it and copied in, so that `out` gets the same
// values either way.

/**
 * Cost per element of the element-wise kernels in GEMM flops (the unit of the thread pool's
 * size threshold, about 24 per ns), measured on one thread over pinned 1e6-float operands:
 * 0.25-0.5 ns for add, neg, relu, sqrt and the like, 1.0-2.0 ns for exp, log, tanh, sigmoid.
 */
const MAP_FLOPS = 8;
const TRANSCENDENTAL_FLOPS = 36;
const TRANSCENDENTAL = new Set<UnaryOp>(['exp', 'log', 'tanh', 'sigmoid']);

/** One element-wise kernel call over `len` elements at the given source and output addresses. */
interface MapKernel {
  fn: 'unaryF32' | 'binaryF32';
  /** Cost per element (see {@link MAP_FLOPS}). */
  flops: number;
  args: (len: number, ptrs: number[], o: number) => number[];
}

/**
 * Runs `k` over `n` elements from `srcs` into `out` (from element `outOffset`). When every
 * operand and the output are pinned there is nothing to copy: the elements are split across
 * the thread pool (each element is computed alike on any number of threads). Otherwise the
 * chunks stream through scratch memory ({@link streamMap}).
 */
function mapInto(rt: WasmRuntime, n: number, srcs: FlatSource[], out: Float32Array, outOffset: number, k: MapKernel): void {
  const outPtr = rt.addressOf(out);
  if (outPtr !== undefined && srcs.every((src) => src.ptr !== undefined)) {
    const o = outPtr + outOffset * 4;
    const nargs = k.fn === 'unaryF32' ? 6 : 10;
    const mark = rt.mark(); // the pool's per-thread scratch
    try {
      parallelFor(rt, n * k.flops, Math.ceil(n / ELEMENT_UNIT), k.fn, 0, nargs, (lo, hi) => {
        const s = lo * ELEMENT_UNIT;
        const len = Math.min(n, hi * ELEMENT_UNIT) - s;
        return k.args(len, srcs.map((src) => src.ptr! + src.step * s * 4), o + s * 4);
      });
    } finally {
      rt.release(mark);
    }
    return;
  }
  streamMap(rt, n, srcs, out, (E, len, ptrs, o) => (E[k.fn] as (...a: number[]) => void)(...k.args(len, ptrs, o)), outOffset);
}

function unaryInto(op: UnaryOp, x: View, out: View, p0 = 0, p1 = 0): void {
  const code = UNARY[op];
  const rt = wasmRuntime()!;
  const srcs = code !== undefined ? intoSources(rt, out, [x]) : undefined;
  if (!srcs || srcs[0]!.step === 0) {
    if (out.size > 0) copyInto(out, unary(op, x, dtypeOf(out), p0, p1));
    return;
  }
  mapInto(rt, out.size, srcs, out.data as Float32Array, out.offset, {
    fn: 'unaryF32', flops: TRANSCENDENTAL.has(op) ? TRANSCENDENTAL_FLOPS : MAP_FLOPS,
    args: (len, [p], o) => [code!, len, p!, o, p0, p1],
  });
}

function binaryInto(op: BinaryOp, a: View, b: View, out: View): void {
  const code = BINARY[op];
  const rt = wasmRuntime()!;
  const srcs = code !== undefined ? intoSources(rt, out, [a, b]) : undefined;
  if (!srcs) {
    if (out.size > 0) copyInto(out, binary(op, a, b, dtypeOf(out)));
    return;
  }
  const [sa, sb] = [srcs[0]!.step, srcs[1]!.step];
  mapInto(rt, out.size, srcs, out.data as Float32Array, out.offset, {
    fn: 'binaryF32', flops: MAP_FLOPS, args: (len, [pa, pb], o) => [code!, 1, len, pa!, 0, sa, pb!, 0, sb, o],
  });
}

/** In-place ops (`add_`, `mul_`, ...): `dst = f(dst, src)`; a scaled operand (`alpha` != 1) stays on the reference kernels. */
function binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div' | 'maximum', dst: View, src: View, alpha: number): void {
  const rt = wasmRuntime()!;
  const srcs = alpha === 1 ? intoSources(rt, dst, [dst, src]) : undefined;
  if (!srcs) return jsBackend.binaryInPlace(op, dst, src, alpha);
  const code = BINARY[op]!;
  const ss = srcs[1]!.step;
  mapInto(rt, dst.size, srcs, dst.data as Float32Array, dst.offset, {
    fn: 'binaryF32', flops: MAP_FLOPS, args: (len, [pd, ps], o) => [code, 1, len, pd!, 0, 1, ps!, 0, ss, o],
  });
}

function scatterAdd(x: View, dim: number, index: View, src: View): View {
  const nd = x.shape.length;
  const fits =
    isF32(x) && isF32(src) && index.data instanceof Int32Array && nd > 0 && dim === nd - 1 && index.size >= MIN_ELEMENTWISE &&
    index.shape.every((d, i) => i === nd - 1 || d === x.shape[i]);
  if (!fits) return jsBackend.scatterAdd(x, dim, index, src);
  return withRuntime((rt) => {
    const D = x.shape[nd - 1]!;
    const L = index.shape[nd - 1]!;
    const outer = sizeOf(x.shape) / Math.max(D, 1);
    // the kernel adds into `out` in place: it must be a copy of x, also when x is pinned
    let out = contiguous(rt, x);
    if (rt.addressOf(x.data) !== undefined) {
      const n = sizeOf(x.shape);
      const copy = rt.alloc(n * 4);
      rt.exports.copyBytes(copy, out, n * 4);
      out = copy;
    }
    const pi = contiguousInts(rt, index);
    const ps = contiguous(rt, src);
    if (rt.exports.scatterAddLastF32(outer, D, L, out, pi, ps) !== 0) return jsBackend.scatterAdd(x, dim, index, src);
    return takeF32(rt, out, x.shape);
  });
}

/** An int32 view as a contiguous block in scratch memory (copied in JS when strided). */
function contiguousInts(rt: WasmRuntime, v: View): number {
  if (isRowMajor(v.shape, v.stride)) return stage(rt, v).ptr;
  const dense = makeView(new Int32Array(v.size), [...v.shape]);
  copyInto(dense, v);
  return put(rt, dense.data as Int32Array);
}

// ------------------------------------------------------------------ reductions

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

// ------------------------------------------------------------------ matrix product

function matmul(a: View, b: View, outDtype: DType): View {
  const [Bn, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  if (outDtype !== 'float32' || !isF32(a) || !isF32(b) || Bn * M * N * K < MIN_GEMM || M * N === 0)
    return jsBackend.matmul(a, b, outDtype);
  return withRuntime((rt) => {
    const A = stage(rt, a);
    const B = stage(rt, b);
    const C = rt.alloc(Bn * M * N * 4);
    for (let p = 0; p < Bn; p++) {
      gemm(rt, M, N, K, A.ptr + p * A.stride[0]! * 4, A.stride[1]!, A.stride[2]!, B.ptr + p * B.stride[0]! * 4, B.stride[1]!, B.stride[2]!, C + p * M * N * 4, N, 0);
    }
    return takeF32(rt, C, [Bn, M, N]);
  });
}

/**
 * `C = A B` (`beta` 0) or `C += A B`, split across the thread pool when large: by blocks of
 * rows when M is the larger side, else by blocks of columns; by blocks of the depth K when K
 * dwarfs both (see {@link gemmSplitsDepth}).
 */
export function gemm(
  rt: WasmRuntime, M: number, N: number, K: number,
  a: number, rsA: number, csA: number, b: number, rsB: number, csB: number,
  c: number, ldc: number, beta: number,
): void {
  const work = rt.exports.sgemmWorkBytes();
  if (gemmSplitsDepth(M, N, K)) {
    // DEPTH_PARTS slices of the depth, each multiplied into its own M x N partial product, then
    // added up in order: the same sums on any number of threads
    const units = Math.ceil(K / DEPTH_UNIT);
    const parts: number[] = [];
    parallelFor(rt, 2 * M * N * K, DEPTH_PARTS, 'sgemm', work, 12, (lo) => {
      const k0 = Math.floor((units * lo) / DEPTH_PARTS) * DEPTH_UNIT;
      const k1 = Math.min(K, Math.floor((units * (lo + 1)) / DEPTH_PARTS) * DEPTH_UNIT);
      const part = rt.alloc(M * N * 4);
      parts[lo] = part;
      return [M, N, k1 - k0, a + k0 * csA * 4, rsA, csA, b + k0 * rsB * 4, rsB, csB, part, N, 0, 0];
    }, true);
    const E = rt.exports;
    for (let i = 0; i < M; i++) {
      const row = c + i * ldc * 4;
      if (beta === 0) E.copyBytes(row, parts[0]! + i * N * 4, N * 4);
      for (let t = beta === 0 ? 1 : 0; t < parts.length; t++) E.binaryF32(0, 1, N, row, 0, 1, parts[t]! + i * N * 4, 0, 1, row);
    }
    return;
  }
  const byRows = M >= N;
  // chunks are whole register tiles: 4 rows or 8 columns
  const unit = byRows ? 4 : 8;
  const count = Math.ceil((byRows ? M : N) / unit);
  // Every chunk multiplies by all of the other operand (B for row chunks, A for column chunks):
  // up to PACK_WHOLE_MAX_BYTES it is packed once here rather than once per chunk (at 128x784
  // times 784x512 on two threads, six chunks packed A six times); packing it whole costs what
  // one call would pay anyway. A larger operand is packed chunk by chunk, in the GEMM's own
  // work space, where its packing is a small part of each chunk's work.
  const E = rt.exports;
  const bytes = byRows ? E.packedBBytes(K, N) : E.packedABytes(M, K);
  const mark = rt.mark();
  try {
    const whole = bytes <= PACK_WHOLE_MAX_BYTES ? rt.alloc(bytes) : 0;
    if (whole !== 0 && byRows) E.packBWhole(K, N, b, rsB, csB, whole);
    else if (whole !== 0) E.packAWhole(M, K, a, rsA, csA, whole);
    const pa = byRows ? 0 : whole;
    const pb = byRows ? whole : 0;
    parallelFor(rt, 2 * M * N * K, count, 'sgemmPacked', work, 14, (lo, hi) => {
      const i0 = lo * unit;
      const i1 = Math.min(byRows ? M : N, hi * unit);
      return byRows
        ? [i1 - i0, N, K, a + i0 * rsA * 4, rsA, csA, pa, b, rsB, csB, pb, c + i0 * ldc * 4, ldc, beta, 0]
        : [M, i1 - i0, K, a, rsA, csA, pa, b + i0 * csB * 4, rsB, csB, pb, c + i0 * 4, ldc, beta, 0];
    });
  } finally {
    rt.release(mark); // a batched product packs each matrix in the same space
  }
}

/** Largest operand a split product packs whole before its chunks run (see {@link gemm}). */
const PACK_WHOLE_MAX_BYTES = 4 << 20;

/** Depth slices of a depth-split product are whole packed blocks of the GEMM (its KC). */
const DEPTH_UNIT = 256;

/** How many depth slices a depth-split product has, on any number of threads. */
const DEPTH_PARTS = 4;

/**
 * True when a product is split across threads by its depth K rather than by rows or columns:
 * K at least 8 times both M and N and C at most 64K elements. Splitting the rows or columns of
 * such a product (Linear(9216, 128)'s forward pass at batch 64: 64 x 9216 times 9216 x 128)
 * makes every chunk pack the whole of the other, long operand again; a depth split packs each
 * element once and only adds a few small partial products.
 */
function gemmSplitsDepth(M: number, N: number, K: number): boolean {
  return K >= 8 * Math.max(M, N) && M * N <= 65536 && K >= DEPTH_PARTS * DEPTH_UNIT;
}

// ------------------------------------------------------------------ convolution and pooling

function outSize(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** The int32 geometry block the conv kernels read: [C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo]. */
function convGeo(rt: WasmRuntime, xShape: readonly number[], wShape: readonly number[], g: Conv2dGeometry) {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , kh, kw] = wShape as [number, number, number, number];
  const Ho = outSize(H, kh, g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kw, g.stride[1], g.padding[1], g.dilation[1]);
  const geo = rt.putInts([C, H, W, O, kh, kw, g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo, 0, 0]);
  return { N, C, H, W, O, kh, kw, Ho, Wo, geo, colsBytes: C * kh * kw * Ho * Wo * 4, flops: 2 * N * O * C * kh * kw * Ho * Wo };
}

function convSupported(g: Conv2dGeometry, ...views: View[]): boolean {
  return g.groups === 1 && views.every(isF32);
}

/**
 * Fewest input and output channels for which Winograd F(2x2, 3x3) replaces im2col + GEMM. With
 * few channels its GEMMs are thin and the transforms dominate. Measured on one thread, 16
 * images of 28x28, padding 1 (im2col / Winograd time): 8 -> 8 channels 1.5x forward, 1.4x input
 * gradient, 1.4x weight gradient; 8 -> 32: 1.4x, 1.2x, 1.2x; 4 -> 32: 1.1x, 0.8x (slower);
 * 32 -> 64 at 26x26: 1.9x, 1.4x, 1.9x.
 */
const WINOGRAD_MIN_CHANNELS = 8;

/** True when a conv of this geometry (3x3, stride 1, dilation 1, padding <= 2) runs faster by Winograd. */
function winogradFits(C: number, O: number, wShape: readonly number[], g: Conv2dGeometry): boolean {
  return (
    wShape[2] === 3 && wShape[3] === 3 && g.stride[0] === 1 && g.stride[1] === 1 && g.dilation[0] === 1 &&
    g.dilation[1] === 1 && g.padding[0] <= 2 && g.padding[1] <= 2 && Math.min(C, O) >= WINOGRAD_MIN_CHANNELS
  );
}

/**
 * When Winograd F(4x4, 3x3) replaces F(2x2, 3x3) (both need {@link WINOGRAD_MIN_CHANNELS}):
 * outputs of at least WINOGRAD4_MIN_SIZE rows and columns on which its GEMMs (36 per 4x4
 * tile) do at most WINOGRAD4_MAX_FLOPS of F(2x2, 3x3)'s (16 per 2x2 tile); partial tiles make
 * that ratio 0.56 at 7x7, 8x8, 11x11, 12x12, 0.81 at 9x9, 10x10, 0.73 at 13x13, 14x14, 1 at
 * 5x5, 6x6. Measured on one thread, F(2x2) / F(4x4) time for forward, input and weight
 * gradient, padding 1: 32 -> 32 channels, 64 images of 4x4: 0.94x, 0.92x, -; 5x5: 0.89x,
 * 0.91x, 0.76x; 7x7: 1.30x, 1.30x, 1.16x; 9x9: 0.95-1.06x, 1.05x, 1.00x; 13x13: 1.47x, 1.48x,
 * -; 8 -> 8 channels at 7x7: 1.30x, 1.30x, 1.21x, at 14x14: 1.22x, 1.22x, 1.20x; 64 -> 64 at
 * 16x16: 1.34x, 1.44x, 1.27x; 32 -> 64 at 26x26, padding 0: 1.39-1.57x, 1.27-1.31x, 1.48x.
 */
const WINOGRAD4_MIN_SIZE = 7;
const WINOGRAD4_MAX_FLOPS = 0.8;

/** @internal Test and benchmark hook: `tile` 2 or 4 forces F(2x2, 3x3) or F(4x4, 3x3) on every Winograd-fit conv. */
export const winogradTileOverride: { tile: 2 | 4 | null } = { tile: null };

/** True when a Winograd-fit conv (see {@link winogradFits}) with output [Ho, Wo] runs faster by F(4x4, 3x3). */
function winograd4Fits(Ho: number, Wo: number): boolean {
  if (winogradTileOverride.tile !== null) return winogradTileOverride.tile === 4;
  const flops4 = 36 * Math.ceil(Ho / 4) * Math.ceil(Wo / 4);
  const flops2 = 16 * Math.ceil(Ho / 2) * Math.ceil(Wo / 2);
  return Math.min(Ho, Wo) >= WINOGRAD4_MIN_SIZE && flops4 <= WINOGRAD4_MAX_FLOPS * flops2;
}

/** The two Winograd variants: output tile size, transformed planes per tile and their kernels. */
function winogradKind(rt: WasmRuntime, tile4: boolean) {
  const E = rt.exports;
  return tile4
    ? { tile: 4, planes: 36, conv: 'winograd4Conv' as const, weightGrad: 'winograd4ConvWeightGrad' as const, weights: E.winograd4Weights,
        weightsBackward: E.winograd4WeightsBackward, workBytes: E.winograd4WorkBytes }
    : { tile: 2, planes: 16, conv: 'winogradConv' as const, weightGrad: 'winogradConvWeightGrad' as const, weights: E.winogradWeights,
        weightsBackward: E.winogradWeightsBackward, workBytes: E.winogradWorkBytes };
}

/** GEMM flops of a Winograd pass: `planes` products of [A, B] by [B, tiles] per image. */
function winogradFlops(k: { tile: number; planes: number }, N: number, A: number, B: number, Ho: number, Wo: number): number {
  return 2 * k.planes * N * A * B * Math.ceil(Ho / k.tile) * Math.ceil(Wo / k.tile);
}

/**
 * Winograd convolution of the contiguous images at `xp` ([N, Ci, H, W], `inp` = [Ci, H, W]) to
 * a fresh [N, Co, Ho, Wo] block (`outp` = [Co, Ho, Wo]) with zero padding `pad`; returns its
 * address. F(4x4, 3x3) with `tile4`, else F(2x2, 3x3). The filters are those of `wp` (a weight
 * [O, C, 3, 3]) or, with `flip`, those of its transposed, rotated kernel (the input gradient's
 * convolution).
 */
function winogradConv(
  rt: WasmRuntime, N: number, inp: number[], outp: number[], pad: number[], xp: number, wp: number,
  O: number, C: number, flip: boolean, tile4: boolean,
): number {
  const k = winogradKind(rt, tile4);
  const [Ci, H, W] = inp as [number, number, number];
  const [Co, Ho, Wo] = outp as [number, number, number];
  const geo = rt.putInts([Ci, H, W, Co, Ho, Wo, pad[0]!, pad[1]!]);
  const out = rt.alloc(N * Co * Ho * Wo * 4);
  const u = rt.alloc(k.planes * O * C * 4);
  k.weights(O, C, wp, flip ? 1 : 0, u);
  const flops = winogradFlops(k, N, Co, Ci, Ho, Wo);
  parallelFor(rt, flops, N, k.conv, k.workBytes(geo), 6, (n0, n1) => [n0, n1, geo, xp, u, out, 0]);
  return out;
}

/**
 * The weight gradient [O, C, 3, 3] by Winograd F(4x4, 3x3) with `tile4`, else F(2x2, 3x3), for
 * the contiguous input `xp` and output gradient `gp`; returns its address. Each chunk of images
 * sums its Winograd-domain gradient (36 or 16 [O, C] matrices) into its own block; the blocks
 * are added, then transformed back.
 */
function winogradWeightGrad(rt: WasmRuntime, d: ReturnType<typeof convGeo>, g: Conv2dGeometry, xp: number, gp: number, tile4: boolean): number {
  const k = winogradKind(rt, tile4);
  const geo = rt.putInts([d.C, d.H, d.W, d.O, d.Ho, d.Wo, g.padding[0], g.padding[1]]);
  const size = k.planes * d.O * d.C;
  const parts: number[] = [];
  const P = weightGradParts(d.N);
  parallelFor(rt, winogradFlops(k, d.N, d.O, d.C, d.Ho, d.Wo), P, k.weightGrad, k.workBytes(geo), 6, (i) => {
    const du = rt.alloc(size * 4);
    parts[i] = du;
    return [Math.floor((d.N * i) / P), Math.floor((d.N * (i + 1)) / P), geo, xp, gp, du, 0];
  }, true);
  const dw = rt.alloc(d.O * d.C * 9 * 4);
  k.weightsBackward(d.O, d.C, sumParts(rt, parts, size), dw);
  return dw;
}

function conv2d(x: View, w: View, g: Conv2dGeometry, bias?: View | null): View {
  if (!convSupported(g, x, w) || (bias && !isF32(bias))) return jsBackend.conv2d(x, w, g, bias);
  return withRuntime((rt) => {
    const d = convGeo(rt, x.shape, w.shape, g);
    if (d.N * d.O * d.Ho * d.Wo === 0 || d.C === 0) return jsBackend.conv2d(x, w, g, bias);
    const xp = contiguous(rt, x);
    const wp = contiguous(rt, w);
    if (winogradFits(d.C, d.O, w.shape, g)) {
      const tile4 = winograd4Fits(d.Ho, d.Wo);
      if (tile4) winogradStats.forward4++;
      else winogradStats.forward++;
      const out = winogradConv(rt, d.N, [d.C, d.H, d.W], [d.O, d.Ho, d.Wo], g.padding, xp, wp, d.O, d.C, false, tile4);
      if (bias) addChannelBias(rt, out, contiguous(rt, bias), d.N, d.O, d.Ho * d.Wo);
      return takeF32(rt, out, [d.N, d.O, d.Ho, d.Wo]);
    }
    const out = rt.alloc(d.N * d.O * d.Ho * d.Wo * 4);
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    parallelFor(rt, d.flops, d.N, 'conv2dForward', work, 6, (n0, n1) => [n0, n1, d.geo, xp, wp, out, 0]);
    if (bias) addChannelBias(rt, out, contiguous(rt, bias), d.N, d.O, d.Ho * d.Wo);
    return takeF32(rt, out, [d.N, d.O, d.Ho, d.Wo]);
  });
}

/**
 * How many groups of images a weight gradient sums separately (the partial sums are added up
 * after): a fixed number, so that it comes out the same on any number of threads.
 */
function weightGradParts(N: number): number {
  return Math.min(N, 8);
}

/** Adds the partial sums (`size` floats at each address) into the first, in order; returns its address. */
function sumParts(rt: WasmRuntime, parts: number[], size: number): number {
  const first = parts[0]!;
  for (let t = 1; t < parts.length; t++) rt.exports.binaryF32(0, 1, size, first, 0, 1, parts[t]!, 0, 1, first);
  return first;
}

/** `out [N, O, L] += bias [O]` in place. */
function addChannelBias(rt: WasmRuntime, out: number, bias: number, N: number, O: number, L: number): void {
  rt.exports.addRowBiasF32(N * O, L, out, bias, O);
}

function conv2dBackwardInput(grad: View, w: View, inputShape: readonly number[], g: Conv2dGeometry): View {
  if (!convSupported(g, grad, w)) return jsBackend.conv2dBackwardInput(grad, w, inputShape, g);
  return withRuntime((rt) => {
    const d = convGeo(rt, inputShape, w.shape, g);
    if (d.N * d.C * d.H * d.W === 0 || d.O * d.Ho * d.Wo === 0) return jsBackend.conv2dBackwardInput(grad, w, inputShape, g);
    const gp = contiguous(rt, grad);
    const wp = contiguous(rt, w);
    if (winogradFits(d.C, d.O, w.shape, g)) {
      // dx = conv2d(grad, w') with padding 2 - p, w'[c, o, i, j] = w[o, c, 2 - i, 2 - j]
      const tile4 = winograd4Fits(d.H, d.W);
      if (tile4) winogradStats.backwardInput4++;
      else winogradStats.backwardInput++;
      const pad = [2 - g.padding[0], 2 - g.padding[1]];
      const dx = winogradConv(rt, d.N, [d.O, d.Ho, d.Wo], [d.C, d.H, d.W], pad, gp, wp, d.O, d.C, true, tile4);
      return takeF32(rt, dx, inputShape);
    }
    const dx = rt.alloc(d.N * d.C * d.H * d.W * 4);
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    parallelFor(rt, d.flops, d.N, 'conv2dBackwardInput', work, 6, (n0, n1) => [n0, n1, d.geo, gp, wp, dx, 0]);
    return takeF32(rt, dx, inputShape);
  });
}

function conv2dBackwardWeight(x: View, grad: View, weightShape: readonly number[], g: Conv2dGeometry): View {
  if (!convSupported(g, x, grad)) return jsBackend.conv2dBackwardWeight(x, grad, weightShape, g);
  return withRuntime((rt) => {
    const d = convGeo(rt, x.shape, weightShape, g);
    const wSize = sizeOf(weightShape);
    if (d.N * d.Ho * d.Wo === 0 || wSize === 0) return jsBackend.conv2dBackwardWeight(x, grad, weightShape, g);
    const xp = contiguous(rt, x);
    const gp = contiguous(rt, grad);
    if (winogradFits(d.C, d.O, weightShape, g)) {
      const tile4 = winograd4Fits(d.Ho, d.Wo);
      if (tile4) winogradStats.backwardWeight4++;
      else winogradStats.backwardWeight++;
      return takeF32(rt, winogradWeightGrad(rt, d, g, xp, gp, tile4), weightShape);
    }
    const work = rt.exports.sgemmWorkBytes() + d.colsBytes + 64;
    // each group of images sums into its own partial gradient; the partials are added up after
    const parts: number[] = [];
    const P = weightGradParts(d.N);
    parallelFor(rt, d.flops, P, 'conv2dBackwardWeight', work, 7, (i) => {
      const dw = rt.alloc(wSize * 4);
      parts[i] = dw;
      return [Math.floor((d.N * i) / P), Math.floor((d.N * (i + 1)) / P), d.geo, xp, gp, dw, 0, 0];
    }, true);
    return takeF32(rt, sumParts(rt, parts, wSize), weightShape);
  });
}

function maxPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): { out: View; argmax: View } {
  if (!isF32(x) || x.size < MIN_ELEMENTWISE) return jsBackend.maxPool2d(x, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
    const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
    const n = N * C * Ho * Wo;
    if (n === 0) return jsBackend.maxPool2d(x, kernel, g);
    const xp = contiguous(rt, x);
    const geo = rt.putInts([H, W, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo]);
    const out = rt.alloc(n * 4);
    const arg = rt.alloc(n * 4);
    // about one compare per input element (the 2x2 case is vectorised): short jobs stay on this thread
    parallelFor(rt, n * kernel[0] * kernel[1], N * C, 'maxPool2dF32', 0, 6, (p0, p1) => [p0, p1, geo, xp, out, arg, 0]);
    const argmax = makeView(allocateUninitialized('int32', n), [N, C, Ho, Wo]);
    (argmax.data as Int32Array).set(rt.i32.subarray(arg >> 2, (arg >> 2) + n));
    return { out: takeF32(rt, out, [N, C, Ho, Wo]), argmax };
  });
}

// ------------------------------------------------------------------ optimizer updates

/** Below this many elements an optimizer update stays in JS (the copies would dominate). */
const MIN_OPTIM = 1024;

/** The addresses of float32 arrays in the module's memory: pinned ones where they are, others copied into scratch. */
/** Elements per index of {@link forElements}: a multiple of 4, as the kernels step by vectors. */
const ELEMENT_UNIT = 4096;

/**
 * Cost per element of the fused updates in GEMM flops (the unit of the thread pool's size
 * threshold): measured on one thread, Adam takes about 1.3 ns per element and SGD with momentum
 * about 0.65 ns, while a GEMM does about 24 flops per ns.
 */
const ADAM_FLOPS = 32;
const SGD_FLOPS = 16;

/**
 * Runs an element-wise kernel `fn` over `n` float32 elements, split into slices across the
 * thread pool when large. `args(len, byteOffset)` gives its arguments for one slice; the kernel
 * has no scratch argument, so the pool's scratch pointer goes in an extra one (`nargs`), which
 * WebAssembly ignores. Each element is computed alike on any number of threads.
 */
function forElements(
  rt: WasmRuntime, n: number, flopsPerElement: number, fn: 'adamF32' | 'sgdF32', nargs: number,
  args: (len: number, byteOffset: number) => number[],
): void {
  parallelFor(rt, n * flopsPerElement, Math.ceil(n / ELEMENT_UNIT), fn, 0, nargs, (lo, hi) =>
    args(Math.min(n, hi * ELEMENT_UNIT) - lo * ELEMENT_UNIT, lo * ELEMENT_UNIT * 4));
}

function putAll(rt: WasmRuntime, arrays: Float32Array[]): number[] {
  return arrays.map((a) => rt.addressOf(a) ?? put(rt, a));
}

/** Copies `n` floats at each address back into the arrays (pinned arrays were updated where they are). */
function getAll(rt: WasmRuntime, ptrs: number[], arrays: Float32Array[]): void {
  arrays.forEach((a, i) => {
    if (rt.addressOf(a) === undefined) a.set(rt.f32.subarray(ptrs[i]! >> 2, (ptrs[i]! >> 2) + a.length));
  });
}

function allF32(arrays: Array<FloatArray | null>): arrays is Float32Array[] {
  return arrays.every((a) => a instanceof Float32Array);
}

function adamUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper): void {
  const arrays = maxExpAvgSq ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq];
  if (param.length < MIN_OPTIM || !allF32(arrays)) return jsBackend.adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
  withRuntime((rt) => {
    const [p, g, m, v, vmax] = putAll(rt, arrays);
    forElements(rt, param.length, ADAM_FLOPS, 'adamF32', 15, (n, o) => [
      n, p! + o, g! + o, m! + o, v! + o, vmax === undefined ? 0 : vmax + o, vmax === undefined ? 0 : 1,
      h.beta1, h.beta2, h.stepSize, h.bc2Sqrt, h.eps, h.l2, h.decay, h.maximize ? 1 : 0,
    ]);
    const back = [0, 2, 3, 4].filter((i) => i < arrays.length);
    getAll(rt, back.map((i) => [p, g, m, v, vmax][i]!), back.map((i) => arrays[i]!));
  });
}

function sgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void {
  const buf = h.momentum !== 0 ? momentumBuffer : null;
  const arrays = buf ? [param, grad, buf] : [param, grad];
  if (param.length < MIN_OPTIM || !allF32(arrays)) return jsBackend.sgdUpdate(param, grad, momentumBuffer, h);
  withRuntime((rt) => {
    const [p, g, b] = putAll(rt, arrays);
    forElements(rt, param.length, SGD_FLOPS, 'sgdF32', 11, (n, o) => [
      n, p! + o, g! + o, b === undefined ? 0 : b + o, h.lr, h.momentum, h.dampening, h.nesterov ? 1 : 0, h.weightDecay,
      h.maximize ? 1 : 0, h.firstStep ? 1 : 0,
    ]);
    getAll(rt, b === undefined ? [p!] : [p!, b], b === undefined ? [arrays[0]!] : [arrays[0]!, arrays[2]!]);
  });
}

/** The int32 pooling geometry the pool kernels read: [H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo]. */
function poolGeo(rt: WasmRuntime, H: number, W: number, kernel: [number, number], g: Conv2dGeometry) {
  const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  const geo = rt.putInts([H, W, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], Ho, Wo]);
  return { Ho, Wo, geo };
}

function avgPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): View {
  if (!isF32(x) || x.size < MIN_ELEMENTWISE) return jsBackend.avgPool2d(x, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const { Ho, Wo, geo } = poolGeo(rt, H, W, kernel, g);
    if (N * C * Ho * Wo === 0) return jsBackend.avgPool2d(x, kernel, g);
    const xp = contiguous(rt, x);
    const out = rt.alloc(N * C * Ho * Wo * 4);
    parallelFor(rt, 2 * N * C * Ho * Wo * kernel[0] * kernel[1], N * C, 'avgPool2dF32', 0, 5, (p0, p1) => [p0, p1, geo, xp, out, 0]);
    return takeF32(rt, out, [N, C, Ho, Wo]);
  });
}

function avgPool2dBackward(grad: View, inputShape: readonly number[], kernel: [number, number], g: Conv2dGeometry): View {
  if (!isF32(grad) || grad.size < MIN_ELEMENTWISE) return jsBackend.avgPool2dBackward(grad, inputShape, kernel, g);
  return withRuntime((rt) => {
    const [N, C, H, W] = inputShape as [number, number, number, number];
    const { geo } = poolGeo(rt, H, W, kernel, g);
    if (N * C * H * W === 0) return jsBackend.avgPool2dBackward(grad, inputShape, kernel, g);
    const gp = contiguous(rt, grad);
    const dx = rt.alloc(N * C * H * W * 4);
    parallelFor(rt, 2 * grad.size * kernel[0] * kernel[1], N * C, 'avgPool2dBackwardF32', 0, 5, (p0, p1) => [p0, p1, geo, gp, dx, 0]);
    return takeF32(rt, dx, inputShape);
  });
}

/**
 * The WebAssembly SIMD kernels (see the module comment above); {@link wasmAvailable} tells
 * whether this engine can run them.
 */
export const wasmBackend: Backend = {
  ...jsBackend,
  name: 'wasm',
  unary,
  binary,
  where,
  unaryInto,
  binaryInto,
  binaryInPlace,
  scatterAdd,
  reduce,
  matmul,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  maxPool2d,
  avgPool2d,
  avgPool2dBackward,
  adamUpdate,
  sgdUpdate,
  ...scatterKernels,
  sort,
  scan,
  cumExtreme,
};

/** True if WebAssembly with 128-bit SIMD is available here, so {@link wasmBackend} can run. */
export function wasmAvailable(): boolean {
  return wasmRuntime() !== null;
}
