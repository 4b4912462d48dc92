/**
 * The typed arrays behind float tensors: what the update loops in `functional/` read and write.
 *
 * @example
 * const param: functional.FloatArray = tensor([1, 2]).data as Float32Array;
 * param.length; // 2
 */
export type FloatArray = Float32Array | Float64Array;
