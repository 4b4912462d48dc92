import { primitive } from '../autograd/primitive.js';
import { Tensor } from '../tensor.js';
import { checkRoundedDivision, notDifferentiable, roundedQuotient } from './math-helpers.js';
import { operands } from './operands.js';
import type { TensorLike } from './types.js';

const floorDividePrimitive = primitive('floorDivide', {
  forward: (a: Tensor, b: Tensor) => ({ out: roundedQuotient('floorDivide', a, b, 'floor') }),
  backward: notDifferentiable('floorDivide'),
  notTwiceDifferentiable: 'floorDivide has no derivative',
});

/**
 * `floor(a / b)` elementwise with broadcasting (Python's `//`), as `div(a, b, { roundingMode:
 * 'floor' })`; numbers act as scalars. Integer operands stay integer; an integer division by zero
 * throws (PyTorch's ZeroDivisionError). Like PyTorch's `floor_divide`, not differentiable:
 * backward through it throws (use div with a rounding mode for a zero gradient).
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 *
 * @throws DTypeError `floorDivide: not defined for bool operands (shapes [2] and [2]); cast to int32 first`
 * @throws ValueError `floorDivide: integer division by zero (the int32 divisor of shape [] holds 0; PyTorch raises ZeroDivisionError)`
 * @throws AutogradError `floorDivide: not differentiable (PyTorch defines no derivative); ...` (in backward)
 * @example
 * floorDivide(tensor([7, -7], { dtype: 'int32' }), 2).toArray(); // [3, -4]
 * floorDivide(tensor([7.5, -7.5]), tensor([2, 2])).toArray(); // [3, -4]
 */
export function floorDivide(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, undefined, 'floorDivide');
  checkRoundedDivision('floorDivide', x, y);
  return floorDividePrimitive(x, y);
}
