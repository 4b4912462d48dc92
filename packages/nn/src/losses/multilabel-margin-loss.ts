import { DTypeError, ShapeError, Tensor, ValueError, checkOptions, defineOptions, fmtShape, isFloating, shapesEqual } from '@tapegrad/core';
import { Module } from '../module.js';
import { requireTensor } from '../options.js';
import { REDUCTION, checkReduction, reduce, type LossOptions, type Reduction } from './reduction.js';

const OPTS = defineOptions('multilabelMarginLoss', { reduction: REDUCTION });
const MODULE_OPTS = defineOptions('MultiLabelMarginLoss', { reduction: REDUCTION });

/**
 * The pair weights of the multi-label hinge: `m[n, j, i]` = how often class j is listed among
 * sample n's targets (those before the first -1), times 1 if class i is not listed. Read from
 * the int32 targets, N × C × C values.
 */
function pairWeights(target: Tensor, N: number, C: number, dtype: 'float32' | 'float64', inputShape: readonly number[]): Tensor {
  const t = target.data;
  const m = dtype === 'float64' ? new Float64Array(N * C * C) : new Float32Array(N * C * C);
  const count = new Array<number>(C);
  for (let n = 0; n < N; n++) {
    count.fill(0);
    for (let k = 0; k < C; k++) {
      const cls = t[n * C + k]!;
      if (cls === -1) break;
      if (!(cls >= 0 && cls < C))
        throw new ValueError(
          `multilabelMarginLoss: target ${cls} at flat index ${n * C + k} is out of range for ${C} classes (use -1 to end a sample's list; input.shape=${fmtShape(inputShape)})`,
        );
      count[cls]!++;
    }
    for (let j = 0; j < C; j++) {
      if (count[j] === 0) continue;
      for (let i = 0; i < C; i++) if (count[i] === 0) m[(n * C + j) * C + i] = count[j]!;
    }
  }
  return Tensor.fromData(m, [N, C, C], dtype);
}

/**
 * Multi-class multi-label hinge loss (PyTorch's `multilabel_margin_loss`): each sample lists its
 * classes in `target`, ended by the first -1; with J those classes,
 * `l = (1 / C) sum_{j in J} sum_{i not in J} max(0, 1 - (x[j] - x[i]))`; reduced over samples by
 * `reduction`.
 *
 * @param input - scores, shape [N, C] (or [C])
 * @param target - int32, same shape as input: class indices, then -1 (and anything) after the last
 * @returns a scalar, or shape [N] for `reduction: 'none'`
 * @throws ShapeError/DTypeError for wrong shapes or dtypes; ValueError for a class out of range
 * @example
 * const y = tensor([[3, 0, -1, 1]], { dtype: 'int32' }); // classes 3 and 0
 * F.multilabelMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), y).item(); // 0.85 ((1.1 + 1.3 + 0.5 + 0.5) / 4)
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  opts = checkOptions(OPTS, opts);
  requireTensor('multilabelMarginLoss', 'input', input);
  requireTensor('multilabelMarginLoss', 'target', target);
  if (!isFloating(input.dtype)) throw new DTypeError(`multilabelMarginLoss: input must be a floating point tensor, got ${input.dtype}`);
  if (target.dtype !== 'int32')
    throw new DTypeError(`multilabelMarginLoss: target must be int32 class indices, got ${target.dtype}; convert with target.int()`);
  if ((input.ndim !== 1 && input.ndim !== 2) || !shapesEqual(input.shape, target.shape))
    throw new ShapeError(
      `multilabelMarginLoss: expected input and target of the same shape [N, C] or [C], got input.shape=${fmtShape(input.shape)}, target.shape=${fmtShape(target.shape)}`,
    );
  const C = input.shape[input.ndim - 1]!;
  const N = input.ndim === 2 ? input.shape[0]! : 1;
  const x = input.reshape([N, C]);
  const m = pairWeights(target, N, C, input.dtype === 'float64' ? 'float64' : 'float32', input.shape);
  // z[n, j, i] = 1 - x[n, j] + x[n, i]; relu's gradient is 0 at z = 0, as PyTorch's `z > 0`.
  const z = x.unsqueeze(1).sub(x.unsqueeze(2)).add(1);
  let loss = z.relu().mul(m).sum([1, 2]).div(C);
  if (input.ndim === 1) loss = loss.reshape([]);
  return reduce('multilabelMarginLoss', loss, opts.reduction);
}

/**
 * Module form of {@link multilabelMarginLoss}.
 *
 * Shape: input [N, C] scores, target [N, C] int32 (class lists ended by -1) -> scalar, or [N]
 * with `reduction: 'none'`.
 *
 * @example
 * const y = tensor([[1, -1]], { dtype: 'int32' });
 * new MultiLabelMarginLoss().call(tensor([[0, 2]]), y).item(); // 0
 */
export class MultiLabelMarginLoss extends Module<[Tensor, Tensor], Tensor> {
  /** How the per-sample losses are combined. */
  readonly reduction: Reduction;
  constructor(opts?: LossOptions) {
    super();
    opts = checkOptions(MODULE_OPTS, opts);
    this.reduction = opts.reduction ?? 'mean';
    checkReduction('MultiLabelMarginLoss', this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}
