import { broadcastShapes, checkOptions, defineOptions, where, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type Reduction } from './reduction.js';
import type { MarginLossOptions } from './margin-ranking-loss.js';

const TYPES = { reduction: REDUCTION, margin: 'number' };
const OPTS = defineOptions('hingeEmbeddingLoss', TYPES);
const MODULE_OPTS = defineOptions('HingeEmbeddingLoss', TYPES);

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
export class HingeEmbeddingLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** The margin for the dissimilar pairs. */
  readonly margin: number;
  constructor(opts?: MarginLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.margin = opts.margin ?? 1;
    checkReduction('HingeEmbeddingLoss', this.reduction);
  }
  override extraRepr(): string {
    return `margin=${this.margin}`;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
}
