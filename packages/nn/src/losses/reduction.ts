import { ShapeError, ValueError, fmtShape, shapesEqual, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';

/**
 * The option type of `reduction`, for the loss option specs.
 *
 * @internal
 */
export const REDUCTION = "'mean'|'sum'|'none'";

/**
 * How a loss combines its per-element values: their mean (default), their sum, or none (keep them).
 *
 * @example
 * const reduction: Reduction = 'none';
 * F.mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction }).toArray(); // [1, 4]
 * F.mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: 'sum' }).item(); // 5
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Options shared by every loss.
 *
 * @example
 * const opts: LossOptions = { reduction: 'sum' };
 * new L1Loss(opts).call(tensor([1, 2]), tensor([0, 0])).item(); // 3
 */
export interface LossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * @throws ValueError for an unknown reduction
 *
 * @internal
 */
export function checkReduction(op: string, reduction: string, allowed: readonly string[] = ['mean', 'sum', 'none']): void {
  if (!allowed.includes(reduction))
    throw new ValueError(`${op}: reduction must be ${allowed.map((r) => `'${r}'`).join(', ')}, got '${String(reduction)}'`);
}

/**
 * Reduces element-wise losses by `reduction` (validated).
 *
 * @internal
 */
export function reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkReduction(op, reduction);
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? loss.sum() : loss.mean();
}

/**
 * @throws ShapeError unless input and target have the same shape
 *
 * @internal
 */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  requireTensor(op, 'input', input);
  requireTensor(op, 'target', target);
  if (!shapesEqual(input.shape, target.shape))
    throw new ShapeError(`${op}: input.shape=${fmtShape(input.shape)} and target.shape=${fmtShape(target.shape)} must be equal`);
}
