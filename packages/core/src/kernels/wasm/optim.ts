import type { AdamHyper, FloatArray, SgdHyper } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { WasmRuntime } from './module.js';
import { put, withRuntime } from './staging.js';
import { ELEMENT_UNIT } from './stream.js';
import { parallelFor } from './threads.js';

/** Below this many elements an optimizer update stays in JS (the copies would dominate). */
const MIN_OPTIM = 1024;

/**
 * Cost per element of the fused updates in GEMM flops (the unit of the thread pool's size
 * threshold): measured on one thread, Adam takes about 1.3 ns per element and SGD with momentum
 * about 0.65 ns, while a GEMM does about 24 flops per ns.
 */
const ADAM_FLOPS = 32;
const SGD_FLOPS = 16;

/**
 * Runs an element-wise kernel `fn` over `n` float32 elements, split into slices across the
 * thread pool when large. `args(len, byteOffset)` gives its arguments for one slice; the kernel
 * has no scratch argument, so the pool's scratch pointer goes in an extra one (`nargs`), which
 * WebAssembly ignores. Each element is computed alike on any number of threads.
 */
function forElements(
  rt: WasmRuntime, n: number, flopsPerElement: number, fn: 'adamF32' | 'sgdF32', nargs: number,
  args: (len: number, byteOffset: number) => number[],
): void {
  parallelFor(rt, n * flopsPerElement, Math.ceil(n / ELEMENT_UNIT), fn, 0, nargs, (lo, hi) =>
    args(Math.min(n, hi * ELEMENT_UNIT) - lo * ELEMENT_UNIT, lo * ELEMENT_UNIT * 4));
}

/** The addresses of float32 arrays in the module's memory: pinned ones where they are, others copied into scratch. */
function putAll(rt: WasmRuntime, arrays: Float32Array[]): number[] {
  return arrays.map((a) => rt.addressOf(a) ?? put(rt, a));
}

/** Copies `n` floats at each address back into the arrays (pinned arrays were updated where they are). */
function getAll(rt: WasmRuntime, ptrs: number[], arrays: Float32Array[]): void {
  arrays.forEach((a, i) => {
    if (rt.addressOf(a) === undefined) a.set(rt.f32.subarray(ptrs[i]! >> 2, (ptrs[i]! >> 2) + a.length));
  });
}

function allF32(arrays: Array<FloatArray | null>): arrays is Float32Array[] {
  return arrays.every((a) => a instanceof Float32Array);
}

function adamUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper): void {
  const arrays = maxExpAvgSq ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq];
  if (param.length < MIN_OPTIM || !allF32(arrays)) return jsBackend.adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
  withRuntime((rt) => {
    const [p, g, m, v, vmax] = putAll(rt, arrays);
    forElements(rt, param.length, ADAM_FLOPS, 'adamF32', 15, (n, o) => [
      n, p! + o, g! + o, m! + o, v! + o, vmax === undefined ? 0 : vmax + o, vmax === undefined ? 0 : 1,
      h.beta1, h.beta2, h.stepSize, h.bc2Sqrt, h.eps, h.l2, h.decay, h.maximize ? 1 : 0,
    ]);
    const back = [0, 2, 3, 4].filter((i) => i < arrays.length);
    getAll(rt, back.map((i) => [p, g, m, v, vmax][i]!), back.map((i) => arrays[i]!));
  });
}

function sgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void {
  const buf = h.momentum !== 0 ? momentumBuffer : null;
  const arrays = buf ? [param, grad, buf] : [param, grad];
  if (param.length < MIN_OPTIM || !allF32(arrays)) return jsBackend.sgdUpdate(param, grad, momentumBuffer, h);
  withRuntime((rt) => {
    const [p, g, b] = putAll(rt, arrays);
    forElements(rt, param.length, SGD_FLOPS, 'sgdF32', 11, (n, o) => [
      n, p! + o, g! + o, b === undefined ? 0 : b + o, h.lr, h.momentum, h.dampening, h.nesterov ? 1 : 0, h.weightDecay,
      h.maximize ? 1 : 0, h.firstStep ? 1 : 0,
    ]);
    getAll(rt, b === undefined ? [p!] : [p!, b], b === undefined ? [arrays[0]!] : [arrays[0]!, arrays[2]!]);
  });
}

/** The fused optimizer updates of the wasm backend. @internal */
export const optimKernels = { adamUpdate, sgdUpdate };
