/**
 * @tapegrad/core: tensors, broadcasting ops, and dynamic-tape reverse-mode automatic
 * differentiation.
 *
 * @example
 * import { tensor } from '@tapegrad/core';
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.toString(); // 'tensor([2., 4., 6.])'
 *
 * @packageDocumentation
 */
export { Tensor, type NestedArray } from './tensor.js';
export { Storage } from './storage.js';
export * from './dtype.js';
export * from './errors.js';
export { OutOfMemoryError, WorkerError } from './kernels/runtime-errors.js';
export { defineOptions, checkOptions, unsupported, describeValue, type OptionSpec, type OptionType, type UnsupportedOption } from './options.js';
export {
  type Shape, sizeOf, broadcastShapes, normalizeDim, shapesEqual, contiguousStrides, MAX_DIMS,
} from './shape.js';
export * from './creation.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export * from './ops/index.js';
export type { VarOptions } from './ops/var.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export { backward, grad, type BackwardOptions, type GradOptions } from './autograd/backward.js';
export { Node, type GradHook, type BackwardRule, type Edge } from './autograd/node.js';
export { primitives, type PrimitiveInfo } from './autograd/primitive.js';
export { setTracer, isTracing, traceComposite, type Tracer } from './autograd/trace.js';
export { defineFunction, FunctionContext, type FunctionDef } from './autograd/function.js';
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckFn } from './autograd/gradcheck.js';
export { setBackend, getBackend, getCpuCapability, nativeStatus, type NativeStatus, registerBackend, registerUnavailableBackend, getRegisteredBackend, jsBackend, type Backend } from './kernels/index.js';
export { setNumThreads, getNumThreads, fusedAdamUpdate, fusedSgdUpdate } from './kernels/index.js';
export type { View, UnaryOp, BinaryOp, ReduceOp, ScanOp, Conv2dGeometry, AdamHyper, SgdHyper, FloatArray } from './kernels/backend.js';
export { poolOutputSize, poolDivisors, poolFirstPositions } from './pool-windows.js';
