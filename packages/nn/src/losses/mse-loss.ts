import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const OPTS = defineOptions('mseLoss', { reduction: REDUCTION });
const MODULE_OPTS = defineOptions('MSELoss', { reduction: REDUCTION });

/**
 * Mean squared error: `l_i = (input_i - target_i)²`, reduced by `reduction` (`'sum'` gives the
 * sum of squared errors).
 *
 * @param input - shape [*]
 * @param target - same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ShapeError `mseLoss: input.shape=[3] and target.shape=[3,1] must be equal`
 * @example
 * F.mseLoss(tensor([1, 2]), tensor([1, 4])).item(); // 2
 */
export function mseLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('mseLoss', input, target);
  const d = input.sub(target);
  return reduce('mseLoss', d.mul(d), opts.reduction);
}

/**
 * Module form of {@link mseLoss}: `new MSELoss().call(input, target)`.
 *
 * Shape: input [*], target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * new MSELoss().call(tensor([1, 2]), tensor([1, 4])).item(); // 2
 * new MSELoss({ reduction: 'sum' }).call(tensor([1, 2]), tensor([1, 4])).item(); // 4
 */
export class MSELoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: LossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('MSELoss', this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
