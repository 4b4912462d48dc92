import { ShapeError, ValueError, checkOptions, defineOptions, noGrad, fmtShape, type DTypeLike, type Tensor } from '@tapegrad/core';
import { batchNorm } from '../functional/layers.js';
import { NormBase } from './norm-base.js';

const TYPES = { eps: 'number', momentum: 'number|null', affine: 'boolean', trackRunningStats: 'boolean', dtype: 'string' };
const SPECS = { BatchNorm1d: defineOptions('BatchNorm1d', TYPES), BatchNorm2d: defineOptions('BatchNorm2d', TYPES) };

/**
 * Options of {@link BatchNorm1d} and {@link BatchNorm2d}.
 *
 * @example
 * new BatchNorm1d(4, { affine: false, momentum: 0.01 }).parameters().length; // 0
 * new BatchNorm1d(4, { eps: 1e-3 }).parameters().length; // 2
 */
export interface BatchNormLayerOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` and shift `bias` (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them, batch statistics are always used. */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default float32; PyTorch's names such as `'double'` are accepted). */
  dtype?: DTypeLike;
}

/**
 * Common part of {@link BatchNorm1d} and {@link BatchNorm2d}: normalises each channel (dim 1),
 * `y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias`.
 *
 * In training mode it uses the batch's mean and biased variance (over all dims but 1) and updates
 * the running statistics in place: `running = (1 - momentum) running + momentum stat`, with the
 * *unbiased* variance for `running_var` (as PyTorch), and counts `num_batches_tracked`; with
 * `momentum: null` the factor is `1 / num_batches_tracked`, so the running statistics are the
 * plain average of every batch's. In evaluation mode it uses the running statistics, or the
 * batch's when `trackRunningStats` is false (then there are no buffers). An empty batch gives an
 * empty output and leaves the statistics as they were (but is counted, as in PyTorch).
 *
 * Parameters `weight` (init 1) and `bias` (init 0), shape [C]; buffers `running_mean` (init 0),
 * `running_var` (init 1), shape [C], and `num_batches_tracked` (int32 scalar, init 0) — the
 * state-dict keys PyTorch uses.
 *
 * @example
 * const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU());
 * model.call(randn([8, 4])); // training mode: the running statistics move
 * const bns = model.modules().filter((m): m is BatchNormBase => m instanceof BatchNormBase);
 * bns.forEach((bn) => bn.resetRunningStats());
 * bns[0]!.getBuffer('running_var')!.toArray(); // [1, 1, 1]
 */
export abstract class BatchNormBase extends NormBase {
  constructor(numFeatures: number, opts?: BatchNormLayerOptions) {
    const name = new.target.name;
    opts = checkOptions(SPECS[name as keyof typeof SPECS] ?? defineOptions(name, TYPES), opts);
    super(numFeatures, {
      eps: opts.eps ?? 1e-5,
      momentum: opts.momentum === undefined ? 0.1 : opts.momentum,
      affine: opts.affine ?? true,
      trackRunningStats: opts.trackRunningStats ?? true,
      dtype: opts.dtype,
    });
  }

  /** @throws ShapeError unless the input has the dims this layer takes */
  protected abstract checkInputDim(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    if (x.shape[1] !== this.numFeatures)
      throw new ShapeError(`${this.typeName()}: expected ${this.numFeatures} channels in dim 1, got input.shape=${fmtShape(x.shape)}`);
    // As PyTorch's _BatchNorm.forward: batch statistics in training, and in evaluation when
    // there are no running ones; the running ones are updated only in training.
    const runningMean = this.runningMean, runningVar = this.runningVar;
    const useBatchStats = this.training || (runningMean === null && runningVar === null);
    if (useBatchStats && x.numel() / this.numFeatures === 1)
      throw new ValueError(`${this.typeName()}: expected more than 1 value per channel when training, got input.shape=${fmtShape(x.shape)}`);
    let factor = this.momentum ?? 0;
    const n = this.numBatchesTracked;
    if (this.training && this.trackRunningStats && n !== null) {
      noGrad(() => n.add_(1));
      if (this.momentum === null) factor = 1 / n.item();
    }
    const passStats = !this.training || this.trackRunningStats;
    return batchNorm(x, passStats ? runningMean : null, passStats ? runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] inputs (PyTorch's `nn.BatchNorm1d`); see
 * {@link BatchNormBase} for the formula, modes, parameters and buffers.
 *
 * Shape: input [N, C] or [N, C, L] -> output of the same shape.
 *
 * @example
 * const bn = new BatchNorm1d(64);
 * bn.call(randn([32, 64])); // training: batch statistics, running stats updated
 * bn.eval().call(randn([1, 64])).shape; // [1, 64] (evaluation: running statistics)
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new ShapeError(`BatchNorm1d: expected 2-D [N, C] or 3-D [N, C, L] input, got input.shape=${fmtShape(x.shape)}`);
  }
}

/**
 * Batch normalisation of image batches [N, C, H, W] (PyTorch's `nn.BatchNorm2d`); see
 * {@link BatchNormBase} for the formula, modes, parameters and buffers.
 *
 * Shape: input [N, C, H, W] -> output [N, C, H, W].
 *
 * @example
 * const bn = new BatchNorm2d(32);
 * bn.call(randn([8, 32, 14, 14])).shape; // [8, 32, 14, 14]
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 4) throw new ShapeError(`BatchNorm2d: expected 4-D [N, C, H, W] input, got input.shape=${fmtShape(x.shape)}`);
  }
}
