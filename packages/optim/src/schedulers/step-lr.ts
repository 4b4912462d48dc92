import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Factor applied at each decay (default 0.1). */
  gamma?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Decays the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`):
 * `lr = baseLr · gamma^floor(epoch / stepSize)`.
 *
 * @throws ValueError naming the option and value for a stepSize that is not a positive integer, or a non-finite gamma
 * @example
 * // lr = 0.1 for epochs 0-29, 0.01 for 30-59, ...
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, { stepSize, gamma = 0.1, lastEpoch = -1 }: StepLROptions) {
    super(optimizer, 'StepLR');
    integerAtLeast('StepLR', 'step size', 'stepSize', stepSize, 1);
    finite('StepLR', 'gamma', 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep(lastEpoch);
  }

  protected lrAt(baseLr: number, epoch: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }

  protected hyperParameterKeys(): string[] {
    return ['stepSize', 'gamma'];
  }
}
