import { primitive } from '../autograd/primitive.js';
import { promoteWithScalar } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { full } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { where } from './where.js';
import { requireTensor } from './operands.js';

interface ClampCtx {
  lo: number;
  hi: number;
}

const clampPrimitive = primitive('clamp', {
  forward: (x: Tensor, lo: number, hi: number) => {
    // A NaN bound gives NaN everywhere, as PyTorch (the kernel's comparisons would let x through).
    const out = Number.isNaN(lo) || Number.isNaN(hi) ? full(x.shape, NaN, { dtype: x.dtype }) : Tensor.fromView(K().unary('clamp', x.nd, x.dtype, lo, hi), x.dtype);
    return { out, saved: [x], ctx: { lo, hi } as ClampCtx };
  },
  // The gradient passes where lo <= x <= hi (boundaries included, as PyTorch), 0 elsewhere
  // (everywhere for a NaN bound).
  backward: (g, [x], { lo, hi }) => [where(x!.ge(lo).mul(x!.le(hi)), g, 0)],
});

/**
 * `min(max(x, min), max)` elementwise; either bound may be omitted (null). With `min > max`
 * every element becomes `max`, and a NaN bound makes every element NaN (as PyTorch). Keeps an int32 dtype for integer bounds; a
 * fractional bound on an integer tensor gives float32. The gradient is 1 where
 * `min <= x <= max` and 0 elsewhere.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws ValueError `clamp: at least one of min and max must be given (shape [3])`
 * @example
 * clamp(tensor([-2, 0.5, 3]), -1, 1).toArray(); // [-1, 0.5, 1]
 * clamp(tensor([-2, 3]), 0).toArray();           // [0, 3]
 * clamp(tensor([-2, 3]), NaN).toArray();         // [NaN, NaN]
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  requireTensor('clamp', 'x', x);
  if ((min === undefined || min === null) && (max === undefined || max === null))
    throw new ValueError(`clamp: at least one of min and max must be given (shape ${fmtShape(x.shape)})`);
  let dt = x.dtype;
  if (min !== undefined && min !== null) dt = promoteWithScalar(dt, min);
  if (max !== undefined && max !== null) dt = promoteWithScalar(dt, max);
  const t = dt === x.dtype ? x : x.to(dt);
  return clampPrimitive(t, min ?? -Infinity, max ?? Infinity);
}
