import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions, type OptionSpec } from '../options.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './add.js';
import { ne } from './compare.js';
import { matmul, outer } from './matmul.js';
import { amax } from './max.js';
import { mul } from './mul.js';
import { requireFloat, requireTensor } from './operands.js';
import { permute } from './permute.js';
import { pow } from './pow.js';
import { reshape } from './reshape.js';
import { sqrt } from './sqrt.js';
import { sum } from './sum.js';
import { where } from './where.js';

/**
 * Options of {@link addmm}, {@link addmv}, {@link addr}, {@link baddbmm} and {@link addbmm}:
 * `out = beta * input + alpha * product`.
 *
 * @example
 * const opts: AddProductOptions = { beta: 0.5, alpha: 2 };
 * addmm(ones([2, 2]), eye(2), eye(2), opts).toArray(); // [[2.5, 0.5], [0.5, 2.5]]
 */
export interface AddProductOptions {
  /** Factor of `input` (default 1). With 0, `input` is ignored: its NaN and inf do not propagate. */
  beta?: number;
  /** Factor of the product (default 1). */
  alpha?: number;
}

const ADD_SPECS: Record<string, OptionSpec> = Object.fromEntries(
  ['addmm', 'addmv', 'addr', 'baddbmm', 'addbmm'].map((op) => [op, defineOptions(op, { beta: 'number', alpha: 'number' })]),
);

function requireTensors(op: string, ...ts: unknown[]): void {
  ts.forEach((t, i) => requireTensor(op, `argument ${i}`, t));
}

function requireRank(op: string, name: string, t: Tensor, ndim: number): void {
  if (t.ndim !== ndim) throw new ShapeError(`${op}: ${name} must be ${ndim}-D, got shape ${fmtShape(t.shape)}`);
}

/** `beta * input + alpha * prod`, with `input` broadcastable to `prod`'s shape (and skipped when beta is 0). */
function scaleAdd(op: string, input: Tensor, prod: Tensor, opts: AddProductOptions | undefined): Tensor {
  const { beta = 1, alpha = 1 } = checkOptions(ADD_SPECS[op]!, opts);
  const shape = prod.shape;
  const fits =
    input.ndim <= shape.length && input.shape.every((d, i) => d === 1 || d === shape[shape.length - input.ndim + i]);
  if (!fits)
    throw new ShapeError(`${op}: input of shape ${fmtShape(input.shape)} does not broadcast to the product's shape ${fmtShape(shape)}`);
  const scaled = alpha === 1 ? prod : mul(prod, alpha);
  if (beta === 0) return scaled;
  return add(beta === 1 ? input : mul(input, beta), scaled);
}

/**
 * `beta * input + alpha * (mat1 @ mat2)`.
 *
 * input - broadcastable to [N, P]; mat1 - shape [N, M]; mat2 - shape [M, P]; returns [N, P].
 *
 * @throws ShapeError `addmm: mat1 must be 2-D, got shape [2,3,4]`
 * @throws ShapeError `addmm: input of shape [3] does not broadcast to the product's shape [2,2]`
 * @example
 * addmm(tensor([1, 2]), tensor([[1, 2], [3, 4]]), eye(2), { alpha: 2 }).toArray(); // [[3, 6], [7, 10]]
 */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts?: AddProductOptions): Tensor {
  requireTensors('addmm', input, mat1, mat2);
  requireRank('addmm', 'mat1', mat1, 2);
  requireRank('addmm', 'mat2', mat2, 2);
  return scaleAdd('addmm', input, named('addmm', mat1, mat2), opts);
}

/**
 * `beta * input + alpha * (mat @ vec)`.
 *
 * input - broadcastable to [N]; mat - shape [N, M]; vec - shape [M]; returns [N].
 *
 * @throws ShapeError `addmv: vec must be 1-D, got shape [3,1]`
 * @example
 * addmv(tensor([1, 1]), tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [4, 8]
 */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts?: AddProductOptions): Tensor {
  requireTensors('addmv', input, mat, vec);
  requireRank('addmv', 'mat', mat, 2);
  requireRank('addmv', 'vec', vec, 1);
  return scaleAdd('addmv', input, named('addmv', mat, vec), opts);
}

/**
 * `beta * input + alpha * outer(vec1, vec2)`.
 *
 * input - broadcastable to [N, M]; vec1 - shape [N]; vec2 - shape [M]; returns [N, M].
 *
 * @throws ShapeError `addr: vec1 must be 1-D, got shape [2,2]`
 * @example
 * addr(zeros([2, 2]), tensor([1, 2]), tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
 */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, opts?: AddProductOptions): Tensor {
  requireTensors('addr', input, vec1, vec2);
  requireRank('addr', 'vec1', vec1, 1);
  requireRank('addr', 'vec2', vec2, 1);
  return scaleAdd('addr', input, outer(vec1, vec2), opts);
}

