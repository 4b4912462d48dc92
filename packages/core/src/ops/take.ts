import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { expand } from './expand.js';
import { checkIndexRange, gather } from './gather.js';
import { requireTensorArgs } from './index-bounds.js';
import { indexSelect } from './index-select.js';
import { requireIndex } from './operands.js';
import { reshape } from './reshape.js';

/**
 * The elements of `x` at the flat (row-major) positions `index`, as if `x` were 1-D:
 * `out[p] = x.flatten()[index[p]]`; negative positions count from the end (PyTorch's `take`).
 *
 * x - any shape, N elements; index - int32, any shape, values in [-N, N); returns index's shape.
 * Gradient: added back at the positions taken (repeats accumulate).
 *
 * @throws DTypeError `take: index must be an int32 tensor, got float32 (shape [2])`
 * @throws ValueError `take: index 7 is out of range for x of 6 elements (shape [2,3]); expected [-6, 5]`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * take(x, tensor([[0, -1], [4, 2]], { dtype: 'int32' })).toArray(); // [[1, 6], [5, 3]]
 */
export function take(x: Tensor, index: Tensor): Tensor {
  requireTensorArgs('take', { x, index });
  requireIndex('take', 'index', index);
  const n = x.numel();
  const data = index.data;
  const flat = Int32Array.from(data);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (v < -n || v >= n)
      throw new ValueError(`take: index ${v} is out of range for x of ${n} elements (shape ${fmtShape(x.shape)}); expected [${-n}, ${n - 1}]`);
    if (v < 0) flat[i] = v + n;
  }
  const picked = indexSelect(reshape(x, [n]), 0, Tensor.fromData(flat, [flat.length], 'int32'));
  return reshape(picked, index.shape);
}

/**
 * Picks values of `x` along `dim` at `indices`, broadcasting the other dims (PyTorch's
 * `take_along_dim`): `out = gather(x', dim, indices')` with x and indices broadcast to each
 * other in every dim but `dim`. Without `dim`, both are flattened first. Pairs with
 * argmax/argsort results (`takeAlongDim(x, argmax(x, 1, { keepdim: true }), 1)`).
 *
 * x - shape [..., N, ...]; indices - int32, same number of dims (any number without `dim`),
 * values in [0, N); returns the broadcast shape with indices' size at `dim` (1-D without `dim`).
 *
 * @throws DTypeError `takeAlongDim: indices must be an int32 tensor, got float32 (shape [1,1])`
 * @throws ShapeError `takeAlongDim: x and indices must have the same number of dims, got x shape [2,3] and indices shape [3]`
 * @throws ValueError `takeAlongDim: index value 3 is out of range [0, 3) for dim 1 of x (shape [2,3])`
 * @example
 * const x = tensor([[10, 30, 20], [60, 40, 50]]);
 * takeAlongDim(x, tensor([[1], [0]], { dtype: 'int32' }), 1).toArray(); // [[30], [60]]
 * takeAlongDim(x, tensor([[0, 2]], { dtype: 'int32' }), 1).toArray(); // [[10, 20], [60, 50]]
 * takeAlongDim(x, tensor([5, 0], { dtype: 'int32' })).toArray(); // [50, 10]
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  requireTensorArgs('takeAlongDim', { x, indices });
  requireIndex('takeAlongDim', 'indices', indices);
  if (dim === undefined || dim === null) {
    checkIndexRange('takeAlongDim', indices, x.numel(), 0, [x.numel()]);
    return gather(reshape(x, [x.numel()]), 0, reshape(indices, [indices.numel()]));
  }
  if (x.ndim !== indices.ndim)
    throw new ShapeError(
      `takeAlongDim: x and indices must have the same number of dims, got x shape ${fmtShape(x.shape)} and indices shape ${fmtShape(indices.shape)}`,
    );
  const d = normalizeDim('takeAlongDim', dim, x.shape);
  checkIndexRange('takeAlongDim', indices, x.ndim === 0 ? 1 : x.shape[d]!, dim, x.shape);
  if (x.ndim === 0) return gather(x, 0, indices);
  const others = broadcastShapes(
    'takeAlongDim',
    x.shape.map((n, i) => (i === d ? 1 : n)),
    indices.shape.map((n, i) => (i === d ? 1 : n)),
  );
  const xs = others.map((n, i) => (i === d ? x.shape[d]! : n));
  const is = others.map((n, i) => (i === d ? indices.shape[d]! : n));
  return gather(expand(x, xs), d, expand(indices, is));
}
