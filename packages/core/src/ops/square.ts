import { Tensor } from '../tensor.js';
import { mul } from './mul.js';
import { requireTensorInput } from './unary-input.js';

/**
 * `x * x` elementwise. Keeps the dtype, except bool, which gives int32 (PyTorch gives int64).
 * Its gradient is `2x`.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `square: expected a Tensor, got number`
 * @example
 * square(tensor([-2, 3])).toArray(); // [4, 9]
 * square(tensor([true, false])).toArray(); // [1, 0]
 */
export function square(x: Tensor): Tensor {
  requireTensorInput('square', x);
  const t = x.dtype === 'bool' ? x.to('int32') : x;
  return mul(t, t);
}
