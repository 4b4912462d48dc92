import { requireTensor } from './operands.js';
import { ValueError, fmtShape } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { narrow, select } from './slice.js';

/** Python's slice bound: negatives count from the end, then clamp to [0, n]. */
function bound(v: number, n: number): number {
  const p = v < 0 ? v + n : v;
  return Math.min(Math.max(p, 0), n);
}

/**
 * Splits `x` along `dim` into views, as NumPy's `array_split`: a number `sections` gives that
 * many pieces, the first `N % sections` one element longer; a list of `indices` cuts before each
 * index (`x[:i0], x[i0:i1], ..., x[ik:]`, Python slice bounds: negatives count from the end,
 * out-of-range ones clamp, a piece may be empty). An int32 tensor works as either (0-d or 1-D).
 *
 * x - shape [..., N, ...]; returns pieces [..., n_i, ...] with sum n_i = N.
 *
 * @throws ValueError `tensorSplit: sections must be a positive integer, got 0 (shape [5])`
 * @example
 * tensorSplit(arange(5), 3).map((t) => t.toArray());      // [[0, 1], [2, 3], [4]]
 * tensorSplit(arange(5), [1, 4]).map((t) => t.toArray()); // [[0], [1, 2, 3], [4]]
 */
export function tensorSplit(x: Tensor, indicesOrSections: number | readonly number[] | Tensor, dim = 0): Tensor[] {
  requireTensor('tensorSplit', 'x', x);
  if (x.ndim === 0) throw new ValueError('tensorSplit: cannot split a 0-d tensor (shape [])');
  const d = normalizeDim('tensorSplit', dim, x.shape);
  let arg = indicesOrSections;
  if (arg instanceof Tensor) {
    if (arg.dtype !== 'int32' || arg.ndim > 1)
      throw new ValueError(
        `tensorSplit: a tensor of sections or indices must be 0-d or 1-D int32, got ${arg.dtype} of shape ${fmtShape(arg.shape)}`,
      );
    arg = arg.ndim === 0 ? arg.item() : Array.from(arg.contiguous().data, Number);
  }
  const n = x.shape[d]!;
  if (typeof arg === 'number') {
    if (!Number.isInteger(arg) || arg <= 0)
      throw new ValueError(`tensorSplit: sections must be a positive integer, got ${arg} (shape ${fmtShape(x.shape)})`);
    const base = Math.floor(n / arg);
    const extra = n % arg;
    let at = 0;
    return Array.from({ length: arg }, (_, i) => {
      const len = base + (i < extra ? 1 : 0);
      const piece = narrow(x, d, at, len);
      at += len;
      return piece;
    });
  }
  for (const i of arg)
    if (!Number.isInteger(i)) throw new ValueError(`tensorSplit: indices ${fmtShape(arg)} must be integers (shape ${fmtShape(x.shape)})`);
  const cuts = [...arg, n];
  let start = 0;
  return cuts.map((end) => {
    const s = bound(start, n);
    const e = bound(end, n);
    start = end;
    return narrow(x, d, s, Math.max(e - s, 0));
  });
}

/**
 * The slices of `x` along `dim`, each with that dim removed (views sharing storage).
 *
 * x - shape [..., N, ...]; returns N tensors of the shape without dim.
 *
 * @throws ValueError `unbind: cannot unbind a 0-d tensor (shape [])`
 * @example
 * unbind(tensor([[1, 2], [3, 4]])).map((t) => t.toArray());    // [[1, 2], [3, 4]]
 * unbind(tensor([[1, 2], [3, 4]]), 1).map((t) => t.toArray()); // [[1, 3], [2, 4]]
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  requireTensor('unbind', 'x', x);
  if (x.ndim === 0) throw new ValueError('unbind: cannot unbind a 0-d tensor (shape [])');
  const d = normalizeDim('unbind', dim, x.shape);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}
