import { allocate, type DType, type TypedArray } from './dtype.js';
import { wasmRuntime } from './kernels/wasm/module.js';

// Pinned memory (PyTorch's pin_memory): tensor data placed in the WebAssembly kernels' memory,
// where kernels read and update it without copying. Worth it for long-lived tensors used by
// every step: parameters and optimizer state. It needs a shared memory (Node, cross-origin
// isolated pages); elsewhere the data is an ordinary array.

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

/** A zero-filled array of `n` elements of `dtype` in pinned memory where there is some, else an ordinary one. */
export function allocatePinned(dtype: DType, n: number): TypedArray {
  return wasmRuntime()?.pinArray<TypedArray>(CTORS[dtype], n) ?? allocate(dtype, n);
}

/** True if `a` lies in pinned memory. */
export function isPinnedArray(a: TypedArray): boolean {
  return wasmRuntime()?.addressOf(a) !== undefined;
}
