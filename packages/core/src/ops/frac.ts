import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { sub } from './sub.js';
import { trunc } from './trunc.js';
import { requireTensorInput } from './unary-input.js';

/**
 * Fractional part `x - trunc(x)` elementwise, with the sign of x (`frac(-1.5) = -0.5`; NaN at
 * ±Infinity). Exact in floating point. Float tensors only, as PyTorch. Its gradient is 1.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws DTypeError `frac: expected a floating point tensor, got int32 (shape [2])`
 * @example
 * frac(tensor([-1.5, 2.25, 3])).toArray(); // [-0.5, 0.25, 0]
 */
export function frac(x: Tensor): Tensor {
  requireTensorInput('frac', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`frac: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  return sub(x, trunc(x));
}
