import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { finite, integerAtLeast, oneOf } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link OneCycleLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const opts: OneCycleLROptions = { maxLr: 1, totalSteps: 100, pctStart: 0.25, annealStrategy: 'linear' };
 * new OneCycleLR(opt, opts).getLastLr(); // [0.04]
 */
export interface OneCycleLROptions {
  /** The peak learning rate, for every group or one per group. */
  maxLr: number | number[];
  /** The number of steps of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs of the cycle (with `stepsPerEpoch`, instead of `totalSteps`). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent raising the rate (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing between the phase ends. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (or Adam's β1) inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak rate (default 0.85). */
  baseMomentum?: number;
  /** The momentum at the start and end (default 0.95). */
  maxMomentum?: number;
  /** The initial rate is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final rate is the initial rate / `finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Three phases: up, back down to the initial rate, then down to the final one (default false). */
  threePhase?: boolean;
  /** The step to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('OneCycleLR', {
  maxLr: 'number|number[]', totalSteps: 'integer', epochs: 'integer', stepsPerEpoch: 'integer', pctStart: 'number',
  annealStrategy: "'cos'|'linear'", cycleMomentum: 'boolean', baseMomentum: 'number', maxMomentum: 'number', divFactor: 'number',
  finalDivFactor: 'number', threePhase: 'boolean', lastEpoch: 'integer',
});

interface Phase {
  endStep: number;
  lr: [start: 'initial' | 'max' | 'min', end: 'initial' | 'max' | 'min'];
  momentum: [start: 'max' | 'base', end: 'max' | 'base'];
}

type MomentumGroup = { lr: number; momentum?: number; betas?: number[] };

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`, Smith & Topin): the rate rises from
 * `maxLr / divFactor` to `maxLr` over the first `pctStart` of `totalSteps`, then falls to
 * `maxLr / divFactor / finalDivFactor`, along half cosines (or lines); the momentum (Adam's β1)
 * moves the other way between `maxMomentum` and `baseMomentum`. Step it after every batch.
 * Not chainable: each rate comes from the phase ends, as in PyTorch. Sets each group's
 * `initialLr` to the initial rate.
 *
 * @throws ValueError for bad options, momentum cycling on an optimizer without momentum or betas, or stepping past totalSteps
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
 * for (let i = 0; i < 2; i++) sched.step(); // after each batch
 * sched.getLastLr(); // [1] (the peak, reached at step 0.3 · 10 - 1 = 2)
 * opt.paramGroups[0]!.momentum; // 0.85 (baseMomentum at the peak)
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  /** `'cos'` or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  /** The peak rate of each group. */
  maxLrs: number[];
  /** The final rate of each group. */
  minLrs: number[];
  /** The momentum at the peak rate and at the ends, per group. */
  baseMomentums: number[];
  maxMomentums: number[];
  readonly #phases: Phase[];
  readonly #useBeta1: boolean;

  constructor(optimizer: SchedulableOptimizer, opts: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const o = checkOptions(OPTS, opts);
    const name = this.name;
    const groups = optimizer.paramGroups as MomentumGroup[];
    const n = groups.length;
    let total: number;
    if (o.totalSteps !== undefined) {
      integerAtLeast(name, 'total steps', 'totalSteps', o.totalSteps, 1);
      total = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      integerAtLeast(name, 'epochs', 'epochs', o.epochs, 1);
      integerAtLeast(name, 'steps per epoch', 'stepsPerEpoch', o.stepsPerEpoch, 1);
      total = o.epochs * o.stepsPerEpoch;
    } else throw new ValueError(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    const pct = o.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new ValueError(`${name}: invalid pctStart: ${pct} (pctStart must be in [0, 1])`);
    const anneal = o.annealStrategy ?? 'cos';
    oneOf(name, 'annealStrategy', anneal, ['cos', 'linear']);
    const div = o.divFactor ?? 25;
    const finalDiv = o.finalDivFactor ?? 1e4;
    finite(name, 'div factor', 'divFactor', div);
    finite(name, 'final div factor', 'finalDivFactor', finalDiv);
    const maxLr = o.maxLr;
    const maxLrs = Array.isArray(maxLr) ? [...maxLr] : new Array<number>(n).fill(maxLr as number);
    if (maxLrs.length !== n || maxLrs.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
      throw new ValueError(`${name}: maxLr must be a number or ${n} numbers (one per param group), got ${describeValue(maxLr)}`);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.maxLrs = maxLrs;
    const lastEpoch = o.lastEpoch ?? -1;
    if (lastEpoch === -1) groups.forEach((g, i) => ((g as { initialLr?: number }).initialLr = maxLrs[i]! / div));
    this.minLrs = groups.map((g, i) => ((g as { initialLr?: number }).initialLr ?? maxLrs[i]! / div) / finalDiv);
    const up = pct * total;
    this.#phases = o.threePhase
      ? [
          { endStep: up - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: 2 * up - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
          { endStep: total - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
        ]
      : [
          { endStep: up - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: total - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
        ];
    this.cycleMomentum = o.cycleMomentum ?? true;
    const base = o.baseMomentum ?? 0.85;
    const max = o.maxMomentum ?? 0.95;
    this.baseMomentums = new Array<number>(n).fill(base);
    this.maxMomentums = new Array<number>(n).fill(max);
    this.#useBeta1 = n > 0 && Array.isArray(groups[0]!.betas);
    if (this.cycleMomentum) {
      if (!this.#useBeta1 && !(n > 0 && typeof groups[0]!.momentum === 'number'))
        throw new ValueError(`${name}: optimizer must support momentum or betas with cycleMomentum enabled (or pass cycleMomentum: false)`);
      if (lastEpoch === -1) for (const g of groups) this.#setMomentum(g, max);
    }
    this.initialStep(lastEpoch);
  }

  #setMomentum(g: MomentumGroup, m: number): void {
    if (this.#useBeta1) g.betas = [m, ...g.betas!.slice(1)];
    else g.momentum = m;
  }

  #anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps)
      throw new ValueError(`OneCycleLR: tried to step ${step} times; the specified number of total steps is ${this.totalSteps}`);
    const groups = this.optimizer.paramGroups as MomentumGroup[];
    return groups.map((g, i) => {
      const lrOf = { initial: this.baseLrs[i]!, max: this.maxLrs[i]!, min: this.minLrs[i]! };
      const momentumOf = { base: this.baseMomentums[i]!, max: this.maxMomentums[i]! };
      let start = 0;
      for (let p = 0; p < this.#phases.length; p++) {
        const phase = this.#phases[p]!;
        if (step <= phase.endStep || p === this.#phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.cycleMomentum) this.#setMomentum(g, this.#anneal(momentumOf[phase.momentum[0]], momentumOf[phase.momentum[1]], pct));
          return this.#anneal(lrOf[phase.lr[0]], lrOf[phase.lr[1]], pct);
        }
        start = phase.endStep;
      }
      return g.lr;
    });
  }

  protected hyperParameterKeys(): string[] {
    return ['totalSteps', 'annealStrategy', 'cycleMomentum', 'maxLrs', 'minLrs', 'baseMomentums', 'maxMomentums'];
  }
}
