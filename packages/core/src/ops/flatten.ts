import { ValueError, fmtShape } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { requireTensor } from './operands.js';

/**
 * Merges dims `startDim..endDim` (inclusive; negative counts from the end) into one of their
 * product size. A view when the strides allow (as {@link reshape}), otherwise a copy.
 * A 0-d tensor becomes shape `[1]`, as in PyTorch.
 *
 * x - shape [A, B, C, D]; `flatten(x, 1, 2)` returns [A, B*C, D].
 *
 * @throws ValueError `flatten: startDim 2 comes after endDim 1 (shape [2,3,4])`
 * @example
 * flatten(zeros([2, 3, 4])).shape;    // [24]
 * flatten(zeros([2, 3, 4]), 1).shape; // [2, 12]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  requireTensor('flatten', 'x', x);
  const shape = x.shape;
  if (shape.length === 0) {
    for (const d of [startDim, endDim])
      if (d !== 0 && d !== -1) throw new ValueError(`flatten: dim ${d} is out of range for a tensor of 0 dims (shape [])`);
    return reshape(x, [1]);
  }
  const s = normalizeDim('flatten', startDim, shape);
  const e = normalizeDim('flatten', endDim, shape);
  if (s > e)
    throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim} (shape ${fmtShape(shape)})`);
  const merged = shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...shape.slice(0, s), merged, ...shape.slice(e + 1)]);
}
