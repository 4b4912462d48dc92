import type { DType, TypedArray } from '../../dtype.js';
import { wasmRuntime } from './module.js';
import { setWarmStartsPool } from './threads.js';

// The wasm backend's memory hooks (see Backend.allocPinned): pinned arrays live in the module's
// shared memory, below the scratch stack, where the kernels read and update them in place; and
// its worker pool may start to prepare warm buffers only while it is the current backend.

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

/** A zero-filled pinned array in the module's memory, or null without a shared memory. */
function allocPinned(dtype: DType, n: number): TypedArray | null {
  return wasmRuntime()?.pinArray<TypedArray>(CTORS[dtype], n) ?? null;
}

/** True if `a` lies in the module's memory. */
function isPinned(a: TypedArray): boolean {
  return wasmRuntime()?.addressOf(a) !== undefined;
}

/** The memory hooks of the wasm backend. @internal */
export const memoryHooks = { allocPinned, isPinned, activate: setWarmStartsPool };
