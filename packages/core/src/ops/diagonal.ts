import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkRank, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { clone } from './clone.js';
import { flatten } from './flatten.js';

/** The diagonal `offset` of the (d1, d2) planes of a tensor of shape `inShape`. */
interface Diag {
  inShape: number[];
  offset: number;
  d1: number;
  d2: number;
}

/** The diagonal of `t` as a storage-sharing view: dims d1 and d2 removed, the diagonal last with stride s1 + s2. */
function diagonalOf(t: Tensor, c: Diag): Tensor {
  const { shape, stride } = t.nd;
  const m = shape[c.d1]!;
  const n = shape[c.d2]!;
  const len = Math.max(c.offset >= 0 ? Math.min(m, n - c.offset) : Math.min(m + c.offset, n), 0);
  let offset = t.nd.offset;
  if (len > 0) offset += c.offset >= 0 ? c.offset * stride[c.d2]! : -c.offset * stride[c.d1]!;
  const keep = (_: number, i: number) => i !== c.d1 && i !== c.d2;
  return new Tensor(
    t.storage,
    [...shape.filter(keep), len],
    [...stride.filter(keep), stride[c.d1]! + stride[c.d2]!],
    offset,
  );
}

const diagonalPrimitive: (x: Tensor, c: Diag) => Tensor = primitive('diagonal', {
  forward: (x: Tensor, c: Diag) => ({ out: diagonalOf(x, c), ctx: c }),
  // Elements off the diagonal get no gradient: write g onto the diagonal of zeros of x's shape.
  backward: (g, _s, c) => [diagonalBackward(g, c)],
});

// The adjoint of taking a diagonal (diagEmbed); being linear, its own backward takes the diagonal again.
const diagonalBackward: (g: Tensor, c: Diag) => Tensor = primitive('diagonalBackward', {
  forward: (g: Tensor, c: Diag) => {
    const out = zeros(c.inShape, { dtype: g.dtype });
    K().assign(diagonalOf(out, c).nd, g.nd);
    return { out, ctx: c };
  },
  backward: (gg, _s, c) => [diagonalPrimitive(gg, c)],
});

function checkOffset(op: string, offset: number): void {
  if (!Number.isInteger(offset)) throw new ValueError(`${op}: offset must be an integer, got ${offset}`);
}

/**
 * The diagonal `offset` of the planes spanned by `dim1` and `dim2` (a view sharing storage):
 * elements `x[..., i, ..., i + offset, ...]`, appended as the last dim. `offset` > 0 is above
 * the main diagonal, < 0 below.
 *
 * x - shape [A, M, N] with dims 1, 2; returns [A, L] with L = max(min(M, N - offset), 0) for
 * offset >= 0, max(min(M + offset, N), 0) below.
 *
 * @throws ValueError `diagonal: dim1 and dim2 are the same dim 1 (shape [2,3])`
 * @example
 * const x = arange(9).reshape([3, 3]);
 * diagonal(x).toArray();     // [0, 4, 8]
 * diagonal(x, 1).toArray();  // [1, 5]
 * diagonal(x, -2).toArray(); // [6]
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  requireTensor('diagonal', 'x', x);
  checkOffset('diagonal', offset);
  if (x.ndim < 2) throw new ValueError(`diagonal: expected a tensor of at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const d1 = normalizeDim('diagonal', dim1, x.shape);
  const d2 = normalizeDim('diagonal', dim2, x.shape);
  if (d1 === d2) throw new ValueError(`diagonal: dim1 and dim2 are the same dim ${d1} (shape ${fmtShape(x.shape)})`);
  return diagonalPrimitive(x, { inShape: x.shape, offset, d1, d2 });
}

/**
 * Tensors of shape [..., N] as diagonals: the last dim of `x` is written on diagonal `offset`
 * of new dims `dim1` and `dim2` (of the result) of size N + |offset|, zeros elsewhere. The
 * inverse of {@link diagonal}: `diagonal(diagEmbed(x, k, d1, d2), k, d1, d2)` is `x`.
 *
 * x - shape [B, N]; returns [B, N + |offset|, N + |offset|] with the default dims -2, -1.
 *
 * @throws ValueError `diagEmbed: dim1 and dim2 are the same dim 1 (result of 3 dims)`
 * @example
 * diagEmbed(tensor([[1, 2], [3, 4]])).toArray(); // [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
 * diagEmbed(tensor([1, 2]), 1).toArray(); // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  requireTensor('diagEmbed', 'x', x);
  checkOffset('diagEmbed', offset);
  if (x.ndim < 1) throw new ValueError('diagEmbed: expected a tensor of at least 1 dim, got shape []');
  const rank = x.ndim + 1;
  const placeholder = new Array<number>(rank).fill(1);
  const d1 = normalizeDim('diagEmbed', dim1, placeholder);
  const d2 = normalizeDim('diagEmbed', dim2, placeholder);
  if (d1 === d2) throw new ValueError(`diagEmbed: dim1 and dim2 are the same dim ${d1} (result of ${rank} dims)`);
  const shape = x.shape;
  const size = shape.pop()! + Math.abs(offset);
  const out: number[] = [];
  for (let i = 0, k = 0; i < rank; i++) out.push(i === d1 || i === d2 ? size : shape[k++]!);
  checkRank('diagEmbed', out);
  return diagonalBackward(x, { inShape: out, offset, d1, d2 });
}

/**
 * A 1-D `x` as the diagonal `offset` of a square matrix (size N + |offset|), or the diagonal
 * `offset` of a 2-D `x` as a 1-D tensor. A copy either way.
 *
 * x - shape [N] (returns [N + |offset|, N + |offset|]) or [M, N] (returns its diagonal).
 *
 * @throws ValueError `diag: expected a 1-D or 2-D tensor, got shape [2,2,2]`
 * @example
 * diag(tensor([1, 2])).toArray();                  // [[1, 0], [0, 2]]
 * diag(tensor([[1, 2], [3, 4]])).toArray();        // [1, 4]
 * diag(tensor([[1, 2, 3], [4, 5, 6]]), 1).toArray(); // [2, 6]
 */
export function diag(x: Tensor, diagonal = 0): Tensor {
  requireTensor('diag', 'x', x);
  checkOffset('diag', diagonal);
  if (x.ndim === 1) return diagEmbed(x, diagonal, 0, 1);
  if (x.ndim === 2) return clone(diagonalPrimitive(x, { inShape: x.shape, offset: diagonal, d1: 0, d2: 1 }));
  throw new ValueError(`diag: expected a 1-D or 2-D tensor, got shape ${fmtShape(x.shape)}`);
}

/**
 * `x` flattened and written on diagonal `offset` of a square matrix of size numel + |offset|.
 *
 * x - any shape with K elements; returns [K + |offset|, K + |offset|].
 *
 * @throws ValueError `diagflat: offset must be an integer, got 0.5`
 * @example
 * diagflat(tensor([[1, 2], [3, 4]])).shape;   // [4, 4]
 * diagflat(tensor([1, 2]), -1).toArray();     // [[0, 0, 0], [1, 0, 0], [0, 2, 0]]
 */
export function diagflat(x: Tensor, offset = 0): Tensor {
  requireTensor('diagflat', 'x', x);
  checkOffset('diagflat', offset);
  return diagEmbed(flatten(x), offset, 0, 1);
}
