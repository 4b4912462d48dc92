import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';

const log1pPrimitive = primitive('log1p', {
  forward: (x: Tensor) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('log1p', x.nd, dt), dt), saved: [x] };
  },
  backward: (g, [x]) => [g.div(x!.add(1))],
});

/**
 * `ln(1 + x)` elementwise, accurate for small |x|. Integer inputs give float32.
 *
 * @example
 * log1p(tensor([0, 1e-10])).toArray(); // [0, 1e-10]
 */
export function log1p(x: Tensor): Tensor {
  requireTensor('log1p', 'x', x);
  return log1pPrimitive(x);
}
