import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { checkReduction, checkSameShape, reduce } from './reduction.js';

const TYPES = { reduction: "'mean'|'sum'|'none'|'batchmean'", logTarget: 'boolean' };
const OPTS = defineOptions('klDiv', TYPES);
const MODULE_OPTS = defineOptions('KLDivLoss', TYPES);

/**
 * How {@link klDiv} combines its element-wise terms; `'batchmean'` is the sum divided by the batch size.
 *
 * @example
 * const reduction: KLDivReduction = 'batchmean';
 * const p = F.logSoftmax(tensor([[1, 2, 3]]), 1);
 * F.klDiv(p, p.exp(), { reduction }).item(); // 0
 */
export type KLDivReduction = 'mean' | 'sum' | 'none' | 'batchmean';

/**
 * Options of {@link klDiv}.
 *
 * @example
 * const opts: KLDivLossOptions = { reduction: 'batchmean', logTarget: true };
 * const p = F.logSoftmax(tensor([[1, 2, 3]]), 1);
 * new KLDivLoss(opts).call(p, p).item(); // 0
 */
export interface KLDivLossOptions {
  /**
   * `'mean'` (default, as PyTorch: the mean over *all* elements, which is not the KL divergence),
   * `'batchmean'` (sum / batch size: the mathematically right mean), `'sum'` or `'none'`.
   */
  reduction?: KLDivReduction;
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence KL(target || q) with `input = log q`: element-wise
 * `l = target * (log(target) - input)` (0 where target = 0), or with `logTarget`,
 * `l = exp(target) * (target - input)`; reduced by `reduction`.
 *
 * @param input - log-probabilities, shape [N, *]
 * @param target - probabilities (or log-probabilities with `logTarget`), same shape
 * @returns a scalar, or shape [N, *] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ; ValueError for an unknown reduction
 * @example
 * const logits = tensor([[1, 2, 3]]);
 * const targetProbs = tensor([[0.2, 0.3, 0.5]]);
 * F.klDiv(F.logSoftmax(logits, 1), targetProbs, { reduction: 'batchmean' }).item(); // 0.077953
 */
export function klDiv(input: Tensor, target: Tensor, opts?: KLDivLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  const reduction = opts.reduction ?? 'mean';
  checkReduction('klDiv', reduction, ['mean', 'sum', 'none', 'batchmean']);
  checkSameShape('klDiv', input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // log(target) with zeros replaced by ones, so that 0 * log 0 counts as 0 (not NaN).
    const safe = target.maskedFill(target.eq(0), 1);
    loss = target.mul(safe.log().sub(input));
  }
  if (reduction === 'batchmean') return loss.sum().div(input.ndim === 0 ? 1 : input.shape[0]!);
  return reduce('klDiv', loss, reduction);
}

/**
 * Module form of {@link klDiv}.
 *
 * Shape: input [N, *] log-probabilities, target [N, *] -> scalar, or [N, *] with `reduction: 'none'`.
 *
 * @example
 * const student = randn([4, 10]), teacher = randn([4, 10]);
 * const kl = new KLDivLoss({ reduction: 'batchmean' });
 * kl.call(F.logSoftmax(student, 1), F.softmax(teacher, 1)).item() > 0; // true
 * kl.call(F.logSoftmax(teacher, 1), F.softmax(teacher, 1)).item(); // 0
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise terms are combined. */
  readonly reduction: KLDivReduction;
  /** Whether the target is given as log-probabilities. */
  readonly logTarget: boolean;
  constructor(opts?: KLDivLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
    checkReduction('KLDivLoss', this.reduction, ['mean', 'sum', 'none', 'batchmean']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
