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
  backward: (g, [out]) => [g.mul(out!.mul(out!).neg().add(1))],
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
