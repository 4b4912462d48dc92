import { checkOptions, defineOptions } from '@tapegrad/core';
import { finite } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

const OPTS = defineOptions('ExponentialLR', { gamma: 'number', lastEpoch: 'integer' });

/**
 * Options of {@link ExponentialLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * new ExponentialLR(opt, { gamma: 0.9, lastEpoch: -1 }).getLastLr(); // [0.1] (epoch 0)
 */
export interface ExponentialLROptions {
  /** Factor applied every epoch. */
  gamma: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Decays the learning rate by `gamma` every epoch (PyTorch's `ExponentialLR`): `lr ← lr · gamma`
 * (chainable); stepped alone, `lr = baseLr · gamma^epoch`.
 *
 * @throws ValueError naming the option and value for a non-finite gamma
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * sched.step();
 * sched.step();
 * opt.paramGroups[0]!.lr; // 0.09025 (0.1 · 0.95^2)
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    const { gamma, lastEpoch = -1 } = checkOptions(OPTS, opts);
    finite('ExponentialLR', 'gamma', 'gamma', gamma);
    this.gamma = gamma;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    return this.groupLrs().map((lr) => (this.lastEpoch === 0 ? lr : lr * this.gamma));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }

  protected hyperParameterKeys(): string[] {
    return ['gamma'];
  }
}
