import { Tensor, ValueError, fmtShape, linalg, checkOptions, defineOptions, broadcastShapes } from '@tapegrad/core';
import { requireTensor } from '../options.js';

const COSINE = defineOptions('cosineSimilarity', { dim: 'integer', eps: 'number' });
const PAIRWISE = defineOptions('pairwiseDistance', { p: 'number', eps: 'number', keepdim: 'boolean' });

/**
 * Cosine of the angle between `x1` and `x2` along `dim` (PyTorch's `F.cosine_similarity`):
 * `sum(x1 x2) / (max(||x1||, eps) max(||x2||, eps))`.
 *
 * @param x1 - any shape broadcastable with x2
 * @param x2 - any shape broadcastable with x1
 * @returns the broadcast shape without `dim`
 * @throws ShapeError when the shapes do not broadcast
 * @example
 * F.cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).toArray(); // [0, 1]
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, opts?: { dim?: number; eps?: number }): Tensor {
  opts = checkOptions(COSINE, opts);
  requireTensor('cosineSimilarity', 'x1', x1);
  requireTensor('cosineSimilarity', 'x2', x2);
  const dim = opts.dim ?? 1, eps = opts.eps ?? 1e-8;
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  if (dim < -shape.length || dim >= shape.length)
    throw new ValueError(`cosineSimilarity: dim ${dim} is out of range for the broadcast shape ${fmtShape(shape)}`);
  const a = x1.broadcastTo(shape), b = x2.broadcastTo(shape);
  const n1 = linalg.vectorNorm(a, { dim }).clamp({ min: eps });
  const n2 = linalg.vectorNorm(b, { dim }).clamp({ min: eps });
  return a.mul(b).sum(dim).div(n1.mul(n2));
}

/**
 * The p-norm distance between rows (PyTorch's `F.pairwise_distance`): `||x1 - x2 + eps||_p` over the last dim.
 *
 * @param x1 - shape [N, D] (or [D]), broadcastable with x2
 * @param x2 - shape [N, D] (or [D])
 * @returns [N] (or [N, 1] with keepdim)
 * @throws ShapeError when the shapes do not broadcast
 * @example
 * F.pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4]]), { eps: 0 }).toArray(); // [5]
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts?: { p?: number; eps?: number; keepdim?: boolean }): Tensor {
  opts = checkOptions(PAIRWISE, opts);
  requireTensor('pairwiseDistance', 'x1', x1);
  requireTensor('pairwiseDistance', 'x2', x2);
  broadcastShapes('pairwiseDistance', x1.shape, x2.shape);
  return linalg.vectorNorm(x1.sub(x2).add(opts.eps ?? 1e-6), { ord: opts.p ?? 2, dim: -1, keepdim: opts.keepdim ?? false });
}
