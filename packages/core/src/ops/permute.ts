import { primitive } from '../autograd/primitive.js';
import { ValueError, fmtShape } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

const permutePrimitive = primitive('permute', {
  forward: (x: Tensor, dims: number[]) => {
    const { shape, stride, offset } = x.nd;
    const out = new Tensor(x.storage, dims.map((d) => shape[d]!), dims.map((d) => stride[d]!), offset);
    return { out, ctx: dims };
  },
  backward: (g, _s, dims) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse)];
  },
});

/**
 * Reorders the dims of `x` (a view): output dim i is input dim `dims[i]`.
 *
 * @throws ValueError `permute: dims [0,0] are not a permutation of 2 dims (shape [2,3])`
 * @example
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  requireTensor('permute', 'x', x);
  const norm = dims.map((d) => normalizeDim('permute', d, x.shape));
  if (norm.length !== x.ndim || new Set(norm).size !== norm.length)
    throw new ValueError(`permute: dims ${fmtShape(dims)} are not a permutation of ${x.ndim} dims (shape ${fmtShape(x.shape)})`);
  return permutePrimitive(x, norm);
}

/**
 * Swaps dims `dim0` and `dim1` (a view).
 *
 * @example
 * transpose(zeros([2, 3]), 0, 1).shape; // [3, 2]
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  requireTensor('transpose', 'x', x);
  if (x.ndim === 0) {
    // A 0-d tensor takes dims 0 and -1 (as PyTorch) and has nothing to swap.
    for (const d of [dim0, dim1])
      if (d !== 0 && d !== -1) throw new ValueError(`transpose: dim ${d} is out of range for a tensor of 0 dims (shape [])`);
    return permutePrimitive(x, []);
  }
  const a = normalizeDim('transpose', dim0, x.shape);
  const b = normalizeDim('transpose', dim1, x.shape);
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permutePrimitive(x, dims);
}
