import { checkOptions, defineOptions } from '@tapegrad/core';
import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

const OPTS = defineOptions('CosineAnnealingLR', { tMax: 'integer', etaMin: 'number', lastEpoch: 'integer' });

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
 * Computed as PyTorch does, by its chainable update from the groups' current lr
 * (`lr ← etaMin + (lr - etaMin) (1 + cos(π e / tMax)) / (1 + cos(π (e - 1) / tMax))`), which
 * equals the formula above when the scheduler is stepped alone; past `tMax` the cosine
 * continues, so the rate climbs back up.
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

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    const { tMax, etaMin = 0, lastEpoch = -1 } = checkOptions(OPTS, opts);
    integerAtLeast('CosineAnnealingLR', 'T_max', 'tMax', tMax, 1);
    finite('CosineAnnealingLR', 'minimum learning rate', 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    const lrs = this.groupLrs();
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) return this.closedFormLr();
    if ((e - 1 - T) % (2 * T) === 0)
      return lrs.map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2);
  }

  protected hyperParameterKeys(): string[] {
    return ['tMax', 'etaMin'];
  }
}
