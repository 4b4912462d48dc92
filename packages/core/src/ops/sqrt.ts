import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const SQRT = outOptions('sqrt');

const sqrtPrimitive = primitive('sqrt', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('sqrt', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d sqrt(x)/dx = 0.5 / sqrt(x): reuse the saved output.
  backward: (g, [out]) => [g.mul(0.5).div(out!)],
});

/**
 * `√x` elementwise (NaN for x < 0). Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * sqrt(tensor([4, 9])).toArray(); // [2, 3]
 */
export function sqrt(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('sqrt', 'x', x);
  const { out } = checkOptions(SQRT, opts);
  return out !== undefined ? unaryOut('sqrt', x, floatResult(x.dtype), out) : sqrtPrimitive(x);
}
