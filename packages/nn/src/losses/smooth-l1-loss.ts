import { ValueError, checkOptions, defineOptions, where, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, beta: 'number' };
const OPTS = defineOptions('smoothL1Loss', TYPES);
const MODULE_OPTS = defineOptions('SmoothL1Loss', TYPES);

/**
 * Options of {@link smoothL1Loss}.
 *
 * @example
 * const opts: SmoothL1LossOptions = { beta: 2, reduction: 'sum' };
 * new SmoothL1Loss(opts).call(tensor([0, 0]), tensor([1, 4])).item(); // 3.25 (0.25 + 3)
 */
export interface SmoothL1LossOptions extends LossOptions {
  /** Where the loss changes from quadratic to linear (default 1, >= 0; 0 gives the L1 loss). */
  beta?: number;
}

function checkBeta(op: string, beta: number): void {
  if (!(beta >= 0)) throw new ValueError(`${op}: beta must be non-negative, got ${beta}`);
}

/**
 * Smooth L1 loss: with `d = |input - target|`, `l = 0.5 d² / beta` if `d < beta`, else
 * `d - 0.5 beta`; reduced by `reduction`. It is {@link huberLoss} divided by beta (beta = 0
 * gives the L1 loss).
 *
 * @param input - shape [*]
 * @param target - same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ValueError for a negative beta; ShapeError when the shapes differ
 * @example
 * F.smoothL1Loss(tensor([0, 0]), tensor([0.5, 3])).item(); // 1.3125 ((0.125 + 2.5) / 2)
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts?: SmoothL1LossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  const beta = opts.beta ?? 1;
  checkBeta('smoothL1Loss', beta);
  checkSameShape('smoothL1Loss', input, target);
  const d = input.sub(target);
  const a = d.abs();
  // beta = 0 is the L1 loss, with PyTorch's gradient -1 at d = 0 (its `d <= -beta` branch); the
  // quadratic piece would divide by 0, and its NaN gradient leak through where.
  const loss = beta === 0 ? where(d.le(0), d.neg(), d) : where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta));
  return reduce('smoothL1Loss', loss, opts.reduction);
}

/**
 * Module form of {@link smoothL1Loss}.
 *
 * Shape: input [*], target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @throws ValueError for a negative beta
 * @example
 * new SmoothL1Loss({ beta: 0.5 }).call(tensor([0, 0]), tensor([0.25, 2])).item(); // 0.90625 ((0.0625 + 1.75) / 2)
 */
export class SmoothL1Loss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** The switch point between quadratic and linear. */
  readonly beta: number;
  constructor(opts?: SmoothL1LossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.beta = opts.beta ?? 1;
    checkReduction('SmoothL1Loss', this.reduction);
    checkBeta('SmoothL1Loss', this.beta);
  }
  override extraRepr(): string {
    return `beta=${this.beta}`;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
