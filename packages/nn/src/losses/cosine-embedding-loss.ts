import { ShapeError, checkOptions, defineOptions, fmtShape, shapesEqual, where, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { reduce } from './reduction.js';
import { MARGIN_TYPES, MarginLoss, type MarginLossOptions } from './margin-ranking-loss.js';

const OPTS = defineOptions('cosineEmbeddingLoss', MARGIN_TYPES);
const MODULE_OPTS = defineOptions('CosineEmbeddingLoss', MARGIN_TYPES);

/** Added to each squared norm (as PyTorch), so that a zero vector gives cos = 0, not NaN. */
const EPSILON = 1e-12;

/**
 * Cosine embedding loss: with `cos_i` the cosine similarity of rows `x1_i` and `x2_i`,
 * `l_i = 1 - cos_i` where `y_i = 1` and `max(0, cos_i - margin)` where `y_i = -1` (0 for other
 * labels); reduced by `reduction`. The squared norms get 1e-12 added, as in PyTorch.
 *
 * @param input1 - shape [N, D] (or [D])
 * @param input2 - same shape as input1
 * @param target - labels ±1, shape [N] (or [] for 1-d inputs)
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ShapeError for inputs that are not [N, D] and [N], or [D] and []
 * @example
 * F.cosineEmbeddingLoss(tensor([[1, 0], [1, 0]]), tensor([[0, 1], [1, 1]]), tensor([1, -1])).item(); // 0.853553 ((1 + 0.707107) / 2)
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts?: MarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('cosineEmbeddingLoss', 'input1', input1);
  requireTensor('cosineEmbeddingLoss', 'input2', input2);
  requireTensor('cosineEmbeddingLoss', 'target', target);
  const d = target.ndim;
  if ((d !== 0 && d !== 1) || input1.ndim !== d + 1 || !shapesEqual(input1.shape, input2.shape) || (d === 1 && target.shape[0] !== input1.shape[0]))
    throw new ShapeError(
      `cosineEmbeddingLoss: expected input1 and input2 of shape [N, D] with target [N], or [D] with target [], got input1.shape=${fmtShape(input1.shape)}, input2.shape=${fmtShape(input2.shape)}, target.shape=${fmtShape(target.shape)}`,
    );
  const prodSum = input1.mul(input2).sum(d);
  const mag1 = input1.mul(input1).sum(d).add(EPSILON);
  const mag2 = input2.mul(input2).sum(d).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const pos = cos.neg().add(1);
  const neg = cos.sub(opts.margin ?? 0).clamp(0);
  const loss = where(target.eq(1), pos, 0).add(where(target.eq(-1), neg, 0));
  return reduce('cosineEmbeddingLoss', loss, opts.reduction);
}

/**
 * Module form of {@link cosineEmbeddingLoss}: `call(input1, input2, target)`.
 *
 * Shape: input1 [N, D], input2 [N, D], target [N] (or [D], [D], []) -> scalar, or [N] with `reduction: 'none'`.
 *
 * @example
 * new CosineEmbeddingLoss().call(tensor([[1, 0]]), tensor([[2, 0]]), tensor([1])).item(); // 0
 */
export class CosineEmbeddingLoss extends MarginLoss<[Tensor, Tensor, Tensor]> {
  /** The cosine under which dissimilar pairs cost nothing. */
  declare readonly margin: number;
  constructor(opts?: MarginLossOptions) {
    super('CosineEmbeddingLoss', MODULE_OPTS, opts, 0);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}
