import type { DType } from '../../dtype.js';
import type { View } from '../backend.js';
import { alloc } from './alloc.js';
import { linesOf } from './scan.js';

/**
 * Sorts every line of `x` along `dim`: values (outDtype) and the int32 positions they came from,
 * both contiguous of x's shape. NaN counts as larger than everything (last ascending, first
 * descending), as in PyTorch; ties keep their input order (always stable). Each line is copied
 * into one reused float64 key buffer and an index array sorted by a comparator: O(n log n), no
 * allocation per element.
 */
export function sort(x: View, dim: number, descending: boolean, outDtype: DType): { values: View; indices: View } {
  const values = alloc(outDtype, x.shape);
  const indices = alloc('int32', x.shape);
  if (x.size === 0) return { values, indices };
  const { outer, len, inner, step, outerOff, innerOff } = linesOf(x, dim);
  const xd = x.data;
  const vd = values.data;
  const id = indices.data;
  const key = new Float64Array(len);
  const order = new Int32Array(len);
  const asc = (i: number, j: number): number => {
    const a = key[i]!;
    const b = key[j]!;
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return i - j;
    const an = a !== a;
    if (an === (b !== b)) return i - j;
    return an ? 1 : -1;
  };
  const desc = (i: number, j: number): number => {
    const a = key[i]!;
    const b = key[j]!;
    if (a > b) return -1;
    if (a < b) return 1;
    if (a === b) return i - j;
    const an = a !== a;
    if (an === (b !== b)) return i - j;
    return an ? -1 : 1;
  };
  const cmp = descending ? desc : asc;
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      const base = outerOff[a]! + innerOff[b]!;
      for (let k = 0; k < len; k++) {
        key[k] = xd[base + k * step]!;
        order[k] = k;
      }
      order.sort(cmp);
      let p = a * len * inner + b;
      for (let k = 0; k < len; k++, p += inner) {
        const j = order[k]!;
        vd[p] = key[j]!;
        id[p] = j;
      }
    }
  }
  return { values, indices };
}
