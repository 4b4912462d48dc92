import { requireTensor } from './operands.js';
import { isFloating } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions, unsupported } from '../options.js';
import { Tensor } from '../tensor.js';

// Counting ops (issue 17): unique, bincount, histc. Their results are not differentiable (sets,
// counts and histograms); they read the data directly, after one sort for unique.

const UNIQUE = defineOptions('unique', {
  sorted: 'boolean',
  returnInverse: 'boolean',
  returnCounts: 'boolean',
  dim: unsupported('unique along a dim is not supported; flatten or use the default (all elements)', null),
});

/**
 * Options of {@link unique}.
 *
 * @example
 * const opts: UniqueOptions = { returnCounts: true };
 * unique(tensor([2, 1, 2]), opts).counts!.toArray(); // [1, 2]
 */
export interface UniqueOptions {
  /** Accepted for PyTorch parity: the values always come sorted ascending. */
  sorted?: boolean;
  /** Also return `inverse`: for each input element (x's shape), its position in `values`. */
  returnInverse?: boolean;
  /** Also return `counts`: how often each value occurs. */
  returnCounts?: boolean;
  /** PyTorch's `dim`: only `null`/`undefined` (the flattened tensor) is supported. */
  dim?: null;
}

/**
 * What {@link unique} returns with `returnInverse` or `returnCounts`.
 *
 * @example
 * const r: UniqueResult = unique(tensor([3, 1, 3]), { returnInverse: true });
 * r.inverse!.toArray(); // [1, 0, 1]
 */
export interface UniqueResult {
  values: Tensor;
  /** int32, x's shape (with `returnInverse`). */
  inverse?: Tensor;
  /** int32, values' shape (with `returnCounts`). */
  counts?: Tensor;
}

/**
 * The distinct elements of `x` (flattened), sorted ascending (PyTorch's `torch.unique`). With
 * `returnInverse` / `returnCounts` the result is `{ values, inverse, counts }` (PyTorch's tuple),
 * else the values tensor. NaN never equals anything, so every NaN is its own entry, at the end.
 * No gradient.
 *
 * x - any shape; values 1-D of x's dtype; inverse int32 of x's shape; counts int32 1-D.
 *
 * @throws ValueError `unique: option dim: unique along a dim is not supported; ...`
 * @example
 * unique(tensor([2, 1, 2, 3])).toArray(); // [1, 2, 3]
 * const { values, inverse, counts } = unique(tensor([[2, 1], [2, 2]]), { returnInverse: true, returnCounts: true });
 * values.toArray(); // [1, 2]
 * inverse!.toArray(); // [[1, 0], [1, 1]]
 * counts!.toArray(); // [1, 3]
 */
export function unique(x: Tensor, opts?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, opts: UniqueOptions): UniqueResult;
export function unique(x: Tensor, opts?: UniqueOptions): Tensor | UniqueResult {
  requireTensor('unique', 'x', x);
  const { returnInverse = false, returnCounts = false } = checkOptions(UNIQUE, opts);
  const flat = x.detach().reshape([-1]);
  const n = flat.numel();
  const s = K().sort(flat.nd, 0, false, 'float64');
  const sv = s.values.data;
  const si = s.indices.data;
  const vals: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const v = sv[k]!;
    if (k === 0 || v !== sv[k - 1]) {
      vals.push(v);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inverse[si[k]!] = vals.length - 1;
  }
  const values = Tensor.fromData(Float64Array.from(vals), [vals.length], 'float64').to(x.dtype);
  if (!returnInverse && !returnCounts) return values;
  const out: UniqueResult = { values };
  if (returnInverse) out.inverse = Tensor.fromData(inverse, x.shape, 'int32');
  if (returnCounts) out.counts = Tensor.fromData(Int32Array.from(counts), [counts.length], 'int32');
  return out;
}

const BINCOUNT = defineOptions('bincount', { weights: 'tensor', minlength: 'integer' });

