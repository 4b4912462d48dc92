import { Tensor } from '../tensor.js';
import { asDType } from './math-helpers.js';
import { checkTensorLike } from './operands.js';
import { pow } from './pow.js';
import type { TensorLike } from './types.js';

/**
 * `a ** exponent` elementwise with broadcasting, always computed and returned in float64 (either
 * may be a number), as PyTorch's `float_power`: integers may take negative powers
 * (`float_power(2, -1)` is 0.5). Special values and gradients are those of {@link pow}; the
 * gradient flows back to a float32 input through the cast.
 *
 * a - shape [...A], exponent - shape [...B] broadcastable with A; returns the broadcast shape, float64.
 *
 * @throws ShapeError `pow: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * floatPower(tensor([2, 3], { dtype: 'int32' }), -1).toArray(); // [0.5, 0.3333333333333333]
 * floatPower(tensor([2, 3]), 2).dtype; // 'float64'
 */
export function floatPower(a: TensorLike, exponent: TensorLike): Tensor {
  checkTensorLike('floatPower', a);
  checkTensorLike('floatPower', exponent);
  // A number exponent stays a number: pow then gives it no gradient and skips the 0 ** 0 mask.
  return pow(asDType(a, 'float64'), typeof exponent === 'number' ? exponent : asDType(exponent, 'float64'));
}
