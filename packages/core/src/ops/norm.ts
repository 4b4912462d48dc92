import { requireTensor } from './operands.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../dtype.js';
import { checkOptions, defineOptions } from '../options.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { svdvals } from './linalg.js';
import { amax, amin } from './max.js';
import { movedim } from './movedim.js';
import { sum } from './sum.js';
import { where } from './where.js';
import type { Dims } from './types.js';

// Vector and matrix norms (issue 17): composites of abs, pow, sum, amax/amin and where. Where a
// norm or an element is 0 the masks route around the infinite slopes, so the gradient there is
// 0 (PyTorch's subgradient) instead of NaN.

function requireFloatInput(op: string, x: Tensor): void {
  if (!isFloating(x.dtype))
    throw new DTypeError(`${op}: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
}

/** `t^e` where t > 0, 0 where t is 0, with gradient 0 there (the slope of t^e at 0 may be infinite). */
function powSafe(t: Tensor, e: number): Tensor {
  const zero = t.eq(0);
  return where(zero, 0, where(zero, 1, t).pow(e));
}

/** The vector p-norm over `dims` (sorted, normalised), as torch.linalg.vector_norm. */
function pNorm(op: string, x: Tensor, ord: number, dims: number[], keepdim: boolean): Tensor {
  if (Number.isNaN(ord)) throw new ValueError(`${op}: ord must be a number, got NaN`);
  const a = x.abs();
  if (ord === Infinity || ord === -Infinity) {
    if (dims.some((d) => (x.shape[d] ?? 1) === 0))
      throw new ValueError(`${op}: cannot compute the ${ord > 0 ? '' : '-'}inf norm of an empty slice (shape ${fmtShape(x.shape)}): max and min have no identity`);
    return (ord > 0 ? amax : amin)(a, dims, { keepdim });
  }
  if (ord === 0) return sum(x.detach().ne(0), dims, { keepdim }).to(x.dtype);
  if (ord === 1) return sum(a, dims, { keepdim });
  if (ord === 2) return powSafe(sum(x.mul(x), dims, { keepdim }), 0.5);
  return powSafe(sum(powSafe(a, ord), dims, { keepdim }), 1 / ord);
}

const VECTOR_NORM = defineOptions('vectorNorm', { ord: 'number', dim: 'integer|integer[]', keepdim: 'boolean' });
const MATRIX_NORM = defineOptions('matrixNorm', { ord: "number|'fro'|'nuc'", dim: 'integer[]', keepdim: 'boolean' });
const NORM = defineOptions('norm', { keepdim: 'boolean' });

/**
 * Options of {@link vectorNorm}.
 *
 * @example
 * const opts: VectorNormOptions = { ord: 1, dim: 1 };
 * linalg.vectorNorm(tensor([[3, -4]]), opts).toArray(); // [7]
 */
export interface VectorNormOptions {
  /** p (default 2): any number, `Infinity` (max |x|), `-Infinity` (min |x|), 0 (count of non-zeros). */
  ord?: number;
  /** Dims to reduce (default all: the tensor as one flat vector). */
  dim?: Dims;
  keepdim?: boolean;
}

/**
 * The vector p-norm `(sum |x|^p)^(1/p)` over `dim` (every dim if omitted), PyTorch's
 * `torch.linalg.vector_norm`. `ord` Infinity / -Infinity give max / min of |x|, 0 the number of
 * non-zeros.
 *
 * x - shape [...S], float32 or float64; returns S without the reduced dims (size 1 with `keepdim`).
 * Gradient: `sign(x) |x|^(p-1) / norm^(p-1)`, 0 where the norm is 0 (so the 2-norm's gradient
 * at x = 0 is 0, as PyTorch) and, for p < 1, where x is 0; ties split the gradient of the
 * inf-norms; ord 0 has gradient 0.
 *
 * @throws DTypeError `vectorNorm: expected a floating point tensor, got int32 (shape [2])`
 * @throws ValueError `vectorNorm: cannot compute the inf norm of an empty slice (shape [0]): max and min have no identity`
 * @example
 * linalg.vectorNorm(tensor([3, -4])).item(); // 5
 * linalg.vectorNorm(tensor([[3, -4], [1, 0]]), { ord: Infinity, dim: 1 }).toArray(); // [4, 1]
 */
export function vectorNorm(x: Tensor, opts?: VectorNormOptions): Tensor {
  requireTensor('vectorNorm', 'x', x);
  const { ord = 2, dim, keepdim = false } = checkOptions(VECTOR_NORM, opts);
  requireFloatInput('vectorNorm', x);
  return pNorm('vectorNorm', x, ord, normalizeDims('vectorNorm', dim, x.shape), keepdim);
}

/**
 * Options of {@link matrixNorm}.
 *
 * @example
 * const opts: MatrixNormOptions = { ord: 1 };
 * linalg.matrixNorm(tensor([[1, -2], [3, 4]]), opts).item(); // 6
 */
export interface MatrixNormOptions {
  /** `'fro'` (default), 1 / -1 (max / min absolute column sum), Infinity / -Infinity (max / min absolute row sum). */
  ord?: 'fro' | 'nuc' | number;
  /** The two matrix dims (default `[-2, -1]`). */
  dim?: [number, number];
  keepdim?: boolean;
}

/**
 * A matrix norm over two dims (PyTorch's `torch.linalg.matrix_norm`): Frobenius
 * `sqrt(sum x^2)` (default), the max/min absolute column sum (`ord` 1 / -1) or row sum
 * (Infinity / -Infinity), the largest / smallest singular value (2 / -2) or their sum (`'nuc'`).
 *
 * x - shape [..., M, N], float32 or float64; returns [...] (the two dims size 1 with `keepdim`).
 * Gradient: through the composite (Frobenius: `x / norm`, 0 where the norm is 0; the spectral
 * norms through {@link svdvals}).
 *
 * @throws ValueError `matrixNorm: ord must be 'fro', 'nuc', 2, -2, 1, -1, Infinity or -Infinity, got 3`
 * @throws ValueError `matrixNorm: expected a tensor of at least 2 dims, got shape [3]`
 * @example
 * linalg.matrixNorm(tensor([[1, -2], [3, 4]]), { ord: Infinity }).item(); // 7
 * linalg.matrixNorm(tensor([[3, 0], [0, 4]])).item(); // 5
 * linalg.matrixNorm(tensor([[3, 0], [0, 4]]), { ord: 2 }).item(); // 4
 * linalg.matrixNorm(tensor([[3, 0], [0, 4]]), { ord: 'nuc' }).item(); // 7
 */
export function matrixNorm(x: Tensor, opts?: MatrixNormOptions): Tensor {
  requireTensor('matrixNorm', 'x', x);
  const { ord = 'fro', dim = [-2, -1], keepdim = false } = checkOptions(MATRIX_NORM, opts);
  requireFloatInput('matrixNorm', x);
  if (x.ndim < 2) throw new ValueError(`matrixNorm: expected a tensor of at least 2 dims, got shape ${fmtShape(x.shape)}`);
  if (dim.length !== 2) throw new ValueError(`matrixNorm: dim must name two dims, got ${JSON.stringify(dim)}`);
  const [d0, d1] = [normalizeDim('matrixNorm', dim[0]!, x.shape), normalizeDim('matrixNorm', dim[1]!, x.shape)];
  if (d0 === d1) throw new ValueError(`matrixNorm: dim must name two different dims, got ${JSON.stringify(dim)} (shape ${fmtShape(x.shape)})`);
  const dims = [d0, d1].sort((a, b) => a - b);
  if (ord === 'fro') return pNorm('matrixNorm', x, 2, dims, keepdim);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // The spectral norms: the largest or smallest singular value, or their sum ('nuc'); the two
    // dims move to the end, where svdvals takes its matrices.
    const sv = svdvals(movedim(x, [d0, d1], [-2, -1]));
    const r = ord === 'nuc' ? sum(sv, -1) : (ord === 2 ? amax : amin)(sv, -1);
    return keepdim ? r.unsqueeze(d0).unsqueeze(d1) : r;
  }
  if (ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity)
    throw new ValueError(`matrixNorm: ord must be 'fro', 'nuc', 2, -2, 1, -1, Infinity or -Infinity, got ${ord}`);
  // Column sums (ord ±1) sum over the rows d0, then take the extreme over the columns d1.
  const [sumDim, extDim] = ord === 1 || ord === -1 ? [d0, d1] : [d1, d0];
  if (x.shape[extDim] === 0) throw new ValueError(`matrixNorm: cannot compute the ord ${ord} norm over an empty dim ${extDim} (shape ${fmtShape(x.shape)})`);
  const sums = sum(x.abs(), sumDim, { keepdim: true });
  const r = (ord > 0 ? amax : amin)(sums, extDim, { keepdim: true });
  return keepdim ? r : r.reshape(x.shape.filter((_, i) => i !== d0 && i !== d1));
}

/**
 * Options of {@link norm}.
 *
 * @example
 * const opts: NormOptions = { keepdim: true };
 * norm(tensor([[3, 4]]), 2, 1, opts).toArray(); // [[5]]
 */
export interface NormOptions {
  keepdim?: boolean;
}

/**
 * The norm of PyTorch's `torch.norm(x, p, dim, keepdim)`: with `p` a number (default `'fro'`,
 * the 2-norm), the vector p-norm over `dim` (every element if omitted), as
 * {@link vectorNorm}; `'fro'` over at most two dims is the Frobenius norm, `'nuc'` over two dims
 * the nuclear norm (the sum of the singular values, {@link matrixNorm}). Prefer `linalg.vectorNorm` / `linalg.matrixNorm`, as PyTorch does.
 *
 * x - shape [...S], float32 or float64; returns S without the reduced dims (size 1 with `keepdim`).
 *
 * @throws ValueError `norm: p 'nuc' needs two dims, got a tensor of shape [3]`
 * @example
 * norm(tensor([3, -4])).item(); // 5
 * norm(tensor([[1, -2], [3, 4]]), 1, 0).toArray(); // [4, 6]
 * norm(tensor([[1, -2], [3, 4]]), Infinity).item(); // 4
 * norm(tensor([[3, 0], [0, -4]]), 'nuc').item(); // 7
 */
export function norm(x: Tensor, p: number | 'fro' | 'nuc' = 'fro', dim?: Dims, opts?: NormOptions): Tensor {
  requireTensor('norm', 'x', x);
  const { keepdim = false } = checkOptions(NORM, opts);
  requireFloatInput('norm', x);
  const dims = normalizeDims('norm', dim, x.shape);
  if (p === 'nuc') {
    // As PyTorch: the nuclear norm of the matrices over two dims (all of a 2-D tensor by default).
    if (dims.length !== 2) throw new ValueError(`norm: p 'nuc' needs two dims, got ${dim === undefined ? `a tensor of shape ${fmtShape(x.shape)}` : JSON.stringify(dim)}`);
    return matrixNorm(x, { ord: 'nuc', dim: [dims[0]!, dims[1]!], keepdim });
  }
  if (p === 'fro') {
    if (dim !== undefined && typeof dim !== 'number' && dim.length > 2)
      throw new ValueError(`norm: p 'fro' takes at most 2 dims, got ${JSON.stringify(dim)}`);
    return pNorm('norm', x, 2, dims, keepdim);
  }
  if (typeof p !== 'number') throw new ValueError(`norm: p must be a number, 'fro' or 'nuc', got ${String(p)}`);
  return pNorm('norm', x, p, dims, keepdim);
}
