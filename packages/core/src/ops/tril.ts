import { requireTensor } from './operands.js';
import { allocate } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { maskedFill } from './where.js';

// tril and triu are where(mask, x, 0) with the mask built once: they differentiate through
// `where`, and NaN or inf outside the kept triangle become 0, as in PyTorch.

/** Bool [M, N]: true where element (i, j) lies outside the kept triangle (`lower`: j - i > k). */
function outsideMask(m: number, n: number, k: number, lower: boolean): Tensor {
  const data = allocate('bool', m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) data[i * n + j] = (lower ? j - i > k : j - i < k) ? 1 : 0;
  return Tensor.fromData(data, [m, n], 'bool');
}

function triangle(op: string, x: Tensor, diagonal: number, lower: boolean): Tensor {
  if (x.ndim < 2) throw new ValueError(`${op}: expected a tensor of at least 2 dims [..., M, N], got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new ValueError(`${op}: diagonal must be an integer, got ${diagonal}`);
  const [m, n] = x.shape.slice(-2) as [number, number];
  return maskedFill(x, outsideMask(m, n, diagonal, lower), 0);
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
  return triangle('tril', x, diagonal, true);
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
  return triangle('triu', x, diagonal, false);
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
