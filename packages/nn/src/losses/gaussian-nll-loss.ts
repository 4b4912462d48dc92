import {
  ShapeError, ValueError, broadcastShapes, checkOptions, defineFunction, defineOptions, fmtShape, shapesEqual, type Tensor,
} from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, full: 'boolean', eps: 'number' };
const OPTS = defineOptions('gaussianNllLoss', TYPES);
const MODULE_OPTS = defineOptions('GaussianNLLLoss', TYPES);

/**
 * Options of {@link gaussianNllLoss}.
 *
 * @example
 * const opts: GaussianNLLLossOptions = { full: true, eps: 1e-4 };
 * new GaussianNLLLoss(opts).call(tensor([0]), tensor([0]), tensor([1])).item(); // 0.918939 (0.5 log 2π)
 */
export interface GaussianNLLLossOptions extends LossOptions {
  /** Add the constant `0.5 log(2π)` (default false). */
  full?: boolean;
  /** The variance is clamped below at eps for the loss, not for its gradient (default 1e-6). */
  eps?: number;
}

/**
 * Clamps below at `eps` with the gradient of the identity, as PyTorch's `var.clamp_(min=eps)`
 * under `no_grad`: the gradient flows to the variance even where it was clamped.
 */
function clampStraightThrough(eps: number): (v: Tensor) => Tensor {
  return defineFunction<[Tensor]>({
    name: 'gaussianNllLoss',
    forward: (_ctx, v) => v.clamp(eps),
    backward: (_ctx, g) => [g],
  });
}

/**
 * Gaussian negative log likelihood with a predicted variance:
 * `l = 0.5 (log(max(var, eps)) + (input - target)² / max(var, eps))` (+ `0.5 log(2π)` with
 * `full`); reduced by `reduction`. As in PyTorch, the clamp at eps does not stop the variance's
 * gradient, and `var` may be one dim short of the input (or have size 1 in the last dim) for one
 * variance per sample.
 *
 * @param input - the predicted means, shape [N, *] (or [*])
 * @param target - broadcastable with input
 * @param variance - non-negative, same shape as input, or that shape without its last dim or with 1 there
 * @returns a scalar, or the loss per element for `reduction: 'none'`
 * @throws ValueError for a negative variance; ShapeError for a variance of another shape
 * @example
 * F.gaussianNllLoss(tensor([0, 0]), tensor([1, 2]), tensor([1, 4])).item(); // 0.846574 ((0.5 + 0.5 log 4 + 0.5) / 2)
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts?: GaussianNLLLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('gaussianNllLoss', 'input', input);
  requireTensor('gaussianNllLoss', 'target', target);
  requireTensor('gaussianNllLoss', 'var', variance);
  const eps = opts.eps ?? 1e-6;
  if (!(eps >= 0)) throw new ValueError(`gaussianNllLoss: eps must be non-negative, got ${eps}`);
  let v = variance;
  if (!shapesEqual(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (input.ndim > 0 && shapesEqual(v.shape, lead)) v = v.unsqueeze(-1);
    else if (!(input.ndim > 0 && v.ndim === input.ndim && shapesEqual(v.shape.slice(0, -1), lead) && v.shape[v.ndim - 1] === 1))
      throw new ShapeError(
        `gaussianNllLoss: var.shape=${fmtShape(v.shape)} must equal input.shape=${fmtShape(input.shape)}, or be that without its last dim, or with size 1 in it`,
      );
  }
  broadcastShapes('gaussianNllLoss', input.shape, target.shape);
  const vd = v.data;
  for (let i = 0; i < vd.length; i++)
    if (vd[i]! < 0) throw new ValueError(`gaussianNllLoss: var must be non-negative, got ${vd[i]} at flat index ${i}`);
  const vc = clampStraightThrough(eps)(v);
  const d = input.sub(target);
  let loss = vc.log().add(d.mul(d).div(vc)).mul(0.5);
  if (opts.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce('gaussianNllLoss', loss, opts.reduction);
}

/**
 * Module form of {@link gaussianNllLoss}: `call(input, target, var)`.
 *
 * Shape: input [N, *], target [N, *], var [N, *] (or [N, *] without the last dim, or with 1
 * there) -> scalar, or [N, *] with `reduction: 'none'`.
 *
 * @example
 * new GaussianNLLLoss().call(tensor([[1, 2]]), tensor([[1, 2]]), tensor([1])).item(); // 0
 */
export class GaussianNLLLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  /** How the element-wise losses are combined. */
  readonly reduction: Reduction;
  /** Whether the constant term is added. */
  readonly full: boolean;
  /** The clamp of the variance. */
  readonly eps: number;
  constructor(opts?: GaussianNLLLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-6;
    checkReduction('GaussianNLLLoss', this.reduction);
  }
  override extraRepr(): string {
    return `full=${this.full}, eps=${this.eps}`;
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, { reduction: this.reduction, full: this.full, eps: this.eps });
  }
}
