import type { FloatArray as CoreFloatArray } from '@tapegrad/core';

/**
 * The typed arrays behind float tensors: what the updates in `functional/` read and write (core's
 * `FloatArray`, the type its fused optimizer kernels take).
 *
 * @example
 * const param: functional.FloatArray = tensor([1, 2]).data as Float32Array;
 * param.length; // 2
 */
export type FloatArray = CoreFloatArray;
