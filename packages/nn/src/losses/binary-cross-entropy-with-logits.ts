import { Tensor, ShapeError, checkOptions, defineFunction, defineOptions, full, fmtShape, broadcastShapes } from '@tapegrad/core';
import { Module } from '../module.js';
import { REDUCTION, checkReduction, checkSameShape, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, weight: 'tensor|null', posWeight: 'tensor|null' };
const OPTS = defineOptions('binaryCrossEntropyWithLogits', TYPES);
const MODULE_OPTS = defineOptions('BCEWithLogitsLoss', TYPES);

/**
 * Options of {@link binaryCrossEntropyWithLogits}.
 *
 * @example
 * const opts: BCEWithLogitsLossOptions = { posWeight: tensor([2]), reduction: 'sum' };
 * new BCEWithLogitsLoss(opts).call(tensor([0]), tensor([1])).item(); // 1.386294 (2 log 2)
 */
export interface BCEWithLogitsLossOptions extends LossOptions {
  /** Per-element rescaling weight, broadcastable to the input's shape. */
  weight?: Tensor | null;
  /** Weight of the positive term, broadcastable to the input (e.g. shape [C] for input [N, C]). */
  posWeight?: Tensor | null;
}

/** `softplus(-x) = log(1 + e^-x) = log1p(e^-|x|) + max(-x, 0)`: never overflows, exact for large |x|. */
function softplusNeg(x: Tensor): Tensor {
  return x.abs().neg().exp().log1p().add(x.neg().relu());
}

// Element-wise loss `(1 - y) x + (1 + (p - 1) y) softplus(-x)` with its own backward, so that the
// gradient is right at x = 0 (the |x| and max pieces are not differentiable there, their sum is).
const bceLogitsElementwise = defineFunction<[Tensor, Tensor, Tensor]>({
  name: 'binaryCrossEntropyWithLogits',
  forward(ctx, x, y, p) {
    ctx.saveForBackward(x, y, p);
    const coef = p.sub(1).mul(y).add(1);
    return y.neg().add(1).mul(x).add(coef.mul(softplusNeg(x)));
  },
  backward(_ctx, g, [x, y, p]) {
    const coef = p!.sub(1).mul(y!).add(1);
    const sp = softplusNeg(x!);
    const gx = g.mul(y!.neg().add(1).sub(coef.mul(x!.neg().sigmoid())));
    const gy = g.mul(p!.sub(1).mul(sp).sub(x!));
    const gp = g.mul(y!.mul(sp));
    return [gx, gy, gp];
  },
});

/**
 * Binary cross entropy on logits (sigmoid built in), computed stably:
 * `l_i = w_i [max(x_i, 0) - x_i y_i + log(1 + e^{-|x_i|})]`, and with `posWeight` p:
 * `l_i = w_i [(1 - y_i) x_i + (1 + (p - 1) y_i) log(1 + e^{-x_i})]`. Finite and accurate for
 * logits of ±1000; reduced by `reduction`.
 *
 * @param input - logits, shape [*]
 * @param target - same shape as input, values in [0, 1]
 * @returns a scalar, or shape [*] for `reduction: 'none'`
 * @throws ShapeError when the shapes differ or posWeight does not broadcast
 * @example
 * F.binaryCrossEntropyWithLogits(tensor([1000, -1000]), tensor([1, 0])).item(); // 0
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts?: BCEWithLogitsLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  checkSameShape('binaryCrossEntropyWithLogits', input, target);
  const p = opts.posWeight ?? full([], 1, { dtype: input.dtype });
  try {
    broadcastShapes('binaryCrossEntropyWithLogits', p.shape, input.shape);
  } catch {
    throw new ShapeError(
      `binaryCrossEntropyWithLogits: posWeight.shape=${fmtShape(p.shape)} does not broadcast to input.shape=${fmtShape(input.shape)}`,
    );
  }
  let loss = bceLogitsElementwise(input, target.dtype === input.dtype ? target : target.to(input.dtype), p);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropyWithLogits', loss, opts.reduction);
}

/**
 * Module form of {@link binaryCrossEntropyWithLogits}; `weight` and `posWeight` are kept as
 * buffers (state-dict keys `weight`, `pos_weight`).
 *
 * Shape: input [*] logits, target [*] (same) -> scalar, or [*] with `reduction: 'none'`.
 *
 * @example
 * const logits = tensor([0, 0]), y = tensor([1, 0]);
 * new BCEWithLogitsLoss({ posWeight: tensor([3]) }).call(logits, y).item(); // 1.386294 ((3 log 2 + log 2) / 2)
 */
export class BCEWithLogitsLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: BCEWithLogitsLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('BCEWithLogitsLoss', this.reduction);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('pos_weight', opts.posWeight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      reduction: this.reduction,
      weight: this.getBuffer('weight'),
      posWeight: this.getBuffer('pos_weight'),
    });
  }
}
