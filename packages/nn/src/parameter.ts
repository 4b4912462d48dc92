import { Tensor, ValueError, describeValue } from '@tapegrad/core';

/**
 * A tensor that is a trainable parameter of a {@link Module} (PyTorch's `nn.Parameter`).
 *
 * It shares the storage of the tensor it is built from and is a leaf that requires grad (unless
 * `requiresGrad` is false). A module finds the parameters assigned to its fields and lists them
 * in {@link Module.parameters}, so an optimizer can update them.
 *
 * @example
 * class Scale extends Module {
 *   s = new Parameter(ones([3]));
 *   forward(x: Tensor) { return x.mul(this.s); }
 * }
 * new Scale().parameters().length; // 1
 */
export class Parameter extends Tensor {
  /**
   * @param data - the initial values; the parameter shares its storage (no copy), cut from any tape
   * @param requiresGrad - whether gradients are computed for it (default true; only for float dtypes)
   *
   * @example
   * const p = new Parameter(zeros([2]));
   * p.requiresGrad; // true
   * new Parameter(zeros([2]), false).requiresGrad; // false
   */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new ValueError(`Parameter: data must be a Tensor, got ${describeValue(data)}`);
    if (typeof requiresGrad !== 'boolean')
      throw new ValueError(`Parameter: requiresGrad must be a boolean, got ${describeValue(requiresGrad)}`);
    super(data.storage, data.shape, data.strides, data.offset);
    if (requiresGrad) this.requiresGrad = true;
  }

  /** Prints `Parameter containing:` followed by the tensor, as PyTorch does. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
