import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { eye } from '../creation.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { isFloating, type DType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkOptions, defineOptions } from '../options.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { pickAlong } from './sort.js';
import { where } from './where.js';

// Scans along one dim (issue 17): cumsum, cumprod, cummax, cummin, logcumsumexp. The forward
// runs the backend's O(n) scan kernels; the backward rules are scans too (reversed), so every
// gradient is itself differentiable.

const CUMSUM = defineOptions('cumsum', { dtype: "'float32'|'float64'|'int32'|'bool'" });
const CUMPROD = defineOptions('cumprod', { dtype: "'float32'|'float64'|'int32'|'bool'" });

/**
 * Options of {@link cumsum} and {@link cumprod}.
 *
 * @example
 * const opts: CumulativeOptions = { dtype: 'float64' };
 * cumsum(tensor([1, 2, 3]), 0, opts).dtype; // 'float64'
 */
export interface CumulativeOptions {
  /** Cast the input to this dtype first (PyTorch's `dtype=`). */
  dtype?: DType;
}

interface ScanCtx {
  dim: number;
  reverse: boolean;
}

/** The dim of a scan: a 0-d tensor is scanned as one element. */
function scanDim(op: string, x: Tensor, dim: number): number {
  if (typeof dim !== 'number') throw new ValueError(`${op}: dim is required (an integer), got ${String(dim)}`);
  return normalizeDim(op, dim, x.shape);
}

/** cumsum along `dim`, forwards or from the end (`reverse`): each is the other's adjoint. @internal */
const cumsumPrimitive: (x: Tensor, dim: number, reverse: boolean) => Tensor = primitive('cumsum', {
  forward: (x: Tensor, dim: number, reverse: boolean) => ({
    out: Tensor.fromView(K().scan('sum', x.nd, dim, reverse, x.dtype), x.dtype),
    ctx: { dim, reverse } as ScanCtx,
  }),
  // out_k = sum_{j<=k} x_j: x_j receives the sum of g_k over k >= j, a reversed cumsum.
  backward: (g, _s, { dim, reverse }) => [cumsumPrimitive(g, dim, !reverse)],
});

/**
 * The scan of an integer or bool tensor, exactly: the kernel accumulates in float64 (exact for
 * every partial result inside int32's range), then the result is checked and stored as int32.
 */
function intScan(op: 'cumsum' | 'cumprod', x: Tensor, dim: number): Tensor {
  const r = K().scan(op === 'cumsum' ? 'sum' : 'prod', x.nd, dim, false, 'float64');
  const out = new Int32Array(r.size);
  const d = r.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v > 2147483647 || v < -2147483648)
      throw new ValueError(
        `${op}: the int32 result ${v} overflows int32 (input shape ${fmtShape(x.shape)}); convert first, e.g. x.double().${op}(${dim})`,
      );
    out[i] = v;
  }
  return Tensor.fromData(out, x.shape, 'int32');
}

/**
 * Cumulative sum along `dim`: `out[..., k, ...] = x[..., 0, ...] + ... + x[..., k, ...]`
 * (PyTorch's `torch.cumsum`).
 *
 * x - shape [...S]; returns shape [...S]. Float inputs keep their dtype; int32 and bool inputs
 * sum exactly to int32 (PyTorch gives int64, which tapegrad does not have): a partial sum outside
 * int32's range throws rather than wrap around. `dtype` casts the input first.
 *
 * Gradient: the reversed cumulative sum of the upstream gradient (itself differentiable).
 *
 * @throws ValueError `cumsum: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @throws ValueError `cumsum: the int32 result 3000000000 overflows int32 (input shape [2]); convert first, e.g. x.double().cumsum(0)`
 * @example
 * cumsum(tensor([1, 2, 3, 4]), 0).toArray(); // [1, 3, 6, 10]
 * cumsum(tensor([[1, 2], [3, 4]]), -1).toArray(); // [[1, 3], [3, 7]]
 * cumsum(tensor([true, true, false]), 0).dtype; // 'int32'
 */
export function cumsum(x: Tensor, dim: number, opts?: CumulativeOptions): Tensor {
  requireTensor('cumsum', 'x', x);
  const { dtype } = checkOptions(CUMSUM, opts);
  const d = scanDim('cumsum', x, dim);
  const xs = dtype !== undefined && dtype !== x.dtype ? x.to(dtype) : x;
  if (!isFloating(xs.dtype)) return intScan('cumsum', xs, d);
  return cumsumPrimitive(xs, d, false);
}

