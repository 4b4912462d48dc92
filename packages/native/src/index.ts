/**
 * @tapegrad/native: a native (C++, N-API) kernel backend for tapegrad on Node.
 *
 * Importing the package loads the addon that `pnpm install` compiled from source (csrc/, by
 * node-gyp; nothing is downloaded) and registers it with core's `registerBackend` under the name
 * `'native'`; it does not switch to it. `setBackend('native')` or {@link useNative} selects it.
 * When the addon could not be built or loaded (no compiler at install, a failed build,
 * `TAPEGRAD_NATIVE=0`), the import still succeeds, nothing is registered, and
 * {@link nativeStatus}, {@link useNative}'s error and `setBackend('native')`'s error say why.
 *
 * What runs natively (everything else runs on the `wasm` backend where it is available, else on
 * core's js reference kernels):
 * - matrix products (float32, float64; every transpose layout and broadcast batch): a packed,
 *   cache-blocked GEMM with AVX-512, AVX2+FMA or portable 128-bit micro-kernels chosen at load by
 *   CPUID, on the addon's own thread pool;
 * - add, sub, mul, div (any broadcast or strides), exp, log, tanh, sigmoid, relu, neg (contiguous
 *   input) and sums over neighbouring dims (contiguous input), on float32 and float64, reading
 *   and writing the tensors' own arrays.
 *
 * Threads: `setNumThreads(n)` governs the pool (read on every call). Work is split so that the
 * result is the same bits on any number of threads (a matrix product never splits its depth).
 *
 * @example
 * import { nativeStatus } from '@tapegrad/native';
 * nativeStatus().available; // true where the install compiled the addon
 *
 * @packageDocumentation
 */
import { registerBackend, registerUnavailableBackend, setBackend, ValueError, type Backend } from '@tapegrad/core';
import { loadAddon } from './addon.js';
import { makeNativeBackend } from './backend.js';

const loaded = loadAddon();

/**
 * The native backend (core's `Backend`), or null when the addon is unavailable (see
 * {@link nativeStatus}). Registered with core as `'native'` when the package is imported.
 *
 * @example
 * import { nativeBackend } from '@tapegrad/native';
 * nativeBackend?.name; // 'native'
 */
export const nativeBackend: Backend | null = loaded.addon ? makeNativeBackend(loaded.addon) : null;

// without the addon, core's `setBackend('native')` error says why
if (nativeBackend) registerBackend(nativeBackend);
else registerUnavailableBackend('native', `the native addon is unavailable: ${loaded.reason}`);

/**
 * Whether the native backend is available, and if not, why.
 *
 * @example
 * import { nativeStatus } from '@tapegrad/native';
 * const s = nativeStatus();
 * s.available ? s.isa : s.reason; // 'avx512' on an AVX-512 machine
 */
export interface NativeStatus {
  /** True when the addon loaded and `'native'` is registered. */
  available: boolean;
  /** The instruction set of the kernels in use: `'avx512'`, `'avx2'` or `'generic'`; null when unavailable. */
  isa: string | null;
  /** Why the addon is unavailable (null when it is available). */
  reason: string | null;
  /** The `.node` file loaded or looked for (null when loading was not attempted). */
  path: string | null;
}

/**
 * Which native kernels run, or why none do: the addon's instruction set (chosen by CPUID;
 * `TAPEGRAD_NATIVE_ISA=avx2|generic` forces a lower one) or the reason it is unavailable (the
 * install's build error, a missing file, `TAPEGRAD_NATIVE=0`).
 *
 * @example
 * import { nativeStatus } from '@tapegrad/native';
 * nativeStatus().reason; // null when the addon loaded
 */
export function nativeStatus(): NativeStatus {
  if (loaded.addon) return { available: true, isa: loaded.addon.isa(), reason: null, path: loaded.path };
  return { available: false, isa: null, reason: loaded.reason, path: loaded.path };
}

/**
 * Makes the native backend the one every op runs on (`setBackend('native')`).
 *
 * @throws ValueError `useNative: the native backend is unavailable: <reason>` when the addon
 *   was not built or could not be loaded
 * @example
 * import { useNative, nativeStatus } from '@tapegrad/native';
 * if (nativeStatus().available) useNative();
 * getBackend(); // 'native' where the addon loaded
 * setBackend('js');
 */
export function useNative(): void {
  if (!nativeBackend) throw new ValueError(`useNative: the native backend is unavailable: ${loaded.reason}`);
  setBackend('native');
}
