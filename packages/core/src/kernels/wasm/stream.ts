import type { View } from '../backend.js';
import { isF32, isRowMajor } from './layout.js';
import { streamRuntime, type KernelExports, type WasmRuntime } from './module.js';
import { MIN_ELEMENTWISE } from './staging.js';

// Element-wise ops over large flat operands, run chunk by chunk through scratch memory while
// each chunk is still in cache.

/**
 * Above this many elements, element-wise ops over flat operands run in chunks of this many:
 * each chunk is staged, computed and copied out while it is still in cache. Staging whole
 * operands first streams every array through memory three times (measured on 2.4M floats:
 * add 2.4 ms whole, 1.8 ms in chunks).
 */
export const CHUNK = 131072;

/**
 * An operand of a chunked element-wise op: its pinned address or its array (and the index of
 * element 0 there), and whether it steps through its elements (`step` 1) or repeats one value
 * (0, a broadcast scalar).
 */
export interface FlatSource {
  ptr?: number;
  data?: Float32Array;
  offset: number;
  step: 0 | 1;
}

/**
 * The view as a {@link FlatSource} over `shape` (which it is broadcast to), or undefined unless
 * it is row-major over all of `shape` or one value repeated.
 */
export function flatSource(rt: WasmRuntime, v: View, shape: readonly number[]): FlatSource | undefined {
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
export function streamMap(
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
export function intoSources(rt: WasmRuntime, out: View, operands: View[]): FlatSource[] | undefined {
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

/** Elements per index of forElements (optim.ts) and mapInto (elementwise.ts): a multiple of 4, as the kernels step by vectors. */
export const ELEMENT_UNIT = 4096;
