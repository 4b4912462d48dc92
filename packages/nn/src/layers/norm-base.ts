import { ValueError, zeros, ones, full, noGrad, parseDType, type DTypeLike, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { checkSize } from './linear.js';

/**
 * Returns eps after checking that it is a non-negative number.
 *
 * @throws ValueError `LayerNorm: eps must be non-negative, got -1`
 * @internal
 */
export function checkEps(op: string, eps: number): number {
  if (!(eps >= 0)) throw new ValueError(`${op}: eps must be non-negative, got ${eps}`);
  return eps;
}

/**
 * The resolved settings of a {@link NormBase} (the subclasses apply their own defaults).
 *
 * @internal
 */
export interface NormBaseSettings {
  eps: number;
  momentum: number | null;
  affine: boolean;
  trackRunningStats: boolean;
  dtype: DTypeLike | undefined;
}

/**
 * The part BatchNorm and InstanceNorm share (PyTorch's `_NormBase`): per-channel parameters
 * `weight` (init 1) and `bias` (init 0) when affine, and, when tracking running statistics, the
 * buffers `running_mean` (init 0), `running_var` (init 1), shape [C], and `num_batches_tracked`
 * (int32 scalar, init 0), under PyTorch's state-dict keys.
 *
 * @internal
 */
export abstract class NormBase extends Module {
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

  constructor(numFeatures: number, s: NormBaseSettings) {
    super();
    const name = this.typeName();
    checkSize(name, 'numFeatures', numFeatures);
    checkEps(name, s.eps);
    if (s.momentum !== null && !(s.momentum >= 0 && s.momentum <= 1))
      throw new ValueError(`${name}: momentum must be in [0, 1], got ${s.momentum}`);
    this.numFeatures = numFeatures;
    this.eps = s.eps;
    this.momentum = s.momentum;
    this.affine = s.affine;
    this.trackRunningStats = s.trackRunningStats;
    const dtype = parseDType(name, s.dtype ?? 'float32');
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
   * InstanceNorm keeps the buffer (as PyTorch) but does not count.
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

  /**
   * Resets the running statistics, weight to 1 and bias to 0.
   *
   * @example
   * const bn = new BatchNorm1d(2);
   * init.constant_(bn.weight!, 3);
   * bn.resetParameters();
   * bn.weight!.toArray(); // [1, 1]
   */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.fill_(0);
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}
