import { checkOptions, defineOptions, where, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, logInput: 'boolean', full: 'boolean', eps: 'number' };
const OPTS = defineOptions('poissonNllLoss', TYPES);
const MODULE_OPTS = defineOptions('PoissonNLLLoss', TYPES);

/**
 * Options of {@link poissonNllLoss}.
 *
 * @example
 * const opts: PoissonNLLLossOptions = { logInput: false, reduction: 'sum' };
 * new PoissonNLLLoss(opts).call(tensor([1, 2]), tensor([0, 0])).item(); // 3
 */
export interface PoissonNLLLossOptions extends LossOptions {
  /** The input is the log of the rate (default true); false: the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of `log(target!)` (for targets > 1; default false). */
  full?: boolean;
  /** Added to the rate before its log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/**
 * Negative log likelihood of a Poisson-distributed target: `l = e^x - y x` when `logInput`
 * (default), `l = x - y log(x + eps)` otherwise; with `full`, Stirling's term
 * `y log y - y + 0.5 log(2π y)` is added where `y > 1`. Reduced by `reduction`.
 *
 * @param input - the log-rate (or the rate), shape [*]
 * @param target - counts, same shape as input
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ
 * @example
 * F.poissonNllLoss(tensor([0, 0]), tensor([1, 3])).item(); // 1
 */
export function poissonNllLoss(input: Tensor, target: Tensor, opts?: PoissonNLLLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('poissonNllLoss', input, target);
  let loss = opts.logInput === false
    ? input.sub(target.mul(input.add(opts.eps ?? 1e-8).log()))
    : input.exp().sub(target.mul(input));
  if (opts.full) {
    const big = target.gt(1);
    // Stirling's term is only used where y > 1: computing it at 1 elsewhere keeps log(0) (and its
    // 0 * inf gradient) out.
    const y = where(big, target, 1);
    const stirling = y.mul(y.log()).sub(y).add(y.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(big, stirling, 0));
  }
  return reduce('poissonNllLoss', loss, opts.reduction);
}

/**
 * Module form of {@link poissonNllLoss}.
 *
 * Shape: input [*], target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * new PoissonNLLLoss().call(tensor([0]), tensor([2])).item(); // 1
 */
export class PoissonNLLLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** Whether the input is a log-rate. */
  readonly logInput: boolean;
  /** Whether Stirling's term is added. */
  readonly full: boolean;
  /** The guard added before the log of a rate. */
  readonly eps: number;
  constructor(opts?: PoissonNLLLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.logInput = opts.logInput ?? true;
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-8;
    checkReduction('PoissonNLLLoss', this.reduction);
  }
  override extraRepr(): string {
    return `logInput=${this.logInput}, full=${this.full}, eps=${this.eps}`;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, { reduction: this.reduction, logInput: this.logInput, full: this.full, eps: this.eps });
  }
}
