import { isGradEnabled } from './autograd/grad-mode.js';
import { isFloating, promoteTypes, promoteWithScalar, type DType } from './dtype.js';
import { AutogradError, DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import { K } from './kernels/index.js';
import { broadcastShapes, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';
import { checkOptions, defineOptions } from './options.js';
import { broadcastView, resultType, scalarTensor } from './ops/operands.js';
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
//
// The result must fit the tensor's dtype, as in PyTorch: an op whose result dtype (by the usual
// promotion; true division of integers gives float32) cannot be cast safely to the tensor's
// throws instead of truncating (`int32.add_(0.7)`, `int32.div_(2)`). Floats do not go into
// int32 or bool, nor int32 into bool; copy_ and fill_ convert, as PyTorch's do.

/** In-place ops whose out-of-place form is a Tensor method of the name without `_`. */
const OUT_OF_PLACE = new Set(['add_', 'sub_', 'mul_', 'div_', 'maximum_', 'clamp_', 'sqrt_']);

/** What to do instead of writing into a tensor on the tape with `op` (an in-place op, or an op's `out`). */
function inPlaceAdvice(op: string): string {
  if (!op.endsWith('_')) return `leave out unset, or pass another tensor as out`;
  return `${OUT_OF_PLACE.has(op) ? `use the out-of-place op, y = y.${op.slice(0, -1)}(...), or ` : ''}modify a clone, y.clone().${op}(...)`;
}

/**
 * Throws unless `t` may be written in place: not a tensor that requires grad while the tape
 * records, not an expanded view. The advice depends on what `t` is, as in PyTorch: a leaf that
 * requires grad (a parameter) is updated inside noGrad, as optimizers do; an intermediate result
 * is on the tape, where noGrad would only hide the change from backward: clone it or use the
 * out-of-place op. @internal
 */
export function checkWritable(op: string, t: Tensor): void {
  if (isGradEnabled() && t.requiresGrad)
    throw new AutogradError(
      t.isLeaf
        ? `${op}: a tensor that requires grad (shape ${fmtShape(t.shape)}, a leaf) cannot be modified in place while the tape ` +
            'records; to update it (as an optimizer does), wrap the update in noGrad(() => ...)'
        : `${op}: the tensor (shape ${fmtShape(t.shape)}) is a result recorded on the tape, which cannot be modified in place ` +
            `(backward may need it); ${inPlaceAdvice(op)}`,
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

/** Whether PyTorch's can_cast allows writing a `from` result into a `to` tensor: no float into int or bool, no int into bool. */
function canCast(from: DType, to: DType): boolean {
  if (isFloating(from)) return isFloating(to);
  return from !== 'int32' || to !== 'bool';
}

/** Throws unless the result dtype `result` of `op` may be written into `t`. */
function checkCast(op: string, t: Tensor, result: DType): void {
  if (!canCast(result, t.dtype))
    throw new DTypeError(
      `${op}: result type ${result} can't be cast to the destination's ${t.dtype} (shape ${fmtShape(t.shape)}); ` +
        'convert the tensor first or use the out-of-place op',
    );
}

/** The dtype checks of add_ and sub_: the result's dtype, alpha for it, and no subtraction of bools. */
function checkAlpha(op: 'add_' | 'sub_', t: Tensor, other: TensorLike, alpha: number): void {
  const dt = resultType(t, other);
  checkCast(op, t, dt);
  if (op === 'sub_' && dt === 'bool')
    throw new DTypeError(`sub_: subtraction of two bool operands is not supported (shape ${fmtShape(t.shape)}); cast to int32 or float32 first`);
  if (alpha !== 1 && (dt === 'bool' || (!isFloating(dt) && !Number.isInteger(alpha))))
    throw new ValueError(`${op}: alpha must be ${dt === 'bool' ? '1 for bool' : 'an integer for int32'} operands, got ${alpha} (shape ${fmtShape(t.shape)})`);
}

function done<T extends Tensor>(t: T): T {
  t.storage.version++;
  return t;
}

const ADD_ = defineOptions('add_', { alpha: 'number' });
const SUB_ = defineOptions('sub_', { alpha: 'number' });
const ADDCMUL_ = defineOptions('addcmul_', { value: 'number' });
const ADDCDIV_ = defineOptions('addcdiv_', { value: 'number' });

export function add_<T extends Tensor>(t: T, other: TensorLike, opts?: { alpha?: number }): T {
  const { alpha = 1 } = checkOptions(ADD_, opts);
  checkWritable('add_', t);
  checkAlpha('add_', t, other, alpha);
  K().binaryInPlace('add', t.nd, operandView('add_', t, other), alpha);
  return done(t);
}

export function sub_<T extends Tensor>(t: T, other: TensorLike, opts?: { alpha?: number }): T {
  const { alpha = 1 } = checkOptions(SUB_, opts);
  checkWritable('sub_', t);
  checkAlpha('sub_', t, other, alpha);
  K().binaryInPlace('sub', t.nd, operandView('sub_', t, other), alpha);
  return done(t);
}

export function mul_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('mul_', t);
  checkCast('mul_', t, resultType(t, other));
  K().binaryInPlace('mul', t.nd, operandView('mul_', t, other), 1);
  return done(t);
}

export function div_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('div_', t);
  const dt = resultType(t, other);
  checkCast('div_', t, isFloating(dt) ? dt : 'float32');
  K().binaryInPlace('div', t.nd, operandView('div_', t, other), 1);
  return done(t);
}

export function maximum_<T extends Tensor>(t: T, other: TensorLike): T {
  checkWritable('maximum_', t);
  checkCast('maximum_', t, resultType(t, other));
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
  checkCast('clamp_', t, [min, max].reduce<DType>((dt, b) => (b === undefined || b === null ? dt : promoteWithScalar(dt, b)), t.dtype));
  // A NaN bound gives NaN everywhere, as clamp does.
  if (Number.isNaN(min) || Number.isNaN(max)) K().fill(t.nd, NaN);
  else K().assign(t.nd, K().unary('clamp', t.nd, t.dtype, min ?? -Infinity, max ?? Infinity));
  return done(t);
}

export function sqrt_<T extends Tensor>(t: T): T {
  checkWritable('sqrt_', t);
  checkCast('sqrt_', t, isFloating(t.dtype) ? t.dtype : 'float32');
  K().assign(t.nd, K().unary('sqrt', t.nd, t.dtype));
  return done(t);
}

export function addcmul_<T extends Tensor>(t: T, t1: Tensor, t2: Tensor, opts?: { value?: number }): T {
  const { value = 1 } = checkOptions(ADDCMUL_, opts);
  checkWritable('addcmul_', t);
  checkCast('addcmul_', t, promoteWithScalar(promoteTypes(t.dtype, promoteTypes(t1.dtype, t2.dtype)), value));
  const prod = K().binary('mul', operandView('addcmul_', t, t1), operandView('addcmul_', t, t2), t.dtype);
  K().binaryInPlace('add', t.nd, prod, value);
  return done(t);
}

export function addcdiv_<T extends Tensor>(t: T, t1: Tensor, t2: Tensor, opts?: { value?: number }): T {
  const { value = 1 } = checkOptions(ADDCDIV_, opts);
  checkWritable('addcdiv_', t);
  checkCast('addcdiv_', t, promoteTypes(t.dtype, promoteTypes(t1.dtype, t2.dtype)) === 'float64' ? 'float64' : 'float32');
  const q = K().binary('div', operandView('addcdiv_', t, t1), operandView('addcdiv_', t, t2), t.dtype);
  K().binaryInPlace('add', t.nd, q, value);
  return done(t);
}
