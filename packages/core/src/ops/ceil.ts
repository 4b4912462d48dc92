import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { refuseBool, requireTensorInput } from './unary-input.js';

const ceilPrimitive = primitive('ceil', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('ceil', x.nd, x.dtype), x.dtype) }),
  // Piecewise constant: the gradient is 0 (not absent), as PyTorch.
  backward: (g) => [zerosLike(g)],
});

/**
 * `ceil(x)`, the smallest integer >= x, elementwise. Keeps the dtype (an int32 tensor comes back unchanged, as a
 * copy); NaN and ±Infinity pass through. Its gradient is zero.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws DTypeError `ceil: not defined for bool tensors (shape [2]); ...`
 * @example
 * ceil(tensor([-1.5, 0.5, 2])).toArray(); // [-1, 1, 2]
 */
export function ceil(x: Tensor): Tensor {
  requireTensorInput('ceil', x);
  refuseBool('ceil', x);
  return ceilPrimitive(x);
}
