import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { refuseBool, requireTensorInput } from './unary-input.js';

const floorPrimitive = primitive('floor', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('floor', x.nd, x.dtype), x.dtype) }),
  // Piecewise constant: the gradient is 0 (not absent), as PyTorch.
  backward: (g) => [zerosLike(g)],
});

/**
 * `floor(x)`, the largest integer <= x, elementwise. Keeps the dtype (an int32 tensor comes back unchanged, as a
 * copy); NaN and ±Infinity pass through. Its gradient is zero.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws DTypeError `floor: not defined for bool tensors (shape [2]); ...`
 * @example
 * floor(tensor([-1.5, 0.5, 2])).toArray(); // [-2, 0, 2]
 */
export function floor(x: Tensor): Tensor {
  requireTensorInput('floor', x);
  refuseBool('floor', x);
  return floorPrimitive(x);
}
