import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const EXP = outOptions('exp');

const expPrimitive = primitive('exp', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('exp', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d/dx e^x = e^x: reuse the saved output.
  backward: (g, [out]) => [g.mul(out!)],
});

/**
 * `e^x` elementwise. Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * exp(tensor([0, 1])).toArray(); // [1, 2.7182817]
 */
export function exp(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('exp', 'x', x);
  const { out } = checkOptions(EXP, opts);
  return out !== undefined ? unaryOut('exp', x, floatResult(x.dtype), out) : expPrimitive(x);
}
