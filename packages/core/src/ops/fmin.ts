import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { logicalOr } from './logical.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';
import { where } from './where.js';

const fminPrimitive = primitive('fmin', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('fmin', a, b);
    return { out: Tensor.fromView(K().binary('fmin', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // The whole gradient goes to the input chosen: a where a <= b (ties included) or b is NaN,
  // else b (PyTorch's rule; unlike minimum, ties are not split).
  backward: (g, [a, b], _ctx, [needA, needB]) => {
    const toA = logicalOr(a!.le(b!), b!.ne(b!));
    return [needA ? where(toA, g, 0) : null, needB ? where(toA, 0, g) : null];
  },
});

/**
 * `min(a, b)` elementwise with broadcasting, ignoring NaN: where one input is NaN the other is
 * taken (NaN only where both are), as C's fmin and PyTorch's. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape in the
 * promoted dtype (int32 and bool stay). The whole gradient goes to the chosen input; on ties, to
 * `a`, as PyTorch.
 *
 * @throws ShapeError `fmin: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * fmin(tensor([1, NaN, 3, NaN]), tensor([2, 1, NaN, NaN])).toArray(); // [1, 1, 3, NaN]
 */
export function fmin(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'fmin');
  return fminPrimitive(x, y);
}
