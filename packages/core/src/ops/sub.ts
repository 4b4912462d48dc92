import { primitive } from '../autograd/primitive.js';
import { DTypeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { alphaOperands } from './add.js';
import { broadcastPair } from './operands.js';
import { neg } from './neg.js';
import type { OutOptions, TensorLike } from './types.js';
import { binaryOut } from './out.js';
import { checkOptions, defineOptions } from '../options.js';

const SUB = defineOptions('sub', { alpha: 'number', out: 'tensor' });

const subPrimitive = primitive('sub', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('sub', a, b);
    return { out: Tensor.fromView(K().binary('sub', va, vb, a.dtype), a.dtype) };
  },
  // Output-shaped gradients; the engine sums them down to broadcast inputs' shapes.
  backward: (g, _s, _ctx, [, needB]) => [g, needB ? neg(g) : null],
});

/**
 * `a - alpha * b`, elementwise with broadcasting. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The result dtype follows PyTorch's promotion (`int32 - float32 -> float32`).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws ShapeError `sub: cannot broadcast shapes [2,3] and [4] ...`
 * @throws DTypeError `sub: subtraction of two bool operands is not supported ...`
 * @throws ValueError `sub: alpha must be an integer for int32 operands, got 0.5 ...`
 * @example
 * sub(tensor([[5, 6], [7, 8]]), tensor([1, 2])).toArray(); // [[4, 4], [6, 6]]
 * sub(tensor([1, 2]), 1, { alpha: 2 }).toArray();          // [-1, 0]
 */
export function sub(a: TensorLike, b: TensorLike, opts?: { alpha?: number } & OutOptions): Tensor {
  const { alpha = 1, out } = checkOptions(SUB, opts);
  const [x, y] = alphaOperands('sub', a, b, alpha);
  if (x.dtype === 'bool')
    throw new DTypeError(
      `sub: subtraction of two bool operands is not supported (shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}); ` +
        'cast to int32 or float32 first',
    );
  return out !== undefined ? binaryOut('sub', x, y, out) : subPrimitive(x, y);
}
