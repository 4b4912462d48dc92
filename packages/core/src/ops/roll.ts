import { requireTensor } from './operands.js';
import { ValueError, fmtShape } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { clone } from './clone.js';
import { flatten } from './flatten.js';
import { reshape } from './reshape.js';
import { narrow } from './slice.js';
import { intList} from './shape-args.js';

/**
 * Shifts elements cyclically by `shifts[i]` along `dims[i]`: the element at position j moves to
 * (j + shift) mod N. Without dims, `x` is rolled as if flattened and keeps its shape. A copy.
 *
 * x - any shape; returns the same shape.
 *
 * @throws ValueError `roll: shifts [1,2] and dims [0] must have the same length (shape [2,3])`
 * @example
 * roll(tensor([1, 2, 3, 4]), 1).toArray();                 // [4, 1, 2, 3]
 * roll(tensor([[1, 2], [3, 4]]), 1).toArray();             // [[4, 1], [2, 3]]
 * roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]).toArray(); // [[4, 3], [2, 1]]
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  requireTensor('roll', 'x', x);
  const sh = intList('roll', 'shifts', shifts);
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (sh.length !== 1)
      throw new ValueError(`roll: without dims, shifts must be one number, got ${fmtShape(sh)} (shape ${fmtShape(x.shape)})`);
    return reshape(roll(flatten(x), sh[0]!, 0), x.shape);
  }
  const dl = intList('roll', 'dims', dims);
  if (dl.length !== sh.length)
    throw new ValueError(
      `roll: shifts ${fmtShape(sh)} and dims ${fmtShape(dl)} must have the same length (shape ${fmtShape(x.shape)})`,
    );
  let y = x;
  dl.forEach((dim, i) => {
    const d = normalizeDim('roll', dim, x.shape);
    const n = x.ndim === 0 ? 1 : x.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s !== 0) y = cat([narrow(y, d, n - s, s), narrow(y, d, 0, n - s)], d);
  });
  return y === x ? clone(x) : y;
}
