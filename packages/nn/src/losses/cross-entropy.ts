import { DTypeError, ShapeError, ValueError, checkOptions, defineOptions, fmtShape, isFloating, shapesEqual, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, weight: 'tensor|null', ignoreIndex: 'integer', labelSmoothing: 'number' };
const OPTS = defineOptions('crossEntropy', TYPES);
const MODULE_OPTS = defineOptions('CrossEntropyLoss', TYPES);
import { checkClassInput, classIndexLoss, indexTargetShape, intHint, letters } from './nll-loss.js';

/**
 * Options of {@link crossEntropy}.
 *
 * @example
 * const logits = tensor([[0, 0], [5, 0]]);
 * const labels = tensor([0, -100], { dtype: 'int32' });
 * new CrossEntropyLoss({ ignoreIndex: -100 }).call(logits, labels).item(); // 0.693147 (row 1 ignored)
 */
export interface CrossEntropyLossOptions extends LossOptions {
  /** A rescaling weight per class, shape [C] (treated as a constant). */
  weight?: Tensor | null;
  /** Class-index targets equal to this add nothing to the loss nor to the mean's denominator (default -100). */
  ignoreIndex?: number;
  /** Label smoothing ε in [0, 1]: the target becomes `(1 - ε) target + ε / C` (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits and targets, `logSoftmax` built in (stable for logits of ±1000).
 * With `logp = logSoftmax(input, 1)`:
 *
 * - class-index targets t (int32): `l_i = -(1 - ε) w[t_i] logp[i, t_i] - (ε / C) sum_c w[c] logp[i, c]`,
 *   0 where `t_i = ignoreIndex`; `'mean'` divides by `sum_i w[t_i]` over non-ignored targets (as PyTorch);
 * - probability targets p (float, shape of input): `l_i = -sum_c w[c] p'[i, c] logp[i, c]` with
 *   `p' = (1 - ε) p + ε / C`; `'mean'` divides by the number of targets.
 *
 * Masked logits: a logit of -∞ in a class other than the target gives a finite loss and gradient
 * with class-index targets, as in PyTorch (the target column is picked, nothing is multiplied by
 * a zero coefficient). With label smoothing ε > 0 the smoothing term sums `logp` over every
 * class, so such a row's loss is +∞, as in PyTorch (its gradient stays finite); a -∞ logit where a
 * probability target is 0 gives NaN, as in PyTorch.
 *
 * @param input - logits, shape [N, C], [N, C, d1, ...] or [C]
 * @param target - int32 class indices of shape [N] ([N, d1, ...], []) or probabilities of the input's shape
 * @returns a scalar, or shape [N, d1, ...] for `reduction: 'none'`
 * @throws ShapeError `crossEntropy: target must be int32 class indices of shape [N] or probabilities of shape [N,C]; got target.shape=[3,2] (float32) for input.shape=[3,4]`
 * @throws ValueError for a class index out of range, labelSmoothing outside [0, 1], or ignoreIndex with probability targets
 * @example
 * const logits = tensor([[2, 0, -1], [0, 3, 0]]);
 * F.crossEntropy(logits, tensor([0, 1], { dtype: 'int32' })).item(); // 0.132384
 */
export function crossEntropy(input: Tensor, target: Tensor, opts?: CrossEntropyLossOptions): Tensor {
  const op = 'crossEntropy';
  opts = checkOptions(OPTS, opts);
  requireTensor(op, 'input', input);
  requireTensor(op, 'target', target);
  checkClassInput(op, input, opts.weight);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ValueError(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction);
  const classDim = input.ndim === 1 ? 0 : 1;
  const logp = input.logSoftmax(classDim);
  if (target.dtype === 'int32' && shapesEqual(target.shape, indexTargetShape(input.shape)))
    return classIndexLoss(op, logp, target, opts);
  if (isFloating(target.dtype) && shapesEqual(target.shape, input.shape)) {
    const ignoreIndex = opts.ignoreIndex ?? -100;
    if (ignoreIndex >= 0) throw new ValueError(`${op}: ignoreIndex=${ignoreIndex} is not supported for probability targets`);
    const C = input.shape[classDim]!;
    let p = eps > 0 ? target.mul(1 - eps).add(eps / C) : target;
    if (opts.weight) p = p.mul(opts.weight.reshape(input.shape.map((d, i) => (i === classDim ? d : 1))));
    return reduce(op, logp.mul(p).sum(classDim).neg(), reduction);
  }
  const Err = target.dtype === 'int32' || isFloating(target.dtype) ? ShapeError : DTypeError;
  throw new Err(
    `${op}: target must be int32 class indices of shape ${letters(input.ndim, false)} or probabilities of shape ` +
      `${letters(input.ndim, true)}; got target.shape=${fmtShape(target.shape)} (${target.dtype}) for input.shape=${fmtShape(input.shape)}` +
      intHint(target, indexTargetShape(input.shape)),
  );
}

/**
 * Module form of {@link crossEntropy}; `weight` is kept as a buffer (state-dict key `weight`).
 *
 * Shape: input [N, C] or [N, C, d1, ...] logits; target [N] / [N, d1, ...] int32 class indices or
 * probabilities of the input's shape -> scalar, or [N, d1, ...] with `reduction: 'none'`.
 *
 * @example
 * const model = new Linear(4, 3);
 * const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = lossFn.call(model.call(randn([8, 4])), randint(0, 3, [8]));
 * loss.backward();
 * model.weight.grad!.shape; // [3, 4]
 */
export class CrossEntropyLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the per-target losses are combined. */
  readonly reduction: Reduction;
  /** The class index that is ignored. */
  readonly ignoreIndex: number;
  /** The label smoothing ε. */
  readonly labelSmoothing: number;
  constructor(opts?: CrossEntropyLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    checkReduction('CrossEntropyLoss', this.reduction);
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1))
      throw new ValueError(`CrossEntropyLoss: labelSmoothing must be in [0, 1], got ${this.labelSmoothing}`);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      weight: this.getBuffer('weight'),
    });
  }
}