const cumprodPrimitive: (x: Tensor, dim: number) => Tensor = primitive('cumprod', {
  forward: (x: Tensor, dim: number) => {
    const out = Tensor.fromView(K().scan('prod', x.nd, dim, false, x.dtype), x.dtype);
    return { out, saved: [x, out], ctx: dim };
  },
  // d out_k / d x_i = prod_{j<=k, j!=i} x_j for k >= i. Without zeros that is out_k / x_i, so
  // grad_i = revcumsum(g out)_i / x_i. With zeros the division is replaced per line by what it
  // means: before the first zero the formula holds as is; after it every term contains that
  // zero, so the gradient is 0; at the first zero z, grad_z = sum_{k>=z} g_k prod_{j<=k, j!=z} x_j,
  // which is revcumsum(g cumprod(y))_z for y = x with that zero replaced by 1. All scans and
  // masks (constants), so second derivatives come out exact as well.
  backward: (g, [x, out], dim) => {
    const revcumsum = (t: Tensor) => cumsumPrimitive(t, dim, true);
    const isZero = x!.eq(0);
    if (!isZero.data.some((v) => v !== 0)) return [revcumsum(g.mul(out!)).div(x!)];
    const n = x!.ndim === 0 ? 1 : x!.shape[dim]!;
    // Recording a second derivative: the masks below are exact in value but treat the zero
    // gradient after a line's first zero as a constant, whose derivative with respect to that
    // zero is not. The explicit form is exact to every order, at n^2 cost per line.
    if (isGradEnabled() && x!.numel() * n <= EXPLICIT_LIMIT) return [explicitCumprodGrad(g, x!, dim)];
    const zerosSoFar = cumsum(isZero, dim); // int32
    const before = zerosSoFar.eq(0); // strictly before the first zero (x nonzero there)
    const first = zerosSoFar.add(isZero.int()).eq(2); // the zero that makes the count 1
    const atFirst = revcumsum(g.mul(cumprodPrimitive(where(first, 1, x!), dim)));
    const beforeFirst = revcumsum(g.mul(out!)).div(where(before, x!, 1));
    return [where(before, beforeFirst, where(first, atFirst, 0))];
  },
});

/**
 * The explicit form's size (elements times line length, n^2 per line) up to which cumprod gets
 * exact second derivatives through zeros; beyond it they treat the zero gradients after a
 * line's first zero as constants.
 */
const EXPLICIT_LIMIT = 1 << 24;

/**
 * cumprod's gradient in the explicit form `grad_i = sum_{k>=i} g_k prod_{j<=k, j!=i} x_j`: each
 * line is laid out n times with the diagonal set to 1 and scanned, then the terms k >= i summed.
 */
function explicitCumprodGrad(g: Tensor, x: Tensor, dim: number): Tensor {
  const last = Math.max(x.ndim - 1, 0);
  const xm = x.ndim === 0 ? x.reshape([1]) : x.transpose(dim, last);
  const gm = g.ndim === 0 ? g.reshape([1]) : g.transpose(dim, last);
  const n = xm.shape[xm.ndim - 1]!;
  const lead = xm.shape.slice(0, -1);
  const rows = xm.unsqueeze(-2).expand([...lead, n, n]); // [..., i, j] = x_j
  const others = cumprodPrimitive(where(eye(n, n, { dtype: 'bool' }), 1, rows), xm.ndim); // [..., i, k]
  const upper = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let k = i; k < n; k++) upper[i * n + k] = 1;
  const terms = where(Tensor.fromData(upper, [n, n], 'bool'), gm.unsqueeze(-2).mul(others), 0);
  const grad = terms.sum(-1);
  return x.ndim === 0 ? grad.reshape([]) : grad.transpose(dim, last);
}

/**
 * Cumulative product along `dim`: `out[..., k, ...] = x[..., 0, ...] * ... * x[..., k, ...]`
 * (PyTorch's `torch.cumprod`).
 *
 * x - shape [...S]; returns shape [...S]. Float inputs keep their dtype; int32 and bool inputs
 * multiply exactly to int32 (PyTorch: int64), throwing when a partial product leaves int32's
 * range. `dtype` casts the input first.
 *
 * Gradient: `d out_k / d x_i = prod_{j<=k, j!=i} x_j`, computed without dividing by zero: exact
 * when the input holds zeros (the first zero of a line gets the products of the others, the
 * elements after it 0). Twice differentiable; through zeros exactly while the input's size
 * times the line length stays within 2^24 (the second derivative then lays each line out n
 * times), beyond that the second derivative misses the terms through a line's first zero.
 *
 * @throws ValueError `cumprod: dim 1 is out of range for a tensor of 1 dims (shape [3])`
 * @throws ValueError `cumprod: the int32 result 4294967296 overflows int32 (input shape [3]); convert first, e.g. x.double().cumprod(0)`
 * @example
 * cumprod(tensor([1, 2, 3, 4]), 0).toArray(); // [1, 2, 6, 24]
 * const x = tensor([2, 0, 3], { requiresGrad: true });
 * cumprod(x, 0).sum().backward();
 * x.grad!.toArray(); // [1, 8, 0]
 */
