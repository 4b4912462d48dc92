import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';

const clonePrimitive = primitive('clone', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('copy', x.nd, x.dtype), x.dtype) }),
  backward: (g) => [g],
});

/**
 * A contiguous copy of `x` with its own storage; gradients flow through it.
 *
 * @example
 * const y = clone(x); // y.data is a new array
 */
export function clone(x: Tensor): Tensor {
  return clonePrimitive(x);
}
