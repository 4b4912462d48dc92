import { checkOptions, defineOptions } from '@tapegrad/core';
import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

const OPTS = defineOptions('StepLR', { stepSize: 'integer', gamma: 'number', lastEpoch: 'integer' });

/**
 * Options of {@link StepLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 10, gamma: 0.5, lastEpoch: -1 });
 * for (let epoch = 0; epoch < 10; epoch++) sched.step();
 * sched.getLastLr(); // [0.05]
 */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Factor applied at each decay (default 0.1). */
  gamma?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Decays the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`): at each
 * epoch that is a multiple of `stepSize`, `lr ← lr · gamma` (chainable); stepped alone, that is
 * `lr = baseLr · gamma^floor(epoch / stepSize)`.
 *
 * @throws ValueError naming the option and value for a stepSize that is not a positive integer, or a non-finite gamma
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // lr = 0.1 for epochs 0-29, 0.01 for 30-59, ...
 * for (let epoch = 0; epoch < 30; epoch++) sched.step(); // after each epoch's training
 * opt.paramGroups[0]!.lr; // 0.01
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: StepLROptions) {
    super(optimizer, 'StepLR');
    const { stepSize, gamma = 0.1, lastEpoch = -1 } = checkOptions(OPTS, opts);
    integerAtLeast('StepLR', 'step size', 'stepSize', stepSize, 1);
    finite('StepLR', 'gamma', 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const e = this.lastEpoch;
    return this.groupLrs().map((lr) => (e === 0 || e % this.stepSize !== 0 ? lr : lr * this.gamma));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected hyperParameterKeys(): string[] {
    return ['stepSize', 'gamma'];
  }
}
