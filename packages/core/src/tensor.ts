import { allocate, isFloating, type DType, type DTypeLike, type TypedArray } from './dtype.js';
import type { View } from './kernels/backend.js';
import { makeView } from './kernels/view.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import { checkRank, contiguousStrides, sizeOf, type Shape } from './shape.js';
import { Storage } from './storage.js';
import type { GradHook, Node } from './autograd/node.js';
import { formatTensor } from './format.js';
import { checkOptions, defineOptions, describeValue, setTensorCheck, unsupported } from './options.js';
import { allocatePinned, isPinnedArray } from './pinned.js';
import * as ops from './ops/index.js';
import * as inplace from './inplace.js';
import { checkTensorLike, requireTensor } from './ops/operands.js';
import { clampBounds } from './ops/clamp.js';
import { indexPut_ as indexPutInPlace } from './ops/advanced-index.js';
import { mapInPlace, normal_ as normalInPlace, uniform_ as uniformInPlace } from './inplace-ops.js';
import type { Generator } from './random.js';
import * as inplaceRandom from './inplace-random.js';
import { backward as runBackward, type BackwardOptions } from './autograd/backward.js';
import type { Dims, ReduceOptions, SliceSpec, TensorLike } from './ops/types.js';

/**
 * Nested JavaScript arrays of numbers (or booleans), as {@link Tensor.toArray} returns.
 *
 * @example
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * tensor(rows).shape; // [2, 2]
 * tensor(rows).toArray(); // [[1, 2], [3, 4]]
 */
export type NestedArray = number | boolean | NestedArray[];

/** PyTorch's name of each tapegrad dtype's tensor type, as {@link Tensor.type} returns it. */
type TensorTypeName = 'torch.FloatTensor' | 'torch.DoubleTensor' | 'torch.IntTensor' | 'torch.BoolTensor';