/**
 * `beta * input + alpha * (batch1 @ batch2)`, one product per batch entry.
 *
 * input - broadcastable to [B, N, P]; batch1 - shape [B, N, M]; batch2 - shape [B, M, P]; returns [B, N, P].
 *
 * @throws ShapeError `baddbmm: batch1 must be 3-D, got shape [2,3]`
 * @example
 * baddbmm(ones([1, 2]), ones([3, 2, 4]), ones([3, 4, 2])).shape; // [3, 2, 2]
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts?: AddProductOptions): Tensor {
  requireTensors('baddbmm', input, batch1, batch2);
  requireRank('baddbmm', 'batch1', batch1, 3);
  requireRank('baddbmm', 'batch2', batch2, 3);
  if (batch1.shape[0] !== batch2.shape[0])
    throw new ShapeError(`baddbmm: batch sizes differ, shapes ${fmtShape(batch1.shape)} and ${fmtShape(batch2.shape)}`);
  return scaleAdd('baddbmm', input, named('baddbmm', batch1, batch2), opts);
}

/**
 * `beta * input + alpha * sum_b (batch1[b] @ batch2[b])`, computed as one product
 * `[N, B*M] @ [B*M, P]`.
 *
 * input - broadcastable to [N, P]; batch1 - shape [B, N, M]; batch2 - shape [B, M, P]; returns [N, P].
 *
 * @throws ShapeError `addbmm: batch sizes differ, shapes [2,3,4] and [3,4,5]`
 * @example
 * addbmm(zeros([2, 2]), ones([3, 2, 4]), ones([3, 4, 2])).toArray(); // [[12, 12], [12, 12]]
 */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts?: AddProductOptions): Tensor {
  requireTensors('addbmm', input, batch1, batch2);
  requireRank('addbmm', 'batch1', batch1, 3);
  requireRank('addbmm', 'batch2', batch2, 3);
  const [b, n, m] = batch1.shape as [number, number, number];
  const [b2, m2, p] = batch2.shape as [number, number, number];
  if (b !== b2) throw new ShapeError(`addbmm: batch sizes differ, shapes ${fmtShape(batch1.shape)} and ${fmtShape(batch2.shape)}`);
  if (m !== m2)
    throw new ShapeError(`addbmm: shapes ${fmtShape(batch1.shape)} and ${fmtShape(batch2.shape)} are not aligned (${m} != ${m2})`);
  const prod = matmul(reshape(permute(batch1, [1, 0, 2]), [n, b * m]), reshape(batch2, [b * m, p]));
  return scaleAdd('addbmm', input, prod, opts);
}

/** matmul, with its shape errors under the caller's name. */
function named(op: string, a: Tensor, b: Tensor): Tensor {
  const k = a.shape[a.ndim - 1]!;
  const kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2]!;
  if (k !== kb) throw new ShapeError(`${op}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${k} != ${kb})`);
  return matmul(a, b);
}

/**
 * Matrix-vector product `mat @ vec`.
 *
 * mat - shape [N, M]; vec - shape [M]; returns [N].
 *
 * @throws ShapeError `mv: mat must be 2-D, got shape [3]`
 * @throws ShapeError `mv: shapes [2,3] and [4] are not aligned (3 != 4)`
 * @example
 * mv(tensor([[1, 2], [3, 4]]), tensor([1, -1])).toArray(); // [-1, -1]
 */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  requireTensors('mv', mat, vec);
  requireRank('mv', 'mat', mat, 2);
  requireRank('mv', 'vec', vec, 1);
  return named('mv', mat, vec);
}

/**
 * Dot product `sum_i a_i b_i` of two 1-D tensors (for real tensors the same as {@link dot}: nothing to conjugate).
 *
 * @throws ShapeError `vdot: expected two 1-D tensors, got shapes [2,3] and [3]`
 * @example
 * vdot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 */
