import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import { mul } from './mul.js';
import type { TensorLike } from './types.js';

const addPrimitive = primitive('add', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('add', a, b);
    return { out: Tensor.fromView(K().binary('add', va, vb, a.dtype), a.dtype) };
  },
  // Broadcast inputs get the output-shaped gradient; the engine sums it down to their shape.
  backward: (g) => [g, g],
});

/**
 * `a + alpha * b`, elementwise with broadcasting. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The result dtype follows PyTorch's promotion (`int32 + float32 -> float32`).
 *
 * @throws ShapeError `add: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]]
 * add(tensor([1, 2]), 1, { alpha: 2 }).toArray();            // [3, 4]
 */
export function add(a: TensorLike, b: TensorLike, opts: { alpha?: number } = {}): Tensor {
  const [x, y] = operands(a, b, undefined, 'add');
  const alpha = opts.alpha ?? 1;
  return addPrimitive(x, alpha === 1 ? y : mul(y, alpha));
}
