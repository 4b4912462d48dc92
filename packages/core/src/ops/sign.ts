import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

const signPrimitive = primitive('sign', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('sign', x.nd, x.dtype), x.dtype) }),
  // Piecewise constant: the gradient is 0 (not absent), as PyTorch.
  backward: (g) => [zerosLike(g)],
});

/**
 * `sign(x)` elementwise: -1, 0 or 1 (NaN stays NaN). Keeps the dtype. Its gradient is zero.
 *
 * @example
 * sign(tensor([-3, 0, 2])).toArray(); // [-1, 0, 1]
 */
export function sign(x: Tensor): Tensor {
  requireTensor('sign', 'x', x);
  return signPrimitive(x);
}
