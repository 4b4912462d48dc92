import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const OPTS = defineOptions('softMarginLoss', { reduction: REDUCTION });
const MODULE_OPTS = defineOptions('SoftMarginLoss', { reduction: REDUCTION });

/**
 * Two-class logistic loss on labels ±1: `l_i = log(1 + e^(-y_i x_i))`, reduced by `reduction`.
 * Computed as a softplus without overflow: finite and accurate for `y x` = ±1000 (where
 * PyTorch 1.13 gives inf, and a NaN gradient).
 *
 * @param input - scores, shape [*]
 * @param target - labels 1 or -1, same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ
 * @example
 * F.softMarginLoss(tensor([0, 1000]), tensor([1, -1])).item(); // 500.346574 ((log 2 + 1000) / 2)
 */
export function softMarginLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('softMarginLoss', input, target);
  // softplus without its linear cut-off is max(z, 0) + log1p(e^-|z|): exact at both extremes.
  const loss = input.mul(target).neg().softplus({ threshold: Infinity });
  return reduce('softMarginLoss', loss, opts.reduction);
}

/**
 * Module form of {@link softMarginLoss}.
 *
 * Shape: input [*], target [*] (same, values ±1) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * new SoftMarginLoss().call(tensor([0, 0]), tensor([1, -1])).item(); // 0.693147
 */
export class SoftMarginLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: LossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('SoftMarginLoss', this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}
