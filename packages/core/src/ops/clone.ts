import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

const clonePrimitive = primitive('clone', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('copy', x.nd, x.dtype), x.dtype) }),
  backward: (g) => [g],
});

/**
 * A contiguous copy of `x` with its own storage; gradients flow through it.
 *
 * @example
 * const x = tensor([1, 2]);
 * const y = clone(x);
 * y.storage === x.storage; // false
 * y.toArray(); // [1, 2]
 */
export function clone(x: Tensor): Tensor {
  requireTensor('clone', 'x', x);
  return clonePrimitive(x);
}
