import { allocateUninitialized, type DType } from '../../dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto, dtypeOf } from '../js/alloc.js';
import { makeView } from '../view.js';
import { collapse, contiguousStrides, forSlices, isF32, sizeOf } from './layout.js';
import { wasmRuntime, type WasmRuntime } from './module.js';
import { contiguous, MIN_ELEMENTWISE, stage, takeF32, withRuntime } from './staging.js';
import { CHUNK, ELEMENT_UNIT, flatSource, intoSources, streamMap, type FlatSource } from './stream.js';
import { parallelFor } from './threads.js';

/** Unary ops with a SIMD kernel, by op code (assembly/elementwise.ts). */
const UNARY: Partial<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, exp: 3, log: 4, sqrt: 5, rsqrt: 6, tanh: 7, sigmoid: 8, relu: 9,
  step: 10, leakyRelu: 11, clamp: 12, gelu: 13, geluTanh: 14, erf: 15,
};
/** Binary ops with a SIMD kernel, by op code. */
const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, reluBackward: 6, geluGrad: 7, geluTanhGrad: 8, sigmoidBackward: 9, tanhBackward: 10 };

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
const TRANSCENDENTAL = new Set<UnaryOp>(['exp', 'log', 'tanh', 'sigmoid', 'gelu', 'geluTanh', 'erf']);

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
    fn: 'binaryF32', flops: op === 'geluGrad' || op === 'geluTanhGrad' ? TRANSCENDENTAL_FLOPS : MAP_FLOPS,
    args: (len, [pa, pb], o) => [code!, 1, len, pa!, 0, sa, pb!, 0, sb, o],
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

/** The element-wise kernels of the wasm backend. @internal */
export const elementwiseKernels = { unary, binary, where, unaryInto, binaryInto, binaryInPlace };
