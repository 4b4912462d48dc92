import {
  DTypeError, ShapeError, ValueError, checkOptions, defineOptions, fmtShape, isFloating, shapesEqual, where, type Tensor,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, weight: 'tensor|null', ignoreIndex: 'integer' };
const OPTS = defineOptions('nllLoss', TYPES);
const MODULE_OPTS = defineOptions('NLLLoss', TYPES);

/**
 * Options of {@link nllLoss}.
 *
 * @example
 * const opts: NLLLossOptions = { weight: tensor([1, 3]), reduction: 'sum' };
 * new NLLLoss(opts).call(tensor([[-1, -2]]), tensor([1], { dtype: 'int32' })).item(); // 6
 */
export interface NLLLossOptions extends LossOptions {
  /** A rescaling weight per class, shape [C] (treated as a constant). */
  weight?: Tensor | null;
  /** Targets equal to this class index add nothing to the loss nor to the mean's denominator (default -100). */
  ignoreIndex?: number;
}

/**
 * `[N,C,d1,...]`-style letters for a shape of `ndim` dims, with or without the class dim.
 *
 * @internal
 */
export function letters(ndim: number, withClass: boolean): string {
  if (ndim === 1) return withClass ? '[C]' : '[]';
  const extra = Array.from({ length: ndim - 2 }, (_, i) => `d${i + 1}`);
  return `[${['N', ...(withClass ? ['C'] : []), ...extra].join(',')}]`;
}

/**
 * The shape of class-index targets for an input of shape [N, C, d1, ...] (or [C]).
 *
 * @internal
 */
export function indexTargetShape(inputShape: readonly number[]): number[] {
  return inputShape.length === 1 ? [] : [inputShape[0]!, ...inputShape.slice(2)];
}

/**
 * The hint for class indices of the right shape but not int32: convert them with `.int()`.
 *
 * @internal
 */
export function intHint(target: Tensor, indexShape: readonly number[]): string {
  return target.dtype !== 'int32' && shapesEqual(target.shape, indexShape)
    ? `; convert class indices with target.int()`
    : '';
}

/**
 * @throws unless input is a float tensor of at least 1 dim and weight (if any) is [C]
 *
 * @internal
 */
export function checkClassInput(op: string, input: Tensor, weight: Tensor | null | undefined): void {
  if (!isFloating(input.dtype))
    throw new DTypeError(`${op}: input must be a floating point tensor, got ${input.dtype} (shape ${fmtShape(input.shape)})`);
  if (input.ndim < 1) throw new ShapeError(`${op}: input must have shape [N, C, *] or [C], got input.shape=${fmtShape(input.shape)}`);
  const C = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C))
    throw new ShapeError(`${op}: weight.shape=${fmtShape(weight.shape)} must be [${C}] (one weight per class) for input.shape=${fmtShape(input.shape)}`);
}

/**
 * Throws unless every target is `ignoreIndex` or a class in [0, C). Reads the int32 targets
 * only (N values), never the input.
 */
function checkTargets(op: string, target: Tensor, C: number, ignoreIndex: number, inputShape: readonly number[]): void {
  const t = target.data;
  for (let k = 0; k < t.length; k++) {
    const cls = t[k]!;
    if (cls !== ignoreIndex && (cls < 0 || cls >= C))
      throw new ValueError(
        `${op}: target ${cls} at flat index ${k} is out of range for ${C} classes (ignoreIndex=${ignoreIndex}, input.shape=${fmtShape(inputShape)})`,
      );
  }
}

/**
 * The loss of class-index targets, from log-probabilities, in tensor ops: with `valid = t != ignoreIndex`,
 * `nll_i = -w[t_i] logp[i, t_i]` (the target column, picked by `gather`; `w[t]` by `indexSelect`),
 * and with label smoothing ε, `l_i = (1 - ε) nll_i + (ε / C) (-sum_c w[c] logp[i, c])`, as PyTorch;
 * `l_i = 0` where `t_i = ignoreIndex`. The mean divides by the sum of `w[t]` over non-ignored
 * targets, as PyTorch does; it is 0 (not NaN) when every target is ignored.
 *
 * Ignored and non-target entries are never multiplied by a zero coefficient, so a logit of -∞
 * outside the target class (masked logits) gives PyTorch's finite loss and gradient. Only the
 * smoothing term sums every class: a -∞ logit makes it +∞, as in PyTorch. Nothing of size N × C is
 * built here besides what the caller's `logSoftmax` and the backward need.
 *
 * @internal
 */
