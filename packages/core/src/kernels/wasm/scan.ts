import { allocateUninitialized, type DType } from '../../dtype.js';
import type { ScanOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { copyInto } from '../js/alloc.js';
import { makeView } from '../view.js';
import { streamRuntime, wasmRuntime, type WasmRuntime } from './module.js';

// cumsum / cumprod of float32 in WebAssembly, accumulated in float64 as the reference kernel
// does, so the results are the same bit for bit; four lines scan at once to hide the latency of
// the float64 chain. The input streams through the unshared memory of streamRuntime() a block
// of outer slices at a time on the calling thread (a strided input is made dense first).
// logcumsumexp, float64 and integer scans run the reference kernel.

/** The kernel's signature (assembly/scan.ts). */
interface ScanExports {
  scanF32(prod: number, outer: number, len: number, inner: number, x: number, out: number, acc: number, reverse: number): void;
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
  // a slice longer than a block goes whole: a very long one to the main memory
  const slice = x.size / (x.shape.slice(0, dim).reduce((a, b) => a * b, 1));
  const rt = (slice <= MAX_STREAM_SLICE ? streamRuntime() : null) ?? wasmRuntime()!;
  const mark = rt.mark();
  try {
    return scanIn(rt, op === 'prod', x, dim, reverse);
  } finally {
    rt.release(mark);
  }
}

function scanIn(rt: WasmRuntime, prod: boolean, x: View, dim: number, reverse: boolean): View {
  const n = x.size;
  const len = x.shape[dim]!;
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = n / (len * inner);
  let src = x;
  if (!isRowMajor(x.shape, x.stride)) {
    src = makeView(allocateUninitialized('float32', n), x.shape);
    copyInto(src, x);
  }
  const xs = (src.data as Float32Array).subarray(src.offset, src.offset + n);
  const slice = len * inner;
  const per = Math.max(1, Math.floor(BLOCK / slice));
  const block = Math.min(per, outer);
  const px = rt.alloc(block * slice * 4);
  const po = rt.alloc(block * slice * 4);
  const acc = rt.alloc(inner * 8);
  const f32 = rt.f32;
  const E = rt.exports as unknown as ScanExports;
  const out = allocateUninitialized('float32', n) as Float32Array;
  for (let a = 0; a < outer; a += block) {
    const m = Math.min(block, outer - a);
    f32.set(xs.subarray(a * slice, (a + m) * slice), px >> 2);
    E.scanF32(prod ? 1 : 0, m, len, inner, px, po, acc, reverse ? 1 : 0);
    out.set(f32.subarray(po >> 2, (po >> 2) + m * slice), a * slice);
  }
  return makeView(out, [...x.shape]);
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
