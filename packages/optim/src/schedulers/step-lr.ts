import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

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
 * Decays the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`):
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
