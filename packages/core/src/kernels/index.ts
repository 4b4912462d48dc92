import type { AdamHyper, Backend, FloatArray, SgdHyper } from './backend.js';
import { ShapeError, ValueError } from '../errors.js';
import { jsBackend } from './js/index.js';

export { jsBackend };
// The registry of backends is the one place outside kernels/wasm/ and kernels/native/ that names
// those backends (packages/core/test/backend-isolation.test.ts checks): everything else reaches
// them through Backend.
import * as wasm from './wasm/index.js';
import * as native from './native/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp, Conv2dGeometry, AdamHyper, SgdHyper, FloatArray } from './backend.js';

const backends = new Map<string, Backend>([['js', jsBackend]]);
if (wasm.wasmAvailable()) backends.set('wasm', wasm.wasmBackend);
/** Why a backend is missing here, by name (for setBackend's error); '' when there is no reason to give. */
const unavailable = new Map<string, () => string>([
  ['wasm', () => (wasm.wasmUnavailableReason() ? `wasm is unavailable here: ${wasm.wasmUnavailableReason()}` : '')],
]);
// The native addon (Node, where @tapegrad/native compiled it at install), over the wasm kernels
// for what it lacks, else over the reference.
const nativeBackend = native.nativeBackendOver(backends.get('wasm') ?? jsBackend, () => wasm.getNumThreads());
if (nativeBackend) backends.set('native', nativeBackend);
else unavailable.set('native', () => `the native addon is unavailable: ${native.nativeAddon().reason}`);
// The fastest available backend is the default: native where it loaded, else WebAssembly SIMD
// where the engine has it. The others are told they are not in use (the wasm backend then starts
// no threads for warm buffers).
let current: Backend = backends.get('native') ?? backends.get('wasm') ?? jsBackend;
for (const b of backends.values()) if (b !== current) b.activate?.(false);
current.activate?.(true);

/** The backend the ops use now. @internal */
export function K(): Backend {
  return current;
}

/**
 * Makes a backend available to {@link setBackend} under `backend.name`. A backend implements
 * every kernel of {@link Backend}; wrapping an existing one is the easy way to start.
 *
 * @example
 * let products = 0;
 * registerBackend({ ...jsBackend, name: 'counting', matmul: (a, b, dt) => { products++; return jsBackend.matmul(a, b, dt); } });
 * setBackend('counting');
 * ones([2, 3]).matmul(ones([3, 4]));
 * products; // 1
 * setBackend('js');
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Records why a backend that a package would register is missing here, so that
 * {@link setBackend}'s error for that name says why instead of only "unknown backend": a package
 * calls it in place of {@link registerBackend} when its backend cannot run (e.g. a native addon
 * that did not build). `reason` is shown in parentheses after the name; registering the backend
 * later makes the name work as usual.
 *
 * @throws ValueError `registerUnavailableBackend: backend "js" is registered` for a name that is
 * @example
 * registerUnavailableBackend('tpu', 'the tpu addon did not build: no compiler');
 * let message = '';
 * try { setBackend('tpu'); } catch (e) { message = (e as Error).message; }
 * message.split(';')[0]; // 'setBackend: unknown backend "tpu" (the tpu addon did not build: no compiler)'
 */
export function registerUnavailableBackend(name: string, reason: string): void {
  if (backends.has(name)) throw new ValueError(`registerUnavailableBackend: backend "${name}" is registered`);
  unavailable.set(name, () => reason);
}

