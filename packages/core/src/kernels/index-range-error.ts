import { ValueError } from '../errors.js';

/**
 * Thrown by an indexing kernel that checks its index values itself (scatterAdd) at the first
 * value outside `[0, size)`, in the index's row-major order. The op catches it and reports it
 * with its own name, dim and shapes; a kernel never sees those. @internal
 */
export class IndexRangeError extends ValueError {
  constructor(
    readonly value: number,
    readonly size: number,
  ) {
    super(`scatterAdd: index value ${value} is out of range [0, ${size})`);
  }
}
