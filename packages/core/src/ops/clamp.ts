import { primitive } from '../autograd/primitive.js';
import { promoteWithScalar } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { full } from '../creation.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { where } from './where.js';
import { requireTensor, scalarTensor } from './operands.js';
import { add } from './add.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';

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
 * The bounds of {@link clamp} as options, PyTorch's `x.clamp(min=0)`: each a number, a tensor
 * (broadcast against `x`) or null (no bound).
 *
 * @example
 * const opts: ClampOptions = { min: 0 };
 * clamp(tensor([-2, 3]), opts).toArray(); // [0, 3]
 */
export interface ClampOptions {
  min?: number | Tensor | null;
  max?: number | Tensor | null;
}

const CLAMP = defineOptions('clamp', { min: 'number|tensor|null', max: 'number|tensor|null' });
const CLAMP_INPLACE = defineOptions('clamp_', { min: 'number|null', max: 'number|null' });

/**
 * The bounds of a clamp call in either form, `(min, max)` positionally or `({ min, max })`,
 * checked: `clamp` takes numbers and tensors, `clamp_` numbers only. @internal
 */
export function clampBounds(
  op: 'clamp' | 'clamp_',
  min: number | Tensor | null | undefined | ClampOptions,
  max: number | Tensor | null | undefined,
): [number | Tensor | null | undefined, number | Tensor | null | undefined] {
  if (typeof min === 'object' && min !== null && !Array.isArray(min) && !(min instanceof Tensor)) {
    if (max !== undefined)
      throw new ValueError(`${op}: pass the bounds either positionally, ${op}(min, max), or as options, ${op}({ min, max }), not both`);
    const opts = checkOptions(op === 'clamp' ? CLAMP : CLAMP_INPLACE, min);
    return [opts.min, opts.max];
  }
  for (const [name, b] of [['min', min], ['max', max]] as const)
    if (b !== undefined && b !== null && typeof b !== 'number' && !(op === 'clamp' && b instanceof Tensor))
      throw new ValueError(`${op}: ${name} must be a number${op === 'clamp' ? ', a Tensor' : ''} or null, got ${describeValue(b)}`);
  return [min as number | Tensor | null | undefined, max];
}

/** `y` with the elements beyond bound `b` (below it for 'lt', above for 'gt') replaced by `b`; a NaN bound gives NaN. */
function boundBy(y: Tensor, b: Tensor, beyond: 'lt' | 'gt'): Tensor {
  const replace = add(beyond === 'lt' ? y.lt(b) : y.gt(b), b.ne(b));
  return where(replace, b, y);
}

/** A number bound as a 0-d tensor that promotes with `x` as the number would. */
function boundTensor(b: number | Tensor): Tensor {
  return b instanceof Tensor ? b : scalarTensor(b, Number.isInteger(b) ? 'int32' : 'float32');
}

/**
 * `min(max(x, min), max)` elementwise; either bound may be omitted (null). With `min > max`
 * every element becomes `max`, and a NaN bound makes every element NaN (as PyTorch). Keeps an int32 dtype for integer bounds; a
 * fractional bound on an integer tensor gives float32. The gradient is 1 where
 * `min <= x <= max` and 0 elsewhere.
 *
 * The bounds come positionally, `clamp(x, min, max)`, or as options, `clamp(x, { min, max })`
 * (PyTorch's `x.clamp(min=0)`), where they may also be tensors broadcast against `x`; a
 * tensor bound gets the gradient where it is chosen.
 *
 * x - shape [...S]; returns [...S] (the broadcast shape with tensor bounds).
 *
 * @throws ValueError `clamp: at least one of min and max must be given (shape [3])`
 * @example
 * clamp(tensor([-2, 0.5, 3]), -1, 1).toArray(); // [-1, 0.5, 1]
 * clamp(tensor([-2, 3]), 0).toArray();           // [0, 3]
 * clamp(tensor([-2, 3]), { max: 0 }).toArray();  // [-2, 0]
 * clamp(tensor([-2, 3]), { min: tensor([-1, 4]) }).toArray(); // [-1, 4]
 * clamp(tensor([-2, 3]), NaN).toArray();         // [NaN, NaN]
 */
export function clamp(x: Tensor, min?: number | Tensor | null | ClampOptions, max?: number | Tensor | null): Tensor {
  requireTensor('clamp', 'x', x);
  const [lo, hi] = clampBounds('clamp', min, max);
  if ((lo === undefined || lo === null) && (hi === undefined || hi === null))
    throw new ValueError(`clamp: at least one of min and max must be given (shape ${fmtShape(x.shape)})`);
  if (lo instanceof Tensor || hi instanceof Tensor) {
    let y = x;
    if (lo !== undefined && lo !== null) y = boundBy(y, boundTensor(lo), 'lt');
    if (hi !== undefined && hi !== null) y = boundBy(y, boundTensor(hi), 'gt');
    return y;
  }
  let dt = x.dtype;
  if (lo !== undefined && lo !== null) dt = promoteWithScalar(dt, lo);
  if (hi !== undefined && hi !== null) dt = promoteWithScalar(dt, hi);
  const t = dt === x.dtype ? x : x.to(dt);
  return clampPrimitive(t, lo ?? -Infinity, hi ?? Infinity);
}