/** Node's `util.inspect.custom`, by its registered name (no `node:util` import: core also runs in browsers). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const TO_OPTIONS = defineOptions('to', {
  copy: 'boolean',
  nonBlocking: unsupported('nonBlocking is not supported: tapegrad has no devices to copy between', false),
});

const TYPE_NAMES: Readonly<Record<DType, TensorTypeName>> = {
  float32: 'torch.FloatTensor',
  float64: 'torch.DoubleTensor',
  int32: 'torch.IntTensor',
  bool: 'torch.BoolTensor',
};

/**
 * An n-dimensional array of numbers that records the operations applied to it, so that
 * {@link Tensor.backward} can compute gradients (PyTorch's `torch.Tensor`).
 *
 * A tensor is a strided view (shape, strides, offset) of a {@link Storage}; views such as
 * `reshape`, `transpose` and `narrow` share the storage. Create tensors with {@link tensor},
 * {@link zeros}, {@link randn} and the other creation functions, not with `new`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /**
   * The storage-sharing strided view the kernels read.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).T.nd.stride; // [1, 2]
   */
  readonly nd: View;
  private _requiresGrad = false;
  /**
   * The gradient accumulated by {@link Tensor.backward}, of this tensor's shape; null until then.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.grad; // null
   * x.mul(3).sum().backward();
   * x.grad!.toArray(); // [3, 3]
   */
  grad: Tensor | null = null;
  private _gradFn: Node | null = null;
  /** Hooks run on this leaf's gradient before it is accumulated. */
  readonly leafHooks: GradHook[] = [];

  /**
   * @internal Use the creation functions instead. `view`, when given, is a ready view of
   * `storage.data` with this shape, strides and offset, taken as is (views are never mutated).
   */
  constructor(
    readonly storage: Storage,
    shape: Shape,
    strides: readonly number[] = contiguousStrides(shape),
    offset = 0,
    view?: View,
  ) {
    // The view copies shape and strides into arrays of its own.
    this.nd = view ?? makeView(storage.data, shape, strides, offset);
  }

  /**
   * Wraps a fresh typed array as a contiguous tensor of the given shape (no copy).
   *
   * @throws ValueError `Tensor.fromData: 65 dims is more than the 64 a tensor can have (shape [1,1,1,1,1,1,1,1,...] (65 sizes))`
   * @example
   * Tensor.fromData(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32').toArray(); // [[1, 2], [3, 4]]
   */
  static fromData(data: TypedArray, shape: Shape, dtype: DType): Tensor {
    checkRank('Tensor.fromData', shape);
    if (data.length !== sizeOf(shape))
      throw new ValueError(`tensor: ${data.length} values do not fill shape ${fmtShape(shape)}`);
    return new Tensor(new Storage(data, dtype), shape);
  }

  /** Wraps a kernel result (a view of fresh storage) as a tensor. */
  static fromView(view: View, dtype: DType): Tensor {
    return new Tensor(new Storage(view.data, dtype), view.shape, view.stride, view.offset, view);
  }

  // ---------------------------------------------------------------- inspection

  /**
   * The element type.
   *
   * @example
   * tensor([1.5]).dtype; // 'float32'
   * tensor([true, false]).dtype; // 'bool'
   */
  get dtype(): DType {
    return this.storage.dtype;
  }
  /**
   * The size of each dimension, e.g. `[N, C, H, W]`.
   *
   * @example
   * zeros([2, 3]).shape; // [2, 3]
   */
  get shape(): number[] {
    return this.nd.shape.slice();
  }
  /**
   * Elements to skip in storage to move one step along each dimension.
   *
   * @example
   * zeros([2, 3]).strides; // [3, 1]
   * zeros([2, 3]).T.strides; // [1, 3]
   */
  get strides(): number[] {
    return this.nd.stride.slice();
  }
  /**
   * Index of the first element in storage.
   *
   * @example
   * arange(6).reshape([2, 3]).select(0, 1).offset; // 3
   */
  get offset(): number {
    return this.nd.offset;
  }
  /**
   * Number of dimensions.
   *
   * @example
   * zeros([2, 3, 4]).ndim; // 3
   */
  get ndim(): number {
    return this.nd.shape.length;
  }
  /**
   * Number of elements, as PyTorch's `numel()`.
   *
   * @example
   * zeros([2, 3, 4]).numel(); // 24
   * tensor(5).numel(); // 1
   */
  numel(): number {
    return sizeOf(this.nd.shape);
  }
  /**
   * The storage's in-place version counter.
   *
   * @example
   * const x = zeros([2]);
   * x.add_(1);
   * x.version; // 1
   */
  get version(): number {
    return this.storage.version;
  }
  /**
   * The size of one dimension (negative counts from the end), or the whole shape.
   *
   * @example
   * zeros([2, 3]).size(); // [2, 3]
   * zeros([2, 3]).size(-1); // 3
   */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    if (!Number.isInteger(dim)) throw new ValueError(`size: dim must be an integer, got ${describeValue(dim)}`);
    if (d < 0 || d >= this.ndim)
      throw new ValueError(`size: dim ${dim} is out of range for a tensor of ${this.ndim} dims (shape ${fmtShape(this.shape)})`);
    return this.nd.shape[d]!;
  }
  /**
   * Number of dimensions, as PyTorch's `dim()` (the same as {@link Tensor.ndim}).
   *
   * @example
   * zeros([2, 3, 4]).dim(); // 3
   * tensor(5).dim(); // 0
   */
  dim(): number { return this.ndim; }
  /**
   * Number of dimensions (PyTorch's alias of `dim()`).
   *
   * @example
   * zeros([2, 3]).ndimension(); // 2
   */
  ndimension(): number { return this.ndim; }
  /**
   * Number of elements, as PyTorch's `nelement()` (an alias of {@link Tensor.numel()}).
   *
   * @example
   * zeros([2, 3, 4]).nelement(); // 24
   */
  nelement(): number { return this.numel(); }
  /**
   * True if the elements lie in row-major order without gaps, so `data` needs no copy. A tensor
   * without elements always is (as in PyTorch).
   *
   * @example
   * zeros([2, 3]).isContiguous(); // true
   * zeros([2, 3]).T.isContiguous(); // false
   * zeros([0, 3]).T.isContiguous(); // true
   */
  isContiguous(): boolean {
    const s = this.nd.shape;
    if (this.numel() === 0) return true;
    const st = this.nd.stride;
    let expected = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      if (s[i] !== 1 && st[i] !== expected) return false;
      expected *= s[i]!;
    }
    return true;
  }

  /**
   * The elements as a contiguous typed array in row-major order. When the tensor is contiguous
   * this is a view of its storage (no copy; writing to it bypasses the tape); otherwise a copy.
   *
   * @example
   * const d = tensor([[1, 2], [3, 4]]).T.data; // a copy, in row-major order of the view
   * Array.from(d); // [1, 3, 2, 4]
   */
  get data(): TypedArray {
    if (this.isContiguous()) {
      const o = this.nd.offset;
      const n = this.numel();
      const d = this.storage.data;
      return o === 0 && n === d.length ? d : d.subarray(o, o + n);
    }
    return this.contiguous().data;
  }

  /**
   * The elements as nested arrays (numbers; booleans for `bool`). A scalar gives a number.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   * tensor([1, 0], { dtype: 'bool' }).toArray(); // [true, false]
   * tensor(5).toArray(); // 5
   */
  toArray(): NestedArray {
    const data = this.data;
    const shape = this.nd.shape;
    const isBool = this.dtype === 'bool';
    let i = 0;
    const build = (d: number): NestedArray => {
      if (d === shape.length) {
        const v = data[i++]!;
        return isBool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let k = 0; k < shape[d]!; k++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /**
   * The elements as nested arrays: PyTorch's spelling of {@link Tensor.toArray}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).tolist(); // [[1, 2], [3, 4]]
   * tensor(5).tolist(); // 5
   */
  tolist(): NestedArray { return this.toArray(); }

  /**
   * The value of a one-element tensor as a number.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).sum().item(); // 10
   */
  item(): number {
    if (this.numel() !== 1)
      throw new ValueError(`item: only a tensor with one element can be converted to a number; shape is ${fmtShape(this.shape)}`);
    return this.storage.data[this.nd.offset]!;
  }

  /**
   * Prints like PyTorch: `tensor([[1., 2.], [3., 4.]], requiresGrad=true)`. Floats with integral
   * values print as `1.`, others with 4 decimals (`1.5000`), in scientific notation when their
   * magnitudes span more than 1000x, pass 1e8 or fall below 1e-4 (`1.0000e-05`); rows wrap at 80
   * columns and tensors of more than 1000 elements are summarised with `...`. After the values:
   * `dtype=float64` or `dtype=int32` (float32 and bool are not named), `size=[0, 3]` for an
   * empty tensor, and `gradFn=<MulBackward>` or `requiresGrad=true` (PyTorch's `grad_fn` and
   * `requires_grad`, in camelCase). `console.log(t)` in Node prints the same.
   *
   * @example
   * tensor([1, 2]).toString(); // 'tensor([1., 2.])'
   * tensor([1.5, 2]).toString(); // 'tensor([1.5000, 2.0000])'
   * tensor([1e-5, 1]).toString(); // 'tensor([1.0000e-05, 1.0000e+00])'
   * tensor([1, 2], { dtype: 'int32' }).toString(); // 'tensor([1, 2], dtype=int32)'
   * tensor([true, false]).toString(); // 'tensor([ True, False])'
   * tensor([1, 2], { requiresGrad: true }).mul(2).toString(); // 'tensor([2., 4.], gradFn=<MulBackward>)'
   */
  toString(): string {
    return formatTensor(this);
  }

  /**
   * What Node's `util.inspect` (and so `console.log`) shows for a tensor: its {@link Tensor.toString}.
   * Keyed by `Symbol.for('nodejs.util.inspect.custom')`, so core needs no Node import.
   *
   * @example
   * const show = Symbol.for('nodejs.util.inspect.custom');
   * (tensor([1, 2]) as unknown as Record<symbol, () => string>)[show](); // 'tensor([1., 2.])'
   */
  [INSPECT](): string {
    return formatTensor(this);
  }

  /**
   * The values as nested arrays ({@link Tensor.toArray}), which `JSON.stringify` uses.
   *
   * @example
   * JSON.stringify({ w: tensor([[1, 2], [3, 4]]) }); // '{"w":[[1,2],[3,4]]}'
   */
  toJSON(): NestedArray {
    return this.toArray();
  }

  // ---------------------------------------------------------------- autograd

  /**
   * Whether operations on this tensor are recorded so that gradients flow to it.
   *
   * @example
   * const w = zeros([2]);
   * w.requiresGrad = true;
   * w.mul(2).requiresGrad; // true
   * zeros([2]).mul(2).requiresGrad; // false
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(on: boolean) {
    if (typeof on !== 'boolean') throw new ValueError(`requiresGrad: expected true or false, got ${describeValue(on)}`);
    if (on && !isFloating(this.dtype))
      throw new DTypeError(`requiresGrad: only floating point tensors can require gradients, got ${this.dtype}`);
    if (!on && this._gradFn !== null)
      throw new ValueError('requiresGrad: cannot turn off requiresGrad of a non-leaf tensor; use detach()');
    this._requiresGrad = on;
  }
  /**
   * The recorded operation that produced this tensor (null for leaves).
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.gradFn; // null
   * x.exp().gradFn!.name; // 'exp'
   */
  get gradFn(): Node | null {
    return this._gradFn;
  }
  /**
   * True for tensors created by the user rather than by a recorded operation.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.isLeaf; // true
   * x.mul(2).isLeaf; // false
   */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  /** @internal Called by the tape when an op is recorded. */
  _setGradFn(node: Node): void {
    this._gradFn = node;
    this._requiresGrad = true;
  }

  /**
   * Sets `requiresGrad` in place and returns this tensor (`on` is a boolean, positional as in PyTorch).
   *
   * @throws ValueError `requiresGrad: expected true or false, got 'false' (a string)`
   * @example
   * zeros([3]).requiresGrad_().requiresGrad; // true
   * zeros([3]).requiresGrad_(false).requiresGrad; // false
   */
  requiresGrad_(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /**
   * Computes gradients of this tensor with respect to the leaves of its graph and accumulates
   * them into their `.grad`. The graph's saved tensors are freed unless `retainGraph`.
   *
   * @param gradient - required for a non-scalar tensor: the gradient of some scalar with respect
   *   to this tensor. The options may come in its place: `loss.backward({ retainGraph: true })`.
   * @throws ValueError `backward: grad can be implicitly created only for scalar outputs ...`
   *
   * @example
   * const x = tensor([1, 2, 3], { requiresGrad: true });
   * x.pow(2).sum().backward();
   * x.grad!.toArray(); // [2, 4, 6]
   * x.mul(2).backward(tensor([1, 0, 0])); // a non-scalar output needs its gradient; grads add up
   * x.grad!.toArray(); // [4, 4, 6]
   * const loss = x.sum();
   * loss.backward({ retainGraph: true }); // options alone
   * loss.backward();
   * x.grad!.toArray(); // [6, 6, 8]
   */
  backward(gradient?: Tensor | null | BackwardOptions, opts?: BackwardOptions): void {
    runBackward(this, gradient, opts);
  }

  /**
   * Keeps the gradient of this non-leaf tensor in `.grad` during backward.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(3).retainGrad();
   * y.sum().backward();
   * y.grad!.toArray(); // [1, 1]
   */
  retainGrad(): this {
    if (this._gradFn) this._gradFn.retained = this;
    return this;
  }

  /**
   * Registers a function called with this tensor's gradient during backward; it may return a
   * replacement. Returns a handle that removes the hook: call `handle.remove()` (as PyTorch's
   * `RemovableHandle`) or the handle itself. Removing twice does nothing.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const handle = x.registerHook((g) => g.mul(10));
   * x.sum().backward();
   * x.grad!.toArray(); // [10, 10]
   * handle.remove();
   * x.sum().backward();
   * x.grad!.toArray(); // [11, 11]
   */
  registerHook(fn: GradHook): (() => void) & { remove(): void } {
    if (typeof fn !== 'function') throw new ValueError(`registerHook: expected a function, got ${describeValue(fn)}`);
    if (!this._requiresGrad)
      throw new ValueError(`registerHook: cannot register a hook on a tensor that does not require grad (shape ${fmtShape(this.shape)})`);
    const list = this._gradFn ? this._gradFn.hooks : this.leafHooks;
    list.push(fn);
    let removed = false;
    const remove = (): void => {
      if (removed) return;
      removed = true;
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
    return Object.assign(remove, { remove });
  }

  /**
   * A tensor sharing this one's storage, cut from the tape (no gradFn, requiresGrad false).
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const d = x.mul(2).detach();
   * d.requiresGrad; // false
   * d.toArray(); // [2, 4]
   */
  detach(): Tensor {
    return new Tensor(this.storage, this.nd.shape, this.nd.stride, this.nd.offset, this.nd);
  }

  /**
   * Cuts this tensor from the tape in place: it becomes a leaf that does not require grad
   * (its gradFn is dropped, its `.grad` kept). Returns this tensor.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(2).detach_();
   * y.requiresGrad; // false
   * y.isLeaf; // true
   * y.toArray(); // [2, 4]
   */
  detach_(): this {
    this._gradFn = null;
    this._requiresGrad = false;
    return this;
  }

  /** @internal A new Tensor object over the same view (used when an op returns its input unchanged). */
  aliasView(): Tensor {
    return this.detach();
  }

  // ---------------------------------------------------------------- in-place (for optimizers; see inplace.ts)

  /**
   * `this += alpha * other`, in place. Only on tensors that do not require grad, or under {@link noGrad}.
   *
   * @example
   * const x = zeros([2]);
   * x.add_(tensor([1, 2]), { alpha: 10 });
   * x.toArray(); // [10, 20]
   */
  add_(other: TensorLike, opts?: { alpha?: number }): this {
    checkTensorLike('add_', other);
    return inplace.add_(this, other, opts);
  }
  /**
   * `this -= alpha * other`, in place.
   *
   * @example
   * const x = ones([2]);
   * x.sub_(1).toArray(); // [0, 0]
   */
  sub_(other: TensorLike, opts?: { alpha?: number }): this {
    checkTensorLike('sub_', other);
    return inplace.sub_(this, other, opts);
  }
  /**
   * `this *= other`, in place.
   *
   * @example
   * ones([2]).mul_(tensor([2, 3])).toArray(); // [2, 3]
   */
  mul_(other: TensorLike): this {
    checkTensorLike('mul_', other);
    return inplace.mul_(this, other);
  }
  /**
   * `this /= other`, in place.
   *
   * @example
   * ones([2]).div_(4).toArray(); // [0.25, 0.25]
   */
  div_(other: TensorLike): this {
    checkTensorLike('div_', other);
    return inplace.div_(this, other);
  }
  /**
   * Copies `src` (broadcast to this shape, cast to this dtype) into this tensor.
   *
   * @example
   * zeros([2, 2]).copy_(tensor([1, 2])).toArray(); // [[1, 2], [1, 2]]
   */
  copy_(src: TensorLike): this {
    checkTensorLike('copy_', src);
    return inplace.copy_(this, src);
  }
  /**
   * Sets every element to `value`.
   *
   * @example
   * zeros([3]).fill_(7).toArray(); // [7, 7, 7]
   */
  fill_(value: number): this { return inplace.fill_(this, value); }
  /**
   * Sets every element to 0.
   *
   * @example
   * ones([3]).zero_().toArray(); // [0, 0, 0]
   */
  zero_(): this { return inplace.fill_(this, 0); }
  /**
   * Clamps in place to `[min, max]`; the bounds come positionally or as options, `clamp_({ min: 0 })`.
   *
   * @throws ValueError `clamp_: min must be a number or null, got an array [0]`
   * @example
   * tensor([-2, 0.5, 3]).clamp_(-1, 1).toArray(); // [-1, 0.5, 1]
   * tensor([-2, 3]).clamp_({ min: 0 }).toArray(); // [0, 3]
   */
  clamp_(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): this {
    const [lo, hi] = clampBounds('clamp_', min, max) as [number | null | undefined, number | null | undefined];
    return inplace.clamp_(this, lo, hi);
  }
  /**
   * `this += value * t1 * t2`, in place.
   *
   * @example
   * ones([2]).addcmul_(tensor([2, 3]), tensor([4, 5]), { value: 0.5 }).toArray(); // [5, 8.5]
   */
  addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this {
    requireTensor('addcmul_', 't1', t1);
    requireTensor('addcmul_', 't2', t2);
    return inplace.addcmul_(this, t1, t2, opts);
  }
  /**
   * `this += value * t1 / t2`, in place.
   *
   * @example
   * ones([2]).addcdiv_(tensor([2, 3]), tensor([4, 6])).toArray(); // [1.5, 1.5]
   */
  addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this {
    requireTensor('addcdiv_', 't1', t1);
    requireTensor('addcdiv_', 't2', t2);
    return inplace.addcdiv_(this, t1, t2, opts);
  }
  /**
   * Square root in place.
   *
   * @example
   * tensor([4, 9]).sqrt_().toArray(); // [2, 3]
   */
  sqrt_(): this { return inplace.sqrt_(this); }
  /**
   * Elementwise maximum with `other`, in place.
   *
   * @example
   * tensor([-1, 2]).maximum_(0).toArray(); // [0, 2]
   */
  maximum_(other: TensorLike): this {
    checkTensorLike('maximum_', other);
    return inplace.maximum_(this, other);
  }

  // ---------------------------------------------------------------- in-place maps and fills (see inplace-ops.ts)

  /**
   * `-this`, in place.
   *
   * @example
   * tensor([1, -2]).neg_().toArray(); // [-1, 2]
   */
  neg_(): this { return mapInPlace('neg_', this, ops.neg, false); }
  /**
   * `|this|`, in place.
   *
   * @example
   * tensor([-1.5, 2]).abs_().toArray(); // [1.5, 2]
   */
  abs_(): this { return mapInPlace('abs_', this, ops.abs, false); }
  /**
   * `e^this`, in place (float tensors only).
   *
   * @throws DTypeError for an integer tensor, which cannot hold the result
   * @example
   * tensor([0, 1]).exp_().toArray(); // [1, 2.7182817]
   */
  exp_(): this { return mapInPlace('exp_', this, ops.exp, true); }
  /**
   * Natural logarithm, in place (float tensors only).
   *
   * @example
   * tensor([1, Math.E]).log_().toArray(); // [0, 1]
   */
  log_(): this { return mapInPlace('log_', this, ops.log, true); }
  /**
   * `1 / sqrt(this)`, in place (float tensors only).
   *
   * @example
   * tensor([4, 16]).rsqrt_().toArray(); // [0.5, 0.25]
   */
  rsqrt_(): this { return mapInPlace('rsqrt_', this, ops.rsqrt, true); }
  /**
   * Hyperbolic tangent, in place (float tensors only).
   *
   * @example
   * tensor([0, 100]).tanh_().toArray(); // [0, 1]
   */
  tanh_(): this { return mapInPlace('tanh_', this, ops.tanh, true); }
  /**
   * Logistic sigmoid, in place (float tensors only).
   *
   * @example
   * tensor([0, 2]).sigmoid_().toArray(); // [0.5, 0.8807971]
   */
  sigmoid_(): this { return mapInPlace('sigmoid_', this, ops.sigmoid, true); }
  /**
   * `max(this, 0)`, in place.
   *
   * @example
   * tensor([-1, 0, 2]).relu_().toArray(); // [0, 0, 2]
   */
  relu_(): this { return mapInPlace('relu_', this, ops.relu, false); }
  /**
   * Fills with samples of the uniform distribution U(from, to) (float tensors only).
   *
   * @throws ValueError `uniform_: expected from <= to, got from=1, to=0`
   * @example
   * const w = zeros([3, 3]).uniform_(-0.1, 0.1, { generator: new Generator(1) });
   * w.abs().max().item() <= 0.1; // true
   */
  uniform_(from = 0, to = 1, opts?: { generator?: Generator }): this { return uniformInPlace(this, from, to, opts); }
  /**
   * Fills with samples of the normal distribution N(mean, std²) (float tensors only).
   *
   * @throws ValueError `normal_: expected std >= 0, got -1`
   * @example
   * const w = zeros([100, 100]).normal_(0, 0.02);
   * w.std().item(); // about 0.02
   */
  normal_(mean = 0, std = 1, opts?: { generator?: Generator }): this { return normalInPlace(this, mean, std, opts); }

  // ---------------------------------------------------------------- casts and copies

  /**
   * Casts to `dtype` (a {@link DTypeLike}: PyTorch's names `'long'`, `'double'`, ... are
   * accepted), or to another tensor's dtype (differentiable between float dtypes); returns
   * this tensor if the dtype matches, unless `{ copy: true }`. PyTorch's `non_blocking` has no
   * meaning without devices: `nonBlocking: true` is refused.
   *
   * @throws ValueError `to: unknown dtype 'float16'; tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)`
   * @example
   * tensor([1.7, -1.7]).to('int32').toArray(); // [1, -1]
   * tensor([1.7]).to('long').dtype; // 'int32'
   * tensor([1]).to('float64').dtype; // 'float64'
   * tensor([1]).to(zeros([2], { dtype: 'int32' })).dtype; // 'int32'
   * const x = tensor([1, 2]);
   * x.to('float32') === x; // true
   * x.to('float32', { copy: true }) === x; // false
   */
  to(dtype: DTypeLike | Tensor, opts?: { copy?: boolean; nonBlocking?: boolean }): Tensor {
    const { copy = false } = checkOptions(TO_OPTIONS, opts);
    const out = ops.toDType(this, dtype instanceof Tensor ? dtype.dtype : dtype);
    return copy && out === this ? ops.clone(this) : out;
  }
  /**
   * Casts to `float32`.
   *
   * @example
   * tensor([1, 2], { dtype: 'int32' }).float().dtype; // 'float32'
   */
  float(): Tensor { return ops.toDType(this, 'float32'); }
  /**
   * Casts to `float64`.
   *
   * @example
   * tensor([1, 2]).double().dtype; // 'float64'
   */
  double(): Tensor { return ops.toDType(this, 'float64'); }
  /**
   * Casts to `int32` (truncating toward zero).
   *
   * @example
   * tensor([2.9, -2.9]).int().toArray(); // [2, -2]
   */
  int(): Tensor { return ops.toDType(this, 'int32'); }
  /**
   * Casts to `bool` (non-zero is true).
   *
   * @example
   * tensor([0, 2, -1]).bool().toArray(); // [false, true, true]
   */
  bool(): Tensor { return ops.toDType(this, 'bool'); }
  /**
   * Casts to tapegrad's integer dtype, `int32` (PyTorch's `long()` gives int64, which tapegrad
   * does not have; int32 is what its index arguments take).
   *
   * @example
   * tensor([2.9, -2.9]).long().toArray(); // [2, -2]
   * tensor([1]).long().dtype; // 'int32'
   */
  long(): Tensor { return ops.toDType(this, 'int32'); }
  /**
   * Without an argument, the PyTorch name of this tensor's type: `'torch.FloatTensor'`
   * (float32), `'torch.DoubleTensor'` (float64), `'torch.IntTensor'` (int32) or
   * `'torch.BoolTensor'` (bool); use {@link Tensor.dtype} for tapegrad's name. With a dtype (or one
   * of those names), casts to it as {@link Tensor.to} does.
   *
   * @throws ValueError `type: unknown type 'torch.HalfTensor' ...`
   * @example
   * tensor([1.5]).type(); // 'torch.FloatTensor'
   * tensor([1.5]).type('int32').dtype; // 'int32'
   * tensor([1]).type('torch.DoubleTensor').dtype; // 'float64'
   */
  type(): 'torch.FloatTensor' | 'torch.DoubleTensor' | 'torch.IntTensor' | 'torch.BoolTensor';
  type(dtype: DType | 'torch.FloatTensor' | 'torch.DoubleTensor' | 'torch.IntTensor' | 'torch.BoolTensor'): Tensor;
  type(dtype?: DType | TensorTypeName): TensorTypeName | Tensor {
    if (dtype === undefined) return TYPE_NAMES[this.dtype];
    const target = (Object.keys(TYPE_NAMES) as DType[]).find((d) => d === dtype || TYPE_NAMES[d] === dtype);
    if (target === undefined)
      throw new ValueError(`type: unknown type ${JSON.stringify(dtype)}; expected one of ${Object.keys(TYPE_NAMES).join(', ')}, ${Object.values(TYPE_NAMES).join(', ')}`);
    return ops.toDType(this, target);
  }
  /**
   * A copy with its own storage (differentiable).
   *
   * @example
   * const x = tensor([1, 2]);
   * x.clone().add_(1).toArray(); // [2, 3]
   * x.toArray(); // [1, 2]
   */
  clone(): Tensor { return ops.clone(this); }
  /**
   * This tensor if contiguous, otherwise a contiguous copy (differentiable).
   *
   * @example
   * const t = arange(6).reshape([2, 3]).T;
   * t.contiguous().isContiguous(); // true
   * t.contiguous().toArray(); // [[0, 3], [1, 4], [2, 5]]
   */
  contiguous(): Tensor { return this.isContiguous() ? this : ops.clone(this); }

  /**
   * True if the data lies in pinned memory: the WebAssembly kernels' own memory, which they read
   * and update in place instead of copying the data in and out on every call.
   *
   * @example
   * zeros([4], { pinMemory: true }).isPinned(); // true (in Node; false without shared memory)
   * zeros([4]).isPinned(); // false
   */
  isPinned(): boolean {
    return isPinnedArray(this.storage.data);
  }

  /**
   * A copy of this tensor in pinned memory (this tensor itself if it is pinned already), like
   * PyTorch's `pin_memory()`. Pinned memory saves the copies into and out of the WebAssembly
   * kernels' memory; it pays for tensors that live long and are used often (`nn` layers pin
   * their parameters, `optim` its state). It needs shared memory (Node, cross-origin isolated
   * pages); elsewhere the copy is ordinary. The copy is a new leaf, not recorded on the tape.
   * Its memory is returned when the tensor is garbage-collected; an array made from
   * `data.buffer` by hand does not keep it alive.
   *
   * @example
   * const x = randn([1024, 1024]).pinMemory();
   * x.isPinned(); // true (in Node)
   */
  pinMemory(): Tensor {
    if (this.isPinned()) return this;
    const src = this.contiguous();
    const data = allocatePinned(this.dtype, this.numel());
    data.set(src.storage.data.subarray(src.offset, src.offset + this.numel()));
    return Tensor.fromData(data, this.shape, this.dtype);
  }

  // ---------------------------------------------------------------- element-wise binary

  /**
   * `this + alpha * other`, broadcasting.
   *
   * @example
   * tensor([1, 2]).add(tensor([[10], [20]])).toArray(); // [[11, 12], [21, 22]]
   * tensor([1, 2]).add(1, { alpha: 3 }).toArray(); // [4, 5]
   */
  add(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.add(this, other, opts); }
  /**
   * `this - alpha * other`, broadcasting.
   *
   * @example
   * tensor([5, 7]).sub(2).toArray(); // [3, 5]
   */
  sub(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.sub(this, other, opts); }
  /**
   * `this * other`, broadcasting.
   *
   * @example
   * tensor([1, 2]).mul(tensor([3, 4])).toArray(); // [3, 8]
   */
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  /**
   * `this / other` (true division, or rounded with `roundingMode`), broadcasting.
   *
   * @example
   * tensor([1, 2]).div(4).toArray(); // [0.25, 0.5]
   * tensor([7, -7]).div(2, { roundingMode: 'floor' }).toArray(); // [3, -4]
   */
  div(other: TensorLike, opts?: ops.DivOptions): Tensor { return ops.div(this, other, opts); }
  /**
   * `this ** exponent`, broadcasting.
   *
   * @example
   * tensor([2, 3]).pow(2).toArray(); // [4, 9]
   */
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /**
   * Elementwise minimum, broadcasting.
   *
   * @example
   * tensor([1, 5]).minimum(tensor([3, 2])).toArray(); // [1, 2]
   */
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  /**
   * Elementwise maximum, broadcasting.
   *
   * @example
   * tensor([1, 5]).maximum(tensor([3, 2])).toArray(); // [3, 5]
   */
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  /**
   * `where(mask, value, this)`: elements where `mask` is true become `value` (a number or a 0-d tensor).
   *
   * @example
   * const x = tensor([1, -2, 3]);
   * x.maskedFill(x.lt(0), 0).toArray(); // [1, 0, 3]
   */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor { return ops.maskedFill(this, mask, value); }

  // comparisons (bool results, no gradient)
  /**
   * `this == other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).eq(2).toArray(); // [false, true, false]
   */
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  /**
   * `this != other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).ne(2).toArray(); // [true, false, true]
   */
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  /**
   * `this < other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).lt(2).toArray(); // [true, false, false]
   */
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  /**
   * `this <= other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).le(2).toArray(); // [true, true, false]
   */
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  /**
   * `this > other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).gt(2).toArray(); // [false, false, true]
   */
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  /**
   * `this >= other` elementwise, as `bool`.
   *
   * @example
   * tensor([1, 2, 3]).ge(2).toArray(); // [false, true, true]
   */
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }

  // ---------------------------------------------------------------- element-wise unary

  /**
   * `-this`.
   *
   * @example
   * tensor([1, -2]).neg().toArray(); // [-1, 2]
   */
  neg(): Tensor { return ops.neg(this); }
  /**
   * `|this|`.
   *
   * @example
   * tensor([-1.5, 2]).abs().toArray(); // [1.5, 2]
   */
  abs(): Tensor { return ops.abs(this); }
  /**
   * Sign: -1, 0 or 1 (zero gradient).
   *
   * @example
   * tensor([-3, 0, 2]).sign().toArray(); // [-1, 0, 1]
   */
  sign(): Tensor { return ops.sign(this); }
  /**
   * `e^this`.
   *
   * @example
   * tensor([0, 1]).exp().toArray(); // [1, 2.7182817]
   */
  exp(): Tensor { return ops.exp(this); }
  /**
   * Natural logarithm.
   *
   * @example
   * tensor([1, Math.E]).log().toArray(); // [0, 1]
   */
  log(): Tensor { return ops.log(this); }
  /**
   * `log(1 + this)`, accurate near 0.
   *
   * @example
   * tensor([0, 1e-10]).log1p().toArray(); // [0, 1e-10]
   */
  log1p(): Tensor { return ops.log1p(this); }
  /**
   * Square root.
   *
   * @example
   * tensor([4, 9]).sqrt().toArray(); // [2, 3]
   */
  sqrt(): Tensor { return ops.sqrt(this); }
  /**
   * `1 / sqrt(this)`.
   *
   * @example
   * tensor([4, 16]).rsqrt().toArray(); // [0.5, 0.25]
   */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /**
   * `this * this`.
   *
   * @example
   * tensor([-2, 3]).square().toArray(); // [4, 9]
   */
  square(): Tensor { return ops.mul(this, this); }
  /**
   * Sine.
   *
   * @example
   * tensor([0, Math.PI / 2]).sin().toArray(); // [0, 1]
   */
  sin(): Tensor { return ops.sin(this); }
  /**
   * Cosine.
   *
   * @example
   * tensor([0, Math.PI]).cos().toArray(); // [1, -1]
   */
  cos(): Tensor { return ops.cos(this); }
  /**
   * Hyperbolic tangent.
   *
   * @example
   * tensor([0, 100]).tanh().toArray(); // [0, 1]
   */
  tanh(): Tensor { return ops.tanh(this); }
  /**
   * Logistic sigmoid `1 / (1 + e^-x)`.
   *
   * @example
   * tensor([0, 2]).sigmoid().toArray(); // [0.5, 0.8807971]
   */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /**
   * `max(x, 0)`.
   *
   * @example
   * tensor([-1, 0, 2]).relu().toArray(); // [0, 0, 2]
   */
  relu(): Tensor { return ops.relu(this); }
  /**
   * `x` for x > 0, `negativeSlope * x` otherwise.
   *
   * @example
   * tensor([-2, 3]).leakyRelu(0.1).toArray(); // [-0.2, 3]
   */
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  /**
   * `x` for x > 0, `alpha * (e^x - 1)` otherwise.
   *
   * @example
   * tensor([-1, 2]).elu().toArray(); // [-0.6321206, 2]
   */
  elu(alpha = 1): Tensor { return ops.elu(this, alpha); }
  /**
   * Gaussian error linear unit `x * Φ(x)` (or its tanh approximation).
   *
   * @example
   * tensor([1]).gelu().item(); // 0.841345
   * tensor([1]).gelu({ approximate: 'tanh' }).item(); // 0.841192
   */
  gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor { return ops.gelu(this, opts); }
  /**
   * `log(1 + e^(beta x)) / beta`, linear above `threshold`.
   *
   * @example
   * tensor([0]).softplus().item(); // 0.693147
   * tensor([0]).softplus({ beta: 2 }).item(); // 0.346574
   */
  softplus(opts?: { beta?: number; threshold?: number }): Tensor { return ops.softplus(this, opts); }
  /**
   * Error function.
   *
   * @example
   * tensor([0, 1]).erf().toArray(); // [0, 0.8427008]
   */
  erf(): Tensor { return ops.erf(this); }
  /**
   * Clamps into `[min, max]` (either may be omitted); the bounds come positionally or as
   * options, PyTorch's `x.clamp(min=0)`, and may be tensors (see {@link clamp}).
   *
   * @example
   * tensor([-2, 0.5, 3]).clamp(-1, 1).toArray(); // [-1, 0.5, 1]
   * tensor([-2, 3]).clamp(null, 0).toArray(); // [-2, 0]
   * tensor([-2, 3]).clamp({ min: 0 }).toArray(); // [0, 3]
   */
  clamp(min?: number | Tensor | null | ops.ClampOptions, max?: number | Tensor | null): Tensor { return ops.clamp(this, min, max); }

  // ---------------------------------------------------------------- reductions

  /**
   * Sum over `dim` (all dims if omitted).
   *
   * @example
   * const x = tensor([[1, 2, 3], [4, 5, 6]]);
   * x.sum().item(); // 21
   * x.sum(0).toArray(); // [5, 7, 9]
   * x.sum(1, { keepdim: true }).toArray(); // [[6], [15]]
   */
  sum(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.sum(this, dim, opts); }
  /**
   * Mean over `dim` (all dims if omitted).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).mean(0).toArray(); // [2, 3]
   */
  mean(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.mean(this, dim, opts); }
  /**
   * Product over `dim` (all dims if omitted).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).prod(1).toArray(); // [2, 12]
   */
  prod(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.prod(this, dim, opts); }
  /**
   * Largest element; with a dim, `{ values, indices }` along it.
   *
   * @example
   * const x = tensor([[1, 5, 2], [7, 0, 7]]);
   * x.max().item(); // 7
   * x.max(1).values.toArray(); // [5, 7]
   * x.max(1).indices.toArray(); // [1, 0]
   */
  max(): Tensor;
  max(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  max(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.max(this) : ops.max(this, dim, opts);
  }
  /**
   * Smallest element; with a dim, `{ values, indices }` along it.
   *
   * @example
   * const x = tensor([[1, 5, 2], [7, 0, 7]]);
   * x.min().item(); // 0
   * x.min(0).indices.toArray(); // [0, 1, 0]
   */
  min(): Tensor;
  min(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  min(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.min(this) : ops.min(this, dim, opts);
  }
  /**
   * Maximum values over `dim` (all if omitted), without indices.
   *
   * @example
   * tensor([[1, 5, 2], [7, 0, 7]]).amax(1).toArray(); // [5, 7]
   */
  amax(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.amax(this, dim, opts); }
  /**
   * Minimum values over `dim` (all if omitted), without indices.
   *
   * @example
   * tensor([[1, 5, 2], [7, 0, 7]]).amin(0).toArray(); // [1, 0, 2]
   */
  amin(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.amin(this, dim, opts); }
  /**
   * Index of the largest element (of the flattened tensor if no dim), `int32`.
   *
   * @example
   * tensor([[1, 5, 2], [7, 0, 7]]).argmax(1).toArray(); // [1, 0]
   * tensor([[1, 5, 2], [7, 0, 7]]).argmax().item(); // 3
   */
  argmax(dim?: number, opts?: ReduceOptions): Tensor { return ops.argmax(this, dim, opts); }
  /**
   * Index of the smallest element (of the flattened tensor if no dim), `int32`.
   *
   * @example
   * tensor([[1, 5, 2], [7, 0, 7]]).argmin(1).toArray(); // [0, 1]
   */
  argmin(dim?: number, opts?: ReduceOptions): Tensor { return ops.argmin(this, dim, opts); }
  /**
   * Variance over `dim`; unbiased (`correction: 1`) by default.
   *
   * @example
   * tensor([1, 2, 3, 4]).var().item(); // 1.6666667
   * tensor([1, 2, 3, 4]).var(0, { correction: 0 }).item(); // 1.25
   */
  var(dim?: Dims, opts?: ops.VarOptions): Tensor { return ops.variance(this, dim, opts); }
  /**
   * Standard deviation over `dim`; unbiased by default.
   *
   * @example
   * tensor([2, 4, 4, 4, 5, 5, 7, 9]).std(0, { correction: 0 }).item(); // 2
   */
  std(dim?: Dims, opts?: ops.VarOptions): Tensor { return ops.std(this, dim, opts); }
  /**
   * `log(sum(exp(x)))` over `dim`, computed stably.
   *
   * @example
   * tensor([[0, 0], [1, 1]]).logsumexp(1).toArray(); // [0.6931472, 1.6931472]
   */
  logsumexp(dim: Dims, opts?: ReduceOptions): Tensor { return ops.logsumexp(this, dim, opts); }
  /**
   * Softmax along `dim` (default last).
   *
   * @example
   * tensor([[1, 1], [0, Math.log(3)]]).softmax().toArray(); // [[0.5, 0.5], [0.25, 0.75]]
   */
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  /**
   * Log of softmax along `dim` (default last), computed stably.
   *
   * @example
   * tensor([0, 0]).logSoftmax().toArray(); // [-0.6931472, -0.6931472]
   */
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }
  /**
   * True where every element over `dim` (all dims if omitted) is non-zero, as `bool`.
   *
   * @example
   * tensor([[1, 0], [2, 3]]).all(1).toArray(); // [false, true]
   * tensor([1, 2]).all().item(); // 1
   */
  all(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.all(this, dim, opts); }
  /**
   * True where some element over `dim` (all dims if omitted) is non-zero, as `bool`.
   *
   * @example
   * tensor([[0, 0], [0, 3]]).any(1).toArray(); // [false, true]
   * tensor([0, 0]).any().item(); // 0
   */
  any(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.any(this, dim, opts); }

  // ---------------------------------------------------------------- linear algebra

  /**
   * Matrix product with PyTorch's `matmul` semantics (1-D, 2-D, batched with broadcasting).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).matmul(tensor([[5], [6]])).toArray(); // [[17], [39]]
   */
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  /**
   * Matrix product of two 2-D tensors, `[N, M]` by `[M, P]` gives `[N, P]` (no broadcasting, as
   * PyTorch's `mm`; see {@link Tensor.matmul} for the general product).
   *
   * @throws ShapeError `mm: expected two 2-D tensors, got shapes [3] and [3,2]`
   * @example
   * tensor([[1, 2], [3, 4]]).mm(tensor([[5], [6]])).toArray(); // [[17], [39]]
   */
  mm(other: Tensor): Tensor {
    requireTensor('mm', 'other', other);
    if (this.ndim !== 2 || other.ndim !== 2)
      throw new ShapeError(`mm: expected two 2-D tensors, got shapes ${fmtShape(this.shape)} and ${fmtShape(other.shape)}`);
    return ops.matmul(this, other);
  }
  /**
   * Batched matrix product of `[B, M, K]` and `[B, K, N]` 3-D tensors (no broadcasting).
   *
   * @example
   * ones([2, 3, 4]).bmm(ones([2, 4, 5])).shape; // [2, 3, 5]
   */
  bmm(other: Tensor): Tensor { return ops.bmm(this, other); }
  /**
   * Dot product of two 1-D tensors.
   *
   * @example
   * tensor([1, 2, 3]).dot(tensor([4, 5, 6])).item(); // 32
   */
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  /**
   * Outer product of two 1-D tensors.
   *
   * @example
   * tensor([1, 2]).outer(tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
   */
  outer(other: Tensor): Tensor { return ops.outer(this, other); }
  /**
   * The dims reversed (a matrix's transpose).
   *
   * @example
   * tensor([[1, 2, 3]]).T.toArray(); // [[1], [2], [3]]
   * zeros([2, 3, 4]).T.shape; // [4, 3, 2]
   */
  get T(): Tensor { return ops.permute(this, this.nd.shape.map((_, i, a) => a.length - 1 - i)); }
  /**
   * A matrix's transpose (a view), as PyTorch's `t()`: a 0-D or 1-D tensor is returned as it is
   * (a new view of it); more than 2 dims is an error (use {@link Tensor.transpose} or {@link Tensor.mT}).
   *
   * @throws ShapeError `t: expected a tensor of at most 2 dims, got shape [2,3,4]; use transpose(dim0, dim1) or mT`
   * @example
   * tensor([[1, 2, 3]]).t().toArray(); // [[1], [2], [3]]
   * tensor([1, 2]).t().toArray(); // [1, 2]
   */
  t(): Tensor {
    if (this.ndim > 2) throw new ShapeError(`t: expected a tensor of at most 2 dims, got shape ${fmtShape(this.shape)}; use transpose(dim0, dim1) or mT`);
    return this.ndim < 2 ? ops.permute(this, this.ndim === 1 ? [0] : []) : ops.transpose(this, 0, 1);
  }
  /**
   * The last two dims swapped (a batch of matrices transposed).
   *
   * @throws ShapeError `mT: expected a matrix or a batch of matrices, got shape [3]`
   * @example
   * zeros([5, 2, 3]).mT.shape; // [5, 3, 2]
   */
  get mT(): Tensor {
    if (this.ndim < 2) throw new ShapeError(`mT: expected a matrix or a batch of matrices, got shape ${fmtShape(this.shape)}`);
    return ops.transpose(this, -2, -1);
  }

  // ---------------------------------------------------------------- views and shape

  /**
   * Same elements in a new shape (one size may be -1); a view when the strides allow it, else a copy.
   *
   * @example
   * arange(6).reshape([2, 3]).toArray(); // [[0, 1, 2], [3, 4, 5]]
   * arange(6).reshape(3, -1).shape; // [3, 2]
   */
  reshape(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  /**
   * Like {@link Tensor.reshape}, but throws instead of copying.
   *
   * @example
   * arange(6).view(2, 3).shape; // [2, 3]
   */
  view(...shape: number[] | [number[]]): Tensor { return ops.view(this, flatArgs(shape)); }
  /**
   * Swaps two dims (a view).
   *
   * @example
   * zeros([2, 3, 4]).transpose(0, 2).shape; // [4, 3, 2]
   */
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /**
   * Reorders the dims (a view).
   *
   * @example
   * zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
   */
  permute(...dims: number[] | [number[]]): Tensor { return ops.permute(this, flatArgs(dims)); }
  /**
   * Removes size-1 dims (all, or the given one).
   *
   * @example
   * zeros([2, 1, 3]).squeeze().shape; // [2, 3]
   */
  squeeze(dim?: Dims): Tensor { return ops.squeeze(this, dim); }
  /**
   * Inserts a size-1 dim at `dim`.
   *
   * @example
   * zeros([2, 3]).unsqueeze(1).shape; // [2, 1, 3]
   */
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  /**
   * Broadcasts to a larger shape without copying (-1 keeps a size).
   *
   * @example
   * tensor([[1], [2]]).expand(2, 3).toArray(); // [[1, 1, 1], [2, 2, 2]]
   * tensor([[1], [2]]).expand(-1, 2).shape; // [2, 2]
   */
  expand(...shape: number[] | [number[]]): Tensor { return ops.expand(this, flatArgs(shape)); }
  /**
   * Broadcasts to `other`'s shape.
   *
   * @example
   * tensor([1, 2]).expandAs(zeros([3, 2])).toArray(); // [[1, 2], [1, 2], [1, 2]]
   */
  expandAs(other: Tensor): Tensor {
    requireTensor('expandAs', 'other', other);
    return ops.expand(this, other.shape);
  }
  /**
   * Same elements in `other`'s shape.
   *
   * @example
   * arange(4).reshapeAs(zeros([2, 2])).toArray(); // [[0, 1], [2, 3]]
   */
  reshapeAs(other: Tensor): Tensor {
    requireTensor('reshapeAs', 'other', other);
    return ops.reshape(this, other.shape);
  }
  /**
   * A view with `other`'s shape (throws instead of copying, as {@link Tensor.view}).
   *
   * @example
   * arange(4).viewAs(zeros([2, 2])).toArray(); // [[0, 1], [2, 3]]
   */
  viewAs(other: Tensor): Tensor {
    requireTensor('viewAs', 'other', other);
    return ops.view(this, other.shape);
  }
  /**
   * Flattens dims `startDim..endDim` into one.
   *
   * @example
   * zeros([2, 3, 4]).flatten().shape; // [24]
   * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
   */
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  /**
   * The `length` elements from `start` along `dim` (a view).
   *
   * @example
   * arange(6).narrow(0, 2, 3).toArray(); // [2, 3, 4]
   */
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  /**
   * The slice at `index` along `dim`, with that dim removed (a view).
   *
   * @example
   * arange(6).reshape([2, 3]).select(1, 0).toArray(); // [0, 3]
   */
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  /**
   * Basic slicing, like `x[0, 1:3, ::2]` in Python: one spec per leading dim: a number selects,
   * `null` keeps the dim, `[start, end, step]` slices (negative indices count from the end).
   *
   * @example
   * const x = arange(12).reshape([3, 4]);
   * x.slice([1], [null, null, 2]).toArray(); // [[4, 6], [8, 10]]
   * x.slice(-1).toArray(); // [8, 9, 10, 11]
   */
  slice(...specs: SliceSpec[]): Tensor { return ops.slice(this, specs); }

  // ---------------------------------------------------------------- joining and indexing

  /**
   * Splits into pieces of `splitSize` (or the given sizes) along `dim`.
   *
   * @example
   * arange(5).split(2).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
   */
  split(splitSize: number | number[], dim = 0): Tensor[] { return ops.split(this, splitSize, dim); }
  /**
   * Splits into `chunks` nearly equal pieces along `dim`.
   *
   * @example
   * arange(6).chunk(3).map((t) => t.toArray()); // [[0, 1], [2, 3], [4, 5]]
   */
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  /**
   * Picks values along `dim` at `index` (int32, same ndim).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]], { dtype: 'int32' })).toArray(); // [[2], [3]]
   */
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  /**
   * Adds `src` into a copy of this tensor at `index` along `dim`.
   *
   * @example
   * zeros([3]).scatterAdd(0, tensor([0, 2, 0], { dtype: 'int32' }), tensor([1, 2, 3])).toArray(); // [4, 0, 2]
   */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  /**
   * Adds `src` into a copy of this tensor at the positions `index` (1-D int32) along `dim`.
   *
   * @example
   * zeros([3]).indexAdd(0, tensor([0, 0, 2], { dtype: 'int32' }), tensor([1, 2, 3])).toArray(); // [3, 0, 3]
   */
  indexAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.indexAdd(this, dim, index, src); }
  /**
   * Selects entries along `dim` by a 1-D int32 `index`.
   *
   * @example
   * tensor([[1, 2], [3, 4], [5, 6]]).indexSelect(0, tensor([2, 0], { dtype: 'int32' })).toArray(); // [[5, 6], [1, 2]]
   */
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }

  // ---------------------------------------------------------------- shape ops (issue 17)

  /**
   * Splits dim `dim` into the dims `sizes` (one may be -1); see {@link unflatten}.
   *
   * @example
   * zeros([2, 6]).unflatten(1, [3, 2]).shape; // [2, 3, 2]
   */
  unflatten(dim: number, sizes: number[]): Tensor { return ops.unflatten(this, dim, sizes); }
  /**
   * Moves dims `source` to positions `destination` (a view); see {@link movedim}.
   *
   * @example
   * zeros([2, 3, 4]).movedim(0, -1).shape; // [3, 4, 2]
   */
  movedim(source: number | number[], destination: number | number[]): Tensor { return ops.movedim(this, source, destination); }
  /**
   * Alias of {@link Tensor.movedim}.
   *
   * @example
   * zeros([2, 3, 4]).moveaxis(-1, 0).shape; // [4, 2, 3]
   */
  moveaxis(source: number | number[], destination: number | number[]): Tensor { return ops.movedim(this, source, destination); }
  /**
   * Swaps two dims (a view); alias of {@link Tensor.transpose}.
   *
   * @example
   * zeros([2, 3, 4]).swapdims(0, 2).shape; // [4, 3, 2]
   */
  swapdims(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /**
   * Swaps two dims (a view); alias of {@link Tensor.transpose}.
   *
   * @example
   * zeros([2, 3]).swapaxes(0, 1).shape; // [3, 2]
   */
  swapaxes(axis0: number, axis1: number): Tensor { return ops.transpose(this, axis0, axis1); }
  /**
   * Broadcasts to `shape` (a view); see {@link broadcastTo}.
   *
   * @example
   * tensor([1, 2]).broadcastTo([2, 2]).toArray(); // [[1, 2], [1, 2]]
   */
  broadcastTo(...shape: number[] | [number[]]): Tensor { return ops.broadcastTo(this, flatArgs(shape)); }
  /**
   * Splits along `dim` into `sections` pieces or before each of `indices` (views); see {@link tensorSplit}.
   *
   * @example
   * arange(5).tensorSplit(3).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
   */
  tensorSplit(indicesOrSections: number | number[] | Tensor, dim = 0): Tensor[] { return ops.tensorSplit(this, indicesOrSections, dim); }
  /**
   * The slices along `dim`, that dim removed (views); see {@link unbind}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).unbind(1).map((t) => t.toArray()); // [[1, 3], [2, 4]]
   */
  unbind(dim = 0): Tensor[] { return ops.unbind(this, dim); }
  /**
   * Reverses the order along `dims` (a copy); `x.flip(0, 1)` or `x.flip([0, 1])`. See {@link flip}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).flip(0, 1).toArray(); // [[4, 3], [2, 1]]
   */
  flip(...dims: number[] | [number[]]): Tensor { return ops.flip(this, flatArgs(dims)); }
  /**
   * Reverses dim 1 (a copy); see {@link fliplr}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).fliplr().toArray(); // [[2, 1], [4, 3]]
   */
  fliplr(): Tensor { return ops.fliplr(this); }
  /**
   * Reverses dim 0 (a copy); see {@link flipud}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).flipud().toArray(); // [[3, 4], [1, 2]]
   */
  flipud(): Tensor { return ops.flipud(this); }
  /**
   * Shifts cyclically by `shifts` along `dims` (flattened without dims); see {@link roll}.
   *
   * @example
   * tensor([1, 2, 3]).roll(1).toArray(); // [3, 1, 2]
   */
  roll(shifts: number | number[], dims?: number | number[]): Tensor { return ops.roll(this, shifts, dims); }
  /**
   * Rotates by 90 degrees `k` times in the plane `dims`; see {@link rot90}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).rot90().toArray(); // [[2, 4], [1, 3]]
   */
  rot90(k = 1, dims: number[] = [0, 1]): Tensor { return ops.rot90(this, k, dims); }
  /**
   * Tiles `repeats[i]` times along dim i (PyTorch's `Tensor.repeat`); `x.repeat(2, 3)` or `x.repeat([2, 3])`.
   *
   * @example
   * tensor([1, 2]).repeat(2, 2).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
   */
  repeat(...repeats: number[] | [number[]]): Tensor { return ops.repeat(this, flatArgs(repeats)); }
  /**
   * Tiles `reps[i]` times along dim i, reps padded with leading 1s; see {@link tile}.
   *
   * @example
   * tensor([[1, 2]]).tile(2).toArray(); // [[1, 2, 1, 2]]
   */
  tile(...reps: number[] | [number[]]): Tensor { return ops.tile(this, flatArgs(reps)); }
  /**
   * Repeats each element along `dim` (flattened without dim); see {@link repeatInterleave}.
   *
   * @example
   * tensor([1, 2]).repeatInterleave(2).toArray(); // [1, 1, 2, 2]
   */
  repeatInterleave(repeats: number | Tensor, dim?: number): Tensor { return ops.repeatInterleave(this, repeats, dim); }
  /**
   * The lower triangle of the last two dims, zeros above diagonal `diagonal`; see {@link tril}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).tril().toArray(); // [[1, 0], [3, 4]]
   */
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  /**
   * The upper triangle of the last two dims, zeros below diagonal `diagonal`; see {@link triu}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).triu().toArray(); // [[1, 2], [0, 4]]
   */
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  /**
   * The diagonal `offset` of the planes (dim1, dim2), as a view; see {@link diagonal}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).diagonal().toArray(); // [1, 4]
   */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return ops.diagonal(this, offset, dim1, dim2); }
  /**
   * A 1-D tensor as a diagonal matrix, or a 2-D tensor's diagonal; see {@link diag}.
   *
   * @example
   * tensor([1, 2]).diag().toArray(); // [[1, 0], [0, 2]]
   */
  diag(diagonal = 0): Tensor { return ops.diag(this, diagonal); }
  /**
   * The last dim written on diagonals of new dims (dim1, dim2); see {@link diagEmbed}.
   *
   * @example
   * tensor([1, 2]).diagEmbed().toArray(); // [[1, 0], [0, 2]]
   */
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return ops.diagEmbed(this, offset, dim1, dim2); }
  /**
   * Flattened onto the diagonal `offset` of a square matrix; see {@link diagflat}.
   *
   * @example
   * tensor([1, 2]).diagflat().toArray(); // [[1, 0], [0, 2]]
   */
  diagflat(offset = 0): Tensor { return ops.diagflat(this, offset); }
  // ---------------------------------------------------------------- issue 17 indexing

  /**
   * A copy with `src` (a tensor or a number) written at `index` along `dim` (PyTorch's `scatter`); see {@link scatter}.
   *
   * @example
   * zeros([3]).scatter(0, tensor([2, 0], { dtype: 'int32' }), tensor([5, 6])).toArray(); // [6, 0, 5]
   */
  scatter(dim: number, index: Tensor, src: Tensor | number, opts?: ops.ScatterOptions): Tensor { return ops.scatter(this, dim, index, src, opts); }
  /**
   * A copy with `src` reduced into it at `index` along `dim` (PyTorch's `scatter_reduce`); see {@link scatterReduce}.
   *
   * @example
   * zeros([2]).scatterReduce(0, tensor([0, 0, 1], { dtype: 'int32' }), tensor([1, 2, 3]), 'amax').toArray(); // [2, 3]
   */
  scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: 'sum' | 'prod' | 'mean' | 'amax' | 'amin', opts?: ops.ScatterReduceOptions): Tensor {
    return ops.scatterReduce(this, dim, index, src, reduce, opts);
  }
  /**
   * Python-style indexing `x[...]` with basic and advanced entries; see {@link index}.
   *
   * @example
   * arange(6).reshape([2, 3]).index([null, tensor([2, 0], { dtype: 'int32' })]).toArray(); // [[2, 0], [5, 3]]
   */
  index(indices: readonly ops.IndexEntry[]): Tensor { return ops.index(this, indices); }
  /**
   * A copy with `values` written (or added, with `accumulate`) at `indices`; see {@link indexPut}.
   *
   * @example
   * zeros([3]).indexPut([tensor([1], { dtype: 'int32' })], 4).toArray(); // [0, 4, 0]
   */
  indexPut(indices: readonly ops.IndexEntry[], values: Tensor | number, opts?: ops.IndexPutOptions): Tensor { return ops.indexPut(this, indices, values, opts); }
  /**
   * In place `x[indices] = values` (or `+=` with `accumulate`), PyTorch's `index_put_`: writes
   * into this tensor's storage and bumps its version; refuses a tensor that requires grad while the tape records.
   *
   * @throws AutogradError `indexPut_: a tensor that requires grad (shape [3], a leaf) cannot be modified in place while the tape records; ...`
   * @example
   * const x = zeros([2, 3]);
   * x.indexPut_([null, tensor([0, 2], { dtype: 'int32' })], 1);
   * x.toArray(); // [[1, 0, 1], [1, 0, 1]]
   */
  indexPut_(indices: readonly ops.IndexEntry[], values: Tensor | number, opts?: ops.IndexPutOptions): this { return indexPutInPlace(this, indices, values, opts); }
  /**
   * A copy with slice j of `src` written at `index[j]` along `dim`; see {@link indexCopy}.
   *
   * @example
   * zeros([3]).indexCopy(0, tensor([2], { dtype: 'int32' }), tensor([9])).toArray(); // [0, 0, 9]
   */
  indexCopy(dim: number, index: Tensor, src: Tensor): Tensor { return ops.indexCopy(this, dim, index, src); }
  /**
   * A copy with the slices at `index` along `dim` set to `value`; see {@link indexFill}.
   *
   * @example
   * ones([3]).indexFill(0, tensor([0], { dtype: 'int32' }), -1).toArray(); // [-1, 1, 1]
   */
  indexFill(dim: number, index: Tensor, value: number | Tensor): Tensor { return ops.indexFill(this, dim, index, value); }
  /**
   * The elements where `mask` is true, 1-D; see {@link maskedSelect}.
   *
   * @example
   * tensor([1, 2, 3]).maskedSelect(tensor([true, false, true])).toArray(); // [1, 3]
   */
  maskedSelect(mask: Tensor): Tensor { return ops.maskedSelect(this, mask); }
  /**
   * A copy with the elements where `mask` is true replaced by `source`'s, in order; see {@link maskedScatter}.
   *
   * @example
   * zeros([3]).maskedScatter(tensor([false, true, true]), tensor([7, 8])).toArray(); // [0, 7, 8]
   */
  maskedScatter(mask: Tensor, source: Tensor): Tensor { return ops.maskedScatter(this, mask, source); }
  /**
   * The elements at flat positions `index`; see {@link take}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).take(tensor([3, 0], { dtype: 'int32' })).toArray(); // [4, 1]
   */
  take(index: Tensor): Tensor { return ops.take(this, index); }
  /**
   * Values along `dim` at `indices`, broadcasting the other dims; see {@link takeAlongDim}.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).takeAlongDim(tensor([[1], [0]], { dtype: 'int32' }), 1).toArray(); // [[2], [3]]
   */
  takeAlongDim(indices: Tensor, dim?: number | null): Tensor { return ops.takeAlongDim(this, indices, dim); }
  /**
   * The positions of the non-zero elements, int32 `[n, ndim]` (one tensor per dim with `asTuple`); see {@link nonzero}.
   *
   * @example
   * tensor([0, 5, 0, 6]).nonzero().toArray(); // [[1], [3]]
   */
  nonzero(): Tensor;
  nonzero(opts: ops.NonzeroOptions & { asTuple: true }): Tensor[];
  nonzero(opts?: ops.NonzeroOptions): Tensor | Tensor[];
  nonzero(opts?: ops.NonzeroOptions): Tensor | Tensor[] { return ops.nonzero(this, opts); }
  /**
   * The positions of the non-zero elements, int32 `[n, ndim]`; see {@link argwhere}.
   *
   * @example
   * tensor([[0, 1], [1, 1]]).argwhere().toArray(); // [[0, 1], [1, 0], [1, 1]]
   */
  argwhere(): Tensor { return ops.argwhere(this); }
  // ---------------------------------------------------------------- issue 17: element-wise unary math

  /**
   * `2^this`.
   *
   * @example
   * tensor([0, 3]).exp2().toArray(); // [1, 8]
   */
  exp2(): Tensor { return ops.exp2(this); }
  /**
   * `e^this - 1`, accurate near 0.
   *
   * @example
   * tensor([0, 1e-10], { dtype: 'float64' }).expm1().toArray(); // [0, 1.00000000005e-10]
   */
  expm1(): Tensor { return ops.expm1(this); }
  /**
   * Base-2 logarithm.
   *
   * @example
   * tensor([1, 8]).log2().toArray(); // [0, 3]
   */
  log2(): Tensor { return ops.log2(this); }
  /**
   * Base-10 logarithm.
   *
   * @example
   * tensor([1, 1000]).log10().toArray(); // [0, 3]
   */
  log10(): Tensor { return ops.log10(this); }
  /**
   * `1 / this`.
   *
   * @example
   * tensor([2, -4]).reciprocal().toArray(); // [0.5, -0.25]
   */
  reciprocal(): Tensor { return ops.reciprocal(this); }
  /**
   * Tangent (radians).
   *
   * @example
   * tensor([0]).tan().toArray(); // [0]
   */
  tan(): Tensor { return ops.tan(this); }
  /**
   * Arcsine (NaN outside [-1, 1]).
   *
   * @example
   * tensor([0, 1]).asin().toArray(); // [0, 1.5707964]
   */
  asin(): Tensor { return ops.asin(this); }
  /**
   * Arccosine (NaN outside [-1, 1]).
   *
   * @example
   * tensor([1, 0]).acos().toArray(); // [0, 1.5707964]
   */
  acos(): Tensor { return ops.acos(this); }
  /**
   * Arctangent.
   *
   * @example
   * tensor([0, 1]).atan().toArray(); // [0, 0.7853982]
   */
  atan(): Tensor { return ops.atan(this); }
  /**
   * Hyperbolic sine.
   *
   * @example
   * tensor([0, 1]).sinh().toArray(); // [0, 1.1752012]
   */
  sinh(): Tensor { return ops.sinh(this); }
  /**
   * Hyperbolic cosine.
   *
   * @example
   * tensor([0, 1]).cosh().toArray(); // [1, 1.5430806]
   */
  cosh(): Tensor { return ops.cosh(this); }
  /**
   * Inverse hyperbolic sine.
   *
   * @example
   * tensor([0, 1]).asinh().toArray(); // [0, 0.8813736]
   */
  asinh(): Tensor { return ops.asinh(this); }
  /**
   * Inverse hyperbolic cosine (NaN below 1).
   *
   * @example
   * tensor([1, 2]).acosh().toArray(); // [0, 1.316958]
   */
  acosh(): Tensor { return ops.acosh(this); }
  /**
   * Inverse hyperbolic tangent (±Infinity at ±1).
   *
   * @example
   * tensor([0, 0.5]).atanh().toArray(); // [0, 0.5493061]
   */
  atanh(): Tensor { return ops.atanh(this); }
  /**
   * Normalized sinc `sin(πx) / (πx)`, 1 at 0.
   *
   * @example
   * tensor([0, 0.5]).sinc().toArray(); // [1, 0.63661975]
   */
  sinc(): Tensor { return ops.sinc(this); }
  /**
   * Complementary error function `1 - erf(x)`, accurate where tiny.
   *
   * @example
   * tensor([0, 1]).erfc().toArray(); // [1, 0.15729921]
   */
  erfc(): Tensor { return ops.erfc(this); }
  /**
   * Inverse error function.
   *
   * @example
   * tensor([0, 0.5]).erfinv().toArray(); // [0, 0.47693628]
   */
  erfinv(): Tensor { return ops.erfinv(this); }
  /**
   * `ln |Γ(x)|`.
   *
   * @example
   * tensor([1, 5]).lgamma().toArray(); // [0, 3.1780539]
   */
  lgamma(): Tensor { return ops.lgamma(this); }
  /**
   * Digamma `ψ(x) = d/dx ln Γ(x)`.
   *
   * @example
   * tensor([1]).digamma().item(); // -0.5772157
   */
  digamma(): Tensor { return ops.digamma(this); }
  /**
   * Rounds down (keeps the dtype; zero gradient).
   *
   * @example
   * tensor([-1.5, 0.5]).floor().toArray(); // [-2, 0]
   */
  floor(): Tensor { return ops.floor(this); }
  /**
   * Rounds up (keeps the dtype; zero gradient).
   *
   * @example
   * tensor([-1.5, 0.5]).ceil().toArray(); // [-1, 1]
   */
  ceil(): Tensor { return ops.ceil(this); }
  /**
   * Rounds toward zero (keeps the dtype; zero gradient).
   *
   * @example
   * tensor([-1.5, 0.5]).trunc().toArray(); // [-1, 0]
   */
  trunc(): Tensor { return ops.trunc(this); }
  /**
   * Fractional part `this - trunc(this)` (float tensors; gradient 1).
   *
   * @example
   * tensor([-1.5, 2.25]).frac().toArray(); // [-0.5, 0.25]
   */
  frac(): Tensor { return ops.frac(this); }
  /**
   * True where NaN (bool).
   *
   * @example
   * tensor([1, NaN]).isnan().toArray(); // [false, true]
   */
  isnan(): Tensor { return ops.isnan(this); }
  /**
   * True where ±Infinity (bool).
   *
   * @example
   * tensor([1, -Infinity]).isinf().toArray(); // [false, true]
   */
  isinf(): Tensor { return ops.isinf(this); }
  /**
   * True where +Infinity (bool).
   *
   * @example
   * tensor([Infinity, -Infinity]).isposinf().toArray(); // [true, false]
   */
  isposinf(): Tensor { return ops.isposinf(this); }
  /**
   * True where -Infinity (bool).
   *
   * @example
   * tensor([Infinity, -Infinity]).isneginf().toArray(); // [false, true]
   */
  isneginf(): Tensor { return ops.isneginf(this); }
  /**
   * True where neither NaN nor ±Infinity (bool).
   *
   * @example
   * tensor([1, NaN, Infinity]).isfinite().toArray(); // [true, false, false]
   */
  isfinite(): Tensor { return ops.isfinite(this); }
  /**
   * Logical not: true where 0 (bool; NaN counts as true).
   *
   * @example
   * tensor([0, 2]).logicalNot().toArray(); // [true, false]
   */
  logicalNot(): Tensor { return ops.logicalNot(this); }
  /**
   * Log-odds `ln(x / (1 - x))`, with x first clamped into `[eps, 1 - eps]` when `eps` is given.
   *
   * @example
   * tensor([0.5, 0.75]).logit().toArray(); // [0, 1.0986123]
   */
  logit(opts?: ops.LogitOptions): Tensor { return ops.logit(this, opts); }
  /**
   * Polygamma `ψ⁽ⁿ⁾(x)`, the n-th derivative of digamma.
   *
   * @example
   * tensor([1], { dtype: 'float64' }).polygamma(1).item(); // 1.6449340668482264
   */
  polygamma(n: number): Tensor { return ops.polygamma(n, this); }
  /**
   * Rounds half to even, optionally to `decimals` places (keeps the dtype; zero gradient).
   *
   * @example
   * tensor([0.5, 1.5, 2.5]).round().toArray(); // [0, 2, 2]
   * tensor([1.25], { dtype: 'float64' }).round({ decimals: 1 }).item(); // 1.2
   */
  round(opts?: ops.RoundOptions): Tensor { return ops.round(this, opts); }
  /**
   * Replaces NaN, +Infinity and -Infinity by finite values (0 and the dtype's extremes by default).
   *
   * @example
   * tensor([NaN, 1]).nanToNum().toArray(); // [0, 1]
   */
  nanToNum(opts?: ops.NanToNumOptions): Tensor { return ops.nanToNum(this, opts); }
  // ---------------------------------------------------------------- element-wise math, binary (issue 17)

  /**
   * `atan2(this, other)`: the angle of the point `(other, this)`, broadcasting (see {@link atan2}).
   *
   * @example
   * tensor([1, -1]).atan2(tensor([0, 0])).toArray(); // [1.5707964, -1.5707964]
   */
  atan2(other: TensorLike): Tensor { return ops.atan2(this, other); }
  /**
   * `sqrt(this^2 + other^2)` without overflow, broadcasting (see {@link hypot}).
   *
   * @example
   * tensor([3, 5]).hypot(tensor([4, 12])).toArray(); // [5, 13]
   */
  hypot(other: TensorLike): Tensor { return ops.hypot(this, other); }
  /**
   * `log(e^this + e^other)`, computed stably, broadcasting (see {@link logaddexp}).
   *
   * @example
   * tensor([1000]).logaddexp(tensor([1000])).toArray(); // [1000.6931]
   */
  logaddexp(other: TensorLike): Tensor { return ops.logaddexp(this, other); }
  /**
   * `log2(2^this + 2^other)`, computed stably, broadcasting (see {@link logaddexp2}).
   *
   * @example
   * tensor([1]).logaddexp2(tensor([1])).toArray(); // [2]
   */
  logaddexp2(other: TensorLike): Tensor { return ops.logaddexp2(this, other); }
  /**
   * `this * log(other)`, 0 where `this == 0` unless `other` is NaN (see {@link xlogy}).
   *
   * @example
   * tensor([0, 2]).xlogy(tensor([0, 1])).toArray(); // [0, 0]
   */
  xlogy(other: TensorLike): Tensor { return ops.xlogy(this, other); }
  /**
   * `|this|` with the sign of `other`, broadcasting (see {@link copysign}).
   *
   * @example
   * tensor([1, -2]).copysign(-1).toArray(); // [-1, -2]
   */
  copysign(other: TensorLike): Tensor { return ops.copysign(this, other); }
  /**
   * Elementwise maximum ignoring NaN, broadcasting (see {@link fmax}).
   *
   * @example
   * tensor([1, NaN]).fmax(tensor([NaN, 2])).toArray(); // [1, 2]
   */
  fmax(other: TensorLike): Tensor { return ops.fmax(this, other); }
  /**
   * Elementwise minimum ignoring NaN, broadcasting (see {@link fmin}).
   *
   * @example
   * tensor([1, NaN]).fmin(tensor([NaN, 2])).toArray(); // [1, 2]
   */
  fmin(other: TensorLike): Tensor { return ops.fmin(this, other); }
  /**
   * `this mod other` with the divisor's sign (Python's `%`), broadcasting (see {@link remainder}).
   *
   * @example
   * tensor([-7, 7]).remainder(3).toArray(); // [2, 1]
   */
  remainder(other: TensorLike): Tensor { return ops.remainder(this, other); }
  /**
   * `this mod other` with the dividend's sign (C's fmod), broadcasting (see {@link fmod}).
   *
   * @example
   * tensor([-7, 7]).fmod(3).toArray(); // [-1, 1]
   */
  fmod(other: TensorLike): Tensor { return ops.fmod(this, other); }
  /**
   * `floor(this / other)` (Python's `//`), broadcasting; not differentiable (see {@link floorDivide}).
   *
   * @example
   * tensor([-7, 7], { dtype: 'int32' }).floorDivide(2).toArray(); // [-4, 3]
   */
  floorDivide(other: TensorLike): Tensor { return ops.floorDivide(this, other); }
  /**
   * `this ** exponent` in float64, broadcasting (see {@link floatPower}).
   *
   * @example
   * tensor([2], { dtype: 'int32' }).floatPower(-2).toArray(); // [0.25]
   */
  floatPower(exponent: TensorLike): Tensor { return ops.floatPower(this, exponent); }
  /**
   * `this + weight * (end - this)`, broadcasting (see {@link lerp}).
   *
   * @example
   * tensor([0, 10]).lerp(tensor([10, 20]), 0.5).toArray(); // [5, 15]
   */
  lerp(end: Tensor, weight: TensorLike): Tensor { return ops.lerp(this, end, weight); }
  /**
   * `this + value * t1 * t2`, broadcasting (see {@link addcmul}).
   *
   * @example
   * tensor([1, 1]).addcmul(tensor([2, 3]), tensor([4, 5]), { value: 0.5 }).toArray(); // [5, 8.5]
   */
  addcmul(t1: Tensor, t2: Tensor, opts?: ops.AddcOptions): Tensor { return ops.addcmul(this, t1, t2, opts); }
  /**
   * `this + value * t1 / t2`, broadcasting (see {@link addcdiv}).
   *
   * @example
   * tensor([1, 1]).addcdiv(tensor([2, 3]), tensor([4, 6])).toArray(); // [1.5, 1.5]
   */
  addcdiv(t1: Tensor, t2: Tensor, opts?: ops.AddcOptions): Tensor { return ops.addcdiv(this, t1, t2, opts); }
  /**
   * Whether `|this - other| <= atol + rtol * |other|` elementwise, as `bool` (see {@link isclose}).
   *
   * @example
   * tensor([1, 2]).isclose(tensor([1, 2.5])).toArray(); // [true, false]
   */
  isclose(other: TensorLike, opts?: ops.IscloseOptions): Tensor { return ops.isclose(this, other, opts); }
  /**
   * Whether every element is close to `other`'s, as a boolean (see {@link allclose}).
   *
   * @example
   * tensor([1, 2]).allclose(tensor([1, 2 + 1e-7])); // true
   */
  allclose(other: TensorLike, opts?: ops.IscloseOptions): boolean { return ops.allclose(this, other, opts); }
  /**
   * `this && other` elementwise (non-zero is true), as `bool`.
   *
   * @example
   * tensor([1, 0]).logicalAnd(tensor([1, 1])).toArray(); // [true, false]
   */
  logicalAnd(other: TensorLike): Tensor { return ops.logicalAnd(this, other); }
  /**
   * `this || other` elementwise (non-zero is true), as `bool`.
   *
   * @example
   * tensor([1, 0]).logicalOr(tensor([0, 0])).toArray(); // [true, false]
   */
  logicalOr(other: TensorLike): Tensor { return ops.logicalOr(this, other); }
  /**
   * True where exactly one of this and `other` is non-zero, as `bool`.
   *
   * @example
   * tensor([1, 1]).logicalXor(tensor([0, 2])).toArray(); // [true, false]
   */
  logicalXor(other: TensorLike): Tensor { return ops.logicalXor(this, other); }
  /**
   * `this & other` bit by bit (int32 or bool).
   *
   * @example
   * tensor([12], { dtype: 'int32' }).bitwiseAnd(10).toArray(); // [8]
   */
  bitwiseAnd(other: TensorLike): Tensor { return ops.bitwiseAnd(this, other); }
  /**
   * `this | other` bit by bit (int32 or bool).
   *
   * @example
   * tensor([12], { dtype: 'int32' }).bitwiseOr(10).toArray(); // [14]
   */
  bitwiseOr(other: TensorLike): Tensor { return ops.bitwiseOr(this, other); }
  /**
   * `this ^ other` bit by bit (int32 or bool).
   *
   * @example
   * tensor([12], { dtype: 'int32' }).bitwiseXor(10).toArray(); // [6]
   */
  bitwiseXor(other: TensorLike): Tensor { return ops.bitwiseXor(this, other); }
  /**
   * `~this` bit by bit (int32), logical not (bool).
   *
   * @example
   * tensor([0, 5], { dtype: 'int32' }).bitwiseNot().toArray(); // [-1, -6]
   */
  bitwiseNot(): Tensor { return ops.bitwiseNot(this); }
  /**
   * `this << other` (int32; see {@link bitwiseLeftShift}).
   *
   * @example
   * tensor([1, 3], { dtype: 'int32' }).bitwiseLeftShift(2).toArray(); // [4, 12]
   */
  bitwiseLeftShift(other: TensorLike): Tensor { return ops.bitwiseLeftShift(this, other); }
  /**
   * `this >> other`, arithmetic (int32; see {@link bitwiseRightShift}).
   *
   * @example
   * tensor([16, -16], { dtype: 'int32' }).bitwiseRightShift(2).toArray(); // [4, -4]
   */
  bitwiseRightShift(other: TensorLike): Tensor { return ops.bitwiseRightShift(this, other); }
  /**
   * The unit step, `values` where this is 0 (see {@link heaviside}).
   *
   * @example
   * tensor([-1, 0, 2]).heaviside(0.5).toArray(); // [0, 0.5, 1]
   */
  heaviside(values: TensorLike): Tensor { return ops.heaviside(this, values); }
  // ---------------------------------------------------------------- issue 17: scans, sorting, reductions

  /**
   * Cumulative sum along `dim` (int32 and bool sum to int32).
   *
   * @example
   * tensor([1, 2, 3]).cumsum(0).toArray(); // [1, 3, 6]
   */
  cumsum(dim: number, opts?: ops.CumulativeOptions): Tensor { return ops.cumsum(this, dim, opts); }
  /**
   * Cumulative product along `dim`.
   *
   * @example
   * tensor([1, 2, 3]).cumprod(0).toArray(); // [1, 2, 6]
   */
  cumprod(dim: number, opts?: ops.CumulativeOptions): Tensor { return ops.cumprod(this, dim, opts); }
  /**
   * Running maximum along `dim` and its indices.
   *
   * @example
   * tensor([1, 3, 2]).cummax(0).values.toArray(); // [1, 3, 3]
   */
  cummax(dim: number): { values: Tensor; indices: Tensor } { return ops.cummax(this, dim); }
  /**
   * Running minimum along `dim` and its indices.
   *
   * @example
   * tensor([3, 1, 2]).cummin(0).indices.toArray(); // [0, 1, 1]
   */
  cummin(dim: number): { values: Tensor; indices: Tensor } { return ops.cummin(this, dim); }
  /**
   * `log(cumsum(exp(x)))` along `dim`, computed stably.
   *
   * @example
   * tensor([0, 0]).logcumsumexp(0).toArray(); // [0, 0.6931472]
   */
  logcumsumexp(dim: number): Tensor { return ops.logcumsumexp(this, dim); }
  /**
   * Sorts along `dim` (default last): `{ values, indices }`; stable, NaN largest.
   *
   * @example
   * tensor([3, 1, 2]).sort().values.toArray(); // [1, 2, 3]
   * tensor([3, 1, 2]).sort(0, { descending: true }).indices.toArray(); // [0, 2, 1]
   */
  sort(dim = -1, opts?: ops.SortOptions): { values: Tensor; indices: Tensor } { return ops.sort(this, dim, opts); }
  /**
   * The indices that sort along `dim` (default last).
   *
   * @example
   * tensor([3, 1, 2]).argsort().toArray(); // [1, 2, 0]
   */
  argsort(dim = -1, opts?: ops.SortOptions): Tensor { return ops.argsort(this, dim, opts); }
  /**
   * The `k` largest (or smallest) elements along `dim` (default last) and their indices.
   *
   * @example
   * tensor([1, 5, 2, 4]).topk(2).values.toArray(); // [5, 4]
   */
  topk(k: number, dim = -1, opts?: ops.TopkOptions): { values: Tensor; indices: Tensor } { return ops.topk(this, k, dim, opts); }
  /**
   * The `k`-th smallest element (1-based) along `dim` (default last) and its index.
   *
   * @example
   * tensor([3, 1, 2]).kthvalue(2).values.item(); // 2
   */
  kthvalue(k: number, dim = -1, opts?: ReduceOptions): { values: Tensor; indices: Tensor } { return ops.kthvalue(this, k, dim, opts); }
  /**
   * The lower median (NaN if any); with a dim, `{ values, indices }` along it.
   *
   * @example
   * tensor([4, 1, 3, 2]).median().item(); // 2
   * tensor([[4, 1, 3]]).median(1).indices.toArray(); // [2]
   */
  median(): Tensor;
  median(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  median(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.median(this) : ops.median(this, dim, opts);
  }
  /**
   * The lower median ignoring NaN; with a dim, `{ values, indices }` along it.
   *
   * @example
   * tensor([4, NaN, 1, 3]).nanmedian().item(); // 3
   */
  nanmedian(): Tensor;
  nanmedian(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  nanmedian(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.nanmedian(this) : ops.nanmedian(this, dim, opts);
  }
  /**
   * The most frequent value along `dim` (default last) and an index of it.
   *
   * @example
   * tensor([3, 1, 3]).mode().values.item(); // 3
   */
  mode(dim = -1, opts?: ReduceOptions): { values: Tensor; indices: Tensor } { return ops.mode(this, dim, opts); }
  /**
   * The `q`-th quantiles along `dim` (of all elements if omitted).
   *
   * @example
   * tensor([1, 2, 3, 4]).quantile(0.5).item(); // 2.5
   */
  quantile(q: number | Tensor, dim?: number, opts?: ops.QuantileOptions): Tensor { return ops.quantile(this, q, dim, opts); }
  /**
   * The `q`-th quantiles ignoring NaN.
   *
   * @example
   * tensor([1, NaN, 3, 2]).nanquantile(0.5).item(); // 2
   */
  nanquantile(q: number | Tensor, dim?: number, opts?: ops.QuantileOptions): Tensor { return ops.nanquantile(this, q, dim, opts); }
  /**
   * Sum over `dim` (all if omitted) treating NaN as 0.
   *
   * @example
   * tensor([1, NaN, 2]).nansum().item(); // 3
   */
  nansum(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.nansum(this, dim, opts); }
  /**
   * Mean over `dim` (all if omitted) of the non-NaN elements.
   *
   * @example
   * tensor([1, NaN, 2]).nanmean().item(); // 1.5
   */
  nanmean(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.nanmean(this, dim, opts); }
  /**
   * Minimum and maximum over `dim` (all if omitted), `{ min, max }`.
   *
   * @example
   * tensor([3, 1, 2]).aminmax().max.item(); // 3
   */
  aminmax(opts?: ops.AminmaxOptions): { min: Tensor; max: Tensor } { return ops.aminmax(this, opts); }
  /**
   * Number of non-zero elements over `dim` (all if omitted), int32.
   *
   * @example
   * tensor([0, 1, 2]).countNonzero().item(); // 2
   */
  countNonzero(dim?: Dims): Tensor { return ops.countNonzero(this, dim); }
  /**
   * The p-norm over `dim` (every element if omitted), as `torch.norm`.
   *
   * @example
   * tensor([3, -4]).norm().item(); // 5
   * tensor([3, -4]).norm(1).item(); // 7
   */
  norm(p: number | 'fro' | 'nuc' = 'fro', dim?: Dims, opts?: ops.NormOptions): Tensor { return ops.norm(this, p, dim, opts); }
  /**
   * The distinct elements, sorted (with options, also inverse indices and counts).
   *
   * @example
   * tensor([2, 1, 2]).unique().toArray(); // [1, 2]
   */
  unique(opts?: ops.UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(opts: ops.UniqueOptions): ops.UniqueResult;
  unique(opts?: ops.UniqueOptions): Tensor | ops.UniqueResult { return ops.unique(this, opts as ops.UniqueOptions); }
  /**
   * Counts of each value of a 1-D int32 tensor (optionally weighted).
   *
   * @example
   * tensor([1, 1, 3], { dtype: 'int32' }).bincount().toArray(); // [0, 2, 0, 1]
   */
  bincount(opts?: { weights?: Tensor; minlength?: number }): Tensor { return ops.bincount(this, opts); }
  /**
   * A histogram with `bins` equal-width bins over `[min, max]`.
   *
   * @example
   * tensor([1, 2, 1]).histc({ bins: 4, min: 0, max: 3 }).toArray(); // [0, 2, 1, 0]
   */
  histc(opts?: { bins?: number; min?: number; max?: number }): Tensor { return ops.histc(this, opts); }
  // ---------------------------------------------------------------- matrix products and linear algebra (issue 17)

  /**
   * Inner product over the last dims (see {@link inner}).
   *
   * @example
   * tensor([1, 2]).inner(tensor([3, 4])).item(); // 11
   */
  inner(other: Tensor): Tensor { return ops.inner(this, other); }
  /**
   * Outer product, the older name (see {@link outer}).
   *
   * @example
   * tensor([1, 2]).ger(tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
   */
  ger(other: Tensor): Tensor { return ops.ger(this, other); }
  /**
   * Matrix-vector product (see {@link mv}).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).mv(tensor([1, 1])).toArray(); // [3, 7]
   */
  mv(vec: Tensor): Tensor { return ops.mv(this, vec); }
  /**
   * Dot product of two 1-D tensors (see {@link vdot}).
   *
   * @example
   * tensor([1, 2]).vdot(tensor([3, 4])).item(); // 11
   */
  vdot(other: Tensor): Tensor { return ops.vdot(this, other); }
  /**
   * `beta * this + alpha * (mat1 @ mat2)` (see {@link addmm}).
   *
   * @example
   * zeros([2, 2]).addmm(eye(2), tensor([[1, 2], [3, 4]])).toArray(); // [[1, 2], [3, 4]]
   */
  addmm(mat1: Tensor, mat2: Tensor, opts?: ops.AddProductOptions): Tensor { return ops.addmm(this, mat1, mat2, opts); }
  /**
   * `beta * this + alpha * (mat @ vec)` (see {@link addmv}).
   *
   * @example
   * tensor([1, 1]).addmv(eye(2), tensor([2, 3])).toArray(); // [3, 4]
   */
  addmv(mat: Tensor, vec: Tensor, opts?: ops.AddProductOptions): Tensor { return ops.addmv(this, mat, vec, opts); }
  /**
   * `beta * this + alpha * outer(vec1, vec2)` (see {@link addr}).
   *
   * @example
   * zeros([2, 2]).addr(tensor([1, 2]), tensor([1, 1])).toArray(); // [[1, 1], [2, 2]]
   */
  addr(vec1: Tensor, vec2: Tensor, opts?: ops.AddProductOptions): Tensor { return ops.addr(this, vec1, vec2, opts); }
  /**
   * `beta * this + alpha * (batch1 @ batch2)` per batch entry (see {@link baddbmm}).
   *
   * @example
   * zeros([2, 2, 2]).baddbmm(ones([2, 2, 3]), ones([2, 3, 2])).shape; // [2, 2, 2]
   */
  baddbmm(batch1: Tensor, batch2: Tensor, opts?: ops.AddProductOptions): Tensor { return ops.baddbmm(this, batch1, batch2, opts); }
  /**
   * `beta * this + alpha * sum_b (batch1[b] @ batch2[b])` (see {@link addbmm}).
   *
   * @example
   * zeros([2, 2]).addbmm(ones([3, 2, 1]), ones([3, 1, 2])).toArray(); // [[3, 3], [3, 3]]
   */
  addbmm(batch1: Tensor, batch2: Tensor, opts?: ops.AddProductOptions): Tensor { return ops.addbmm(this, batch1, batch2, opts); }
  /**
   * Kronecker product (see {@link kron}).
   *
   * @example
   * tensor([1, 2]).kron(tensor([1, 10])).toArray(); // [1, 10, 2, 20]
   */
  kron(other: Tensor): Tensor { return ops.kron(this, other); }
  /**
   * The determinant of each square matrix (see {@link det}).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).det().item(); // -2
   */
  det(): Tensor { return ops.det(this); }
  /**
   * The sign and log |det| of each square matrix (see {@link slogdet}).
   *
   * @example
   * tensor([[2, 0], [0, 3]]).slogdet().sign.item(); // 1
   */
  slogdet(): { sign: Tensor; logabsdet: Tensor } { return ops.slogdet(this); }
  /**
   * The inverse of each square matrix (see {@link inverse}).
   *
   * @example
   * tensor([[2, 0], [0, 4]]).inverse().toArray(); // [[0.5, 0], [0, 0.25]]
   */
  inverse(): Tensor { return ops.inverse(this); }
  /**
   * The Cholesky factor of each symmetric positive-definite matrix (see {@link cholesky}).
   *
   * @example
   * tensor([[4, 2], [2, 5]]).cholesky().toArray(); // [[2, 0], [1, 2]]
   */
  cholesky(opts?: { upper?: boolean }): Tensor { return ops.cholesky(this, opts); }
  /**
   * `A^n` for each square matrix (see {@link matrixPower}).
   *
   * @example
   * tensor([[1, 1], [0, 1]]).matrixPower(2).toArray(); // [[1, 2], [0, 1]]
   */
  matrixPower(n: number): Tensor { return ops.matrixPower(this, n); }
  /**
   * The pseudo-inverse of each matrix (see {@link pinverse}).
   *
   * @example
   * tensor([[2, 0], [0, 0]]).pinverse().toArray(); // [[0.5, 0], [0, 0]]
   */
  pinverse(opts?: { rcond?: number }): Tensor { return ops.pinverse(this, opts); }

  // ---------------------------------------------------------------- random sampling (issue 17; see ops/random-sampling.ts, inplace-random.ts)

  /**
   * 0/1 draws, 1 with probability `this` (see {@link bernoulli}).
   *
   * @example
   * tensor([1, 0]).bernoulli().toArray(); // [1, 0]
   */
  bernoulli(opts?: { generator?: Generator }): Tensor { return ops.bernoulli(this, opts); }
  /**
   * Category indices drawn from the rows of weights `this` (see {@link multinomial}).
   *
   * @example
   * tensor([0, 0, 1]).multinomial(2, { replacement: true }).toArray(); // [2, 2]
   */
  multinomial(numSamples: number, opts?: ops.MultinomialOptions): Tensor { return ops.multinomial(this, numSamples, opts); }
  /**
   * Fills with samples of the exponential distribution of rate `lambd`, `-ln(U) / lambd` (float
   * tensors only). Not PyTorch's draws for the same seed.
   *
   * @throws ValueError `exponential_: expected lambd > 0, got 0`
   * @example
   * zeros([10000]).exponential_(2).mean().item(); // about 0.5
   */
  exponential_(lambd = 1, opts?: { generator?: Generator }): this { return inplaceRandom.exponential_(this, lambd, opts); }
  /**
   * Fills with 0/1 draws, 1 with probability `p` (a number, or a tensor of probabilities
   * broadcast to this shape). Not PyTorch's draws for the same seed.
   *
   * @throws ValueError `bernoulli_: p must be in [0, 1], got 2`
   * @example
   * zeros([3]).bernoulli_(1).toArray(); // [1, 1, 1]
   * zeros([2]).bernoulli_(tensor([0, 1])).toArray(); // [0, 1]
   */
  bernoulli_(p: number | Tensor = 0.5, opts?: { generator?: Generator }): this { return inplaceRandom.bernoulli_(this, p, opts); }
  /**
   * Fills with samples of the Cauchy distribution, `median + sigma tan(pi (U - 1/2))` (float
   * tensors only). Not PyTorch's draws for the same seed.
   *
   * @throws ValueError `cauchy_: expected sigma > 0, got 0`
   * @example
   * zeros([10001]).cauchy_(3).median().item(); // about 3
   */
  cauchy_(median = 0, sigma = 1, opts?: { generator?: Generator }): this { return inplaceRandom.cauchy_(this, median, sigma, opts); }
  /**
   * Fills with geometric counts (trials up to and including the first success of probability
   * `p`, so >= 1). Not PyTorch's draws for the same seed.
   *
   * @throws ValueError `geometric_: expected 0 < p < 1, got 1`
   * @example
   * zeros([10000]).geometric_(0.25).mean().item(); // about 4
   */
  geometric_(p: number, opts?: { generator?: Generator }): this { return inplaceRandom.geometric_(this, p, opts); }
  /**
   * Fills with samples of `exp(N(mean, std²))` (float tensors only). Not PyTorch's draws for
   * the same seed.
   *
   * @throws ValueError `logNormal_: expected std > 0, got 0`
   * @example
   * zeros([10000]).logNormal_(0, 0.5).log().mean().item(); // about 0
   */
  logNormal_(mean = 1, std = 2, opts?: { generator?: Generator }): this { return inplaceRandom.logNormal_(this, mean, std, opts); }
  /**
   * Fills with uniform integers: `random_(from, to)` from [from, to), `random_(to)` from [0, to),
   * `random_()` from [0, M] with M the largest integer the dtype holds exactly (2^24 for float32,
   * 2^53 for float64, 2^31 - 1 for int32). Not PyTorch's draws for the same seed.
   *
   * @throws ValueError `random_: expected from < to, got from=3, to=3`
   * @example
   * zeros([3]).random_(5, 6).toArray(); // [5, 5, 5]
   * zeros([4], { dtype: 'int32' }).random_(1, { generator: new Generator(0) }).toArray(); // [0, 0, 0, 0]
   */
  random_(from?: number | { generator?: Generator }, to?: number | { generator?: Generator }, opts?: { generator?: Generator }): this { return inplaceRandom.random_(this, from, to, opts); }
}

setTensorCheck((v) => v instanceof Tensor);

function flatArgs(a: number[] | [number[]]): number[] {
  return a.length === 1 && Array.isArray(a[0]) ? a[0] : (a as number[]);
}

/** Allocates an uninitialised-looking (zero-filled) contiguous tensor. @internal */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, sizeOf(shape)), shape, dtype);
}
