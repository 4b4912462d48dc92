import ndarray from 'ndarray';
import { allocate, isFloating, type DType, type TypedArray } from './dtype.js';
import type { View } from './kernels/backend.js';
import { DTypeError, ValueError, fmtShape } from './errors.js';
import { contiguousStrides, sizeOf, type Shape } from './shape.js';
import { Storage } from './storage.js';
import type { GradHook, Node } from './autograd/node.js';
import { formatTensor } from './format.js';
import * as ops from './ops/index.js';
import * as inplace from './inplace.js';
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
  /** The storage-sharing strided view the kernels read. */
  readonly nd: View;
  private _requiresGrad = false;
  /** The gradient accumulated by {@link Tensor.backward}, of this tensor's shape; null until then. */
  grad: Tensor | null = null;
  private _gradFn: Node | null = null;
  /** Hooks run on this leaf's gradient before it is accumulated. */
  readonly leafHooks: GradHook[] = [];

  /** @internal Use the creation functions instead. */
  constructor(
    readonly storage: Storage,
    shape: Shape,
    strides: readonly number[] = contiguousStrides(shape),
    offset = 0,
  ) {
    this.nd = ndarray(storage.data, [...shape], [...strides], offset);
  }

  /** Wraps a fresh typed array as a contiguous tensor of the given shape (no copy). */
  static fromData(data: TypedArray, shape: Shape, dtype: DType): Tensor {
    if (data.length !== sizeOf(shape))
      throw new ValueError(`tensor: ${data.length} values do not fill shape ${fmtShape(shape)}`);
    return new Tensor(new Storage(data, dtype), shape);
  }

  /** Wraps a kernel result (a view of fresh storage) as a tensor. */
  static fromView(view: View, dtype: DType): Tensor {
    return new Tensor(new Storage(view.data, dtype), view.shape, view.stride, view.offset);
  }

  // ---------------------------------------------------------------- inspection

  /** The element type. */
  get dtype(): DType {
    return this.storage.dtype;
  }
  /** The size of each dimension, e.g. `[N, C, H, W]`. */
  get shape(): number[] {
    return this.nd.shape.slice();
  }
  /** Elements to skip in storage to move one step along each dimension. */
  get strides(): number[] {
    return this.nd.stride.slice();
  }
  /** Index of the first element in storage. */
  get offset(): number {
    return this.nd.offset;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.nd.shape.length;
  }
  /** Number of elements. */
  get numel(): number {
    return sizeOf(this.nd.shape);
  }
  /** The storage's in-place version counter. */
  get version(): number {
    return this.storage.version;
  }
  /** The size of one dimension (negative counts from the end), or the whole shape. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim)
      throw new ValueError(`size: dim ${dim} is out of range for a tensor of ${this.ndim} dims (shape ${fmtShape(this.shape)})`);
    return this.nd.shape[d]!;
  }
  /** True if the elements lie in row-major order without gaps, so `data` needs no copy. */
  isContiguous(): boolean {
    const s = this.nd.shape;
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
   */
  get data(): TypedArray {
    if (this.isContiguous()) {
      const o = this.nd.offset;
      const n = this.numel;
      const d = this.storage.data;
      return o === 0 && n === d.length ? d : d.subarray(o, o + n);
    }
    return this.contiguous().data;
  }

  /** The elements as nested arrays (numbers; booleans for `bool`). A scalar gives a number. */
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

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.numel !== 1)
      throw new ValueError(`item: only a tensor with one element can be converted to a number; shape is ${fmtShape(this.shape)}`);
    return this.storage.data[this.nd.offset]!;
  }

  /** Prints like PyTorch: `tensor([[1.0000, 2.0000], ...], requiresGrad=true)`. */
  toString(): string {
    return formatTensor(this);
  }

  // ---------------------------------------------------------------- autograd

  /** Whether operations on this tensor are recorded so that gradients flow to it. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(on: boolean) {
    if (on && !isFloating(this.dtype))
      throw new DTypeError(`requiresGrad: only floating point tensors can require gradients, got ${this.dtype}`);
    if (!on && this._gradFn !== null)
      throw new ValueError('requiresGrad: cannot turn off requiresGrad of a non-leaf tensor; use detach()');
    this._requiresGrad = on;
  }
  /** The recorded operation that produced this tensor (null for leaves). */
  get gradFn(): Node | null {
    return this._gradFn;
  }
  /** True for tensors created by the user rather than by a recorded operation. */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  /** @internal Called by the tape when an op is recorded. */
  _setGradFn(node: Node): void {
    this._gradFn = node;
    this._requiresGrad = true;
  }

  /** Sets `requiresGrad` in place and returns this tensor. */
  requiresGrad_(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /**
   * Computes gradients of this tensor with respect to the leaves of its graph and accumulates
   * them into their `.grad`. The graph's saved tensors are freed unless `retainGraph`.
   *
   * @param gradient - required for a non-scalar tensor: the gradient of some scalar with respect to this tensor
   * @throws ValueError `backward: grad can be implicitly created only for scalar outputs ...`
   */
  backward(gradient?: Tensor | null, opts: BackwardOptions = {}): void {
    runBackward(this, gradient, opts);
  }

  /** Keeps the gradient of this non-leaf tensor in `.grad` during backward. */
  retainGrad(): this {
    if (this._gradFn) this._gradFn.retained = this;
    return this;
  }

  /**
   * Registers a function called with this tensor's gradient during backward; it may return a
   * replacement. Returns a function that removes the hook.
   */
  registerHook(fn: GradHook): () => void {
    if (!this._requiresGrad)
      throw new ValueError(`registerHook: cannot register a hook on a tensor that does not require grad (shape ${fmtShape(this.shape)})`);
    const list = this._gradFn ? this._gradFn.hooks : this.leafHooks;
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** A tensor sharing this one's storage, cut from the tape (no gradFn, requiresGrad false). */
  detach(): Tensor {
    return new Tensor(this.storage, this.nd.shape, this.nd.stride, this.nd.offset);
  }

  /** @internal A new Tensor object over the same view (used when an op returns its input unchanged). */
  aliasView(): Tensor {
    return this.detach();
  }

  // ---------------------------------------------------------------- in-place (for optimizers; see inplace.ts)

  /** `this += alpha * other`, in place. Only on tensors that do not require grad, or under {@link noGrad}. */
  add_(other: TensorLike, opts?: { alpha?: number }): this { return inplace.add_(this, other, opts); }
  /** `this -= alpha * other`, in place. */
  sub_(other: TensorLike, opts?: { alpha?: number }): this { return inplace.sub_(this, other, opts); }
  /** `this *= other`, in place. */
  mul_(other: TensorLike): this { return inplace.mul_(this, other); }
  /** `this /= other`, in place. */
  div_(other: TensorLike): this { return inplace.div_(this, other); }
  /** Copies `src` (broadcast to this shape, cast to this dtype) into this tensor. */
  copy_(src: TensorLike): this { return inplace.copy_(this, src); }
  /** Sets every element to `value`. */
  fill_(value: number): this { return inplace.fill_(this, value); }
  /** Sets every element to 0. */
  zero_(): this { return inplace.fill_(this, 0); }
  /** Clamps in place to `[min, max]`. */
  clamp_(min?: number | null, max?: number | null): this { return inplace.clamp_(this, min, max); }
  /** `this += value * t1 * t2`, in place. */
  addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return inplace.addcmul_(this, t1, t2, opts); }
  /** `this += value * t1 / t2`, in place. */
  addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this { return inplace.addcdiv_(this, t1, t2, opts); }
  /** Square root in place. */
  sqrt_(): this { return inplace.sqrt_(this); }
  /** Elementwise maximum with `other`, in place. */
  maximum_(other: TensorLike): this { return inplace.maximum_(this, other); }

  // ---------------------------------------------------------------- casts and copies

  /** Casts to `dtype` (differentiable between float dtypes); returns this tensor if the dtype matches. */
  to(dtype: DType): Tensor { return ops.toDType(this, dtype); }
  /** Casts to `float32`. */
  float(): Tensor { return ops.toDType(this, 'float32'); }
  /** Casts to `float64`. */
  double(): Tensor { return ops.toDType(this, 'float64'); }
  /** Casts to `int32` (truncating toward zero). */
  int(): Tensor { return ops.toDType(this, 'int32'); }
  /** Casts to `bool` (non-zero is true). */
  bool(): Tensor { return ops.toDType(this, 'bool'); }
  /** A copy with its own storage (differentiable). */
  clone(): Tensor { return ops.clone(this); }
  /** This tensor if contiguous, otherwise a contiguous copy (differentiable). */
  contiguous(): Tensor { return this.isContiguous() ? this : ops.clone(this); }

  // ---------------------------------------------------------------- element-wise binary

  /** `this + alpha * other`, broadcasting. */
  add(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.add(this, other, opts); }
  /** `this - alpha * other`, broadcasting. */
  sub(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.sub(this, other, opts); }
  /** `this * other`, broadcasting. */
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  /** `this / other` (true division), broadcasting. */
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  /** `this ** exponent`, broadcasting. */
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /** Elementwise minimum, broadcasting. */
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  /** Elementwise maximum, broadcasting. */
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  /** `where(mask, value, this)`: elements where `mask` is true become `value`. */
  maskedFill(mask: Tensor, value: number): Tensor { return ops.maskedFill(this, mask, value); }

  // comparisons (bool results, no gradient)
  /** `this == other` elementwise, as `bool`. */
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  /** `this != other` elementwise, as `bool`. */
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  /** `this < other` elementwise, as `bool`. */
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  /** `this <= other` elementwise, as `bool`. */
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  /** `this > other` elementwise, as `bool`. */
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  /** `this >= other` elementwise, as `bool`. */
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }

  // ---------------------------------------------------------------- element-wise unary

  /** `-this`. */
  neg(): Tensor { return ops.neg(this); }
  /** `|this|`. */
  abs(): Tensor { return ops.abs(this); }
  /** Sign: -1, 0 or 1 (zero gradient). */
  sign(): Tensor { return ops.sign(this); }
  /** `e^this`. */
  exp(): Tensor { return ops.exp(this); }
  /** Natural logarithm. */
  log(): Tensor { return ops.log(this); }
  /** `log(1 + this)`, accurate near 0. */
  log1p(): Tensor { return ops.log1p(this); }
  /** Square root. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** `1 / sqrt(this)`. */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /** `this * this`. */
  square(): Tensor { return ops.mul(this, this); }
  /** Sine. */
  sin(): Tensor { return ops.sin(this); }
  /** Cosine. */
  cos(): Tensor { return ops.cos(this); }
  /** Hyperbolic tangent. */
  tanh(): Tensor { return ops.tanh(this); }
  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** `max(x, 0)`. */
  relu(): Tensor { return ops.relu(this); }
  /** `x` for x > 0, `negativeSlope * x` otherwise. */
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  /** `x` for x > 0, `alpha * (e^x - 1)` otherwise. */
  elu(alpha = 1): Tensor { return ops.elu(this, alpha); }
  /** Gaussian error linear unit `x * Φ(x)` (or its tanh approximation). */
  gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor { return ops.gelu(this, opts); }
  /** `log(1 + e^(beta x)) / beta`, linear above `threshold`. */
  softplus(opts?: { beta?: number; threshold?: number }): Tensor { return ops.softplus(this, opts); }
  /** Error function. */
  erf(): Tensor { return ops.erf(this); }
  /** Clamps into `[min, max]` (either may be omitted). */
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }

  // ---------------------------------------------------------------- reductions

  /** Sum over `dim` (all dims if omitted). */
  sum(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.sum(this, dim, opts); }
  /** Mean over `dim` (all dims if omitted). */
  mean(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.mean(this, dim, opts); }
  /** Product over `dim` (all dims if omitted). */
  prod(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.prod(this, dim, opts); }
  /** Largest element; with a dim, `{ values, indices }` along it. */
  max(): Tensor;
  max(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  max(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.max(this) : ops.max(this, dim, opts);
  }
  /** Smallest element; with a dim, `{ values, indices }` along it. */
  min(): Tensor;
  min(dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
  min(dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? ops.min(this) : ops.min(this, dim, opts);
  }
  /** Maximum values over `dim` (all if omitted), without indices. */
  amax(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.amax(this, dim, opts); }
  /** Minimum values over `dim` (all if omitted), without indices. */
  amin(dim?: Dims, opts?: ReduceOptions): Tensor { return ops.amin(this, dim, opts); }
  /** Index of the largest element (of the flattened tensor if no dim), `int32`. */
  argmax(dim?: number, opts?: ReduceOptions): Tensor { return ops.argmax(this, dim, opts); }
  /** Index of the smallest element (of the flattened tensor if no dim), `int32`. */
  argmin(dim?: number, opts?: ReduceOptions): Tensor { return ops.argmin(this, dim, opts); }
  /** Variance over `dim`; unbiased (`correction: 1`) by default. */
  var(dim?: Dims, opts?: ops.VarOptions): Tensor { return ops.variance(this, dim, opts); }
  /** Standard deviation over `dim`; unbiased by default. */
  std(dim?: Dims, opts?: ops.VarOptions): Tensor { return ops.std(this, dim, opts); }
  /** `log(sum(exp(x)))` over `dim`, computed stably. */
  logsumexp(dim: Dims, opts?: ReduceOptions): Tensor { return ops.logsumexp(this, dim, opts); }
  /** Softmax along `dim` (default last). */
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  /** Log of softmax along `dim` (default last), computed stably. */
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }

  // ---------------------------------------------------------------- linear algebra

  /** Matrix product with PyTorch's `matmul` semantics (1-D, 2-D, batched with broadcasting). */
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  /** Batched matrix product of `[B, M, K]` and `[B, K, N]` 3-D tensors (no broadcasting). */
  bmm(other: Tensor): Tensor { return ops.bmm(this, other); }
  /** Dot product of two 1-D tensors. */
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  /** Outer product of two 1-D tensors. */
  outer(other: Tensor): Tensor { return ops.outer(this, other); }
  /** The dims reversed (a matrix's transpose). */
  get T(): Tensor { return ops.permute(this, this.nd.shape.map((_, i, a) => a.length - 1 - i)); }
  /** The last two dims swapped (a batch of matrices transposed). */
  get mT(): Tensor { return ops.transpose(this, -2, -1); }

  // ---------------------------------------------------------------- views and shape

  /** Same elements in a new shape (one size may be -1); a view when the strides allow it, else a copy. */
  reshape(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  /** Like {@link Tensor.reshape}, but throws instead of copying. */
  view(...shape: number[] | [number[]]): Tensor { return ops.view(this, flatArgs(shape)); }
  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /** Reorders the dims (a view). */
  permute(...dims: number[] | [number[]]): Tensor { return ops.permute(this, flatArgs(dims)); }
  /** Removes size-1 dims (all, or the given one). */
  squeeze(dim?: Dims): Tensor { return ops.squeeze(this, dim); }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  /** Broadcasts to a larger shape without copying (-1 keeps a size). */
  expand(...shape: number[] | [number[]]): Tensor { return ops.expand(this, flatArgs(shape)); }
  /** Broadcasts to `other`'s shape. */
  expandAs(other: Tensor): Tensor { return ops.expand(this, other.shape); }
  /** Same elements in `other`'s shape. */
  reshapeAs(other: Tensor): Tensor { return ops.reshape(this, other.shape); }
  /** Flattens dims `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  /** The `length` elements from `start` along `dim` (a view). */
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  /** The slice at `index` along `dim`, with that dim removed (a view). */
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  /**
   * Basic slicing, like `x[0, 1:3, ::2]` in Python: one spec per leading dim: a number selects,
   * `null` keeps the dim, `[start, end, step]` slices (negative indices count from the end).
   */
  slice(...specs: SliceSpec[]): Tensor { return ops.slice(this, specs); }

  // ---------------------------------------------------------------- joining and indexing

  /** Splits into pieces of `splitSize` (or the given sizes) along `dim`. */
  split(splitSize: number | number[], dim = 0): Tensor[] { return ops.split(this, splitSize, dim); }
  /** Splits into `chunks` nearly equal pieces along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  /** Picks values along `dim` at `index` (int32, same ndim). */
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  /** Adds `src` into a copy of this tensor at `index` along `dim`. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  /** Adds `src` into a copy of this tensor at the positions `index` (1-D int32) along `dim`. */
  indexAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.indexAdd(this, dim, index, src); }
  /** Selects entries along `dim` by a 1-D int32 `index`. */
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
}

function flatArgs(a: number[] | [number[]]): number[] {
  return a.length === 1 && Array.isArray(a[0]) ? a[0] : (a as number[]);
}

/** Allocates an uninitialised-looking (zero-filled) contiguous tensor. @internal */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, sizeOf(shape)), shape, dtype);
}
