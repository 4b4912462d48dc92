import { Tensor, DTypeError, ShapeError, ValueError, allocate, fmtShape, isFloating, shapesEqual } from '@tapegrad/core';
import { Module } from '../module.js';
import { checkReduction, type LossOptions, type Reduction } from './reduction.js';

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
 * The loss `-sum_c coef[n, c, ...] logp[n, c, ...]` for class-index targets, where coef holds
 * `(1 - ε) w[t]` at the target class plus `ε w[c] / C` for every class (label smoothing ε),
 * and zeros for ignored targets. The mean divides by the sum of `w[t]` over non-ignored targets,
 * as PyTorch does; it is 0 (not NaN) when every target is ignored.
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
  const [N, C] = lp.shape as [number, number];
  const S = lp.shape.slice(2).reduce((a, b) => a * b, 1);
  const t = target.data;
  const w = opts.weight ? opts.weight.data : null;
  const coef = allocate(lp.dtype, lp.numel);
  let denom = 0;
  for (let n = 0; n < N; n++)
    for (let s = 0; s < S; s++) {
      const k = n * S + s;
      const cls = t[k]!;
      if (cls === ignoreIndex) continue;
      if (cls < 0 || cls >= C)
        throw new ValueError(
          `${op}: target ${cls} at flat index ${k} is out of range for ${C} classes (ignoreIndex=${ignoreIndex}, input.shape=${fmtShape(logp.shape)})`,
        );
      const wt = w ? w[cls]! : 1;
      denom += wt;
      coef[(n * C + cls) * S + s]! += (1 - eps) * wt;
      if (eps > 0) for (let c = 0; c < C; c++) coef[(n * C + c) * S + s]! += (eps / C) * (w ? w[c]! : 1);
    }
  let loss = lp.mul(Tensor.fromData(coef, lp.shape, lp.dtype)).sum(1).neg();
  if (unbatched) loss = loss.reshape([]);
  if (reduction === 'none') return loss;
  const total = loss.sum();
  if (reduction === 'sum' || denom === 0) return total;
  return total.div(denom);
}

/**
 * Negative log likelihood of class-index targets given log-probabilities:
 * `l_i = -weight[t_i] * input[i, t_i]` (0 where `t_i = ignoreIndex`); `'mean'` divides the sum
 * by `sum_i weight[t_i]` over non-ignored targets (0 if all are ignored). Use after `logSoftmax`,
 * or use {@link crossEntropy} on logits.
 *
 * @param input - log-probabilities, shape [N, C], [N, C, d1, ...] or [C]
 * @param target - int32 class indices in [0, C), shape [N], [N, d1, ...] or []
 * @returns a scalar, or shape [N, d1, ...] for `reduction: 'none'`
 * @throws DTypeError/ShapeError for targets that are not int32 of the right shape; ValueError for a class out of range
 * @example
 * const logProbs = tensor([[-0.5, -1], [-2, -0.1]]);
 * F.nllLoss(logProbs, tensor([0, 1], { dtype: 'int32' })).item(); // 0.3 ((0.5 + 0.1) / 2)
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  checkClassInput('nllLoss', input, opts.weight);
  const expected = indexTargetShape(input.shape);
  if (target.dtype !== 'int32' || !shapesEqual(target.shape, expected))
    throw new (target.dtype !== 'int32' ? DTypeError : ShapeError)(
      `nllLoss: target must be int32 class indices of shape ${letters(input.ndim, false)}; ` +
        `got target.shape=${fmtShape(target.shape)} (${target.dtype}) for input.shape=${fmtShape(input.shape)}`,
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
  constructor(opts: NLLLossOptions = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    checkReduction('NLLLoss', this.reduction);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.getBuffer('weight') });
  }
}

