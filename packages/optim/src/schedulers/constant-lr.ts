import { ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { integerAtLeast, showValue } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link ConstantLR}.
 *
 * @example
 * const opts: ConstantLROptions = { factor: 0.5, totalIters: 2 };
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * new ConstantLR(opt, opts).getLastLr(); // [0.05]
 */
export interface ConstantLROptions {
  /** The factor applied until `totalIters`, in [0, 1] (default 1/3). */
  factor?: number;
  /** The epoch at which the factor is lifted (default 5). */
  totalIters?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('ConstantLR', { factor: 'number', totalIters: 'integer', lastEpoch: 'integer' });

/**
 * Scales the learning rate by `factor` until epoch `totalIters`, then restores it (PyTorch's
 * `ConstantLR`): epoch 0 multiplies the lr by `factor`, epoch `totalIters` divides it by
 * `factor` (chainable); stepped alone, `lr = baseLr · (epoch < totalIters ? factor : 1)`.
 *
 * @throws ValueError for a factor outside [0, 1] or a negative totalIters
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 2 });
 * const lrs = [sched.getLastLr()[0]];
 * for (let e = 1; e <= 3; e++) { sched.step(); lrs.push(sched.getLastLr()[0]); }
 * lrs; // [0.05, 0.05, 0.1, 0.1]
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts?: ConstantLROptions) {
    super(optimizer, 'ConstantLR');
    const { factor = 1 / 3, totalIters = 5, lastEpoch = -1 } = checkOptions(OPTS, opts);
    if (!(factor >= 0 && factor <= 1))
      throw new ValueError(`ConstantLR: invalid factor: ${showValue(factor)} (factor must be in [0, 1])`);
    integerAtLeast('ConstantLR', 'total iterations', 'totalIters', totalIters, 0);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const e = this.lastEpoch;
    if (e === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (e !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 - this.factor : 0)));
  }

  protected hyperParameterKeys(): string[] {
    return ['factor', 'totalIters'];
  }
}
