import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { refuseBool, requireTensorInput } from './unary-input.js';

const truncPrimitive = primitive('trunc', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('trunc', x.nd, x.dtype), x.dtype) }),
  // Piecewise constant: the gradient is 0 (not absent), as PyTorch.
  backward: (g) => [zerosLike(g)],
});

/**
 * `trunc(x)`, x rounded toward zero, elementwise. Keeps the dtype (an int32 tensor comes back unchanged, as a
 * copy); NaN and ±Infinity pass through. Its gradient is zero.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws DTypeError `trunc: not defined for bool tensors (shape [2]); ...`
 * @example
 * trunc(tensor([-1.5, 0.5, 2.7])).toArray(); // [-1, 0, 2]
 */
export function trunc(x: Tensor): Tensor {
  requireTensorInput('trunc', x);
  refuseBool('trunc', x);
  return truncPrimitive(x);
}