export function vdot(a: Tensor, b: Tensor): Tensor {
  requireTensors('vdot', a, b);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ShapeError(`vdot: expected two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0])
    throw new ShapeError(`vdot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} have different lengths (${a.shape[0]} != ${b.shape[0]})`);
  return matmul(a, b);
}

/**
 * Outer product, PyTorch's older name for {@link outer}.
 *
 * a - shape [N], b - shape [M]; returns [N, M].
 *
 * @throws ShapeError `outer: expected two 1-D tensors, got shapes [2,3] and [3]`
 * @example
 * ger(tensor([1, 2]), tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
 */
export function ger(a: Tensor, b: Tensor): Tensor {
  return outer(a, b);
}

/**
 * Inner product over the last dims: `out[i..., j...] = sum_k a[i..., k] b[j..., k]`; a 0-d
 * operand multiplies instead.
 *
 * a - shape [...A, K], b - shape [...B, K]; returns [...A, ...B].
 *
 * @throws ShapeError `inner: the last dims of shapes [2,3] and [4] differ (3 != 4)`
 * @example
 * inner(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [3, 7]
 * inner(tensor([1, 2]), tensor([3, 4])).item(); // 11
 */
export function inner(a: Tensor, b: Tensor): Tensor {
  requireTensors('inner', a, b);
  if (a.ndim === 0 || b.ndim === 0) return mul(a, b);
  const k = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 1] !== k)
    throw new ShapeError(`inner: the last dims of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} differ (${k} != ${b.shape[b.ndim - 1]})`);
  const as = a.shape.slice(0, -1);
  const bs = b.shape.slice(0, -1);
  const rows = (s: number[]) => s.reduce((p, x) => p * x, 1);
  const prod = matmul(reshape(a, [rows(as), k]), reshape(b, [rows(bs), k]).mT);
  return reshape(prod, [...as, ...bs]);
}

/**
 * Contracts `dims` of `a` with `dims` of `b`: a number n pairs the last n dims of `a` with the
 * first n of `b`; a pair of lists names the dims (`[[1, 0], [0, 1]]`, negative counts from the end).
 *
 * a - shape [...FA, ...K], b - shape [...K, ...FB]; returns [...FA, ...FB] (free dims in order).
 *
 * @throws ShapeError `tensordot: contracted dims have sizes 3 in a (shape [2,3]) and 4 in b (shape [4,5])`
 * @throws ValueError `tensordot: dims must be a non-negative integer or two lists of the same length, got [[0],[]]`
 * @example
 * tensordot(ones([2, 3, 4]), ones([3, 4, 5])).shape; // [2, 5]
 * (tensordot(ones([3, 2]), ones([3, 5]), [[0], [0]]).toArray() as number[][])[0]; // [3, 3, 3, 3, 3]
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[] | number, readonly number[] | number] = 2): Tensor {
  requireTensors('tensordot', a, b);
  let da: number[];
  let db: number[];
  if (typeof dims === 'number') {
    if (!Number.isInteger(dims) || dims < 0 || dims > a.ndim || dims > b.ndim)
      throw new ValueError(`tensordot: dims ${dims} must be an integer in [0, ${Math.min(a.ndim, b.ndim)}] for shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    da = Array.from({ length: dims }, (_, i) => a.ndim - dims + i);
    db = Array.from({ length: dims }, (_, i) => i);
  } else {
    const [ra, rb] = dims.map((d) => (typeof d === 'number' ? [d] : [...d]));
    if (!ra || !rb || ra.length !== rb.length)
      throw new ValueError(`tensordot: dims must be a non-negative integer or two lists of the same length, got ${JSON.stringify(dims)}`);
    da = ra.map((d) => normalizeDim('tensordot', d, a.shape));
    db = rb.map((d) => normalizeDim('tensordot', d, b.shape));
  }
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]!])
      throw new ShapeError(
        `tensordot: contracted dims have sizes ${a.shape[d]} in a (shape ${fmtShape(a.shape)}) and ${b.shape[db[i]!]} in b (shape ${fmtShape(b.shape)})`,
      );
  });
  const freeA = a.shape.flatMap((_, d) => (da.includes(d) ? [] : [d]));
  const freeB = b.shape.flatMap((_, d) => (db.includes(d) ? [] : [d]));
  const size = (t: Tensor, ds: number[]) => ds.reduce((p, d) => p * t.shape[d]!, 1);
  const k = size(a, da);
  const ma = reshape(permute(a, [...freeA, ...da]), [size(a, freeA), k]);
  const mb = reshape(permute(b, [...db, ...freeB]), [k, size(b, freeB)]);
  return reshape(matmul(ma, mb), [...freeA.map((d) => a.shape[d]!), ...freeB.map((d) => b.shape[d]!)]);
}

