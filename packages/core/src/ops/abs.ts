import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { sign } from './sign.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const ABS = outOptions('abs');

const absPrimitive = primitive('abs', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('abs', x.nd, x.dtype), x.dtype), saved: [x] }),
  // d|x|/dx = sign(x), taken as 0 at x = 0 (as PyTorch); sign's own gradient is 0.
  backward: (g, [x]) => [g.mul(sign(x!))],
});

/**
 * `|x|` elementwise. Keeps the dtype (int32 stays int32). The gradient is `sign(x)` (0 at 0).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * abs(tensor([-1.5, 0, 2])).toArray(); // [1.5, 0, 2]
 */
export function abs(x: Tensor, opts: OutOptions = {}): Tensor {
  checkOptions(ABS, opts);
  return opts.out !== undefined ? unaryOut('abs', x, x.dtype, opts.out) : absPrimitive(x);
}
