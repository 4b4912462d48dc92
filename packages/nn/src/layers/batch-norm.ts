import { ShapeError, ValueError, checkOptions, defineOptions, zeros, ones, full, noGrad, fmtShape, parseDType, type DTypeLike, type Tensor } from '@tapegrad/core';

const TYPES = { eps: 'number', momentum: 'number|null', affine: 'boolean', trackRunningStats: 'boolean', dtype: 'string' };
const SPECS = { BatchNorm1d: defineOptions('BatchNorm1d', TYPES), BatchNorm2d: defineOptions('BatchNorm2d', TYPES) };
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { batchNorm } from '../functional/layers.js';
import { checkSize } from './linear.js';

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
 * *unbiased* variance for `running_var` (as PyTorch), and counts `num_batches_tracked`.
 * In evaluation mode it uses the running statistics.
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
export abstract class BatchNormBase extends Module {
  /** C, the channels (dim 1) of the input. */
  readonly numFeatures: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Weight of each new batch in the running statistics; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether there are a learnable `weight` and `bias`. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in evaluation mode). */
  readonly trackRunningStats: boolean;
  /** The learnable per-channel scale γ, shape [C] (null unless affine). */
  weight: Parameter | null;
  /** The learnable per-channel shift β, shape [C] (null unless affine). */
  bias: Parameter | null;

  constructor(numFeatures: number, opts?: BatchNormLayerOptions) {
    super();
    const name = this.typeName();
    opts = checkOptions(SPECS[name as keyof typeof SPECS] ?? defineOptions(name, TYPES), opts);
    checkSize(this.typeName(), 'numFeatures', numFeatures);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    if (!(this.eps >= 0)) throw new ValueError(`${this.typeName()}: eps must be non-negative, got ${this.eps}`);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1))
      throw new ValueError(`${this.typeName()}: momentum must be in [0, 1] or null, got ${this.momentum}`);
    const dtype = parseDType(this.typeName(), opts.dtype ?? 'float32');
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype, pinMemory: true })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype, pinMemory: true })) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', track ? full([], 0, { dtype: 'int32' }) : null);
  }

  /**
   * The running mean per channel (buffer `running_mean`), or null without running statistics.
   *
   * @example
   * const bn = new BatchNorm1d(2, { momentum: 0.5 });
   * bn.call(tensor([[1, 2], [3, 4]]));
   * bn.runningMean!.toArray(); // [1, 1.5]
   */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }
  /**
   * The running (unbiased) variance per channel (buffer `running_var`), or null.
   *
   * @example
   * const bn = new BatchNorm1d(2, { momentum: 1 });
   * bn.call(tensor([[1, 2], [3, 6]]));
   * bn.runningVar!.toArray(); // [2, 8] (unbiased batch variance)
   */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }
  /**
   * The number of training batches seen (buffer `num_batches_tracked`, int32 scalar), or null.
   *
   * @example
   * const bn = new BatchNorm1d(2);
   * bn.call(randn([4, 2]));
   * bn.numBatchesTracked!.item(); // 1
   */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked');
  }

  /**
   * Resets the running statistics to mean 0, variance 1 and a batch count of 0.
   *
   * @example
   * const bn = new BatchNorm1d(2);
   * bn.call(randn([4, 2]).add(3));
   * bn.resetRunningStats();
   * bn.runningMean!.toArray(); // [0, 0]
   */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.fill_(0);
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.fill_(0);
    });
  }

  /** Resets the running statistics, weight to 1 and bias to 0. */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  /** @throws ShapeError unless the input has the dims this layer takes */
  protected abstract checkInputDim(x: Tensor): void;

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    if (x.shape[1] !== this.numFeatures)
      throw new ShapeError(`${this.typeName()}: expected ${this.numFeatures} channels in dim 1, got input.shape=${fmtShape(x.shape)}`);
    const useBatchStats = this.training || !this.trackRunningStats;
    if (useBatchStats && x.numel() <= this.numFeatures)
      throw new ValueError(`${this.typeName()}: expected more than 1 value per channel when training, got input.shape=${fmtShape(x.shape)}`);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const n = this.numBatchesTracked!;
      noGrad(() => n.add_(1));
      if (this.momentum === null) factor = 1 / n.item();
    }
    const update = this.training && this.trackRunningStats;
    return batchNorm(x, update || !useBatchStats ? this.runningMean : null, update || !useBatchStats ? this.runningVar : null, {
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
