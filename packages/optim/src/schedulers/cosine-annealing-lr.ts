import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link CosineAnnealingLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 10, etaMin: 0 });
 * for (let epoch = 0; epoch < 10; epoch++) sched.step();
 * sched.getLastLr(); // [0]
 */
export interface CosineAnnealingLROptions {
  /** Epochs of one half cosine period, from the base rate down to `etaMin` (a positive integer). */
  tMax: number;
  /** The smallest learning rate (default 0). */
  etaMin?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

/**
 * Anneals the learning rate from its base value to `etaMin` along a half cosine over `tMax`
 * epochs (PyTorch's `CosineAnnealingLR`, SGDR without restarts):
 * `lr = etaMin + (baseLr - etaMin) · (1 + cos(π · epoch / tMax)) / 2`.
 *
 * This is the closed form of PyTorch's recursive update, which equals it when the scheduler is
 * stepped normally; past `tMax` the cosine continues, so the rate climbs back up.
 *
 * @throws ValueError naming the option and value for a tMax that is not a positive integer, or a non-finite etaMin
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * for (let epoch = 0; epoch < 50; epoch++) sched.step();
 * opt.paramGroups[0]!.lr; // 0.050005 (halfway down the cosine)
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: SchedulableOptimizer, { tMax, etaMin = 0, lastEpoch = -1 }: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    integerAtLeast('CosineAnnealingLR', 'T_max', 'tMax', tMax, 1);
    finite('CosineAnnealingLR', 'minimum learning rate', 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep(lastEpoch);
  }

  protected lrAt(baseLr: number, epoch: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }

  protected hyperParameterKeys(): string[] {
    return ['tMax', 'etaMin'];
  }
}
