import {
  DTypeError, ShapeError, Tensor, ValueError, cat, checkOptions, defineOptions, fmtShape, full, isFloating, logsumexp, stack,
  tensor, where,
} from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, type LossOptions, type Reduction } from './reduction.js';

const TYPES = { reduction: REDUCTION, blank: 'integer', zeroInfinity: 'boolean' };
const OPTS = defineOptions('ctcLoss', TYPES);
const MODULE_OPTS = defineOptions('CTCLoss', TYPES);

/**
 * Options of {@link ctcLoss}.
 *
 * @example
 * const opts: CTCLossOptions = { blank: 0, zeroInfinity: true, reduction: 'sum' };
 * new CTCLoss(opts).blank; // 0
 */
export interface CTCLossOptions extends LossOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** Replace the infinite loss of an impossible alignment (and its gradient) by 0 (default false). */
  zeroInfinity?: boolean;
}

/** Stands for log 0 in the recursion: finite, so that logsumexp's gradient is 0, not NaN, where every path is impossible. */
const NEG = -1e30;

function lengths(name: string, v: Tensor | readonly number[], N: number): number[] {
  const out = v instanceof Tensor ? (Array.from(v.data) as number[]) : [...v];
  if (out.length !== N || !out.every((x) => Number.isInteger(x) && x >= 0))
    throw new ValueError(`ctcLoss: ${name} must hold ${N} non-negative integers, got ${JSON.stringify(out)}`);
  return out;
}

/** `-log p(target | logProbs)` of one sample by the forward (alpha) recursion in log space, in tensor ops. */
function sampleLoss(lp: Tensor, labels: number[], blank: number): { loss: Tensor; impossible: boolean } {
  const T = lp.shape[0]!;
  const ext = [blank];
  for (const l of labels) ext.push(l, blank);
  const L = ext.length;
  const E = lp.indexSelect(1, tensor(ext, { dtype: 'int32' })); // [T, L]: the emission of each extended label
  const init = tensor(ext.map((_, s) => s < 2), { dtype: 'bool' });
  const skip = tensor(ext.map((l, s) => s >= 2 && l !== blank && l !== ext[s - 2]), { dtype: 'bool' });
  const neg = (n: number) => full([n], NEG, { dtype: lp.dtype });
  let alpha = where(init, E.select(0, 0), NEG);
  for (let t = 1; t < T; t++) {
    const parts = [alpha];
    if (L > 1) parts.push(cat([neg(1), alpha.narrow(0, 0, L - 1)]));
    if (L > 2) parts.push(where(skip, cat([neg(2), alpha.narrow(0, 0, L - 2)]), NEG));
    alpha = logsumexp(stack(parts), 0).add(E.select(0, t));
  }
  const ll = logsumexp(alpha.narrow(0, Math.max(0, L - 2), Math.min(2, L)), 0);
  return { loss: ll.neg(), impossible: ll.item() < NEG / 10 };
}

