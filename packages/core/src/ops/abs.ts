import { primitive } from '../autograd/primitive.js';
import { dtypeOfArray, isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import type { View } from '../kernels/backend.js';
import { makeView } from '../kernels/view.js';
import { Tensor } from '../tensor.js';
import { sign } from './sign.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';
import { requireTensor } from './operands.js';

const ABS = outOptions('abs');

/** Turns -0 into +0 in place (`-0 + 0` is `+0`; every other value is unchanged): `abs(-0)` is +0, as in PyTorch. */
function positiveZero(v: View): void {
  if (!isFloating(dtypeOfArray(v.data)!)) return;
  K().binaryInPlace('add', v, makeView(v.data.slice(0, 1).fill(0), v.shape, v.shape.map(() => 0)), 1);
}

const absPrimitive = primitive('abs', {
  forward: (x: Tensor) => {
    const out = K().unary('abs', x.nd, x.dtype);
    positiveZero(out);
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
  const result = unaryOut('abs', x, x.dtype, out);
  positiveZero(result.nd);
  return result;
}
