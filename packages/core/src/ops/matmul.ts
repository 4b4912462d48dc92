import { primitive } from '../autograd/primitive.js';
import { activeTracer, traceComposite } from '../autograd/trace.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { operands, requireTensor } from './operands.js';

const bmmPrimitive = primitive('bmm', {
  forward: (a: Tensor, b: Tensor) => ({
    out: Tensor.fromView(K().matmul(a.nd, b.nd, a.dtype), a.dtype),
    saved: [a, b],
  }),
  // d(AB) = dA B + A dB, so gA = G B^T and gB = A^T G; each skipped when its input needs none
  // (the first layer's input, say), which saves a third of the backward work there. An operand
  // stored transposed (Linear's weight.mT) gets its gradient in the same layout, computed as the
  // transpose of the transposed product, so that the gradient reaching the stored tensor is
  // contiguous and needs no copy.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? (isTransposed(a!) ? b!.matmul(g.mT).mT : g.matmul(b!.mT)) : null,
    needB ? (isTransposed(b!) ? g.mT.matmul(a!).mT : a!.mT.matmul(g)) : null,
  ],
});

/** True if the matrices of `t [B, R, C]` are stored column by column (a transposed view of a dense tensor). */
function isTransposed(t: Tensor): boolean {
  const [, r, c] = t.nd.shape as [number, number, number];
  const st = t.nd.stride;
  return r > 1 && c > 1 && st[1] === 1 && st[2] === r;
}

/** Both operands in one numeric dtype (PyTorch's promotion); bool products are refused. */
function matmulOperands(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  const [x, y] = operands(a, b, undefined, op);
  if (x.dtype === 'bool')
    throw new DTypeError(`${op}: bool tensors are not supported, got ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)}`);
  return [x, y];
}

