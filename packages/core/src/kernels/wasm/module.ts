import { wasmShared, wasmSharedRelaxed, wasmSingle, wasmSingleRelaxed } from './binary.generated.js';
import { OutOfMemoryError } from '../runtime-errors.js';

/** The functions the AssemblyScript kernels export (addresses are byte offsets into the memory). */
export interface KernelExports {
  heapBase(): number;
  sgemmWorkBytes(): number;
  sgemm(
    M: number, N: number, K: number,
    a: number, rsA: number, csA: number,
    b: number, rsB: number, csB: number,
    c: number, ldc: number, beta: number, work: number,
  ): void;
  sgemmPacked(
    M: number, N: number, K: number,
    a: number, rsA: number, csA: number, pa: number,
    b: number, rsB: number, csB: number, pb: number,
    c: number, ldc: number, beta: number, work: number,
  ): void;
  packAWhole(M: number, K: number, a: number, rsA: number, csA: number, dst: number): void;
  packBWhole(K: number, N: number, b: number, rsB: number, csB: number, dst: number): void;
  packedABytes(M: number, K: number): number;
  packedBBytes(K: number, N: number): number;
  unaryF32(op: number, n: number, x: number, out: number, p0: number, p1: number): void;
  binaryF32(op: number, m: number, n: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, out: number): void;
  compareF32(op: number, m: number, n: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, out: number): void;
  whereF32(m: number, n: number, c: number, crs: number, ccs: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, out: number): void;
  addRowBiasF32(rows: number, n: number, x: number, bias: number, period: number): void;
  reduceF32(op: number, outer: number, r: number, inner: number, x: number, s0: number, s1: number, s2: number, out: number, work: number): void;
  copyStridedF32(nd: number, shape: number, strides: number, src: number, dst: number): void;
  transposeF32(rows: number, cols: number, src: number, ld: number, dst: number): void;
  fill32(dst: number, n: number, bits: number): void;
  copyBytes(dst: number, src: number, bytes: number): void;
  conv2dForward(...args: number[]): void;
  conv2dBackwardInput(...args: number[]): void;
  conv2dBackwardWeight(...args: number[]): void;
  maxPool2dF32(...args: number[]): void;
  avgPool2dF32(...args: number[]): void;
  avgPool2dBackwardF32(...args: number[]): void;
  winogradWeights(O: number, C: number, w: number, flip: number, u: number): void;
  winogradWeightsBackward(O: number, C: number, du: number, dw: number): void;
  winogradWorkBytes(geo: number): number;
  winogradConv(...args: number[]): void;
  winogradConvWeightGrad(...args: number[]): void;
  winograd4Weights(O: number, C: number, w: number, flip: number, u: number): void;
  winograd4WorkBytes(geo: number): number;
  winograd4Conv(...args: number[]): void;
  winograd4ConvWeightGrad(...args: number[]): void;
  winograd4WeightsBackward(O: number, C: number, du: number, dw: number): void;
  adamF32(
    n: number, p: number, g: number, m: number, v: number, vmax: number, amsgrad: number,
    beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number, l2: number, decay: number, maximize: number,
  ): void;
  sgdF32(
    n: number, p: number, g: number, buf: number, lr: number, momentum: number, dampening: number, nesterov: number,
    weightDecay: number, maximize: number, first: number,
  ): void;
}

