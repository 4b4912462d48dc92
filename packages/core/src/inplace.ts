import { isGradEnabled } from './autograd/grad-mode.js';
import { AutogradError, ShapeError, fmtShape } from './errors.js';
import { K } from './kernels/index.js';
import { broadcastShapes, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';
import { broadcastView, scalarTensor } from './ops/operands.js';
import type { TensorLike } from './ops/types.js';
import type { View } from './kernels/backend.js';

// In-place updates, as optimizers and initialisers use them. They write through the tensor's
// view into its storage and bump the storage's version, so that backward notices if a tensor
// it saved was changed. They are not recorded on the tape.
//
// An operand may share memory with the tensor written (`x.narrow(0, 1, n - 1).add_(x.narrow(0, 0,
// n - 1))`, `m.copy_(m.T)`): the result is computed from the operand as it was before the call,
// as NumPy does and as the `out` option does (PyTorch refuses partial overlap instead). The
// kernels write element by element, so such an operand is copied first, in operandView; the very
// same view is not (each element reads only itself), nor is an operand in other memory.

/** Throws unless `t` may be written in place: not a tensor that requires grad while the tape records, not an expanded view. @internal */
export function checkWritable(op: string, t: Tensor): void {
  if (isGradEnabled() && t.requiresGrad)
    throw new AutogradError(
      `${op}: a tensor that requires grad (shape ${fmtShape(t.shape)}${t.isLeaf ? ', a leaf' : ''}) cannot be modified in place ` +
        'while the tape records; wrap the update in noGrad(() => ...)',
    );
  const s = t.nd.stride;
  // A tensor without elements has nothing to overlap, whatever its strides (zeros([5, 0]) has [0, 1]).
  if (t.nd.size > 0 && t.nd.shape.some((d, i) => d > 1 && s[i] === 0))
    throw new ShapeError(
      `${op}: the tensor (shape ${fmtShape(t.shape)}, strides ${fmtShape(t.strides)}) is an expanded view where several elements share memory; clone() it first`,
    );
}

/** The operand broadcast to `t`'s shape, copied first if it overlaps `t` otherwise than as the same view. */
function operandView(op: string, t: Tensor, other: TensorLike): View {
  const o = other instanceof Tensor ? other : scalarTensor(other, t.dtype);
  const shape = broadcastShapes(op, t.shape, o.shape);
  if (!shapesEqual(shape, t.shape))
    throw new ShapeError(`${op}: the operand of shape ${fmtShape(o.shape)} does not broadcast to the tensor's shape ${fmtShape(t.shape)}`);
  const v = broadcastView(o, t.shape);
  return overlaps(t.nd, v) ? K().unary('copy', v, o.dtype) : v;
}

/**
 * Whether writing `dst` element by element could change what `src` reads later: they lie in one
 * buffer, their byte ranges intersect, and `src` is not the very view `dst` (same array, offset
 * and strides, where `dst` has more than one element along a dim). Conservative for interleaved
 * views (`x[0::2]` and `x[1::2]` count as overlapping); tensors in different buffers cost one
 * comparison. @internal
 */
export function overlaps(dst: View, src: View): boolean {
  if (src.data.buffer !== dst.data.buffer || src.size === 0 || dst.size === 0) return false;
  if (src.data === dst.data && src.offset === dst.offset && dst.shape.every((d, i) => d === 1 || src.stride[i] === dst.stride[i]))
    return false;
  const [d0, d1] = byteRange(dst);
  const [s0, s1] = byteRange(src);
  return d0 < s1 && s0 < d1;
}

/** The bytes of its buffer a non-empty view reaches: [first, end). */
function byteRange(v: View): [number, number] {
  let lo = v.offset;
  let hi = v.offset;
  for (let i = 0; i < v.shape.length; i++) {
    const reach = (v.shape[i]! - 1) * v.stride[i]!;
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  const b = v.data.BYTES_PER_ELEMENT;
  return [v.data.byteOffset + lo * b, v.data.byteOffset + (hi + 1) * b];
}

function done<T extends Tensor>(t: T): T {
  t.storage.version++;
  return t;
}

export function add_<T extends Tensor>(t: T, other: TensorLike, opts: { alpha?: number } = {}): T {
  checkWritable('add_', t);
  K().binaryInPlace('add', t.nd, operandView('add_', t, other), opts.alpha ?? 1);
  return done(t);
}

export function sub_<T extends Tensor>(t: T, other: TensorLike, opts: { alpha?: number } = {}): T {
  checkWritable('sub_', t);
  K().binaryInPlace('sub', t.nd, operandView('sub_', t, other), opts.alpha ?? 1);
  return done(t);
}

export function mul_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('mul_', t);
  K().binaryInPlace('mul', t.nd, operandView('mul_', t, other), 1);
  return done(t);
}

export function div_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('div_', t);
  K().binaryInPlace('div', t.nd, operandView('div_', t, other), 1);
  return done(t);
}

export function maximum_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('maximum_', t);
  K().binaryInPlace('maximum', t.nd, operandView('maximum_', t, other), 1);
  return done(t);
}

export function copy_<T extends Tensor>(t: T, src: TensorLike): T {
  checkWritable('copy_', t);
  K().assign(t.nd, operandView('copy_', t, src));
  return done(t);
}

export function fill_<T extends Tensor>(t: T, value: number): T {
  checkWritable('fill_', t);
  K().fill(t.nd, value);
  return done(t);
}

export function clamp_<T extends Tensor>(t: T, min?: number | null, max?: number | null): T {
  checkWritable('clamp_', t);
  const v = K().unary('clamp', t.nd, t.dtype, min ?? -Infinity, max ?? Infinity);
  K().assign(t.nd, v);
  return done(t);
}

export function sqrt_<T extends Tensor>(t: T): T {
  checkWritable('sqrt_', t);
  K().assign(t.nd, K().unary('sqrt', t.nd, t.dtype));
  return done(t);
}

export function addcmul_<T extends Tensor>(t: T, t1: Tensor, t2: Tensor, opts: { value?: number } = {}): T {
  checkWritable('addcmul_', t);
  const prod = K().binary('mul', operandView('addcmul_', t, t1), operandView('addcmul_', t, t2), t.dtype);
  K().binaryInPlace('add', t.nd, prod, opts.value ?? 1);
  return done(t);
}

export function addcdiv_<T extends Tensor>(t: T, t1: Tensor, t2: Tensor, opts: { value?: number } = {}): T {
  checkWritable('addcdiv_', t);
  const q = K().binary('div', operandView('addcdiv_', t, t1), operandView('addcdiv_', t, t2), t.dtype);
  K().binaryInPlace('add', t.nd, q, opts.value ?? 1);
  return done(t);
}
