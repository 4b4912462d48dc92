import { allocate, isFloating, promoteTypes, promoteWithScalar, type DType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { describeValue } from '../options.js';
import { broadcastShapes, reducedShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { View } from '../kernels/backend.js';
import { makeView } from '../kernels/view.js';
import type { TensorLike } from './types.js';

/** The hint for a tensor-like object that fails `instanceof Tensor`. */
function foreignHint(x: unknown): string {
  const tensorLike = typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
  return tensorLike ? ' (a Tensor from another copy of @tapegrad/core? make sure only one copy is installed or bundled)' : '';
}

/**
 * Throws unless `x` is a Tensor of this copy of @tapegrad/core or a number. A Tensor from a
 * second copy of the package (two installs, or a bundler duplicating it) fails `instanceof`,
 * so it is named explicitly instead of failing later as a strange shape.
 */
export function checkTensorLike(op: string, x: unknown): asserts x is TensorLike {
  if (x instanceof Tensor || typeof x === 'number') return;
  throw new ValueError(`${op}: expected a Tensor or a number, got ${describeValue(x)}${foreignHint(x)}`);
}

/**
 * Throws unless argument `name` of `op` is a Tensor (of this copy of @tapegrad/core), so that a
 * plain array or number fails at the call, e.g. `exp: x must be a Tensor, got an array [1]`.
 */
export function requireTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (x instanceof Tensor) return;
  throw new ValueError(`${op}: ${name} must be a Tensor, got ${describeValue(x)}${foreignHint(x)}`);
}

/** Throws unless `xs` is an array of Tensors (`cat`, `stack`), naming the first entry that is not. */
export function requireTensors(op: string, name: string, xs: unknown): asserts xs is readonly Tensor[] {
  if (!Array.isArray(xs)) throw new ValueError(`${op}: ${name} must be an array of Tensors, got ${describeValue(xs)}`);
  for (let i = 0; i < xs.length; i++) requireTensor(op, `${name}[${i}]`, xs[i]);
}

/** A 0-d tensor holding `x` in `dtype`. */
export function scalarTensor(x: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = dtype === 'bool' ? (x !== 0 ? 1 : 0) : x; // NaN is non-zero: true
  return Tensor.fromData(data, [], dtype);
}

/** The result dtype of a binary op on two operands, by PyTorch's promotion (numbers are wrapped scalars). */
export function resultType(a: TensorLike, b: TensorLike): DType {
  if (a instanceof Tensor && b instanceof Tensor) {
    // A 0-d tensor only decides the category, like a number, when the other is a real tensor.
    if (a.ndim === 0 && b.ndim > 0 && sameCategory(a.dtype, b.dtype)) return b.dtype;
    if (b.ndim === 0 && a.ndim > 0 && sameCategory(a.dtype, b.dtype)) return a.dtype;
    return promoteTypes(a.dtype, b.dtype);
  }
  if (a instanceof Tensor) return promoteWithScalar(a.dtype, b as number);
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a as number);
  return Number.isInteger(a) && Number.isInteger(b) ? 'int32' : 'float32';
}

function sameCategory(a: DType, b: DType): boolean {
  const cat = (d: DType) => (isFloating(d) ? 2 : d === 'int32' ? 1 : 0);
  return cat(a) === cat(b);
}

/**
 * Brings two operands to tensors of one dtype (`dtype`, or the promoted one): numbers become
 * 0-d tensors, tensors are cast (differentiably) if needed.
 */
export function operands(a: TensorLike, b: TensorLike, dtype?: DType, op = 'operands'): [Tensor, Tensor] {
  checkTensorLike(op, a);
  checkTensorLike(op, b);
  const dt = dtype ?? resultType(a, b);
  const ta = a instanceof Tensor ? (a.dtype === dt ? a : a.to(dt)) : scalarTensor(a, dt);
  const tb = b instanceof Tensor ? (b.dtype === dt ? b : b.to(dt)) : scalarTensor(b, dt);
  return [ta, tb];
}

/** A view of `t` broadcast to `shape` (stride 0 along expanded dims), for the kernels. No copy. */
export function broadcastView(t: Tensor, shape: readonly number[]): View {
  const nd = t.nd;
  if (shapesEqual(nd.shape, shape)) return nd;
  const lead = shape.length - nd.shape.length;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    return nd.shape[j] === 1 && d !== 1 ? 0 : nd.stride[j]!;
  });
  return makeView(nd.data, shape, strides, nd.offset);
}

/** Broadcast shape of two tensors and views of both at that shape. */
export function broadcastPair(op: string, a: Tensor, b: Tensor): { shape: readonly number[]; va: View; vb: View } {
  // Equal shapes, the common case, need neither a broadcast nor new views.
  if (shapesEqual(a.nd.shape, b.nd.shape)) return { shape: a.nd.shape, va: a.nd, vb: b.nd };
  const shape = broadcastShapes(op, a.nd.shape, b.nd.shape);
  return { shape, va: broadcastView(a, shape), vb: broadcastView(b, shape) };
}

/**
 * A reduction's result from the kernel's keepdim-shaped output `kept` (fresh and contiguous):
 * `kept` itself with `keepdim`, else a view of it without the reduced dims. @internal
 */
export function reducedResult(kept: Tensor, inShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? kept : new Tensor(kept.storage, reducedShape(inShape, dims, false));
}

/** Throws unless `t` is a floating-point tensor. */
export function requireFloat(op: string, t: Tensor): void {
  if (!isFloating(t.dtype))
    throw new DTypeError(`${op}: expected a floating point tensor, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
}

/** The dtype of a float op's result for input dtype `d`: ints and bools compute in float32. */
export function floatResult(d: DType): DType {
  return isFloating(d) ? d : 'float32';
}

/** Throws unless `t` is an int32 index tensor. */
export function requireIndex(op: string, name: string, t: Tensor): void {
  if (t.dtype !== 'int32')
    throw new DTypeError(`${op}: ${name} must be an int32 tensor, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
}
