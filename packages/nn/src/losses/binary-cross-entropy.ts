import { Tensor, ValueError, checkOptions, defineFunction, defineOptions, fmtShape } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, weight: 'tensor|null' };
const OPTS = defineOptions('binaryCrossEntropy', TYPES);
const MODULE_OPTS = defineOptions('BCELoss', TYPES);

/**
 * Options of {@link binaryCrossEntropy}.
 *
 * @example
 * const opts: BCELossOptions = { weight: tensor([2, 0]) };
 * new BCELoss(opts).call(tensor([0.5, 0.5]), tensor([1, 1])).item(); // 0.693147 ((2 log 2 + 0) / 2)
 */
export interface BCELossOptions extends LossOptions {
  /** Per-element rescaling weight, broadcastable to the input's shape. */
  weight?: Tensor | null;
}

/** `log(t)` clamped below at -100, as PyTorch does, so that probabilities of 0 or 1 give no Infinity. */
function clampedLog(t: Tensor): Tensor {
  return t.log().clamp(-100);
}

// Element-wise BCE with PyTorch's gradient: d/dx = (x - y) / max(x (1 - x), 1e-12), finite even at
// x = 0 or 1, where the gradient of the clamped logs alone would be 0 * Infinity.
const bceElementwise = defineFunction<[Tensor, Tensor]>({
  name: 'binaryCrossEntropy',
  forward(ctx, x, y) {
    ctx.saveForBackward(x, y);
    return y.mul(clampedLog(x)).add(y.neg().add(1).mul(clampedLog(x.neg().add(1)))).neg();
  },
  backward(_ctx, g, [x, y]) {
    const gx = g.mul(x!.sub(y!)).div(x!.neg().add(1).mul(x!).clamp(1e-12));
    const gy = g.mul(clampedLog(x!.neg().add(1)).sub(clampedLog(x!)));
    return [gx, gy];
  },
});

/**
 * Binary cross entropy between predicted probabilities and targets:
 * `l_i = -w_i [y_i log(x_i) + (1 - y_i) log(1 - x_i)]`, with each log clamped at -100 as in
 * PyTorch so the loss stays finite at x = 0 or 1; reduced by `reduction`. Prefer
 * {@link binaryCrossEntropyWithLogits} on logits, which is more accurate.
 *
 * @param input - probabilities in [0, 1], shape [*]
 * @param target - same shape as input, values in [0, 1]
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ValueError when an input is outside [0, 1]; ShapeError when the shapes differ
 * @example
 * F.binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // 0.164252 ((-log 0.9 - log 0.8) / 2)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts?: BCELossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('binaryCrossEntropy', input, target);
  const x = input.data;
  for (let i = 0; i < x.length; i++)
    if (!(x[i]! >= 0 && x[i]! <= 1))
      throw new ValueError(
        `binaryCrossEntropy: every input must be a probability in [0, 1]; got ${x[i]} at flat index ${i} (input.shape=${fmtShape(input.shape)}); use binaryCrossEntropyWithLogits on logits`,
      );
  let loss = bceElementwise(input, target.dtype === input.dtype ? target : target.to(input.dtype));
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropy', loss, opts.reduction);
}

/**
 * Module form of {@link binaryCrossEntropy}; `weight` is kept as a buffer (state-dict key `weight`).
 *
 * Shape: input [*] probabilities, target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * const logits = tensor([0, 0]), y = tensor([1, 0]);
 * new BCELoss().call(F.sigmoid(logits), y).item(); // 0.693147 (log 2)
 */
export class BCELoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: BCELossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('BCELoss', this.reduction);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.getBuffer('weight') });
  }
}