/**
 * Kronecker product: `out[i * B + j] = a[i] * b[j]` in every dim (the shorter shape is padded
 * with leading 1s).
 *
 * a - shape [A0, A1, ...], b - shape [B0, B1, ...]; returns [A0*B0, A1*B1, ...].
 *
 * @example
 * kron(eye(2), tensor([[1, 2], [3, 4]])).toArray(); // [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 1, 2], [0, 0, 3, 4]]
 * kron(tensor([1, 2]), tensor([1, 10])).toArray(); // [1, 10, 2, 20]
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  requireTensors('kron', a, b);
  const n = Math.max(a.ndim, b.ndim);
  const sa = [...Array<number>(n - a.ndim).fill(1), ...a.shape];
  const sb = [...Array<number>(n - b.ndim).fill(1), ...b.shape];
  const prod = mul(reshape(a, sa.flatMap((d) => [d, 1])), reshape(b, sb.flatMap((d) => [1, d])));
  return reshape(prod, sa.map((d, i) => d * sb[i]!));
}

/** `sqrt(s)` for `s >= 0` whose gradient is 0 (not inf) where `s == 0`, as PyTorch's cdist backward. */
function safeRoot(s: Tensor, p: number): Tensor {
  const pos = s.gt(0);
  const safe = where(pos, s, 1);
  return where(pos, p === 2 ? sqrt(safe) : pow(safe, 1 / p), 0);
}

const CDIST = defineOptions('cdist', { p: 'number' });

/**
 * Distances `out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p` between two sets of row vectors
 * (batch dims broadcast).
 *
 * p = 2 uses the differences when both sets have at most 25 rows, else the expanded form
 * `|x|^2 + |y|^2 - 2 x.y` (one matmul, clamped at 0), as PyTorch's default. Where a distance is 0
 * its gradient is 0, as PyTorch's. p = 0 counts differing coordinates, p = inf takes the largest.
 *
 * x1 - shape [..., P, M]; x2 - shape [..., R, M]; returns [..., P, R].
 *
 * @throws ShapeError `cdist: x1 and x2 must have the same number of columns, got shapes [2,3] and [4,5]`
 * @throws ValueError `cdist: p must be non-negative, got -1`
 * @example
 * cdist(tensor([[0, 0], [1, 1]]), tensor([[3, 4]])).toArray(); // [[5], [3.6055512]]
 * cdist(tensor([[0, 0]]), tensor([[3, 4]]), { p: 1 }).item(); // 7
 */
export function cdist(x1: Tensor, x2: Tensor, opts?: { p?: number }): Tensor {
  const { p = 2 } = checkOptions(CDIST, opts);
  requireTensors('cdist', x1, x2);
  if (x1.ndim < 2 || x2.ndim < 2)
    throw new ShapeError(`cdist: x1 and x2 must have at least 2 dims, got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1])
    throw new ShapeError(`cdist: x1 and x2 must have the same number of columns, got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  if (!(p >= 0)) throw new ValueError(`cdist: p must be non-negative, got ${p}`);
  requireFloat('cdist', x1);
  requireFloat('cdist', x2);
  const rows1 = x1.shape[x1.ndim - 2]!;
  const rows2 = x2.shape[x2.ndim - 2]!;
  if (p === 2 && (rows1 > 25 || rows2 > 25)) {
    const n1 = sum(x1.square(), -1, { keepdim: true });
    const n2 = sum(x2.square(), -1, { keepdim: true });
    const s = add(add(n1, n2.mT), matmul(x1, x2.mT), { alpha: -2 }).clamp(0);
    return safeRoot(s, 2);
  }
  const diff = x1.unsqueeze(-2).sub(x2.unsqueeze(-3));
  if (p === 0) return sum(ne(diff, 0).to(diff.dtype), -1);
  const ad = diff.abs();
  if (p === 1) return sum(ad, -1);
  if (p === Infinity) return amax(ad, -1);
  if (p === 2) return safeRoot(sum(diff.square(), -1), 2);
  // |d|^p with a zero (not inf or NaN) gradient at d = 0 for p < 1, as PyTorch's.
  const nz = ad.gt(0);
  return safeRoot(sum(where(nz, pow(where(nz, ad, 1), p), 0), -1), p);
}

const VECDOT = defineOptions('vecdot', { dim: 'integer' });

/**
 * Dot products along one dim: `sum(x * y, dim)`, the operands broadcast (real tensors: no conjugate).
 *
 * x, y - broadcastable shapes (along `dim`, default -1, too); returns the broadcast shape without `dim`.
 *
 * @throws ShapeError `vecdot: sizes along dim -1 do not broadcast, shapes [2,3] and [4]`
 * @example
 * vecdot(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [3, 7]
 */
export function vecdot(x: Tensor, y: Tensor, opts?: { dim?: number }): Tensor {
  const { dim = -1 } = checkOptions(VECDOT, opts);
  requireTensors('vecdot', x, y);
  const n = Math.max(x.ndim, y.ndim);
  const d = normalizeDim('vecdot', dim, Array<number>(n).fill(1));
  const sx = x.shape[d - (n - x.ndim)];
  const sy = y.shape[d - (n - y.ndim)];
  if (sx === undefined || sy === undefined || (sx !== sy && sx !== 1 && sy !== 1))
    throw new ShapeError(`vecdot: sizes along dim ${dim} do not broadcast, shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  return sum(mul(x, y), d);
}
