import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import { outOptions, type OutOptions, type TensorLike } from './types.js';
import { binaryOut } from './out.js';
import { checkOptions } from '../options.js';

const MUL = outOptions('mul');

const mulPrimitive = primitive('mul', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('mul', a, b);
    return { out: Tensor.fromView(K().binary('mul', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  backward: (g, [a, b], _ctx, [needA, needB]) => [needA ? g.mul(b!) : null, needB ? g.mul(a!) : null],
});

/**
 * `a * b`, elementwise with broadcasting. Numbers act as scalars.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws ShapeError `mul: cannot broadcast shapes ...`
 * @example
 * mul(tensor([1, 2, 3]), 2).toArray(); // [2, 4, 6]
 */
export function mul(a: TensorLike, b: TensorLike, opts?: OutOptions): Tensor {
  const { out } = checkOptions(MUL, opts);
  const [x, y] = operands(a, b, undefined, 'mul');
  return out !== undefined ? binaryOut('mul', x, y, out) : mulPrimitive(x, y);
}
