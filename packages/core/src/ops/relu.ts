import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';
import { requireTensor } from './operands.js';

const RELU = outOptions('relu');

const reluPrimitive = primitive('relu', {
  forward: (x: Tensor) => {
    const out = Tensor.fromView(K().unary('relu', x.nd, x.dtype), x.dtype);
    return { out, saved: [out] };
  },
  // The gradient passes where the output is positive (x > 0), 0 elsewhere, 0 at x = 0 itself.
  backward: (g, [out]) => [reluBackward(g, out!)],
});

/**
 * `g` where `out > 0`, else 0, in one kernel (not a compare and a select). Linear in `g`; its
 * derivative in `out` is 0 almost everywhere, so only `g` gets a gradient.
 */
const reluBackward: (g: Tensor, out: Tensor) => Tensor = primitive('reluBackward', {
  forward: (g: Tensor, out: Tensor) => ({
    out: Tensor.fromView(K().binary('reluBackward', g.nd, out.nd, g.dtype), g.dtype),
    saved: [out],
  }),
  backward: (gg, [out]) => [reluBackward(gg, out!), null],
});

/**
 * `max(x, 0)` elementwise (NaN stays NaN). Keeps the dtype (int32 stays int32).
 * The gradient is 1 for x > 0 and 0 otherwise (also at 0, as PyTorch).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @example
 * relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2]
 */
export function relu(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('relu', 'x', x);
  const { out } = checkOptions(RELU, opts);
  return out !== undefined ? unaryOut('relu', x, x.dtype, out) : reluPrimitive(x);
}
