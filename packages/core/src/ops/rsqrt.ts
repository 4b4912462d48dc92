import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const RSQRT = outOptions('rsqrt');

const rsqrtPrimitive = primitive('rsqrt', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('rsqrt', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d x^(-1/2)/dx = -0.5 x^(-3/2) = -0.5 out^3.
  backward: (g, [out]) => [g.mul(out!.mul(out!).mul(out!)).mul(-0.5)],
});

/**
 * `1 / √x` elementwise. Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * rsqrt(tensor([4, 16])).toArray(); // [0.5, 0.25]
 */
export function rsqrt(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('rsqrt', 'x', x);
  const { out } = checkOptions(RSQRT, opts);
  return out !== undefined ? unaryOut('rsqrt', x, floatResult(x.dtype), out) : rsqrtPrimitive(x);
}
