import { primitive } from '../autograd/primitive.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkRank, contiguousStrides, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

/** Resolves one -1 in `shape` against `numel`, checking the sizes agree. */
export function inferShape(op: string, from: readonly number[], shape: readonly number[]): number[] {
  checkRank(op, shape);
  const numel = sizeOf(from);
  const out = [...shape];
  const free = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new ValueError(`${op}: only one dim can be -1, got ${fmtShape(shape)}`);
  for (const d of out)
    if (!Number.isInteger(d) || d < -1) throw new ValueError(`${op}: invalid size in shape ${fmtShape(shape)}`);
  if (free >= 0) {
    const rest = out.reduce((a, d, i) => (i === free ? a : a * d), 1);
    if (rest === 0 || numel % rest !== 0)
      throw new ShapeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${numel} (shape ${fmtShape(from)})`);
    out[free] = numel / rest;
  }
  if (sizeOf(out) !== numel)
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${numel} (shape ${fmtShape(from)})`);
  return out;
}

/**
 * Strides that present `t`'s elements in `shape` without copying, or null when the memory
 * layout does not allow it (PyTorch's rule: each group of merged dims must be contiguous).
 */
function viewStrides(t: Tensor, shape: readonly number[]): number[] | null {
  if (t.isContiguous()) return contiguousStrides(shape);
  const { shape: inShape, stride: inStrides } = t.nd;
  const oldShape = inShape.filter((d) => d !== 1);
  const oldStrides = inStrides.filter((_, i) => inShape[i] !== 1);
  const newStrides = new Array<number>(shape.length).fill(0);
  let oi = 0;
  let ni = 0;
  while (ni < shape.length || oi < oldShape.length) {
    if (ni < shape.length && shape[ni] === 1) {
      newStrides[ni] = 1;
      ni++;
      continue;
    }
    if (oi >= oldShape.length || ni >= shape.length) return null;
    // Collect old dims forming one contiguous chunk whose size matches a group of new dims.
    let oldSize = oldShape[oi]!;
    let newSize = shape[ni]!;
    const oStart = oi;
    const nStart = ni;
    while (oldSize !== newSize) {
      if (oldSize < newSize) {
        oi++;
        if (oi >= oldShape.length) return null;
        oldSize *= oldShape[oi]!;
      } else {
        ni++;
        if (ni >= shape.length) return null;
        if (shape[ni] === 0) return null;
        newSize *= shape[ni]!;
      }
    }
    for (let k = oStart; k < oi; k++) if (oldStrides[k] !== oldStrides[k + 1]! * oldShape[k + 1]!) return null;
    let stride = oldStrides[oi]!;
    for (let k = ni; k >= nStart; k--) {
      newStrides[k] = stride;
      stride *= shape[k]!;
    }
    oi++;
    ni++;
  }
  return newStrides;
}

const reshapePrimitive = primitive('reshape', {
  forward: (x: Tensor, shape: number[]) => {
    const strides = viewStrides(x, shape);
    const out = strides
      ? new Tensor(x.storage, shape, strides, x.offset)
      : new Tensor(x.clone().storage, shape);
    return { out, ctx: x.shape };
  },
  backward: (g, _s, inShape) => [g.reshape(inShape)],
});

/**
 * The same elements in a new shape (one size may be -1, inferred). Shares storage with `x`
 * when the strides allow (always for contiguous tensors), otherwise copies.
 *
 * @throws ShapeError `reshape: shape [4,4] is invalid for input of size 6 (shape [2,3])`
 * @example
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  requireTensor('reshape', 'x', x);
  return reshapePrimitive(x, inferShape('reshape', x.shape, shape));
}

/**
 * Like {@link reshape}, but never copies: throws when the strides do not allow a view.
 *
 * @throws ShapeError `view: cannot view shape [3,2] (strides [1,3]) as [6]; call contiguous() or reshape()`
 *
 * @example
 * view(arange(6), [3, 2]).shape; // [3, 2]
 * arange(6).reshape([2, 3]).T.isContiguous(); // false (view() would throw; reshape() copies)
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  requireTensor('view', 'x', x);
  const s = inferShape('view', x.shape, shape);
  if (viewStrides(x, s) === null)
    throw new ShapeError(
      `view: cannot view shape ${fmtShape(x.shape)} (strides ${fmtShape(x.strides)}) as ${fmtShape(s)}; call contiguous() or reshape()`,
    );
  return reshapePrimitive(x, s);
}