/**
 * Chooses the kernels every op runs on: `'native'` (C++ kernels of @tapegrad/native; the default
 * on Node where its install compiled them, see {@link nativeStatus}), `'wasm'` (WebAssembly SIMD,
 * the default elsewhere where the engine supports it), `'js'` (the pure TypeScript reference) or
 * another registered backend.
 *
 * @throws ValueError `setBackend: unknown backend "gpu"; available: js, wasm, native`
 * @example
 * setBackend('js'); // reference kernels, e.g. to compare results
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) {
    const reason = unavailable.get(name)?.();
    const why = reason ? ` (${reason})` : '';
    throw new ValueError(`setBackend: unknown backend "${name}"${why}; available: ${[...backends.keys()].join(', ')}`);
  }
  current.activate?.(false);
  current = b;
  b.activate?.(true);
}

/**
 * The backend registered under `name`, or undefined: for a backend that speeds up some kernels
 * and hands the rest to another one (the native backend runs what it lacks on `'wasm'` where
 * that is available, else on `'js'`), without naming that backend's module.
 *
 * @example
 * getRegisteredBackend('js')?.name; // 'js'
 * getRegisteredBackend('gpu'); // undefined
 */
export function getRegisteredBackend(name: string): Backend | undefined {
  return backends.get(name);
}

/** The registered backends, in registration order. @internal */
export function registeredBackends(): Iterable<Backend> {
  return backends.values();
}

/**
 * Whether the `native` backend is available, and if not, why (see {@link nativeStatus}).
 *
 * @example
 * const s: NativeStatus = nativeStatus();
 * s.available ? s.isa : s.reason; // 'avx512' on an AVX-512 machine where the addon was built
 */
export interface NativeStatus {
  /** True when the addon loaded and `'native'` is registered. */
  available: boolean;
  /** The instruction set of its kernels: `'avx512'`, `'avx2'` or `'generic'`; null when unavailable. */
  isa: string | null;
  /** Why the addon is unavailable; null when it is available. */
  reason: string | null;
  /** The `.node` file loaded or looked for; null when loading was not attempted. */
  path: string | null;
}

/**
 * Which native kernels run, or why none do, like PyTorch's `torch.backends.mkldnn.is_available()`.
 * On Node, core loads the addon of `@tapegrad/native` (its optional dependency, compiled from
 * source by node-gyp when it is installed) and then runs on the `'native'` backend by default.
 * `isa` is the instruction set chosen by CPUID (`TAPEGRAD_NATIVE_ISA=avx2|generic` forces a lower
 * one); `reason` says why it is unavailable: not Node, `TAPEGRAD_NATIVE=0` in the environment,
 * the package not installed, the install's build error, or the loader's error.
 *
 * @example
 * nativeStatus().available; // true where the install compiled the addon
 * nativeStatus().reason; // null then
 */
export function nativeStatus(): NativeStatus {
  const load = native.nativeAddon();
  if (load.addon && backends.has('native')) return { available: true, isa: load.addon.isa(), reason: null, path: load.path };
  return { available: false, isa: null, reason: load.reason ?? 'not registered', path: load.path };
}

/**
 * The name of the backend in use.
 *
 * @example
 * setBackend('js');
 * getBackend(); // 'js'
 */
export function getBackend(): string {
  return current.name;
}

/**
 * The instruction set the `wasm` backend's kernels run with, like PyTorch's
 * `torch.backends.cpu.get_cpu_capability()`: `'relaxed-simd128'` when the engine has relaxed SIMD
 * (the matrix-product micro-kernel then uses fused multiply-adds: ~1.25x faster here, one
 * rounding per multiply-add instead of two), `'simd128'` for plain 128-bit SIMD, and `'none'`
 * where WebAssembly SIMD is missing (only the `js` backend runs). Does not depend on the current
 * backend.
 *
 * @example
 * getCpuCapability(); // 'relaxed-simd128' in Node 22+ and Chrome 114+
 */
export function getCpuCapability(): 'relaxed-simd128' | 'simd128' | 'none' {
  return wasm.wasmCpuCapability();
}

/** Throws unless every array is as long as the parameter. */
function sameLengths(op: string, arrays: Record<string, FloatArray | null>): void {
  const n = arrays.param!.length;
  // runs for every parameter of every optimizer step: the check itself allocates nothing
  let same = true;
  for (const k in arrays) if (arrays[k] !== null && arrays[k]!.length !== n) same = false;
  if (!same) {
    const all = Object.entries(arrays).filter(([, a]) => a !== null).map(([k, a]) => `${k} ${a!.length}`);
    throw new ShapeError(`${op}: every array must have the parameter's length, got ${all.join(', ')}`);
  }
}

