import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const OPTS = defineOptions('huberLoss', { reduction: REDUCTION, delta: 'number' });
const MODULE_OPTS = defineOptions('HuberLoss', { reduction: REDUCTION, delta: 'number' });

/**
 * Options of {@link huberLoss}.
 *
 * @example
 * const opts: HuberLossOptions = { delta: 2, reduction: 'sum' };
 * new HuberLoss(opts).call(tensor([0, 0]), tensor([1, 4])).item(); // 6.5 (0.5 * 1^2 + 2 * (4 - 1))
 */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss changes from quadratic to linear (default 1, must be > 0). */
  delta?: number;
}

/**
 * Huber loss: with `d = |input - target|`, `l = 0.5 d²` if `d < delta`, else `delta (d - 0.5 delta)`;
 * reduced by `reduction`. Computed as `0.5 q² + delta (d - q)` with `q = min(d, delta)`.
 *
 * @param input - shape [*]
 * @param target - same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ValueError unless delta > 0; ShapeError when the shapes differ
 * @example
 * F.huberLoss(tensor([0, 0]), tensor([0.5, 3])).item(); // 1.3125 ((0.125 + 2.5) / 2)
 */
export function huberLoss(input: Tensor, target: Tensor, opts?: HuberLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huberLoss: delta must be positive, got ${delta}`);
  checkSameShape('huberLoss', input, target);
  const d = input.sub(target).abs();
  const q = d.minimum(delta);
  return reduce('huberLoss', q.mul(q).mul(0.5).add(d.sub(q).mul(delta)), opts.reduction);
}

/**
 * Module form of {@link huberLoss}.
 *
 * Shape: input [*], target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * const loss = new HuberLoss({ delta: 0.5 });
 * loss.call(tensor([0, 0]), tensor([0.25, 2])).item(); // 0.453125 ((0.03125 + 0.875) / 2)
 */
export class HuberLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** The switch point between quadratic and linear. */
  readonly delta: number;
  constructor(opts?: HuberLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.delta = opts.delta ?? 1;
    checkReduction('HuberLoss', this.reduction);
    if (!(this.delta > 0)) throw new ValueError(`HuberLoss: delta must be positive, got ${this.delta}`);
  }
  override extraRepr(): string {
    return `delta=${this.delta}`;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
