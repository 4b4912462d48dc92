import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { matmulKernels } from './matmul.js';
import { memoryHooks } from './memory.js';
import { wasmRuntime } from './module.js';
import { optimKernels } from './optim.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { nameKernelErrors } from '../runtime-errors.js';
import { softmax, softmaxBackward } from './softmax.js';
import { layerNorm, layerNormBackward, layerNormBackwardWeight } from './norm.js';
import { resample, resampleBackward } from './resample.js';
import { scatterKernels } from './scatter.js';
import { sort } from './sort.js';
import { cumExtreme, scan } from './scan.js';
import { composedKernels } from '../composed.js';

export { gemm } from './matmul.js';
export { winogradTileOverride } from './conv.js';
export { wasmUnavailableReason } from './module.js';
export { getNumThreads, setNumThreads } from './threads.js';

// The WebAssembly backend: float32 GEMM, convolution, pooling, element-wise maps and reductions
// in SIMD kernels (packages/core/assembly); every other case (float64, integer dtypes, ops
// without a wasm kernel, tiny inputs where the copies would dominate) runs the JS reference
// kernels, so this backend is complete. Operands are copied into the module's linear memory
// and results copied out into fresh typed arrays owned by the caller; operands in pinned memory
// (already in the module's memory: parameters, optimizer state) are read where they are, so a
// kernel must never write to an operand's address except where the op updates it in place.
//
// The kernels live by topic as in kernels/js/ and assembly/: elementwise, reduce, scan, sort,
// scatter, matmul, conv, pool, softmax, norm, resample, optim; staging.ts and stream.ts move operands in and out of the module's
// memory, layout.ts holds the shape arithmetic they share.

/**
 * The WebAssembly SIMD kernels (see the module comment above); {@link wasmAvailable} tells
 * whether this engine can run them.
 */
export const wasmBackend: Backend = {
  ...jsBackend,
  name: 'wasm',
  ...elementwiseKernels,
  ...reduceKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...optimKernels,
  ...memoryHooks,
  softmax,
  softmaxBackward,
  layerNorm,
  layerNormBackward,
  layerNormBackwardWeight,
  resample,
  resampleBackward,
  ...scatterKernels,
  sort,
  scan,
  cumExtreme,
  // attention and a product with a bias from wasm's matmul, add and softmax kernels
  ...composedKernels(() => wasmBackend),
};
// the wasm kernels' out-of-memory and worker errors name the op they happened in
nameKernelErrors(wasmBackend, (k) => k in jsBackend && wasmBackend[k as keyof Backend] !== jsBackend[k as keyof Backend]);

/** True if WebAssembly with 128-bit SIMD is available here, so {@link wasmBackend} can run. */
export function wasmAvailable(): boolean {
  return wasmRuntime() !== null;
}

/** `getCpuCapability` (documented where core exports it, kernels/index.ts). */
export function wasmCpuCapability(): 'relaxed-simd128' | 'simd128' | 'none' {
  const rt = wasmRuntime();
  return rt === null ? 'none' : rt.relaxed ? 'relaxed-simd128' : 'simd128';
}
