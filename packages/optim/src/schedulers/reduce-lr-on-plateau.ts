import { Tensor, ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { finite, integerAtLeast, nonNegative, oneOf, showValue } from '../validate.js';
import type { SchedulableOptimizer, SchedulerStateDict } from './lr-scheduler.js';

const OPTS = defineOptions('ReduceLROnPlateau', {
  mode: 'string', factor: 'number', patience: 'integer', threshold: 'number', thresholdMode: 'string', cooldown: 'integer',
  minLr: 'number|number[]', eps: 'number',
});

/**
 * Options of {@link ReduceLROnPlateau}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new ReduceLROnPlateau(opt, { mode: 'max', factor: 0.1, patience: 0, minLr: 0.05 });
 * sched.step(0.8); // validation accuracy
 * sched.step(0.7); // worse: the lr drops, but not below minLr
 * opt.paramGroups[0]!.lr; // 0.05
 */
export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should go down (a loss); 'max': up (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** Factor applied to the learning rate at a plateau, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best · (1 ∓ threshold); 'abs': better than best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate, for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric stops improving (PyTorch's `ReduceLROnPlateau`).
 *
 * Each {@link step} takes the epoch's metric:
 * ```text
 * if metric is better than best (see thresholdMode):  best ← metric;  bad ← 0
 * else:                                               bad ← bad + 1
 * if cooldownCounter > 0:  cooldownCounter ← cooldownCounter - 1;  bad ← 0
 * if bad > patience:
 *     for each group:  new ← max(lr · factor, minLr);  if lr - new > eps: lr ← new
 *     cooldownCounter ← cooldown;  bad ← 0
 * ```
 * "Better" in mode 'min' is `metric < best · (1 - threshold)` ('rel') or `metric < best - threshold`
 * ('abs'); in mode 'max', `metric > best · (1 + threshold)` or `metric > best + threshold`. The
 * first metric always improves on the initial best (±Infinity).
 *
 * Its state dict holds `best`, which is ±Infinity until the first step (JSON writes that as null).
 *
 * @throws ValueError naming the option and value for factor outside [0, 1), a bad mode or
 *   thresholdMode, negative patience, cooldown, threshold or eps, or minLr of the wrong length
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 3 });
 * for (const loss of [1, 0.9, 0.9, 0.9, 0.9, 0.9]) sched.step(loss); // the validation loss of each epoch
 * opt.paramGroups[0]!.lr; // 0.05 (four epochs without improvement > patience 3)
 */
export class ReduceLROnPlateau {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** The best metric so far. */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs left in the cool-down after the last reduction. */
  cooldownCounter = 0;
  /** The number of steps taken. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(
    /** The optimizer whose learning rates this scheduler reduces. */
    readonly optimizer: SchedulableOptimizer,
    opts?: ReduceLROnPlateauOptions,
  ) {
    const name = 'ReduceLROnPlateau';
    const {
      mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8,
    } = checkOptions(OPTS, opts);
    if (optimizer == null || !Array.isArray(optimizer.paramGroups))
      throw new ValueError(`${name}: expected an optimizer with paramGroups, got ${showValue(optimizer)}`);
    oneOf(name, 'mode', mode, ['min', 'max']);
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1))
      throw new ValueError(`${name}: invalid factor: ${showValue(factor)} (factor must be in [0, 1))`);
    integerAtLeast(name, 'patience', 'patience', patience, 0);
    nonNegative(name, 'threshold', 'threshold', threshold);
    oneOf(name, 'thresholdMode', thresholdMode, ['rel', 'abs']);
    integerAtLeast(name, 'cooldown', 'cooldown', cooldown, 0);
    nonNegative(name, 'eps', 'eps', eps);
    const groups = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups)
        throw new ValueError(`${name}: invalid minLr: ${showValue(minLr)} (expected ${groups} values, one per param group, got ${minLr.length})`);
      minLr.forEach((m, i) => finite(name, `minimum learning rate of group ${i}`, `minLr[${i}]`, m));
    } else finite(name, 'minimum learning rate', 'minLr', minLr);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array<number>(groups).fill(minLr);
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Records one epoch's metric and reduces the learning rates after more than `patience` epochs
   * without improvement.
   *
   * @param metric - the epoch's metric (a number or a one-element tensor)
   * @throws ValueError if the metric is not a number
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ReduceLROnPlateau(opt, { patience: 0 });
   * sched.step(tensor(1.5)); // a 0-d loss tensor works too
   * sched.step(2);
   * opt.paramGroups[0]!.lr; // 0.01
   */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ValueError(`ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got ${showValue(current)}`);
    this.lastEpoch += 1;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs += 1;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const reduced = Math.max(g.lr * this.factor, this.minLrs[i] ?? 0);
        if (g.lr - reduced > this.eps) g.lr = reduced;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /**
   * The learning rate of each group after the last step.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
   * sched.step(1);
   * sched.step(1);
   * sched.getLastLr(); // [0.05]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state (counters, best metric, hyper-parameters) as plain values.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ReduceLROnPlateau(opt);
   * sched.step(0.5);
   * sched.stateDict().best; // 0.5
   */
  stateDict(): SchedulerStateDict {
    return {
      mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLrs: [...this.minLrs], eps: this.eps,
      best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch, lastLr: [...this.lastLr],
    };
  }

  /**
   * Restores a state from {@link stateDict} (a null `best`, as JSON writes ±Infinity, becomes
   * the mode's initial best).
   *
   * @throws ValueError for an entry this scheduler does not have
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const a = new ReduceLROnPlateau(opt);
   * a.step(0.5);
   * const b = new ReduceLROnPlateau(opt);
   * b.loadStateDict(a.stateDict());
   * b.best; // 0.5
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const keys = Object.keys(this.stateDict());
    for (const k of Object.keys(sd)) if (!keys.includes(k)) throw new ValueError(`ReduceLROnPlateau.loadStateDict: unknown entry '${k}'`);
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(sd)) self[k] = Array.isArray(v) ? [...v] : v;
    if ((this.best as number | null) === null) this.best = this.mode === 'min' ? Infinity : -Infinity;
  }
}