/**
 * Counts of each value of a 1-D int32 tensor of non-negative numbers (PyTorch's
 * `torch.bincount`): `out[v]` is the number of elements equal to `v` (or, with `weights`, the
 * sum of their weights). The result has `max(x) + 1` entries, at least `minlength`. int32 counts
 * (int64 in PyTorch); with weights, the weights' dtype (float32 stays float32). No gradient.
 *
 * x - shape [N], int32 (or bool); weights - shape [N]; returns shape [max(max(x) + 1, minlength)].
 *
 * @throws ValueError `bincount: x must be non-negative, got -1 at index 2`
 * @throws DTypeError `bincount: x must be an int32 tensor, got float32 (shape [3])`
 * @example
 * bincount(tensor([1, 1, 3], { dtype: 'int32' })).toArray(); // [0, 2, 0, 1]
 * bincount(tensor([0, 2], { dtype: 'int32' }), { weights: tensor([0.5, 2]), minlength: 4 }).toArray(); // [0.5, 0, 2, 0]
 */
export function bincount(x: Tensor, opts?: { weights?: Tensor; minlength?: number }): Tensor {
  requireTensor('bincount', 'x', x);
  const { weights, minlength = 0 } = checkOptions(BINCOUNT, opts);
  if (x.dtype !== 'int32' && x.dtype !== 'bool') throw new DTypeError(`bincount: x must be an int32 tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  if (x.ndim !== 1) throw new ValueError(`bincount: x must be 1-D, got shape ${fmtShape(x.shape)}`);
  if (minlength < 0) throw new ValueError(`bincount: minlength must be non-negative, got ${minlength}`);
  if (weights !== undefined && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0]))
    throw new ValueError(`bincount: weights must have x's shape ${fmtShape(x.shape)}, got ${fmtShape(weights.shape)}`);
  const xs = Array.from(x.contiguous().data as ArrayLike<number>, Number);
  let top = -1;
  xs.forEach((v, i) => {
    if (v < 0) throw new ValueError(`bincount: x must be non-negative, got ${v} at index ${i}`);
    if (v > top) top = v;
  });
  const len = Math.max(top + 1, minlength);
  if (weights === undefined) {
    const out = new Int32Array(len);
    for (const v of xs) out[v]!++;
    return Tensor.fromData(out, [len], 'int32');
  }
  const dt = isFloating(weights.dtype) ? weights.dtype : 'float64';
  const w = weights.detach().contiguous().data;
  const acc = new Float64Array(len);
  xs.forEach((v, i) => (acc[v] += Number(w[i])));
  return Tensor.fromData(acc, [len], 'float64').to(dt);
}

const HISTC = defineOptions('histc', { bins: 'integer', min: 'number', max: 'number' });

/**
 * A histogram of `x` with `bins` equal-width bins over `[min, max]` (PyTorch's `torch.histc`).
 * With `min` = `max` (default 0 and 0) the data's own min and max are used (widened by 1 each
 * way if they are equal too). Elements outside the range and NaN are ignored; `max` itself falls
 * in the last bin. Float inputs; the result has x's dtype. No gradient.
 *
 * x - any shape, float32 or float64; returns shape [bins].
 *
 * @throws ValueError `histc: bins must be a positive integer, got 0`
 * @throws ValueError `histc: max 1 must not be less than min 2`
 * @example
 * histc(tensor([1, 2, 1]), { bins: 4, min: 0, max: 3 }).toArray(); // [0, 2, 1, 0]
 * histc(tensor([1, 2, 1]), { bins: 4 }).toArray(); // [2, 0, 0, 1]
 */
export function histc(x: Tensor, opts?: { bins?: number; min?: number; max?: number }): Tensor {
  requireTensor('histc', 'x', x);
  const { bins = 100, min = 0, max = 0 } = checkOptions(HISTC, opts);
  if (!isFloating(x.dtype)) throw new DTypeError(`histc: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  if (bins <= 0) throw new ValueError(`histc: bins must be a positive integer, got ${bins}`);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new ValueError(`histc: min and max must be finite, got ${min} and ${max}`);
  if (max < min) throw new ValueError(`histc: max ${max} must not be less than min ${min}`);
  const xs = x.detach().contiguous().data;
  let lo = min;
  let hi = max;
  if (lo === hi && xs.length > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      lo = min;
      hi = max;
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const out = new Float64Array(bins);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (!(v >= lo && v <= hi)) continue;
    out[v === hi ? bins - 1 : Math.min(bins - 1, Math.floor(((v - lo) * bins) / (hi - lo)))]!++;
  }
  return Tensor.fromData(out, [bins], 'float64').to(x.dtype);
}
