import { requireTensor } from './operands.js';
import { ShapeError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { expand } from './expand.js';
import { intList} from './shape-args.js';

/**
 * `x` broadcast to `shape` without copying (a view with stride 0 on broadcast dims), by
 * NumPy's rule; -1 keeps a dim. Gradients are summed back to `x`'s shape.
 *
 * x - shape [B, 1]; `broadcastTo(x, [A, B, C])` returns [A, B, C].
 *
 * @throws ShapeError `broadcastTo: cannot expand shape [2,3] to [4,3]`
 * @example
 * broadcastTo(tensor([1, 2, 3]), [2, 3]).toArray(); // [[1, 2, 3], [1, 2, 3]]
 */
export function broadcastTo(x: Tensor, shape: number | readonly number[]): Tensor {
  requireTensor('broadcastTo', 'x', x);
  const target = intList('broadcastTo', 'shape', shape);
  try {
    return expand(x, target);
  } catch (e) {
    if (e instanceof ShapeError && e.message.startsWith('expand:'))
      throw new ShapeError(`broadcastTo:${e.message.slice('expand:'.length)}`);
    throw e;
  }
}

/**
 * Broadcasts tensors against each other: each comes back as a view of the common broadcast
 * shape. Takes the tensors as arguments or as one array.
 *
 * tensors - shapes [2, 1] and [3]; returns two tensors of shape [2, 3].
 *
 * @throws ShapeError `broadcastTensors: cannot broadcast shapes [2] and [3] (dim 0: 2 vs 3)`
 * @example
 * const [a, b] = broadcastTensors(tensor([[1], [2]]), tensor([3, 4, 5]));
 * a.toArray(); // [[1, 1, 1], [2, 2, 2]]
 * b.shape;     // [2, 3]
 */
export function broadcastTensors(...tensors: Tensor[] | [readonly Tensor[]]): Tensor[] {
  const list: readonly Tensor[] = tensors.length === 1 && Array.isArray(tensors[0]) ? tensors[0] : (tensors as Tensor[]);
  list.forEach((t, i) => requireTensor('broadcastTensors', `tensors[${i}]`, t));
  const shape = broadcastShapes('broadcastTensors', ...list.map((t) => t.shape));
  return list.map((t) => expand(t, shape));
}