/**
 * Connectionist temporal classification loss (Graves et al. 2006): `-log` of the total
 * probability of every alignment of the target with the input frames (blanks between labels,
 * repeats merged), computed by the forward recursion in log space with tensor ops, so that
 * autograd gives the gradient. `'mean'` divides each sample's loss by its target length (at least
 * 1) and averages over the batch, as PyTorch. An impossible alignment (a target too long for its
 * input) gives +inf with a zero gradient, or 0 with `zeroInfinity`.
 *
 * @param logProbs - log-probabilities (e.g. from `logSoftmax(…, 2)`), shape [T, N, C] (or [T, C])
 * @param targets - int32 labels in [0, C) other than blank: padded [N, S], or all concatenated [sum(targetLengths)] (or [S] unbatched)
 * @param inputLengths - frames used per sample (<= T), a tensor or array of N integers
 * @param targetLengths - labels per sample, a tensor or array of N integers
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ShapeError/DTypeError for wrong shapes or dtypes; ValueError for bad lengths or labels
 * @example
 * const logProbs = tensor([[[0, -Infinity]], [[-Infinity, 0]]]).reshape([2, 1, 2]); // certain: blank then 1
 * F.ctcLoss(logProbs, tensor([[1]], { dtype: 'int32' }), [2], [1]).item(); // 0
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Tensor | readonly number[],
  targetLengths: Tensor | readonly number[],
  opts?: CTCLossOptions,
): Tensor {
  opts = checkOptions(OPTS, opts);
  const reduction = opts.reduction ?? 'mean';
  checkReduction('ctcLoss', reduction);
  const blank = opts.blank ?? 0;
  requireTensor('ctcLoss', 'logProbs', logProbs);
  requireTensor('ctcLoss', 'targets', targets);
  if (!isFloating(logProbs.dtype)) throw new DTypeError(`ctcLoss: logProbs must be a floating point tensor, got ${logProbs.dtype}`);
  if (targets.dtype !== 'int32') throw new DTypeError(`ctcLoss: targets must be int32 labels, got ${targets.dtype}; convert with targets.int()`);
  const unbatched = logProbs.ndim === 2;
  if (logProbs.ndim !== 3 && !unbatched)
    throw new ShapeError(`ctcLoss: logProbs must be [T, N, C] or [T, C], got logProbs.shape=${fmtShape(logProbs.shape)}`);
  const lp3 = unbatched ? logProbs.unsqueeze(1) : logProbs;
  const [T, N, C] = lp3.shape as [number, number, number];
  if (!(blank >= 0 && blank < C)) throw new ValueError(`ctcLoss: blank ${blank} is out of range for ${C} classes`);
  const inLens = lengths('inputLengths', inputLengths instanceof Tensor ? inputLengths.reshape([-1]) : inputLengths, N);
  const tgLens = lengths('targetLengths', targetLengths instanceof Tensor ? targetLengths.reshape([-1]) : targetLengths, N);
  const tg = Array.from(targets.data) as number[];
  const padded = !unbatched && targets.ndim === 2;
  if (padded ? targets.shape[0] !== N : targets.ndim !== 1)
    throw new ShapeError(`ctcLoss: targets must be [N, S] or 1-d, got targets.shape=${fmtShape(targets.shape)} for logProbs.shape=${fmtShape(logProbs.shape)}`);
  const S = padded ? targets.shape[1]! : 0;
  let offset = 0;
  const losses: Tensor[] = [];
  for (let n = 0; n < N; n++) {
    const Tn = inLens[n]!, Sn = tgLens[n]!;
    if (Tn < 1 || Tn > T) throw new ValueError(`ctcLoss: inputLengths[${n}] = ${Tn} must be in [1, ${T}]`);
    const start = padded ? n * S : offset;
    if ((padded && Sn > S) || start + Sn > tg.length)
      throw new ValueError(`ctcLoss: targetLengths[${n}] = ${Sn} exceeds the targets (targets.shape=${fmtShape(targets.shape)})`);
    const labels = tg.slice(start, start + Sn);
    offset += Sn;
    for (const l of labels)
      if (!(l >= 0 && l < C) || l === blank) throw new ValueError(`ctcLoss: target label ${l} of sample ${n} must be in [0, ${C}) and not the blank ${blank}`);
    const { loss, impossible } = sampleLoss(lp3.select(1, n).narrow(0, 0, Tn), labels, blank);
    // The impossible case keeps the graph (a zero gradient), as PyTorch's zeroInfinity.
    losses.push(impossible ? where(tensor(true), opts.zeroInfinity ? 0 : Infinity, loss) : loss);
  }
  let loss = stack(losses);
  if (unbatched) loss = loss.reshape([]);
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  return loss.div(tensor(tgLens.map((s) => Math.max(s, 1)), { dtype: loss.dtype }).reshape(loss.shape)).mean();
}

/**
 * Module form of {@link ctcLoss}: `call(logProbs, targets, inputLengths, targetLengths)`.
 *
 * Shape: logProbs [T, N, C], targets [N, S] or [sum(targetLengths)] int32, inputLengths [N],
 * targetLengths [N] -> scalar, or [N] with `reduction: 'none'`.
 *
 * @example
 * const logProbs = tensor([[[0, -Infinity]], [[-Infinity, 0]]]).reshape([2, 1, 2]);
 * new CTCLoss().call(logProbs, tensor([[1]], { dtype: 'int32' }), [2], [1]).item(); // 0
 */
export class CTCLoss extends Module<[Tensor, Tensor, Tensor | readonly number[], Tensor | readonly number[]], Tensor> {
  /** How the per-sample losses are combined. */
  readonly reduction: Reduction;
  /** The blank label. */
  readonly blank: number;
  /** Whether impossible alignments count 0 instead of inf. */
  readonly zeroInfinity: boolean;
  constructor(opts?: CTCLossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    this.blank = opts.blank ?? 0;
    this.zeroInfinity = opts.zeroInfinity ?? false;
    checkReduction('CTCLoss', this.reduction);
  }
  override extraRepr(): string {
    return `blank=${this.blank}, zeroInfinity=${this.zeroInfinity}`;
  }
  forward(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | readonly number[], targetLengths: Tensor | readonly number[]): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { reduction: this.reduction, blank: this.blank, zeroInfinity: this.zeroInfinity });
  }
}