/**
 * One Adam/AdamW update of one parameter in place, by the current backend's fused kernel (a
 * single pass; float32 WebAssembly SIMD on the `wasm` backend, float64 arithmetic with each
 * store rounded on `js`: the two agree to a few float32 ulp). This is
 * what `@tapegrad/optim`'s `Adam` and `AdamW` run per parameter; the rule is on {@link AdamHyper}.
 *
 * @param maxExpAvgSq - the running maximum of `expAvgSq` for amsgrad, else null
 * @throws ShapeError when the arrays' lengths differ
 * @example
 * const p = new Float32Array([1, 1]), g = new Float32Array([10, -0.5]);
 * fusedAdamUpdate(p, g, new Float32Array(2), new Float32Array(2), null,
 *   { beta1: 0.9, beta2: 0.999, stepSize: 0.1 / (1 - 0.9), bc2Sqrt: Math.sqrt(1 - 0.999), eps: 1e-8, l2: 0, decay: 1, maximize: false });
 * Array.from(p); // [0.9, 1.1] (about: Adam's first step is lr · sign(grad))
 */
export function fusedAdamUpdate(
  param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper,
): void {
  sameLengths('fusedAdamUpdate', { param, grad, expAvg, expAvgSq, maxExpAvgSq });
  current.adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
}

/**
 * One SGD update (weight decay, momentum, dampening, Nesterov) of one parameter in place, by the
 * current backend's fused kernel. What `@tapegrad/optim`'s `SGD` runs per parameter; the rule is
 * on {@link SgdHyper}.
 *
 * @param momentumBuffer - the momentum buffer (read and written when `h.momentum` is not 0)
 * @throws ShapeError when the arrays' lengths differ
 * @example
 * const p = new Float64Array([1, 2]), buf = new Float64Array(2);
 * const h = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, firstStep: true };
 * fusedSgdUpdate(p, new Float64Array([1, 1]), buf, h);
 * fusedSgdUpdate(p, new Float64Array([1, 1]), buf, { ...h, firstStep: false });
 * Array.from(buf); // [1.9, 1.9]
 * Array.from(p); // [0.71, 1.71] (about)
 */
export function fusedSgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void {
  sameLengths('fusedSgdUpdate', { param, grad, momentumBuffer: h.momentum !== 0 ? momentumBuffer : null });
  current.sgdUpdate(param, grad, momentumBuffer, h);
}

// The thread-count functions are declared here rather than re-exported from wasm/, so
// that core's public declarations never reach the wasm runtime's, which name WebAssembly types
// (a user whose `lib` has no DOM, as @tsconfig/node20's, would get TS2503 from them).

/**
 * Sets how many threads large matrix products, convolutions and poolings use (the calling
 * thread plus `n - 1` workers). Defaults to the number of cores. Has effect with the `wasm`
 * backend where workers can share its memory: Node (worker_threads) and cross-origin isolated
 * pages (Web Workers); elsewhere the kernels run on the calling thread. Unlike PyTorch's
 * `torch.set_num_threads`, the count is capped at 64 (and so is the default): each worker is a
 * JavaScript isolate of its own (~7 MB), and a job is cut into at most 64 chunks, so more
 * threads would sit idle.
 *
 * @param n - an integer from 1 to 64
 * @throws ValueError `setNumThreads: expected a positive integer, got 0`
 * @throws ValueError `setNumThreads: expected at most 64 threads, got 1000`
 * @example
 * setNumThreads(1); // deterministic single-threaded timing
 */
export function setNumThreads(n: number): void {
  wasm.setNumThreads(n);
}

/**
 * The number of threads the kernels may use (see {@link setNumThreads}).
 *
 * @example
 * getNumThreads(); // 2 on a two-core machine in Node
 */
export function getNumThreads(): number {
  return wasm.getNumThreads();
}
