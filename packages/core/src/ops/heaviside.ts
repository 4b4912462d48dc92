import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { notDifferentiable} from './math-helpers.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';

const heavisidePrimitive = primitive('heaviside', {
  forward: (x: Tensor, v: Tensor) => {
    const { va, vb } = broadcastPair('heaviside', x, v);
    return { out: Tensor.fromView(K().binary('heaviside', va, vb, x.dtype), x.dtype) };
  },
  backward: notDifferentiable('heaviside'),
  notTwiceDifferentiable: 'heaviside has no derivative',
});

/**
 * The unit step with a chosen value at 0: 1 where `x > 0`, 0 where `x < 0` (NaN included, as
 * PyTorch's kernel), `values` where `x == 0` (-0 included), elementwise with broadcasting.
 * `values` is a tensor (0-d or any shape broadcastable with x) or a number, as PyTorch's
 * `torch.heaviside(input, values)`. The dtype is the promoted one of x and values. Like
 * PyTorch's, not differentiable: backward through it throws.
 *
 * x - shape [...A], values - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws ShapeError `heaviside: cannot broadcast shapes [2,3] and [4] ...`
 * @throws AutogradError `heaviside: not differentiable (PyTorch defines no derivative); ...` (in backward)
 * @example
 * heaviside(tensor([-1, 0, 2]), 0.5).toArray(); // [0, 0.5, 1]
 * heaviside(tensor([0, 0]), tensor([2, 3])).toArray(); // [2, 3]
 */
export function heaviside(x: Tensor, values: TensorLike): Tensor {
  requireTensor('heaviside', 'x', x);
  const [a, v] = operands(x, values, undefined, 'heaviside');
  return heavisidePrimitive(a, v);
}
