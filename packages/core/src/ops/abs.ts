import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { sign } from './sign.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';
import { requireTensor } from './operands.js';

const ABS = outOptions('abs');

const absPrimitive = primitive('abs', {
  forward: (x: Tensor) => {
    const out = K().unary('abs', x.nd, x.dtype);
    return { out: Tensor.fromView(out, x.dtype), saved: [x] };
  },
  // d|x|/dx = sign(x), taken as 0 at x = 0 (as PyTorch); sign's own gradient is 0.
  backward: (g, [x]) => [g.mul(sign(x!))],
});

/**
 * `|x|` elementwise. Keeps the dtype (int32 stays int32); `abs(-0)` is +0. The gradient is
 * `sign(x)` (0 at 0).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * abs(tensor([-1.5, 0, 2])).toArray(); // [1.5, 0, 2]
 * Object.is(abs(tensor([-0])).item(), 0); // true
 */
export function abs(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('abs', 'x', x);
  const { out } = checkOptions(ABS, opts);
  if (out === undefined) return absPrimitive(x);
  return unaryOut('abs', x, x.dtype, out);
}
