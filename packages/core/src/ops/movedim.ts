import { requireTensor } from './operands.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkRank, normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { permute, transpose } from './permute.js';
import { inferShape, reshape } from './reshape.js';
import { intList} from './shape-args.js';

/**
 * Moves dims `source` of `x` to positions `destination` (a view); the other dims keep their
 * order in the remaining places, as PyTorch's `movedim`.
 *
 * x - shape [A, B, C]; `movedim(x, 0, -1)` returns [B, C, A].
 *
 * @throws ValueError `movedim: source [0,1] and destination [0] must have the same number of dims (shape [2,3,4])`
 * @example
 * movedim(zeros([2, 3, 4]), 0, -1).shape;         // [3, 4, 2]
 * movedim(zeros([2, 3, 4]), [0, 1], [2, 0]).shape; // [3, 4, 2]
 */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  requireTensor('movedim', 'x', x);
  const shape = x.shape;
  const src = intList('movedim', 'source', source);
  const dst = intList('movedim', 'destination', destination);
  if (src.length !== dst.length)
    throw new ValueError(
      `movedim: source ${fmtShape(src)} and destination ${fmtShape(dst)} must have the same number of dims (shape ${fmtShape(shape)})`,
    );
  const s = src.map((d) => normalizeDim('movedim', d, shape));
  const t = dst.map((d) => normalizeDim('movedim', d, shape));
  if (new Set(s).size !== s.length)
    throw new ValueError(`movedim: source ${fmtShape(src)} repeats a dim (shape ${fmtShape(shape)})`);
  if (new Set(t).size !== t.length)
    throw new ValueError(`movedim: destination ${fmtShape(dst)} repeats a dim (shape ${fmtShape(shape)})`);
  if (x.ndim === 0) return permute(x, []);
  const order = new Array<number>(x.ndim).fill(-1);
  s.forEach((d, i) => (order[t[i]!] = d));
  const rest = shape.map((_, i) => i).filter((d) => !s.includes(d));
  let k = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[k++]!;
  return permute(x, order);
}

/**
 * NumPy's name for {@link movedim}: moves dims `source` to positions `destination` (a view).
 *
 * @throws ValueError `movedim: dim 3 is out of range for a tensor of 3 dims (shape [2,3,4])`
 * @example
 * moveaxis(zeros([2, 3, 4]), -1, 0).shape; // [4, 2, 3]
 */
export function moveaxis(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  requireTensor('moveaxis', 'x', x);
  return movedim(x, source, destination);
}

/**
 * Swaps dims `dim0` and `dim1` (a view): PyTorch's alias of {@link transpose}.
 *
 * @throws ValueError `transpose: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * swapdims(zeros([2, 3, 4]), 0, 2).shape; // [4, 3, 2]
 */
export function swapdims(x: Tensor, dim0: number, dim1: number): Tensor {
  requireTensor('swapdims', 'x', x);
  return transpose(x, dim0, dim1);
}

/**
 * Swaps dims `axis0` and `axis1` (a view): NumPy's name for {@link transpose}.
 *
 * @throws ValueError `transpose: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * swapaxes(zeros([2, 3]), 0, 1).shape; // [3, 2]
 */
export function swapaxes(x: Tensor, axis0: number, axis1: number): Tensor {
  requireTensor('swapaxes', 'x', x);
  return transpose(x, axis0, axis1);
}

/**
 * Splits dim `dim` of `x` into the dims `sizes` (one of them may be -1, inferred), the inverse
 * of {@link flatten}. A view when the strides allow (as {@link reshape}), otherwise a copy.
 *
 * x - shape [A, B*C, D]; `unflatten(x, 1, [B, C])` returns [A, B, C, D].
 *
 * @throws ShapeError `unflatten: sizes [4,2] do not multiply to the size 6 of dim 1 (shape [2,6])`
 * @example
 * unflatten(zeros([2, 6]), 1, [3, 2]).shape;  // [2, 3, 2]
 * unflatten(zeros([2, 6]), -1, [-1, 3]).shape; // [2, 2, 3]
 */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  requireTensor('unflatten', 'x', x);
  const shape = x.shape;
  if (x.ndim === 0) throw new ValueError('unflatten: cannot unflatten a 0-d tensor (shape [])');
  const d = normalizeDim('unflatten', dim, shape);
  intList('unflatten', 'sizes', sizes);
  if (sizes.length === 0)
    throw new ValueError(`unflatten: sizes must be non-empty (dim ${dim}, shape ${fmtShape(shape)})`);
  let inner: number[];
  try {
    inner = inferShape('unflatten', [shape[d]!], sizes);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(
      `unflatten: sizes ${fmtShape(sizes)} do not multiply to the size ${shape[d]} of dim ${dim} (shape ${fmtShape(shape)})`,
    );
  }
  const out = [...shape.slice(0, d), ...inner, ...shape.slice(d + 1)];
  checkRank('unflatten', out);
  return reshape(x, out);
}