/** Largest memory, in 64 KiB pages (2 GiB); must match MAX_PAGES in scripts/build-wasm.mjs. */
export const MAX_PAGES = 32768;
const PAGE = 65536;
/** Pinned blocks stay below this address (1 GiB), so scratch always has room; beyond it pinning gives ordinary arrays. */
const PIN_LIMIT = 1 << 30;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array<ArrayBuffer> } }).Buffer;
  if (B) return B.from(s, 'base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * One instance of the kernels and its linear memory, with a stack-like scratch allocator: a
 * kernel call marks the top, allocates its operands and results, and releases back to the
 * mark when done. Memory grows as needed and is reused by later calls (it never shrinks).
 *
 * Tensor data stays in ordinary typed arrays owned by the tensors (garbage-collected as usual);
 * kernels copy operands in and results out. The exception is pinned memory ({@link pinArray}):
 * long-lived arrays (parameters, optimizer state) placed in this memory, below the scratch
 * stack, which kernels read and update where they are. A pinned block returns to a free list
 * when its array is garbage-collected. Only a shared memory can hold them: growing it keeps
 * existing views valid, while growing an unshared memory detaches them.
 */
export class WasmRuntime {
  readonly exports: KernelExports;
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  private top: number;
  /** Start of the scratch stack: pinned blocks lie between the heap base and here. */
  private base: number;
  /** Freed pinned blocks, by address, adjacent ones merged. */
  private readonly freeBlocks: Array<{ ptr: number; bytes: number }> = [];
  /** The SharedArrayBuffer objects this memory has been seen as (one per size it grew to). */
  private readonly buffers = new WeakSet<object>();
  private readonly registry = new FinalizationRegistry<{ ptr: number; bytes: number }>((b) => this.unpin(b));

  constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    /** True when the memory is a SharedArrayBuffer that worker threads can use too. */
    readonly shared: boolean,
    /** True for the build with relaxed SIMD (fused multiply-add in the GEMM micro-kernel). */
    readonly relaxed = false,
  ) {
    const inst = new WebAssembly.Instance(module, { env: { memory } });
    this.exports = inst.exports as unknown as KernelExports;
    this.top = align(this.exports.heapBase(), 64);
    this.base = this.top;
    this.refresh();
  }

  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
    this.buffers.add(this.memory.buffer);
  }

  /**
   * Grows the memory so that it holds at least `end` bytes, for a block of `bytes`; throws an
   * {@link OutOfMemoryError} (named after the op at the backend's entry points) where it cannot.
   */
  private reserve(end: number, bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (!(pages <= MAX_PAGES - have / PAGE)) throw new OutOfMemoryError('wasm', bytes, end, have, MAX_PAGES * PAGE);
    // grow by at least a quarter, so that slowly growing workloads do not grow every call
    const want = Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4)));
    try {
      this.memory.grow(want);
    } catch (e) {
      // the engine could not find the room: the quarter extra may be what was too much
      try {
        if (want === pages) throw e;
        this.memory.grow(pages);
      } catch (e2) {
        throw new OutOfMemoryError('wasm', bytes, end, have, MAX_PAGES * PAGE, `the engine refused: ${String(e2)}`);
      }
    }
    this.refresh();
  }

  /**
   * A zero-filled array of `n` elements placed in this memory, or null where it cannot be (an
   * unshared memory, a kernel's scratch in use, or no room below {@link PIN_LIMIT}). Its block is freed when the array is
   * garbage-collected.
   */
  pinArray<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
    Ctor: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
    n: number,
  ): T | null {
    if (!this.shared) return null;
    const bytes = Math.max(64, align(n * Ctor.BYTES_PER_ELEMENT, 64));
    let ptr = -1;
    const i = this.freeBlocks.findIndex((b) => b.bytes >= bytes);
    if (i >= 0) {
      const b = this.freeBlocks[i]!;
      ptr = b.ptr;
      if (b.bytes === bytes) this.freeBlocks.splice(i, 1);
      else this.freeBlocks[i] = { ptr: b.ptr + bytes, bytes: b.bytes - bytes };
    } else {
      if (this.top !== this.base) return null; // never move the scratch stack under a running kernel
      if (this.base + bytes > PIN_LIMIT) return null; // leave the rest of the memory to scratch
      try {
        this.reserve(this.base + bytes + 64, bytes);
      } catch {
        return null; // the memory cannot grow: an ordinary array will do
      }
      ptr = this.base;
      this.base += bytes;
      this.top = this.base;
    }
    this.u8.fill(0, ptr, ptr + bytes);
    const arr = new Ctor(this.memory.buffer, ptr, n);
    this.registry.register(arr, { ptr, bytes });
    return arr;
  }

  /** The address of a pinned array's element 0, or undefined for an array elsewhere. */
  addressOf(a: ArrayBufferView): number | undefined {
    return this.buffers.has(a.buffer) ? a.byteOffset : undefined;
  }

  /** Bytes of this memory held by pinned arrays that are alive (for tests and diagnostics). */
  pinnedBytes(): number {
    const heap = align(this.exports.heapBase(), 64);
    return this.base - heap - this.freeBlocks.reduce((s, b) => s + b.bytes, 0);
  }

  /** Returns a pinned block to the free list (merging neighbours; the last one gives its space back to the scratch stack). */
  private unpin(block: { ptr: number; bytes: number }): void {
    const list = this.freeBlocks;
    let at = list.findIndex((b) => b.ptr > block.ptr);
    if (at < 0) at = list.length;
    const cur = { ...block };
    list.splice(at, 0, cur);
    const next = list[at + 1];
    if (next && cur.ptr + cur.bytes === next.ptr) {
      cur.bytes += next.bytes;
      list.splice(at + 1, 1);
    }
    const prev = list[at - 1];
    if (prev && prev.ptr + prev.bytes === cur.ptr) {
      prev.bytes += cur.bytes;
      list.splice(at, 1);
    }
    const last = list[list.length - 1];
    if (last && last.ptr + last.bytes === this.base && this.top === this.base) {
      list.pop();
      this.base = last.ptr;
      this.top = this.base;
    }
  }

  /** The current top of the scratch stack, to pass to {@link release}. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /**
   * Reserves `bytes` (plus 64 bytes of slack: SIMD loops may read or write a vector past the
   * end) at a 64-byte aligned address.
   */
  alloc(bytes: number): number {
    const p = this.top;
    const end = align(p + bytes + 64, 64);
    this.reserve(end, bytes);
    this.top = end;
    return p;
  }

  /** Copies `src` into fresh scratch memory and returns its address. */
  put(src: Float32Array): number {
    const p = this.alloc(src.length * 4);
    this.f32.set(src, p >> 2);
    return p;
  }

  /** Copies int32 values into fresh scratch memory and returns the address. */
  putInts(values: readonly number[]): number {
    const p = this.alloc(values.length * 4);
    const base = p >> 2;
    for (let i = 0; i < values.length; i++) this.i32[base + i] = values[i]!;
    return p;
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

let runtime: WasmRuntime | null | undefined;

/** True if this engine validates modules using 128-bit SIMD (tested on a tiny module). */
function simdSupported(): boolean {
  // (module (func (result v128) (v128.const i32x4 0 0 0 0)))
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  return WebAssembly.validate(probe);
}

let relaxedChecked: boolean | undefined;

/**
 * True if this engine validates relaxed SIMD (`f32x4.relaxed_madd`, tested on a tiny module).
 * Chrome 114+, Node 22+ and other engines on V8 11.4+ have it on by default. Node 20's V8 11.3
 * implements it behind `--experimental-wasm-relaxed-simd`, and we turn that flag on there
 * through `v8.setFlagsFromString` (it lets such modules validate; the whole test suite runs on
 * it). The environment variable `TAPEGRAD_RELAXED_SIMD=0` keeps the plain SIMD build everywhere.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxedChecked !== undefined) return relaxedChecked;
  // (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11,
    0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
  ]);
  const proc = (globalThis as {
    process?: { env?: Record<string, string | undefined>; versions?: { v8?: string }; getBuiltinModule?: (n: string) => unknown };
  }).process;
  relaxedChecked = false;
  if (proc?.env?.TAPEGRAD_RELAXED_SIMD === '0') return false;
  relaxedChecked = WebAssembly.validate(probe);
  if (!relaxedChecked && proc?.versions?.v8?.startsWith('11.3.') && typeof proc.getBuiltinModule === 'function') {
    try {
      const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
      v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
      relaxedChecked = WebAssembly.validate(probe);
    } catch {
      relaxedChecked = false;
    }
  }
  return relaxedChecked;
}

/** Compiles one of the four builds of the kernels: for a shared memory or not, with relaxed SIMD or not. */
export function kernelModule(shared: boolean, relaxed: boolean): WebAssembly.Module {
  const b64 = shared ? (relaxed ? wasmSharedRelaxed : wasmShared) : relaxed ? wasmSingleRelaxed : wasmSingle;
  return new WebAssembly.Module(decodeBase64(b64));
}

/**
 * The kernels' runtime, created on first use: the shared-memory build where SharedArrayBuffer
 * is available (Node, cross-origin isolated pages), else the single-threaded one. Null if
 * WebAssembly or its SIMD extension is missing, so callers fall back to the JS kernels.
 */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    if (typeof WebAssembly !== 'object') return noRuntime('this engine has no WebAssembly');
    if (!simdSupported()) return noRuntime('this engine has no WebAssembly SIMD');
    const canShare =
      typeof SharedArrayBuffer === 'function' &&
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
    if (canShare) {
      try {
        const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
        runtime = new WasmRuntime(kernelModule(true, relaxedSimdSupported()), memory, true, relaxedSimdSupported());
        return runtime;
      } catch {
        // fall through to the single-threaded build
      }
    }
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
    runtime = new WasmRuntime(kernelModule(false, relaxedSimdSupported()), memory, false, relaxedSimdSupported());
  } catch (e) {
    // e.g. a Content-Security-Policy without 'wasm-unsafe-eval' refuses the compile
    return noRuntime(`the kernels did not compile: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return runtime;
}

let unavailable = '';

function noRuntime(reason: string): null {
  unavailable = reason;
  return null;
}

/** Why {@link wasmRuntime} is null ('' while it is not, or not tried yet). @internal */
export function wasmUnavailableReason(): string {
  return unavailable;
}

let unshared: WasmRuntime | null | undefined;

/**
 * A second instance of the kernels on an unshared memory of its own (a few MB at most), for
 * element-wise ops that stream their operands through in chunks on the calling thread: V8
 * copies typed arrays into and out of a SharedArrayBuffer word by word, 1.5x slower than into
 * an ordinary one. The same as {@link wasmRuntime} where that memory is unshared already; null
 * without WebAssembly.
 */
export function streamRuntime(): WasmRuntime | null {
  if (unshared !== undefined) return unshared;
  const main = wasmRuntime();
  unshared = main;
  if (main?.shared) {
    try {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
      unshared = new WasmRuntime(kernelModule(false, false), memory, false);
    } catch {
      unshared = main;
    }
  }
  return unshared;
}
