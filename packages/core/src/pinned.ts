import { allocate, type DType, type TypedArray } from './dtype.js';
import type { Backend } from './kernels/backend.js';
import { K, registeredBackends } from './kernels/index.js';

// Pinned memory (PyTorch's pin_memory): tensor data placed in a backend's own memory, where its
// kernels read and update it without copying (Backend.allocPinned). Worth it for long-lived
// tensors used by every step: parameters and optimizer state. Where no backend has any (the js
// reference; the WebAssembly kernels without shared memory), the data is an ordinary array.

/**
 * The backend whose pinned memory new pinned arrays go to: the current one if it has pinned
 * memory, else the first registered one that has, so that a model built while the reference
 * kernels run still gets the memory the fast ones read in place when they run again.
 */
function pinningBackend(): Backend | undefined {
  const current = K();
  if (current.allocPinned) return current;
  for (const b of registeredBackends()) if (b.allocPinned) return b;
  return undefined;
}

/** A zero-filled array of `n` elements of `dtype` in pinned memory where there is some, else an ordinary one. */
export function allocatePinned(dtype: DType, n: number): TypedArray {
  return pinningBackend()?.allocPinned!(dtype, n) ?? allocate(dtype, n);
}

/** True if `a` lies in the pinned memory of a registered backend. */
export function isPinnedArray(a: TypedArray): boolean {
  for (const b of registeredBackends()) if (b.isPinned?.(a)) return true;
  return false;
}
