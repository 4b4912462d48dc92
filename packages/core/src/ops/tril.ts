import { requireTensor } from './operands.js';
import { allocate, allocateUninitialized, type DType } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import type { View } from '../kernels/backend.js';
import { makeView } from '../kernels/view.js';
import { Tensor } from '../tensor.js';
import { isRowMajor } from '../kernels/view.js';

// tril and triu copy x and zero what lies outside the kept triangle, row by row (one pass, no
// mask): NaN or inf there become 0, as in PyTorch. Each is linear and self-adjoint (a 0/1 mask
// applied elementwise), so its backward rule is the same op on the gradient, which differentiates
// again.

/** Zeros, in each [M, N] matrix of the fresh row-major `v`, the elements outside the triangle. */
function zeroOutside(v: View, diagonal: number, lower: boolean): void {
  const [m, n] = v.shape.slice(-2) as [number, number];
  const data = v.data;
  for (let base = v.offset, end = v.offset + v.size; base < end; base += m * n)
    for (let i = 0; i < m; i++) {
      const row = base + i * n;
      // lower keeps j <= i + diagonal; upper keeps j >= i + diagonal
      const cut = Math.min(n, Math.max(0, i + diagonal + (lower ? 1 : 0)));
      if (lower) data.fill(0, row + cut, row + n);
      else data.fill(0, row, row + cut);
    }
}

/**
 * The triangle of a row-major `x` (any offset) in a fresh array, row by row: the kept run of
 * each row copied, the rest zeroed, each element written once (a copy then a zeroing pass
 * writes half of them twice and streams the whole through the backend's copy).
 */
function copyTriangle(x: View, dtype: DType, diagonal: number, lower: boolean): View {
  const [m, n] = x.shape.slice(-2) as [number, number];
  const src = x.data;
  const data = allocateUninitialized(dtype, x.size);
  for (let base = 0; base < x.size; base += m * n)
    for (let i = 0; i < m; i++) {
      const row = base + i * n;
      const from = x.offset + row;
      const cut = Math.min(n, Math.max(0, i + diagonal + (lower ? 1 : 0)));
      if (lower) {
        data.set(src.subarray(from, from + cut), row);
        data.fill(0, row + cut, row + n);
      } else {
        data.fill(0, row, row + cut);
        data.set(src.subarray(from + cut, from + n), row + cut);
      }
    }
  return makeView(data, x.shape);
}


function trianglePrimitive(name: 'tril' | 'triu', lower: boolean): (x: Tensor, diagonal: number) => Tensor {
  const f: (x: Tensor, diagonal: number) => Tensor = primitive(name, {
    forward: (x: Tensor, diagonal: number) => {
      if (isRowMajor(x.nd.shape, x.nd.stride))
        return { out: Tensor.fromView(copyTriangle(x.nd, x.dtype, diagonal, lower), x.dtype), ctx: diagonal };
      const v = K().unary('copy', x.nd, x.dtype);
      zeroOutside(v, diagonal, lower);
      return { out: Tensor.fromView(v, x.dtype), ctx: diagonal };
    },
    backward: (g, _saved, diagonal) => [f(g, diagonal)],
  });
  return f;
}

const trilPrimitive = trianglePrimitive('tril', true);
const triuPrimitive = trianglePrimitive('triu', false);

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  if (x.ndim < 2) throw new ValueError(`${op}: expected a tensor of at least 2 dims [..., M, N], got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new ValueError(`${op}: diagonal must be an integer, got ${diagonal}`);
  return (op === 'tril' ? trilPrimitive : triuPrimitive)(x, diagonal);
}

/**
 * The lower triangle of the last two dims of `x`: elements (i, j) with `j - i <= diagonal`,
 * zeros above (`diagonal` 0 is the main diagonal, > 0 above it, < 0 below). A copy.
 *
 * x - shape [..., M, N]; returns [..., M, N].
 *
 * @throws ValueError `tril: expected a tensor of at least 2 dims [..., M, N], got shape [3]`
 * @example
 * tril(tensor([[1, 2], [3, 4]])).toArray();     // [[1, 0], [3, 4]]
 * tril(tensor([[1, 2], [3, 4]]), -1).toArray(); // [[0, 0], [3, 0]]
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  requireTensor('tril', 'x', x);
  return triangle('tril', x, diagonal);
}

/**
 * The upper triangle of the last two dims of `x`: elements (i, j) with `j - i >= diagonal`,
 * zeros below. A copy.
 *
 * x - shape [..., M, N]; returns [..., M, N].
 *
 * @throws ValueError `triu: expected a tensor of at least 2 dims [..., M, N], got shape [3]`
 * @example
 * triu(tensor([[1, 2], [3, 4]])).toArray();    // [[1, 2], [0, 4]]
 * triu(tensor([[1, 2], [3, 4]]), 1).toArray(); // [[0, 2], [0, 0]]
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  requireTensor('triu', 'x', x);
  return triangle('triu', x, diagonal);
}

function indices(op: string, row: number, col: number, offset: number, lower: boolean): Tensor {
  for (const [name, v] of [['row', row], ['col', col]] as const)
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${v}`);
  if (!Number.isInteger(offset)) throw new ValueError(`${op}: offset must be an integer, got ${offset}`);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < row; i++)
    for (let j = 0; j < col; j++)
      if (lower ? j - i <= offset : j - i >= offset) {
        rows.push(i);
        cols.push(j);
      }
  const data = allocate('int32', 2 * rows.length);
  data.set(rows, 0);
  data.set(cols, rows.length);
  return Tensor.fromData(data, [2, rows.length], 'int32');
}

/**
 * The coordinates of the lower triangle (`j - i <= offset`) of a `row` x `col` matrix, in
 * row-major order: row 0 of the result holds the row indices, row 1 the column indices.
 *
 * Returns int32 [2, K].
 *
 * @throws ValueError `trilIndices: row must be a non-negative integer, got -1`
 * @example
 * trilIndices(3, 3).toArray(); // [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
 * trilIndices(3, 2, -1).toArray(); // [[1, 2, 2], [0, 0, 1]]
 */
export function trilIndices(row: number, col: number, offset = 0): Tensor {
  return indices('trilIndices', row, col, offset, true);
}

/**
 * The coordinates of the upper triangle (`j - i >= offset`) of a `row` x `col` matrix, in
 * row-major order: row 0 of the result holds the row indices, row 1 the column indices.
 *
 * Returns int32 [2, K].
 *
 * @throws ValueError `triuIndices: col must be a non-negative integer, got 1.5`
 * @example
 * triuIndices(3, 3).toArray();    // [[0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]]
 * triuIndices(2, 3, 1).toArray(); // [[0, 0, 1], [1, 2, 2]]
 */
export function triuIndices(row: number, col: number, offset = 0): Tensor {
  return indices('triuIndices', row, col, offset, false);
}
