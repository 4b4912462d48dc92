import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const LOG = outOptions('log');

const logPrimitive = primitive('log', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('log', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.div(x!)],
});

/**
 * `ln(x)` elementwise (natural logarithm; NaN for x < 0, -Infinity at 0). Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * log(tensor([1, Math.E])).toArray(); // [0, 1]
 */
export function log(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('log', 'x', x);
  const { out } = checkOptions(LOG, opts);
  return out !== undefined ? unaryOut('log', x, floatResult(x.dtype), out) : logPrimitive(x);
}
