import type { DType, TypedArray } from './dtype.js';

/**
 * The memory behind one or more tensors. Views share a Storage; its version counter goes up on
 * every in-place write, so backward can tell that a saved tensor changed.
 *
 * @example
 * const x = tensor([1, 2, 3, 4]);
 * const v = x.reshape([2, 2]); // a view: same storage
 * v.storage === x.storage; // true
 * x.add_(1);
 * v.toArray(); // [[2, 3], [4, 5]]
 * x.storage.version; // 1
 */
export class Storage {
  /**
   * Incremented by every in-place operation on any view of this storage.
   *
   * @example
   * const x = zeros([2]);
   * x.storage.version; // 0
   * x.fill_(1);
   * x.storage.version; // 1
   */
  version = 0;
  /**
   * Order of creation: storages made later have larger serials. The backward pass uses it to
   * tell gradients it computed itself (which it may hand to `.grad` without a copy) from
   * tensors that existed before it.
   *
   * @example
   * zeros([1]).storage.serial < zeros([1]).storage.serial; // true
   */
  readonly serial: number;
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
  ) {
    this.serial = Storage.created++;
  }

  /**
   * How many storages have been created so far (the next one's serial).
   *
   * @example
   * const before = Storage.created;
   * zeros([2]);
   * Storage.created - before; // 1
   */
  static created = 0;
}