export function cumprod(x: Tensor, dim: number, opts?: CumulativeOptions): Tensor {
  requireTensor('cumprod', 'x', x);
  const { dtype } = checkOptions(CUMPROD, opts);
  const d = scanDim('cumprod', x, dim);
  const xs = dtype !== undefined && dtype !== x.dtype ? x.to(dtype) : x;
  if (!isFloating(xs.dtype)) return intScan('cumprod', xs, d);
  return cumprodPrimitive(xs, d);
}

function cumExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): { values: Tensor; indices: Tensor } {
  requireTensor(op, 'x', x);
  const d = scanDim(op, x, dim);
  const k = K().cumExtreme(op === 'cummax' ? 'max' : 'min', x.nd, d, x.dtype);
  const values = Tensor.fromView(k.values, x.dtype);
  const indices = Tensor.fromView(k.indices, 'int32');
  // Each value is the input element at its index: gather's rule sends the gradient there.
  return { values: pickAlong(x, d, indices, values), indices };
}

/**
 * Running maximum along `dim` and where it was reached: `values[..., k, ...] = max(x[..., 0..k, ...])`
 * (PyTorch's `torch.cummax`). On ties the index moves to the later element; a NaN, once seen,
 * is the running maximum from there on (with its own index), as in PyTorch.
 *
 * x - shape [...S]; returns `values` (x's dtype) and `indices` (int32), both shape [...S].
 * Gradient: each output's gradient goes to the element at its index (accumulating).
 *
 * @throws ValueError `cummax: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const { values, indices } = cummax(tensor([1, 3, 2, 3, 5]), 0);
 * values.toArray(); // [1, 3, 3, 3, 5]
 * indices.toArray(); // [0, 1, 1, 3, 4]
 */
export function cummax(x: Tensor, dim: number): { values: Tensor; indices: Tensor } {
  return cumExtreme('cummax', x, dim);
}

/**
 * Running minimum along `dim` and where it was reached (PyTorch's `torch.cummin`); mirrors
 * {@link cummax} in ties (the later index), NaN and gradients.
 *
 * @throws ValueError `cummin: dim 1 is out of range for a tensor of 1 dims (shape [4])`
 * @example
 * const { values, indices } = cummin(tensor([3, 1, 2, 1]), 0);
 * values.toArray(); // [3, 1, 1, 1]
 * indices.toArray(); // [0, 1, 1, 3]
 */
export function cummin(x: Tensor, dim: number): { values: Tensor; indices: Tensor } {
  return cumExtreme('cummin', x, dim);
}

/** The most negative finite value of a float dtype: PyTorch's stand-in for log(0) in the rule below. */
function lowest(dt: DType): number {
  return dt === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;
}

const logcumsumexpPrimitive: (x: Tensor, dim: number, reverse: boolean) => Tensor = primitive('logcumsumexp', {
  forward: (x: Tensor, dim: number, reverse: boolean) => {
    const out = Tensor.fromView(K().scan('logsumexp', x.nd, dim, reverse, x.dtype), x.dtype);
    return { out, saved: [x, out], ctx: { dim, reverse } as ScanCtx };
  },
  // grad_i = sum_{k>=i} g_k exp(x_i - out_k). Summed directly, exp(-out_k) overflows, so (as
  // PyTorch does) the positive and negative parts of g go through a reversed logcumsumexp:
  // grad = exp(x + rlcse(log g+ - out)) - exp(x + rlcse(log g- - out)), with the lowest finite
  // value standing for log 0. Differentiable again (where g is non-zero).
  backward: (g, [x, out], { dim, reverse }) => {
    const low = lowest(g.dtype);
    const logAbs = where(g.eq(0), 1, g.abs()).log();
    const part = (mask: Tensor) => {
      const lg = where(mask, logAbs, low).sub(out!);
      return logcumsumexpPrimitive(lg, dim, !reverse).add(x!).exp();
    };
    return [part(g.gt(0)).sub(part(g.lt(0)))];
  },
});

/**
 * `log(cumsum(exp(x)))` along `dim`, computed stably (each step `m + log1p(exp(-|a - b|))`), so
 * large inputs do not overflow and -inf inputs are neutral (PyTorch's `torch.logcumsumexp`).
 *
 * x - shape [...S], float32 or float64; returns shape [...S].
 * Gradient: `grad_i = sum_{k>=i} g_k exp(x_i - out_k)` (softmax weights of each prefix), in the
 * same overflow-free form as PyTorch.
 *
 * @throws DTypeError `logcumsumexp: expected a floating point tensor, got int32 (shape [3])`
 * @throws ValueError `logcumsumexp: dim 1 is out of range for a tensor of 1 dims (shape [3])`
 * @example
 * logcumsumexp(tensor([0, 0, 1000]), 0).toArray(); // [0, 0.6931472, 1000]
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  requireTensor('logcumsumexp', 'x', x);
  const d = scanDim('logcumsumexp', x, dim);
  if (!isFloating(x.dtype))
    throw new DTypeError(`logcumsumexp: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  return logcumsumexpPrimitive(x, d, false);
}
