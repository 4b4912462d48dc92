import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { DTypeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { refuseBool, requireTensorInput } from './unary-input.js';

/**
 * Options of {@link round}.
 *
 * @example
 * const opts: RoundOptions = { decimals: 2 };
 * round(tensor([3.14159], { dtype: 'float64' }), opts).item(); // 3.14
 */
export interface RoundOptions {
  /** Round to this many decimal places (negative: to tens, hundreds, ...); default 0. */
  decimals?: number;
}

const ROUND = defineOptions('round', { decimals: 'integer' });

const roundPrimitive = primitive('round', {
  forward: (x: Tensor, decimals: number) => {
    const single = x.dtype === 'float32' ? 1 : 0;
    return { out: Tensor.fromView(K().unary('round', x.nd, x.dtype, decimals, single), x.dtype) };
  },
  // Piecewise constant: the gradient is 0 (not absent), as PyTorch.
  backward: (g) => [zerosLike(g)],
});

/**
 * Rounds to the nearest integer elementwise, ties to even (`round(2.5) = 2`, `round(-0.5) = -0`),
 * as PyTorch. With `decimals`, rounds `x · 10^decimals` and scales back as PyTorch does (in
 * float32 arithmetic for float32 tensors), so results carry the binary rounding of the decimal
 * (`round(2.675, { decimals: 2 })` is 2.68 but `round(1.005, { decimals: 2 })` is 1; decimals
 * beyond ~308 give NaN). Keeps the dtype (an int32 tensor comes back unchanged, as a copy). Its
 * gradient is zero.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws DTypeError `round: decimals is not supported for int32 tensors (shape [2]), got decimals 1`
 * @example
 * round(tensor([0.5, 1.5, 2.5, -2.7])).toArray(); // [0, 2, 2, -3]
 * round(tensor([1234.5678], { dtype: 'float64' }), { decimals: -2 }).item(); // 1200
 */
export function round(x: Tensor, opts?: RoundOptions): Tensor {
  const { decimals = 0 } = checkOptions(ROUND, opts);
  requireTensorInput('round', x);
  refuseBool('round', x);
  if (x.dtype === 'int32' && decimals !== 0)
    throw new DTypeError(`round: decimals is not supported for int32 tensors (shape ${fmtShape(x.shape)}), got decimals ${decimals}`);
  return roundPrimitive(x, decimals);
}
