import { allocateUninitialized, type DType } from '../../dtype.js';
import type { ScanOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type WasmRuntime } from './module.js';
import { isRowMajor } from '../view.js';

// cumsum / cumprod of float32 in WebAssembly, accumulated in float64 as the reference kernel
// does, so the results are the same bit for bit; four lines scan at once to hide the latency of
// the float64 chain. The input streams through the unshared memory of streamRuntime() a block
// of outer slices at a time on the calling thread (a strided input is made dense first).
// cummax / cummin of float32 likewise. logcumsumexp, float64 and integer scans run the
// reference kernel.

/** The kernel's signature (assembly/scan.ts). */
interface ScanExports {
  scanF32(prod: number, outer: number, len: number, inner: number, x: number, out: number, acc: number, reverse: number): void;
  cumExtremeF32(isMax: number, outer: number, len: number, inner: number, x: number, vals: number, idx: number, best: number, where: number): void;
}

/** Below this many elements the reference kernel runs (the copies would dominate). */
const MIN_SCAN = 4096;
/** Floats per block of outer slices (256 KB in, 256 KB out: the block stays in L2). */
const BLOCK = 65536;
/** Outer slices up to this many floats go through the small unshared memory. */
const MAX_STREAM_SLICE = 1 << 20;

/** Inclusive scan of `x` along `dim` (see the Backend interface); wasm for float32 sums and products. */
export function scan(op: ScanOp, x: View, dim: number, reverse: boolean, outDtype: DType): View {
  const nd = x.shape.length;
  const fits = (op === 'sum' || op === 'prod') && x.data instanceof Float32Array && outDtype === 'float32' && nd > 0 && x.size >= MIN_SCAN;
  if (!fits) return jsBackend.scan(op, x, dim, reverse, outDtype);
  const rt = runtimeFor(x, dim);
  const mark = rt.mark();
  try {
    return scanIn(rt, op === 'prod', x, dim, reverse);
  } finally {
    rt.release(mark);
  }
}

/**
 * The unshared stream memory, unless one outer slice (which goes whole, however long) is very
 * long: then the main memory, so that the small one stays small.
 */
function runtimeFor(x: View, dim: number): WasmRuntime {
  const slice = x.shape.slice(dim).reduce((a, b) => a * b, 1);
  return (slice <= MAX_STREAM_SLICE ? streamRuntime() : null) ?? wasmRuntime()!;
}

/**
 * Runs `kernel(m, px, outs)` over blocks of `m` outer slices of `x` (contiguous along `dim`
 * and after), each staged at `px`, with `outs` room for its results, each `bytes[i]` per
 * element; returns the results, one array per entry of `types`, x's shape.
 */
function blocks<T extends Float32Array | Int32Array>(
  rt: WasmRuntime, x: View, dim: number, types: Array<'float32' | 'int32'>,
  kernel: (m: number, px: number, outs: number[]) => void,
): T[] {
  const n = x.size;
  const slice = x.shape.slice(dim).reduce((a, b) => a * b, 1);
  const outer = n / slice;
  let src = x;
  if (!isRowMajor(x.shape, x.stride)) {
    src = makeView(allocateUninitialized('float32', n), x.shape);
    copyInto(src, x);
  }
  const xs = (src.data as Float32Array).subarray(src.offset, src.offset + n);
  const block = Math.min(Math.max(1, Math.floor(BLOCK / slice)), outer);
  const px = rt.alloc(block * slice * 4);
  const outs = types.map(() => rt.alloc(block * slice * 4));
  const results = types.map((t) => allocateUninitialized(t, n) as T);
  // every alloc is done (the kernel's own scratch too): the memory's views are final
  const mem = types.map((t) => (t === 'float32' ? rt.f32 : rt.i32));
  for (let a = 0; a < outer; a += block) {
    const m = Math.min(block, outer - a);
    rt.f32.set(xs.subarray(a * slice, (a + m) * slice), px >> 2);
    kernel(m, px, outs);
    results.forEach((r, i) => r.set(mem[i]!.subarray(outs[i]! >> 2, (outs[i]! >> 2) + m * slice), a * slice));
  }
  return results;
}

function scanIn(rt: WasmRuntime, prod: boolean, x: View, dim: number, reverse: boolean): View {
  const len = x.shape[dim]!;
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const acc = rt.alloc(inner * 8);
  const E = rt.exports as unknown as ScanExports;
  const [out] = blocks<Float32Array>(rt, x, dim, ['float32'], (m, px, [po]) =>
    E.scanF32(prod ? 1 : 0, m, len, inner, px, po!, acc, reverse ? 1 : 0));
  return makeView(out!, [...x.shape]);
}

/** Running max / min along `dim` and where it was reached (see the Backend interface); wasm for float32. */
export function cumExtreme(op: 'max' | 'min', x: View, dim: number, outDtype: DType): { values: View; indices: View } {
  const nd = x.shape.length;
  if (!(x.data instanceof Float32Array && outDtype === 'float32' && nd > 0 && x.size >= MIN_SCAN)) return jsBackend.cumExtreme(op, x, dim, outDtype);
  const rt = runtimeFor(x, dim);
  const mark = rt.mark();
  try {
    const len = x.shape[dim]!;
    const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const best = rt.alloc(inner * 4);
    const where = rt.alloc(inner * 4);
    const E = rt.exports as unknown as ScanExports;
    const [vals, idx] = blocks(rt, x, dim, ['float32', 'int32'], (m, px, [pv, pi]) =>
      E.cumExtremeF32(op === 'max' ? 1 : 0, m, len, inner, px, pv!, pi!, best, where));
    return { values: makeView(vals!, [...x.shape]), indices: makeView(idx!, [...x.shape]) };
  } finally {
    rt.release(mark);
  }
}

