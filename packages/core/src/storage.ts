import type { DType, TypedArray } from './dtype.js';

/**
 * The memory behind one or more tensors. Views share a Storage; its version counter goes up on
 * every in-place write, so backward can tell that a saved tensor changed.
 */
export class Storage {
  /** Incremented by every in-place operation on any view of this storage. */
  version = 0;
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
  ) {}
}
