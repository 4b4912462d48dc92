import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';

const SIGMOID = outOptions('sigmoid');

const sigmoidPrimitive = primitive('sigmoid', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    const out = Tensor.fromView(K().unary('sigmoid', x.nd, dt), dt);
    return { out, saved: [out] };
  },
  // dσ/dx = σ (1 - σ), from the saved output: finite (0) even for |x| = 1000.
  backward: (g, [out]) => [sigmoidBackward(g, out!)],
});

/**
 * `g σ (1 - σ)` from sigmoid's output `y = σ`, in one kernel (not three ops and their
 * temporaries). Its own gradient: `gg y (1 - y)` for g and `gg g (1 - 2y)` for y, so the rule
 * differentiates again.
 */
const sigmoidBackward: (g: Tensor, y: Tensor) => Tensor = primitive('sigmoidBackward', {
  forward: (g: Tensor, y: Tensor) => ({
    out: Tensor.fromView(K().binary('sigmoidBackward', g.nd, y.nd, g.dtype), g.dtype),
    saved: [g, y],
  }),
  backward: (gg, [g, y]) => [sigmoidBackward(gg, y!), gg.mul(g!).mul(y!.mul(-2).add(1))],
});

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^-x)` elementwise, computed without overflow for any x
 * (`σ(1000) = 1`, `σ(-1000) = 0`). Integer inputs give float32.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * sigmoid(tensor([0, 1000, -1000])).toArray(); // [0.5, 1, 0]
 */
export function sigmoid(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('sigmoid', 'x', x);
  const { out } = checkOptions(SIGMOID, opts);
  return out !== undefined ? unaryOut('sigmoid', x, floatResult(x.dtype), out) : sigmoidPrimitive(x);
}