export function classIndexLoss(
  op: string,
  logp: Tensor,
  target: Tensor,
  opts: { weight?: Tensor | null; ignoreIndex?: number; labelSmoothing?: number; reduction?: Reduction },
): Tensor {
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const eps = opts.labelSmoothing ?? 0;
  const unbatched = logp.ndim === 1;
  const lp = unbatched ? logp.reshape([1, logp.shape[0]!]) : logp;
  const t = unbatched ? target.reshape([1]) : target;
  const C = lp.shape[1]!;
  checkTargets(op, t, C, ignoreIndex, logp.shape);
  const valid = t.ne(ignoreIndex);
  // Ignored targets point at class 0, whose pick is then discarded by `where`.
  const safe = where(valid, t, 0);
  const weight = opts.weight ? opts.weight.detach() : null;
  const wt = weight
    ? where(valid, weight.indexSelect(0, safe.reshape([safe.numel()])).reshape(safe.shape), 0)
    : valid.to(lp.dtype);
  const picked = lp.gather(1, safe.unsqueeze(1)).squeeze(1);
  let loss = where(valid, picked, 0).mul(wt).neg();
  if (eps > 0) {
    const weighted = weight ? lp.mul(weight.reshape(lp.shape.map((d, i) => (i === 1 ? d : 1)))) : lp;
    const smooth = where(valid, weighted.sum(1).neg(), 0);
    loss = loss.mul(1 - eps).add(smooth.mul(eps / C));
  }
  if (unbatched) loss = loss.reshape([]);
  if (reduction === 'none') return loss;
  const total = loss.sum();
  if (reduction === 'sum') return total;
  const denom = wt.sum();
  return total.div(where(denom.eq(0), 1, denom));
}

/**
 * Negative log likelihood of class-index targets given log-probabilities:
 * `l_i = -weight[t_i] * input[i, t_i]` (0 where `t_i = ignoreIndex`); `'mean'` divides the sum
 * by `sum_i weight[t_i]` over non-ignored targets (0 if all are ignored). Use after `logSoftmax`,
 * or use {@link crossEntropy} on logits. Entries of -∞ outside the target class (masked
 * log-probabilities) give a finite loss and gradient, as in PyTorch.
 *
 * @param input - log-probabilities, shape [N, C], [N, C, d1, ...] or [C]
 * @param target - int32 class indices in [0, C), shape [N], [N, d1, ...] or []
 * @returns a scalar, or shape [N, d1, ...] for `reduction: 'none'`
 * @throws DTypeError/ShapeError for targets that are not int32 of the right shape; ValueError for a class out of range
 * @example
 * const logProbs = tensor([[-0.5, -1], [-2, -0.1]]);
 * F.nllLoss(logProbs, tensor([0, 1], { dtype: 'int32' })).item(); // 0.3 ((0.5 + 0.1) / 2)
 */
export function nllLoss(input: Tensor, target: Tensor, opts?: NLLLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('nllLoss', 'input', input);
  requireTensor('nllLoss', 'target', target);
  checkClassInput('nllLoss', input, opts.weight);
  const expected = indexTargetShape(input.shape);
  if (target.dtype !== 'int32' || !shapesEqual(target.shape, expected))
    throw new (target.dtype !== 'int32' ? DTypeError : ShapeError)(
      `nllLoss: target must be int32 class indices of shape ${letters(input.ndim, false)}; ` +
        `got target.shape=${fmtShape(target.shape)} (${target.dtype}) for input.shape=${fmtShape(input.shape)}` +
        intHint(target, expected),
    );
  return classIndexLoss('nllLoss', input, target, opts);
}

/**
 * Module form of {@link nllLoss}; `weight` is kept as a buffer (state-dict key `weight`).
 *
 * Shape: input [N, C] or [N, C, d1, ...] log-probabilities, target [N] or [N, d1, ...] int32
 * -> scalar, or [N, d1, ...] with `reduction: 'none'`.
 *
 * @example
 * const logProbs = tensor([[-0.5, -1], [-2, -0.1]]);
 * const labels = tensor([0, 1], { dtype: 'int32' });
 * new NLLLoss({ ignoreIndex: 0 }).call(logProbs, labels).item(); // 0.1 (row 0 ignored)
 */
export class NLLLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the per-target losses are combined. */
  readonly reduction: Reduction;
  /** The class index that is ignored. */
  readonly ignoreIndex: number;
  constructor(opts?: NLLLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    checkReduction('NLLLoss', this.reduction);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.getBuffer('weight') });
  }
}

