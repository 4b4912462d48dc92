import { ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { integerAtLeast, showValue } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

const OPTS = defineOptions('LinearLR', { startFactor: 'number', endFactor: 'number', totalIters: 'integer', lastEpoch: 'integer' });

/**
 * Options of {@link LinearLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new LinearLR(opt, { startFactor: 1, endFactor: 0.5, totalIters: 2 }); // a linear decay
 * sched.step();
 * sched.getLastLr(); // [0.075]
 */
export interface LinearLROptions {
  /** Multiplier of the base rate at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Multiplier reached at `totalIters` and kept afterwards, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs of the linear ramp (a positive integer; default 5). */
  totalIters?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Scales the learning rate by a factor that moves linearly from `startFactor` to `endFactor`
 * over `totalIters` epochs, then stays (PyTorch's `LinearLR`; a warm-up with the defaults).
 * Chainable: epoch 0 multiplies the lr by `startFactor`, each later epoch up to `totalIters` by
 * the ratio of consecutive factors; stepped alone, that is
 * `lr = baseLr · (startFactor + (endFactor - startFactor) · min(epoch, totalIters) / totalIters)`.
 *
 * @throws ValueError naming the option and value for startFactor outside (0, 1], endFactor outside [0, 1], or a totalIters that is not a positive integer
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new LinearLR(opt, { startFactor: 1 / 3, totalIters: 5 }); // warm up over 5 epochs: lr = base/3, ..., base
 * sched.getLastLr(); // [0.0333333]
 * for (let epoch = 0; epoch < 5; epoch++) sched.step();
 * sched.getLastLr(); // [0.1]
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts?: LinearLROptions) {
    super(optimizer, 'LinearLR');
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 } = checkOptions(OPTS, opts);
    if (typeof startFactor !== 'number' || !(startFactor > 0 && startFactor <= 1))
      throw new ValueError(`LinearLR: invalid start factor: ${showValue(startFactor)} (startFactor must be in (0, 1])`);
    if (typeof endFactor !== 'number' || !(endFactor >= 0 && endFactor <= 1))
      throw new ValueError(`LinearLR: invalid end factor: ${showValue(endFactor)} (endFactor must be in [0, 1])`);
    integerAtLeast('LinearLR', 'total iterations', 'totalIters', totalIters, 1);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return this.groupLrs().map((lr) => lr * s);
    if (e > n) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((f - s) * Math.min(this.lastEpoch, n)) / n));
  }

  protected hyperParameterKeys(): string[] {
    return ['startFactor', 'endFactor', 'totalIters'];
  }
}
