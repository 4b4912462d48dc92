import type { DType } from '../../dtype.js';
import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { isF32 } from './layout.js';
import type { WasmRuntime } from './module.js';
import { stage, takeF32, withRuntime } from './staging.js';
import { MAX_CHUNKS, parallelFor } from './threads.js';

/** Below this many multiply-adds a matrix product stays in JS. */
const MIN_GEMM = 4096;

function matmul(a: View, b: View, outDtype: DType): View {
  const [Bn, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  if (outDtype !== 'float32' || !isF32(a) || !isF32(b) || Bn * M * N * K < MIN_GEMM || M * N === 0)
    return jsBackend.matmul(a, b, outDtype);
  return withRuntime((rt) => {
    const A = stage(rt, a);
    const B = stage(rt, b);
    const C = rt.alloc(Bn * M * N * 4);
    if (Bn > 1 && 2 * M * N * K <= BATCH_SPLIT_MAX_FLOPS) {
      // Many small products (attention's scores, einsum's batched terms): each product is one
      // chunk of the thread pool, so the threads share out whole products instead of meeting
      // once per product to split its rows; a product's arithmetic is the same either way.
      const work = rt.exports.sgemmWorkBytes();
      for (let p0 = 0; p0 < Bn; p0 += MAX_CHUNKS) {
        const n = Math.min(MAX_CHUNKS, Bn - p0);
        parallelFor(rt, 2 * M * N * K * n, n, 'sgemmPacked', work, 14, (lo) => {
          const p = p0 + lo;
          return [M, N, K, A.ptr + p * A.stride[0]! * 4, A.stride[1]!, A.stride[2]!, 0, B.ptr + p * B.stride[0]! * 4, B.stride[1]!, B.stride[2]!, 0, C + p * M * N * 4, N, 0, 0];
        }, true);
      }
      return takeF32(rt, C, [Bn, M, N]);
    }
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

/**
 * Largest product (in FLOPs) of a batch that runs whole on one thread, the batch shared out
 * across the pool; larger ones are each split across the pool (see {@link gemm}).
 */
const BATCH_SPLIT_MAX_FLOPS = 1 << 24;

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

/** The matrix product of the wasm backend. @internal */
export const matmulKernels = { matmul };
