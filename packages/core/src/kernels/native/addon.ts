import type { FloatArray, TypedArray } from '../backend.js';

/** The functions of the compiled addon (packages/native/csrc/addon.cc documents their parameter blocks). @internal */
export interface Addon {
  isa(): string;
  /** With `bias`, params[13] is its offset and every row of c starts from its N values. */
  gemm(a: FloatArray, b: FloatArray, c: FloatArray, params: Float64Array, bias?: FloatArray): void;
  binary(op: number, a: FloatArray, b: FloatArray, out: FloatArray, params: Float64Array): void;
  unary(op: number, x: FloatArray, out: FloatArray, params: Float64Array): void;
  sum(x: FloatArray, out: FloatArray, params: Float64Array): void;
  maxPool(x: FloatArray, out: FloatArray, argmax: Int32Array, params: Float64Array): void;
  /** Returns how many indices were outside [0, M) (skipped). */
  scatterAddRows(out: FloatArray, index: Int32Array, src: FloatArray, params: Float64Array): number;
  sumDims(x: FloatArray, out: FloatArray, params: Float64Array): void;
  adam(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, params: Float64Array): void;
  sgd(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, params: Float64Array): void;
  conv(kind: 0 | 1 | 2, a: FloatArray, b: FloatArray, bias: FloatArray | null, out: FloatArray, params: Float64Array): void;
  copyStrided(x: TypedArray, out: TypedArray, params: Float64Array): void;
  where(cond: Uint8Array, a: TypedArray, b: TypedArray, out: TypedArray, params: Float64Array): void;
  /** What the addon did to glibc's malloc thresholds at load (csrc/addon.cc says why), and a probe of it. */
  mallocSettings(): { applied: boolean; reason: string | null; mmapThreshold: number; trimThreshold: number; largeFromHeap: boolean | null };
  /** The TAPEGRAD_NATIVE_WINOGRAD mode read at load, and how many conv passes ran by Winograd F(4x4, 3x3) (csrc/winograd.cc). */
  convStats(): { winograd: 'auto' | 'off' | 'force'; forward: number; backwardInput: number; backwardWeight: number };
  softmax(x: Float32Array, out: Float32Array, params: Float64Array): void;
  softmaxBackward(g: Float32Array, y: Float32Array, out: Float32Array, params: Float64Array): void;
  layerNorm(x: Float32Array, w: Float32Array | null, b: Float32Array | null, y: Float32Array, mean: Float32Array, rstd: Float32Array, params: Float64Array): void;
  layerNormBackward(g: Float32Array, x: Float32Array, mean: Float32Array, rstd: Float32Array, w: Float32Array | null, out: Float32Array, params: Float64Array): void;
  layerNormBackwardWeight(g: Float32Array, x: Float32Array, mean: Float32Array, rstd: Float32Array, out: Float32Array, params: Float64Array): void;
  /** csrc/attention.cc: params = Bt, L, S, E, Ev, qs, ks, vs, scale, causal, threads; offsets[3b + 0..2] of q, k, v. */
  attention(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, weights: Float32Array, offsets: Float64Array, params: Float64Array): void;
  /** csrc/lstm.cc: params = b, H, gis, giOff, ghs, ghOff, cs, cOff, threads. */
  lstmCell(gi: Float32Array, gh: Float32Array, c: Float32Array, out: Float32Array, act: Float32Array, params: Float64Array): void;
  /** params = b, H, gs, gOff, cs, cOff, threads; act contiguous from 0. */
  lstmCellBackward(g: Float32Array, act: Float32Array, c: Float32Array, dgates: Float32Array, dc: Float32Array, params: Float64Array): void;
  /** params = Bt, L, S, E, Ev, gs, qs, ks, vs, scale, threads; offsets[4b + 0..3] of g, q, k, v. */
  attentionBackward(
    g: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, weights: Float32Array,
    dq: Float32Array, dk: Float32Array, dv: Float32Array, offsets: Float64Array, params: Float64Array,
  ): void;
  /** Returns how many index values were outside [0, size) (their outputs are not the reference's then). */
  gather(x: TypedArray, index: Int32Array, out: TypedArray, params: Float64Array): number;
  /** Returns how many index values were outside [0, D) (out is then left as it was). */
  indexAdd(out: FloatArray, index: Int32Array, src: FloatArray, params: Float64Array): number;
  scan(x: FloatArray, out: FloatArray, params: Float64Array): void;
  cumExtreme(x: FloatArray, values: FloatArray, indices: Int32Array, params: Float64Array): void;
  argReduce(x: FloatArray | Int32Array, out: Int32Array, params: Float64Array): void;
  sort(x: FloatArray | Int32Array, values: FloatArray | Int32Array, indices: Int32Array, params: Float64Array): void;
  avgPool(x: FloatArray, out: FloatArray, params: Float64Array): void;
  avgPoolBackward(grad: FloatArray, dx: FloatArray, params: Float64Array): void;
  /** Returns how many index values were outside [0, L) (nothing computed then). */
  resample(x: FloatArray, index: Int32Array, weight: Float64Array, out: FloatArray, params: Float64Array): number;
  /** Returns how many index values were outside [0, inSize) (nothing computed then). */
  resampleBackward(g: FloatArray, index: Int32Array, weight: Float64Array, out: FloatArray, params: Float64Array): number;
}

/** The addon, or why there is none; `path` is the `.node` file loaded or looked for. @internal */
export type AddonLoad = { addon: Addon; path: string; reason: null } | { addon: null; path: string | null; reason: string };

type Require = (id: string) => unknown;

/** Node's `require`, relative to this module; null outside Node (or before Node 20.16, which lacks `process.getBuiltinModule`). */
function nodeRequire(): Require | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (n: string) => unknown } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  const mod = proc.getBuiltinModule('node:module') as { createRequire(url: string): Require } | undefined;
  return mod ? mod.createRequire(import.meta.url) : null;
}

/**
 * Loads the native addon through @tapegrad/native (an optional dependency of core whose install
 * compiles it; its `loadAddon` finds the `.node` file or says why there is none), or says why it
 * cannot: not on Node, `TAPEGRAD_NATIVE=0`, the package not installed, or its own reason.
 * @internal
 */
export function loadNativeAddon(): AddonLoad {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  if (proc?.env?.TAPEGRAD_NATIVE === '0') return { addon: null, path: null, reason: 'TAPEGRAD_NATIVE=0 is set' };
  const require = nodeRequire();
  if (require === null) return { addon: null, path: null, reason: 'not running on Node 20.16 or later' };
  let pkg: { loadAddon(): AddonLoad };
  try {
    pkg = require('@tapegrad/native') as typeof pkg;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      return { addon: null, path: null, reason: '@tapegrad/native is not installed (an optional dependency of @tapegrad/core: its install compiles the addon)' };
    }
    return { addon: null, path: null, reason: `could not load @tapegrad/native: ${(e as Error).message}` };
  }
  return pkg.loadAddon();
}
