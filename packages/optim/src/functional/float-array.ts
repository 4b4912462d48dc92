/** The typed arrays behind float tensors: what the update loops in `functional/` read and write. */
export type FloatArray = Float32Array | Float64Array;
