import { broadcastShapes, checkOptions, defineOptions, where, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { reduce } from './reduction.js';
import { MARGIN_TYPES, MarginLoss, type MarginLossOptions } from './margin-ranking-loss.js';

const OPTS = defineOptions('hingeEmbeddingLoss', MARGIN_TYPES);
const MODULE_OPTS = defineOptions('HingeEmbeddingLoss', MARGIN_TYPES);

/**
 * Hinge embedding loss on distances `x` with labels ±1: `l_i = x_i` where `y_i = 1`,
 * `max(0, margin - x_i)` where `y_i = -1` (default margin 1); reduced by `reduction`. As in
 * PyTorch, a label that is neither gets both terms.
 *
 * @param input - shape [*] (typically distances, >= 0)
 * @param target - labels ±1, broadcastable with input
 * @returns a scalar, or the broadcast shape for `reduction: 'none'`
 * @throws ShapeError when the shapes do not broadcast
 * @example
 * F.hingeEmbeddingLoss(tensor([0.3, 0.3]), tensor([1, -1])).item(); // 0.5 ((0.3 + 0.7) / 2)
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts?: MarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('hingeEmbeddingLoss', 'input', input);
  requireTensor('hingeEmbeddingLoss', 'target', target);
  broadcastShapes('hingeEmbeddingLoss', input.shape, target.shape);
  const marginClamp = input.neg().add(opts.margin ?? 1).clamp(0);
  const loss = where(target.ne(1), marginClamp, 0).add(where(target.ne(-1), input, 0));
  return reduce('hingeEmbeddingLoss', loss, opts.reduction);
}

/**
 * Module form of {@link hingeEmbeddingLoss}.
 *
 * Shape: input [*], target [*] (broadcastable, labels ±1) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * new HingeEmbeddingLoss({ margin: 2 }).call(tensor([0.5, 0.5]), tensor([1, -1])).item(); // 1 ((0.5 + 1.5) / 2)
 */
export class HingeEmbeddingLoss extends MarginLoss<[Tensor, Tensor]> {
  /** The margin for the dissimilar pairs. */
  declare readonly margin: number;
  constructor(opts?: MarginLossOptions) {
    super('HingeEmbeddingLoss', MODULE_OPTS, opts, 1);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
}
