import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands, resultType } from './operands.js';
import { outOptions, type OutOptions, type TensorLike } from './types.js';
import { binaryOut } from './out.js';
import { checkOptions } from '../options.js';

const DIV = outOptions('div');

const divPrimitive = primitive('div', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('div', a, b);
    return { out: Tensor.fromView(K().binary('div', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2. A constant divisor (x / 2) skips the second term.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g.div(b!) : null,
    needB ? g.neg().mul(a!).div(b!.mul(b!)) : null,
  ],
});

/**
 * `a / b`, true division elementwise with broadcasting. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * Integer and bool operands divide in float32 (`int32 / int32 -> float32`), as PyTorch's
 * `torch.div` without a rounding mode; division by zero gives `Infinity` or `NaN`.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws ShapeError `div: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * div(tensor([1, 2, 3], { dtype: 'int32' }), 2).toArray(); // [0.5, 1, 1.5]
 */
export function div(a: TensorLike, b: TensorLike, opts?: OutOptions): Tensor {
  const { out } = checkOptions(DIV, opts);
  const dt = resultType(a, b);
  const [x, y] = operands(a, b, isFloating(dt) ? dt : 'float32', 'div');
  return out !== undefined ? binaryOut('div', x, y, out) : divPrimitive(x, y);
}
