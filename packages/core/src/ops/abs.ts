import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { sign } from './sign.js';

const absPrimitive = primitive('abs', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('abs', x.nd, x.dtype), x.dtype), saved: [x] }),
  // d|x|/dx = sign(x), taken as 0 at x = 0 (as PyTorch); sign's own gradient is 0.
  backward: (g, [x]) => [g.mul(sign(x!))],
});

/**
 * `|x|` elementwise. Keeps the dtype (int32 stays int32). The gradient is `sign(x)` (0 at 0).
 *
 * @example
 * abs(tensor([-1.5, 0, 2])).toArray(); // [1.5, 0, 2]
 */
export function abs(x: Tensor): Tensor {
  return absPrimitive(x);
}
