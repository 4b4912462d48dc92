import { ShapeError, broadcastShapes, checkOptions, defineOptions, fmtShape, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { logsigmoid } from '../functional/activations.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, weight: 'tensor|null' };
const OPTS = defineOptions('multilabelSoftMarginLoss', TYPES);
const MODULE_OPTS = defineOptions('MultiLabelSoftMarginLoss', TYPES);

/**
 * Options of {@link multilabelSoftMarginLoss}.
 *
 * @example
 * const opts: MultiLabelSoftMarginLossOptions = { weight: tensor([2, 0]) };
 * new MultiLabelSoftMarginLoss(opts).call(tensor([[0, 0]]), tensor([[1, 0]])).item(); // 0.693147 (2 log 2 / 2)
 */
export interface MultiLabelSoftMarginLossOptions extends LossOptions {
  /** A rescaling weight per class, shape [C] (or broadcastable to the input). */
  weight?: Tensor | null;
}

/**
 * Multi-label one-versus-all logistic loss: for each sample,
 * `l = -(1 / C) sum_c w_c [y_c log σ(x_c) + (1 - y_c) log σ(-x_c)]`, with stable log-sigmoids
 * (finite for logits of ±1000); reduced over samples by `reduction`.
 *
 * @param input - logits, shape [N, C] (or [C])
 * @param target - 0/1 labels (or probabilities), same shape as input
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ or weight does not broadcast
 * @example
 * F.multilabelSoftMarginLoss(tensor([[0, 1000]]), tensor([[1, 1]])).item(); // 0.346574 (log 2 / 2)
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts?: MultiLabelSoftMarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('multilabelSoftMarginLoss', input, target);
  if (input.ndim === 0) throw new ShapeError('multilabelSoftMarginLoss: input must be [N, C] or [C], got shape []');
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (opts.weight) {
    broadcastShapes('multilabelSoftMarginLoss', opts.weight.shape, input.shape);
    if (opts.weight.ndim > input.ndim)
      throw new ShapeError(`multilabelSoftMarginLoss: weight.shape=${fmtShape(opts.weight.shape)} has more dims than input.shape=${fmtShape(input.shape)}`);
    loss = loss.mul(opts.weight);
  }
  const C = input.shape[input.ndim - 1]!;
  return reduce('multilabelSoftMarginLoss', loss.sum(-1).div(C), opts.reduction);
}

/**
 * Module form of {@link multilabelSoftMarginLoss}; `weight` is kept as a buffer (state-dict key `weight`).
 *
 * Shape: input [N, C] logits, target [N, C] -> scalar, or [N] with `reduction: 'none'`.
 *
 * @example
 * new MultiLabelSoftMarginLoss().call(tensor([[0, 0]]), tensor([[1, 0]])).item(); // 0.693147
 */
export class MultiLabelSoftMarginLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the per-sample losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: MultiLabelSoftMarginLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('MultiLabelSoftMarginLoss', this.reduction);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { reduction: this.reduction, weight: this.getBuffer('weight') });
  }
}