/**
 * Batched matrix product of two 3-D tensors: `out[p] = a[p] @ b[p]`.
 *
 * a - shape [B, M, K], b - shape [B, K, N]; returns [B, M, N]. No broadcasting (use
 * {@link matmul} for that). Mixed dtypes promote as in {@link add}; int32 gives int32.
 *
 * @throws ShapeError `bmm: expected 3-D tensors, got shapes [2,3] and [2,3,4]`
 * @throws ShapeError `bmm: shapes [2,3,4] and [2,5,6] are not aligned (4 != 5)`
 * @throws ShapeError `bmm: batch sizes differ, shapes [2,3,4] and [3,4,5]`
 * @example
 * bmm(ones([2, 3, 4]), ones([2, 4, 5])).shape; // [2, 3, 5]
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  requireTensor('bmm', 'a', a);
  requireTensor('bmm', 'b', b);
  const shapes = `${fmtShape(a.shape)} and ${fmtShape(b.shape)}`;
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`bmm: expected 3-D tensors, got shapes ${shapes}`);
  if (a.shape[2] !== b.shape[1])
    throw new ShapeError(`bmm: shapes ${shapes} are not aligned (${a.shape[2]} != ${b.shape[1]})`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm: batch sizes differ, shapes ${shapes}`);
  return bmmPrimitive(...matmulOperands('bmm', a, b));
}

/** The broadcast of two batch shapes, with an error that shows the full operand shapes. */
function broadcastBatch(a: Tensor, b: Tensor, ba: readonly number[], bb: readonly number[]): number[] {
  const n = Math.max(ba.length, bb.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = ba[i - (n - ba.length)] ?? 1;
    const db = bb[i - (n - bb.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new ShapeError(
        `matmul: batch dims of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be broadcast ` +
          `(${fmtShape(ba)} vs ${fmtShape(bb)})`,
      );
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Matrix product with PyTorch's `matmul` rules:
 * - `[K] @ [K]` -> `[]` (dot product);
 * - `[M, K] @ [K, N]` -> `[M, N]`;
 * - `[K] @ [..., K, N]` -> `[..., N]` (a 1 is prepended to `a`, then removed);
 * - `[..., M, K] @ [K]` -> `[..., M]` (a 1 is appended to `b`, then removed);
 * - `[...A, M, K] @ [...B, K, N]` -> `[...broadcast(A, B), M, N]` (batch dims broadcast).
 *
 * Mixed dtypes promote as in {@link add}; int32 operands give an int32 result; bool is refused.
 * Gradients flow through expanded batch dims (summed back to each operand's shape).
 *
 * @throws ShapeError `matmul: shapes [2,3] and [4,5] are not aligned (3 != 4)`
 * @throws ShapeError `matmul: both arguments need at least 1 dim, got shapes [] and [3]`
 * @throws ShapeError `matmul: batch dims of shapes [2,3,4] and [3,4,5] cannot be broadcast ([2] vs [3])`
 * @throws DTypeError for two bool tensors
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(); // [[17], [39]]
 * matmul(randn([10, 3, 4]), randn([4, 5])).shape;               // [10, 3, 5]
 * matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item();          // 32
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  // A tracer may take the product as one op (ONNX MatMul) instead of its reshapes and bmm.
  return activeTracer === null ? matmulOp(a, b) : traceComposite('matmul', [a, b], matmulOp);
}

function matmulOp(a: Tensor, b: Tensor): Tensor {
  requireTensor('matmul', 'a', a);
  requireTensor('matmul', 'b', b);
  if (a.ndim === 0 || b.ndim === 0)
    throw new ShapeError(`matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [x, y] = matmulOperands('matmul', a, b);
  const k = x.shape[x.ndim - 1]!;
  const kb = y.shape[Math.max(0, y.ndim - 2)]!;
  if (k !== kb) throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${k} != ${kb})`);
  const x2 = x.ndim === 1 ? x.reshape([1, k]) : x;
  const y2 = y.ndim === 1 ? y.reshape([k, 1]) : y;
  const m = x2.shape[x2.ndim - 2]!;
  const n = y2.shape[y2.ndim - 1]!;
  const batchA = x2.shape.slice(0, -2);
  const batchB = y2.shape.slice(0, -2);
  const batch = broadcastBatch(a, b, batchA, batchB);
  let out: Tensor;
  if (batchB.length === 0) {
    // b is one matrix: a's batch dims fold into its rows, one large product instead of many small ones.
    out = bmmPrimitive(x2.reshape([1, sizeOf(batchA) * m, k]), y2.reshape([1, k, n]));
  } else {
    const nb = sizeOf(batch);
    const lhs = batchA.length === batch.length && batchA.every((d, i) => d === batch[i]) ? x2 : x2.expand([...batch, m, k]);
    const rhs = batchB.length === batch.length && batchB.every((d, i) => d === batch[i]) ? y2 : y2.expand([...batch, k, n]);
    out = bmmPrimitive(lhs.reshape([nb, m, k]), rhs.reshape([nb, k, n]));
  }
  return out.reshape([...batch, ...(x.ndim === 1 ? [] : [m]), ...(y.ndim === 1 ? [] : [n])]);
}

/**
 * Dot product `sum_i a_i b_i` of two 1-D tensors of the same length; returns a 0-d tensor.
 *
 * @throws ShapeError `dot: expected two 1-D tensors, got shapes [2,3] and [3]`
 * @throws ShapeError `dot: shapes [3] and [4] have different lengths (3 != 4)`
 * @example
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  requireTensor('dot', 'a', a);
  requireTensor('dot', 'b', b);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ShapeError(`dot: expected two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0])
    throw new ShapeError(`dot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} have different lengths (${a.shape[0]} != ${b.shape[0]})`);
  return matmul(a, b);
}

/**
 * Outer product `out[i, j] = a_i b_j` of two 1-D tensors.
 *
 * a - shape [N], b - shape [M]; returns [N, M].
 *
 * @throws ShapeError `outer: expected two 1-D tensors, got shapes [2,3] and [3]`
 * @example
 * outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(); // [[3, 4, 5], [6, 8, 10]]
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  requireTensor('outer', 'a', a);
  requireTensor('outer', 'b', b);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ShapeError(`outer: expected two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return a.reshape([a.shape[0]!, 1]).mul(b.reshape([1, b.shape[0]!]));
}
