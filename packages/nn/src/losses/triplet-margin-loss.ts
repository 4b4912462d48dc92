import { ShapeError, ValueError, broadcastShapes, checkOptions, defineOptions, fmtShape, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, margin: 'number', p: 'number', eps: 'number', swap: 'boolean' };
const OPTS = defineOptions('tripletMarginLoss', TYPES);
const MODULE_OPTS = defineOptions('TripletMarginLoss', TYPES);

/**
 * Options of {@link tripletMarginLoss}.
 *
 * @example
 * const opts: TripletMarginLossOptions = { margin: 0.5, p: 1, swap: true };
 * new TripletMarginLoss(opts).margin; // 0.5
 */
export interface TripletMarginLossOptions extends LossOptions {
  /** The margin (default 1). */
  margin?: number;
  /** The norm degree of the distances (default 2). */
  p?: number;
  /** Added to the differences before their norm (default 1e-6). */
  eps?: number;
  /** Use the smaller of d(a, n) and d(p, n) as the negative distance (default false). */
  swap?: boolean;
}

/** PyTorch's `pairwise_distance`: `‖x1 - x2 + eps‖_p` over the last dim. */
function pairwiseDistance(x1: Tensor, x2: Tensor, p: number, eps: number): Tensor {
  return x1.sub(x2).add(eps).norm(p, -1);
}

function checkP(op: string, p: number): void {
  if (!(p > 0)) throw new ValueError(`${op}: p must be positive, got ${p}`);
}

/**
 * Triplet margin loss: with `d(a, b) = ‖a - b + eps‖_p` over the last dim,
 * `l_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin)` (with `swap`, the negative distance is
 * `min(d(a_i, n_i), d(p_i, n_i))`); reduced by `reduction`.
 *
 * @param anchor - shape [N, D] (or [D])
 * @param positive - broadcastable with anchor, same number of dims
 * @param negative - broadcastable with anchor, same number of dims
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ShapeError when the numbers of dims differ or the shapes do not broadcast; ValueError for p <= 0
 * @example
 * const a = tensor([[0, 0]]), pos = tensor([[0, 1]]), neg = tensor([[3, 0]]);
 * F.tripletMarginLoss(a, pos, neg, { eps: 0 }).item(); // 0 (max(0, 1 - 3 + 1))
 * F.tripletMarginLoss(a, pos, neg, { eps: 0, margin: 3 }).item(); // 1
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts?: TripletMarginLossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('tripletMarginLoss', 'anchor', anchor);
  requireTensor('tripletMarginLoss', 'positive', positive);
  requireTensor('tripletMarginLoss', 'negative', negative);
  const p = opts.p ?? 2;
  const eps = opts.eps ?? 1e-6;
  checkP('tripletMarginLoss', p);
  if (anchor.ndim !== positive.ndim || anchor.ndim !== negative.ndim || anchor.ndim === 0)
    throw new ShapeError(
      `tripletMarginLoss: anchor, positive and negative must have the same number of dims (at least 1), got anchor.shape=${fmtShape(anchor.shape)}, positive.shape=${fmtShape(positive.shape)}, negative.shape=${fmtShape(negative.shape)}`,
    );
  broadcastShapes('tripletMarginLoss', anchor.shape, positive.shape, negative.shape);
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (opts.swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps));
  const loss = dPos.sub(dNeg).add(opts.margin ?? 1).clamp(0);
  return reduce('tripletMarginLoss', loss, opts.reduction);
}

/**
 * Module form of {@link tripletMarginLoss}: `call(anchor, positive, negative)`.
 *
 * Shape: anchor, positive, negative [N, D] (or [D]) -> scalar, or [N] with `reduction: 'none'`.
 *
 * @throws ValueError for p <= 0
 * @example
 * const loss = new TripletMarginLoss({ margin: 2, eps: 0 });
 * loss.call(tensor([[0, 0]]), tensor([[0, 1]]), tensor([[2, 0]])).item(); // 1
 */
export class TripletMarginLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  /** How the per-triplet losses are combined. */
  readonly reduction: Reduction;
  /** The margin. */
  readonly margin: number;
  /** The norm degree. */
  readonly p: number;
  /** The guard added to the differences. */
  readonly eps: number;
  /** Whether the distance swap is used. */
  readonly swap: boolean;
  constructor(opts?: TripletMarginLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.margin = opts.margin ?? 1;
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
    checkReduction('TripletMarginLoss', this.reduction);
    checkP('TripletMarginLoss', this.p);
  }
  override extraRepr(): string {
    return `margin=${this.margin}, p=${this.p}, eps=${this.eps}, swap=${this.swap}`;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, {
      reduction: this.reduction, margin: this.margin, p: this.p, eps: this.eps, swap: this.swap,
    });
  }
}
