import { ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { finite, showValue } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

const OPTS = defineOptions('MultiStepLR', { milestones: 'array', gamma: 'number', lastEpoch: 'integer' });

/**
 * Options of {@link MultiStepLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new MultiStepLR(opt, { milestones: [2, 4], gamma: 0.5 });
 * for (let epoch = 0; epoch < 4; epoch++) sched.step();
 * sched.getLastLr(); // [0.025]
 */
export interface MultiStepLROptions {
  /** Epochs at which to decay (non-negative integers; a repeated milestone decays once per repetition). */
  milestones: number[];
  /** Factor applied at each milestone (default 0.1). */
  gamma?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Decays the learning rate by `gamma` at each milestone epoch (PyTorch's `MultiStepLR`):
 * `lr ← lr · gamma^(times epoch is listed)` at a milestone (chainable); stepped alone,
 * `lr = baseLr · gamma^(number of milestones <= epoch)`.
 *
 * @throws ValueError naming the option and value for milestones that are not non-negative integers, or a non-finite gamma
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 }); // lr = 0.05 until epoch 29, 0.005 until 79, then 0.0005
 * for (let epoch = 0; epoch < 80; epoch++) sched.step();
 * opt.paramGroups[0]!.lr; // 0.0005
 */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    const { milestones, gamma = 0.1, lastEpoch = -1 } = checkOptions(OPTS, opts);
    if (!Array.isArray(milestones) || milestones.some((m) => typeof m !== 'number' || !Number.isInteger(m) || m < 0))
      throw new ValueError(`MultiStepLR: invalid milestones: ${showValue(milestones)} (milestones must be non-negative integers)`);
    finite('MultiStepLR', 'gamma', 'gamma', gamma);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const times = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.groupLrs().map((lr) => (times === 0 ? lr : lr * this.gamma ** times));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }

  protected hyperParameterKeys(): string[] {
    return ['milestones', 'gamma'];
  }
}
