import { checkOptions, defineOptions } from '@tapegrad/core';
import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link PolynomialLR}.
 *
 * @example
 * const opts: PolynomialLROptions = { totalIters: 4, power: 2 };
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * new PolynomialLR(opt, opts).getLastLr(); // [0.1]
 */
export interface PolynomialLROptions {
  /** Epochs until the rate reaches 0 (default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1: linear). */
  power?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('PolynomialLR', { totalIters: 'integer', power: 'number', lastEpoch: 'integer' });

/**
 * Decays the learning rate to 0 over `totalIters` epochs along a polynomial (PyTorch's
 * `PolynomialLR`): `lr ← lr · ((1 - e / T) / (1 - (e - 1) / T))^power` for 0 < e <= T
 * (chainable); stepped alone, `lr = baseLr · (1 - min(epoch, T) / T)^power`.
 *
 * @throws ValueError for a totalIters that is not a positive integer or a non-finite power
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new PolynomialLR(opt, { totalIters: 4, power: 1 });
 * sched.step();
 * sched.getLastLr(); // [0.075]
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: SchedulableOptimizer, opts?: PolynomialLROptions) {
    super(optimizer, 'PolynomialLR');
    const { totalIters = 5, power = 1, lastEpoch = -1 } = checkOptions(OPTS, opts);
    integerAtLeast('PolynomialLR', 'total iterations', 'totalIters', totalIters, 1);
    finite('PolynomialLR', 'power', 'power', power);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const { lastEpoch: e, totalIters: T } = this;
    if (e === 0 || e > T) return this.groupLrs();
    const decay = ((1 - e / T) / (1 - (e - 1) / T)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (1 - Math.min(T, e) / T) ** this.power);
  }

  protected hyperParameterKeys(): string[] {
    return ['totalIters', 'power'];
  }
}
