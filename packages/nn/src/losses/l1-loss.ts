import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const OPTS = defineOptions('l1Loss', { reduction: REDUCTION });
const MODULE_OPTS = defineOptions('L1Loss', { reduction: REDUCTION });

/**
 * Mean absolute error: `l_i = |input_i - target_i|`, reduced by `reduction`.
 *
 * @param input - shape [*]
 * @param target - same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ
 * @example
 * F.l1Loss(tensor([1, 2]), tensor([2, 4])).item(); // 1.5
 */
export function l1Loss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('l1Loss', input, target);
  return reduce('l1Loss', input.sub(target).abs(), opts.reduction);
}

/**
 * Module form of {@link l1Loss}.
 *
 * Shape: input [*], target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * new L1Loss().call(tensor([1, 2]), tensor([2, 4])).item(); // 1.5
 */
export class L1Loss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: LossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('L1Loss', this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}
