import { ShapeError, broadcastShapes, checkOptions, defineOptions, fmtShape, type OptionSpec, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

/**
 * The option types of the margin losses (ranking, hinge embedding, cosine embedding).
 *
 * @internal
 */
export const MARGIN_TYPES = { reduction: REDUCTION, margin: 'number' };
const OPTS = defineOptions('marginRankingLoss', MARGIN_TYPES);
const MODULE_OPTS = defineOptions('MarginRankingLoss', MARGIN_TYPES);

/**
 * Options of {@link marginRankingLoss}, `F.hingeEmbeddingLoss` and `F.cosineEmbeddingLoss`.
 *
 * @example
 * const opts: MarginLossOptions = { margin: 0.5 };
 * new MarginRankingLoss(opts).call(tensor([1]), tensor([1]), tensor([1])).item(); // 0.5
 */
export interface MarginLossOptions extends LossOptions {
  /** The margin (default 0 for the ranking and cosine losses, 1 for the hinge loss). */
  margin?: number;
}

/**
 * The module part the margin losses share: `reduction` and `margin` options, `margin=` in the repr.
 *
 * @internal
 */
export abstract class MarginLoss<In extends Tensor[]> extends Module<In, Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** The margin. */
  readonly margin: number;
  constructor(name: string, spec: OptionSpec, opts: MarginLossOptions | undefined, defaultMargin: number) {
    super();
    opts = checkOptions(spec, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.margin = opts.margin ?? defaultMargin;
    checkReduction(name, this.reduction);
  }
  override extraRepr(): string {
    return `margin=${this.margin}`;
  }
}

/**
 * Ranking loss: `l_i = max(0, -y_i (x1_i - x2_i) + margin)`, with `y = 1` when x1 should rank
 * higher and `y = -1` when x2 should; reduced by `reduction`.
 *
 * @param input1 - shape [*]
 * @param input2 - broadcastable with input1, same number of dims
 * @param target - labels ±1, broadcastable, same number of dims
 * @returns a scalar, or the broadcast shape for `reduction: 'none'`
 * @throws ShapeError when the numbers of dims differ or the shapes do not broadcast
 * @example
 * F.marginRankingLoss(tensor([3, 1]), tensor([1, 2]), tensor([1, 1]), { margin: 1 }).item(); // 1 ((0 + 2) / 2)
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts?: MarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('marginRankingLoss', 'input1', input1);
  requireTensor('marginRankingLoss', 'input2', input2);
  requireTensor('marginRankingLoss', 'target', target);
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim)
    throw new ShapeError(
      `marginRankingLoss: input1, input2 and target must have the same number of dims, got input1.shape=${fmtShape(input1.shape)}, input2.shape=${fmtShape(input2.shape)}, target.shape=${fmtShape(target.shape)}`,
    );
  broadcastShapes('marginRankingLoss', input1.shape, input2.shape, target.shape);
  const loss = target.neg().mul(input1.sub(input2)).add(opts.margin ?? 0).clamp(0);
  return reduce('marginRankingLoss', loss, opts.reduction);
}

/**
 * Module form of {@link marginRankingLoss}: `call(input1, input2, target)`.
 *
 * Shape: input1 [*], input2 [*], target [*] (broadcastable, same number of dims) -> scalar, or
 * the broadcast shape with `reduction: 'none'`.
 *
 * @example
 * new MarginRankingLoss({ margin: 1 }).call(tensor([3, 1]), tensor([1, 2]), tensor([1, -1])).item(); // 0
 */
export class MarginRankingLoss extends MarginLoss<[Tensor, Tensor, Tensor]> {
  constructor(opts?: MarginLossOptions) {
    super('MarginRankingLoss', MODULE_OPTS, opts, 0);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}
