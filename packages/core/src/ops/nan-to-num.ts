import { isFloating } from '../dtype.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { scalarTensor } from './operands.js';
import { isnan, isneginf, isposinf } from './predicates.js';
import { requireTensorInput } from './unary-input.js';
import { where } from './where.js';

/**
 * Options of {@link nanToNum}; unset (or null) values take PyTorch's defaults.
 *
 * @example
 * const opts: NanToNumOptions = { nan: -1, posinf: 1e6 };
 * nanToNum(tensor([NaN, Infinity]), opts).toArray(); // [-1, 1000000]
 */
export interface NanToNumOptions {
  /** Replaces NaN (default 0). */
  nan?: number | null;
  /** Replaces +Infinity (default: the dtype's largest finite value). */
  posinf?: number | null;
  /** Replaces -Infinity (default: the dtype's lowest finite value). */
  neginf?: number | null;
}

const NAN_TO_NUM = defineOptions('nanToNum', { nan: 'number|null', posinf: 'number|null', neginf: 'number|null' });

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Replaces NaN, +Infinity and -Infinity elementwise by `nan` (0), `posinf` and `neginf` (the
 * dtype's largest and lowest finite values), as PyTorch's `nan_to_num`. A replacement beyond the
 * dtype's range becomes ±Infinity (float32). Integer and bool tensors come back unchanged (a copy).
 * The gradient passes where x is finite and is 0 where it was replaced.
 *
 * x - shape [...S]; returns [...S].
 *
 * @throws TypeError `nanToNum: expected a Tensor, got number`
 * @example
 * nanToNum(tensor([NaN, Infinity, -Infinity, 1])).toArray(); // [0, 3.4028235e38, -3.4028235e38, 1]
 */
export function nanToNum(x: Tensor, opts?: NanToNumOptions): Tensor {
  const o = checkOptions(NAN_TO_NUM, opts);
  requireTensorInput('nanToNum', x);
  if (!isFloating(x.dtype)) return x.clone();
  const max = x.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  // 0-d values of x's dtype, so that the result keeps it.
  const value = (v: number | null | undefined, fallback: number) => scalarTensor(v ?? fallback, x.dtype);
  const noNeg = where(isneginf(x), value(o.neginf, -max), x);
  const noPos = where(isposinf(x), value(o.posinf, max), noNeg);
  return where(isnan(x), value(o.nan, 0), noPos);
}
