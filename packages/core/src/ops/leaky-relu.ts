import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { floatResult, requireTensor } from './operands.js';
import { where } from './where.js';
import { ValueError } from '../errors.js';
import { describeValue } from '../options.js';

const leakyReluPrimitive = primitive('leakyRelu', {
  forward: (x: Tensor, negativeSlope: number) => {
    const dt = floatResult(x.dtype);
    return { out: Tensor.fromView(K().unary('leakyRelu', x.nd, dt, negativeSlope), dt), saved: [x], ctx: negativeSlope };
  },
  backward: (g, [x], negativeSlope) => [where(x!.gt(0), g, g.mul(negativeSlope))],
});

/**
 * `x` for x > 0, `negativeSlope * x` otherwise, elementwise. Integer inputs give float32.
 *
 * @param negativeSlope - the slope for x <= 0 (default 0.01)
 * @throws ValueError `leakyRelu: negativeSlope must be a number, got an object; it comes second: leakyRelu(x, 0.01)`
 * @example
 * leakyRelu(tensor([-2, 3]), 0.1).toArray(); // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  requireTensor('leakyRelu', 'x', x);
  if (typeof negativeSlope !== 'number')
    throw new ValueError(`leakyRelu: negativeSlope must be a number, got ${describeValue(negativeSlope)}; it comes second: leakyRelu(x, 0.01)`);
  return leakyReluPrimitive(x, negativeSlope);
}
