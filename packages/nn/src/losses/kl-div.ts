import { Tensor, allocate } from '@tapegrad/core';
import { Module } from '../module.js';
import { checkReduction, checkSameShape } from './reduction.js';

/** How {@link klDiv} combines its element-wise terms; `'batchmean'` is the sum divided by the batch size. */
export type KLDivReduction = 'mean' | 'sum' | 'none' | 'batchmean';

/** Options of {@link klDiv}. */
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
 * F.klDiv(F.logSoftmax(logits, 1), targetProbs, { reduction: 'batchmean' });
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivLossOptions = {}): Tensor {
  const reduction = opts.reduction ?? 'mean';
  checkReduction('klDiv', reduction, ['mean', 'sum', 'none', 'batchmean']);
  checkSameShape('klDiv', input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // log(target) with zeros replaced by ones, so that 0 * log 0 counts as 0 (not NaN).
    const t = target.data;
    const dtype = target.dtype === 'float64' ? 'float64' : 'float32';
    const zeros = allocate(dtype, t.length);
    for (let i = 0; i < t.length; i++) zeros[i] = t[i] === 0 ? 1 : 0;
    const safe = target.add(Tensor.fromData(zeros, target.shape, dtype));
    loss = target.mul(safe.log().sub(input));
  }
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'mean') return loss.mean();
  return loss.sum().div(input.ndim === 0 ? 1 : input.shape[0]!);
}

/**
 * Module form of {@link klDiv}.
 *
 * Shape: input [N, *] log-probabilities, target [N, *] -> scalar, or [N, *] with `reduction: 'none'`.
 *
 * @example
 * new KLDivLoss({ reduction: 'batchmean' }).call(F.logSoftmax(student, 1), F.softmax(teacher, 1));
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise terms are combined. */
  readonly reduction: KLDivReduction;
  /** Whether the target is given as log-probabilities. */
  readonly logTarget: boolean;
  constructor(opts: KLDivLossOptions = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
    checkReduction('KLDivLoss', this.reduction, ['mean', 'sum', 'none', 'batchmean']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
