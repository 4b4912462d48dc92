import {
  DTypeError, ShapeError, ValueError, arange, checkOptions, defineOptions, fmtShape, isFloating, where, type Tensor,
} from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, p: 'number', margin: 'number', weight: 'tensor|null' };
const OPTS = defineOptions('multiMarginLoss', TYPES);
const MODULE_OPTS = defineOptions('MultiMarginLoss', TYPES);

/**
 * Options of {@link multiMarginLoss}.
 *
 * @example
 * const opts: MultiMarginLossOptions = { p: 2, margin: 0.5, weight: tensor([1, 2]) };
 * new MultiMarginLoss(opts).call(tensor([[0, 0]]), tensor([1], { dtype: 'int32' })).item(); // 0.25 (2 * 0.5² / 2)
 */
export interface MultiMarginLossOptions extends LossOptions {
  /** The exponent of the hinge, 1 (default) or 2. */
  p?: number;
  /** The margin (default 1). */
  margin?: number;
  /** A rescaling weight per class, shape [C], applied by the target's class (treated as a constant). */
  weight?: Tensor | null;
}

function checkP(op: string, p: number): void {
  if (p !== 1 && p !== 2) throw new ValueError(`${op}: p must be 1 or 2, got ${p}`);
}

/**
 * Throws unless every class index in `t` (int32) is in [0, C).
 *
 * @internal
 */
export function checkClassIndices(op: string, t: Tensor, C: number, inputShape: readonly number[]): void {
  const d = t.data;
  for (let k = 0; k < d.length; k++)
    if (!(d[k]! >= 0 && d[k]! < C))
      throw new ValueError(`${op}: target ${d[k]} at flat index ${k} is out of range for ${C} classes (input.shape=${fmtShape(inputShape)})`);
}

/**
 * Multi-class hinge loss (PyTorch's `multi_margin_loss`): for each sample with class `y`,
 * `l = (1 / C) sum_{i != y} w[y] max(0, margin - x[y] + x[i])^p`; reduced over samples by
 * `reduction`.
 *
 * @param input - scores, shape [N, C] (or [C])
 * @param target - int32 class indices in [0, C), shape [N] (or [] / [1])
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ValueError for p other than 1 or 2, or a class out of range; ShapeError/DTypeError for wrong shapes or dtypes
 * @example
 * F.multiMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], { dtype: 'int32' })).item(); // 0.325 ((0.3 + 0.4 + 0.6) / 4)
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts?: MultiMarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  const p = opts.p ?? 1;
  checkP('multiMarginLoss', p);
  requireTensor('multiMarginLoss', 'input', input);
  requireTensor('multiMarginLoss', 'target', target);
  if (!isFloating(input.dtype)) throw new DTypeError(`multiMarginLoss: input must be a floating point tensor, got ${input.dtype}`);
  if (target.dtype !== 'int32') throw new DTypeError(`multiMarginLoss: target must be int32 class indices, got ${target.dtype}; convert with target.int()`);
  const batched = input.ndim === 2;
  const N = batched ? input.shape[0]! : 1;
  if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] === 0 || target.ndim > 1 || target.numel() !== N)
    throw new ShapeError(
      `multiMarginLoss: expected input [N, C] with target [N], or input [C] with target [], got input.shape=${fmtShape(input.shape)}, target.shape=${fmtShape(target.shape)}`,
    );
  const C = input.shape[input.ndim - 1]!;
  const weight = opts.weight ?? null;
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C))
    throw new ShapeError(`multiMarginLoss: weight.shape=${fmtShape(weight.shape)} must be [${C}] for input.shape=${fmtShape(input.shape)}`);
  checkClassIndices('multiMarginLoss', target, C, input.shape);
  const x = batched ? input : input.reshape([1, C]);
  const t = target.reshape([N, 1]);
  const z = x.sub(x.gather(1, t)).add(opts.margin ?? 1);
  // relu's gradient is 0 at z = 0, as PyTorch's `z > 0`; the target's own column does not count.
  let h = z.relu();
  if (p === 2) h = h.mul(h);
  let loss = where(arange(C).reshape([1, C]).eq(t), 0, h).sum(1).div(C);
  if (weight) loss = loss.mul(weight.detach().indexSelect(0, target.reshape([N])));
  if (target.ndim === 0) loss = loss.reshape([]);
  return reduce('multiMarginLoss', loss, opts.reduction);
}

/**
 * Module form of {@link multiMarginLoss}; `weight` is kept as a buffer (state-dict key `weight`).
 *
 * Shape: input [N, C] scores, target [N] int32 -> scalar, or [N] with `reduction: 'none'`.
 *
 * @throws ValueError for p other than 1 or 2
 * @example
 * const labels = tensor([0, 1], { dtype: 'int32' });
 * new MultiMarginLoss({ reduction: 'none' }).call(tensor([[2, 0], [0, 0.5]]), labels).toArray(); // [0, 0.25]
 */
export class MultiMarginLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the per-sample losses are combined. */
  readonly reduction: Reduction;
  /** The exponent of the hinge. */
  readonly p: number;
  /** The margin. */
  readonly margin: number;
  constructor(opts?: MultiMarginLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.p = opts.p ?? 1;
    this.margin = opts.margin ?? 1;
    checkReduction('MultiMarginLoss', this.reduction);
    checkP('MultiMarginLoss', this.p);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  override extraRepr(): string {
    return `p=${this.p}, margin=${this.margin}`;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.getBuffer('weight') });
  }
}
