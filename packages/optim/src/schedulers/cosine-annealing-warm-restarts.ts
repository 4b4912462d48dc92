import { checkOptions, defineOptions } from '@tapegrad/core';
import { finite, integerAtLeast } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link CosineAnnealingWarmRestarts}.
 *
 * @example
 * const opts: CosineAnnealingWarmRestartsOptions = { t0: 10, tMult: 2, etaMin: 1e-4 };
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * new CosineAnnealingWarmRestarts(opt, opts).getLastLr(); // [0.1]
 */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs of the first cycle (a positive integer). */
  t0: number;
  /** Each cycle is this many times longer than the one before (an integer >= 1, default 1). */
  tMult?: number;
  /** The smallest learning rate (default 0). */
  etaMin?: number;
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('CosineAnnealingWarmRestarts', { t0: 'integer', tMult: 'integer', etaMin: 'number', lastEpoch: 'integer' });

/**
 * Cosine annealing with warm restarts, SGDR (PyTorch's `CosineAnnealingWarmRestarts`):
 * `lr = etaMin + (baseLr - etaMin) · (1 + cos(π · tCur / tI)) / 2`, where `tCur` counts the
 * epochs since the last restart and `tI`, the length of the current cycle, starts at `t0` and
 * is multiplied by `tMult` at each restart. Not chainable (set from `baseLr`), as in PyTorch.
 *
 * @throws ValueError for a t0 that is not a positive integer, a tMult below 1, or a non-finite etaMin
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 2 });
 * const lrs = [sched.getLastLr()[0]];
 * for (let e = 1; e <= 4; e++) { sched.step(); lrs.push(sched.getLastLr()[0]); }
 * lrs; // [0.1, 0.05, 0.1, 0.05, 0.1]
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  tMult: number;
  etaMin: number;
  /** The length of the current cycle. */
  tI: number;
  /** Epochs since the last restart. */
  tCur: number;

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingWarmRestartsOptions) {
    super(optimizer, 'CosineAnnealingWarmRestarts');
    const { t0, tMult = 1, etaMin = 0, lastEpoch = -1 } = checkOptions(OPTS, opts);
    integerAtLeast(this.name, 'T_0', 't0', t0, 1);
    integerAtLeast(this.name, 'T_mult', 'tMult', tMult, 1);
    finite(this.name, 'minimum learning rate', 'etaMin', etaMin);
    this.t0 = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tI = t0;
    this.tCur = lastEpoch;
    this.initialStep(lastEpoch);
  }

  /**
   * Advances one epoch (restarting the cosine at the end of a cycle), or jumps to `epoch`.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 4 });
   * sched.step(6); // two epochs into the second cycle
   * sched.tCur; // 2
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
      super.step();
      return;
    }
    integerAtLeast(`${this.name}.step`, 'epoch', 'epoch', epoch, 0);
    if (epoch >= this.t0) {
      if (this.tMult === 1) this.tCur = epoch % this.t0;
      else {
        const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    super.step(epoch);
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  protected hyperParameterKeys(): string[] {
    return ['t0', 'tMult', 'etaMin', 'tI', 'tCur'];
  }
}
