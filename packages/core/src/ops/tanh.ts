import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const TANH = outOptions('tanh');

const tanhPrimitive = primitive('tanh', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('tanh', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // d tanh(x)/dx = 1 - tanh(x)^2, from the saved output.
  backward: (g, [out]) => [tanhBackward(g, out!)],
});

/**
 * `g (1 - y²)` from tanh's output `y`, in one kernel. Its own gradient: `gg (1 - y²)` for g and
 * `-2 gg g y` for y, so the rule differentiates again.
 */
const tanhBackward: (g: Tensor, y: Tensor) => Tensor = primitive('tanhBackward', {
  forward: (g: Tensor, y: Tensor) => ({
    out: Tensor.fromView(K().binary('tanhBackward', g.nd, y.nd, g.dtype), g.dtype),
    saved: [g, y],
  }),
  backward: (gg, [g, y]) => [tanhBackward(gg, y!), gg.mul(g!).mul(y!).mul(-2)],
});

/**
 * `tanh(x)` elementwise. Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * tanh(tensor([0, 100])).toArray(); // [0, 1]
 */
export function tanh(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('tanh', 'x', x);
  const { out } = checkOptions(TANH, opts);
  return out !== undefined ? unaryOut('tanh', x, floatResult(x.dtype), out) : tanhPrimitive(x);
}
