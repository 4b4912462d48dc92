import { allocate } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { checkRank } from '../shape.js';
import { Tensor } from '../tensor.js';
import { requireIndex, requireTensor } from './operands.js';
import { describeValue } from '../options.js';

/**
 * One-hot encoding: `out[..., c] = 1` where `c = indices[...]`, 0 elsewhere. Not differentiable
 * (integer result).
 *
 * indices - int32, shape [...S], values in [0, C); numClasses - C, or -1 for `max(indices) + 1`;
 * returns int32 [...S, C].
 *
 * @throws DTypeError `oneHot: indices must be an int32 tensor, got float32 (shape [3])`
 * @throws ValueError `oneHot: index 3 is out of range for numClasses 3 (expected [0, 2])`
 * @example
 * oneHot(tensor([0, 2], { dtype: 'int32' })).toArray();    // [[1, 0, 0], [0, 0, 1]]
 * oneHot(tensor([1], { dtype: 'int32' }), 4).toArray();    // [[0, 1, 0, 0]]
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  requireTensor('oneHot', 'indices', indices);
  requireIndex('oneHot', 'indices', indices);
  checkRank('oneHot', [...indices.shape, Math.max(numClasses, 0)]);
  const idx = indices.data;
  if (!Number.isInteger(numClasses) || numClasses < -1)
    throw new ValueError(`oneHot: numClasses must be a non-negative integer or -1, got ${describeValue(numClasses)}`);
  let c = numClasses;
  if (c === -1) {
    if (idx.length === 0)
      throw new ValueError(`oneHot: cannot infer numClasses from empty indices (shape ${fmtShape(indices.shape)}); pass numClasses`);
    c = 0;
    for (let i = 0; i < idx.length; i++) c = Math.max(c, idx[i]! + 1);
  }
  const out = allocate('int32', idx.length * c);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= c)
      throw new ValueError(
        `oneHot: index ${v} is out of range for numClasses ${c} (expected [0, ${c - 1}], indices shape ${fmtShape(indices.shape)})`,
      );
    out[i * c + v] = 1;
  }
  return Tensor.fromData(out, [...indices.shape, c], 'int32');
}
