import { ValueError } from '@tapegrad/core';
import { integerAtLeast, showValue } from '../validate.js';

/**
 * What a scheduler needs of an optimizer: param groups with a learning rate (every {@link Optimizer} qualifies).
 *
 * @example
 * const groups: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
 * const sched = new ExponentialLR(groups, { gamma: 0.5 });
 * sched.step();
 * groups.paramGroups[0]!.lr; // 0.5
 */
export interface SchedulableOptimizer {
  readonly paramGroups: Array<{ lr: number; initialLr?: number }>;
}

/**
 * A scheduler's state, as plain numbers, strings and arrays (see {@link LRScheduler.stateDict}).
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30 });
 * const sd: SchedulerStateDict = sched.stateDict();
 * sd; // { lastEpoch: 0, baseLrs: [0.1], lastLr: [0.1], stepSize: 30, gamma: 0.1 }
 */
export type SchedulerStateDict = Record<string, number | string | boolean | number[] | null>;

/**
 * Base class of the epoch-based learning-rate schedulers (PyTorch's `LRScheduler`).
 *
 * Constructing a scheduler records each group's learning rate as `group.initialLr` (unless a
 * scheduler did already; these are `baseLrs`) and performs the initial step, which sets every
 * group's lr to its value at epoch 0. Each {@link step} then advances `lastEpoch` by one and sets
 * the lr of every group to `lrAt(baseLr, lastEpoch)`.
 *
 * The learning rates come from each scheduler's closed form in `lastEpoch`, not from PyTorch's
 * chainable multiplicative updates: the two agree when a scheduler is the only thing changing
 * the lr (up to rounding, which the closed form does not accumulate), but an lr set by hand
 * between steps is overwritten at the next step rather than compounded.
 *
 * Call `scheduler.step()` after `optimizer.step()`, once per epoch (or per iteration for schedules
 * defined in iterations).
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched: LRScheduler = new StepLR(opt, { stepSize: 2 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 5; epoch++) { lrs.push(sched.getLastLr()[0]!); sched.step(); }
 * lrs; // [0.1, 0.1, 0.01, 0.01, 0.001]
 */
export abstract class LRScheduler {
  /**
   * Each group's learning rate at epoch 0 (`group.initialLr`).
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * new StepLR(opt, { stepSize: 1 }).baseLrs; // [0.1]
   */
  baseLrs: number[] = [];
  /**
   * The number of steps taken; -1 before the initial step.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 1 });
   * sched.lastEpoch; // 0 (after the initial step)
   * sched.step();
   * sched.lastEpoch; // 1
   */
  lastEpoch = -1;
  protected lastLr: number[] = [];

  protected constructor(
    /** The optimizer whose learning rates this scheduler sets. */
    readonly optimizer: SchedulableOptimizer,
    /** The scheduler's name, used in error messages. */
    readonly name: string,
  ) {
    if (optimizer == null || !Array.isArray(optimizer.paramGroups))
      throw new ValueError(`${name}: expected an optimizer with paramGroups, got ${showValue(optimizer)}`);
  }

  /** The learning rate of a group with base rate `baseLr` at epoch `epoch` (the closed form). */
  protected abstract lrAt(baseLr: number, epoch: number): number;

  /** The names of the scheduler's own fields that {@link stateDict} saves besides the epoch and rates. */
  protected abstract hyperParameterKeys(): string[];

  /** Records the base rates and takes the initial step; subclasses call it last in their constructor. */
  protected initialStep(lastEpoch: number): void {
    integerAtLeast(this.name, 'lastEpoch', 'lastEpoch', lastEpoch, -1);
    this.optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined)
        throw new ValueError(`${this.name}: param group ${i} has no initialLr, which resuming with lastEpoch=${lastEpoch} requires`);
    });
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
    this.step();
  }

  /**
   * Advances one epoch and sets every group's learning rate to its scheduled value.
   *
   * @example
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * const scheduler = new ExponentialLR(opt, { gamma: 0.5 });
   * for (let epoch = 0; epoch < 3; epoch++) {
   *   opt.zeroGrad(); w.mul(w).sum().backward(); opt.step(); // one epoch of training
   *   scheduler.step();
   * }
   * opt.paramGroups[0]!.lr; // 0.0125
   */
  step(): void {
    this.lastEpoch += 1;
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => {
      // A group added after the scheduler was made starts its schedule from its current lr.
      if (this.baseLrs[i] === undefined) this.baseLrs[i] = g.initialLr ??= g.lr;
      g.lr = this.lrAt(this.baseLrs[i]!, this.lastEpoch);
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /**
   * The learning rate of each group as this scheduler last set it.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ExponentialLR(opt, { gamma: 0.5 });
   * sched.step();
   * sched.getLastLr(); // [0.05]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state (epoch, base rates, last rates and its hyper-parameters) as plain
   * values. The optimizer's learning rates are saved by the optimizer's own state dict.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ExponentialLR(opt, { gamma: 0.5 });
   * sched.step();
   * sched.stateDict(); // { lastEpoch: 1, baseLrs: [0.1], lastLr: [0.05], gamma: 0.5 }
   */
  stateDict(): SchedulerStateDict {
    const self = this as unknown as Record<string, unknown>;
    const sd: SchedulerStateDict = { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
    for (const k of this.hyperParameterKeys()) {
      const v = self[k];
      sd[k] = Array.isArray(v) ? [...(v as number[])] : (v as SchedulerStateDict[string]);
    }
    return sd;
  }

  /**
   * Restores a state from {@link stateDict}. Load the optimizer's state dict too: it holds the
   * groups' current learning rates.
   *
   * @throws ValueError for an entry this scheduler does not have
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const saved = new ExponentialLR(opt, { gamma: 0.5 }).stateDict();
   * const resumed = new ExponentialLR(opt, { gamma: 0.9 });
   * resumed.loadStateDict(saved);
   * resumed.gamma; // 0.5
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const keys = new Set(['lastEpoch', 'baseLrs', 'lastLr', ...this.hyperParameterKeys()]);
    for (const k of Object.keys(sd)) if (!keys.has(k)) throw new ValueError(`${this.name}.loadStateDict: unknown entry '${k}'`);
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(sd)) self[k] = Array.isArray(v) ? [...v] : v;
  }
}
