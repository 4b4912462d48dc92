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
 * A scheduler's state, as plain numbers, strings and arrays (see {@link LRScheduler.stateDict});
 * {@link SequentialLR} nests the states of its schedulers.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30 });
 * const sd: SchedulerStateDict = sched.stateDict();
 * sd; // { lastEpoch: 0, stepCount: 1, baseLrs: [0.1], lastLr: [0.1], stepSize: 30, gamma: 0.1 }
 */
export type SchedulerStateDict = { [key: string]: number | string | boolean | number[] | null | SchedulerStateDict[] };

/**
 * Base class of the epoch-based learning-rate schedulers (PyTorch's `LRScheduler`).
 *
 * Constructing a scheduler records each group's learning rate as `group.initialLr` (unless a
 * scheduler did already; these are `baseLrs`) and performs the initial step, which sets every
 * group's lr to its value at epoch 0. Each {@link step} then advances `lastEpoch` by one and sets
 * the lr of every group to the scheduler's next value.
 *
 * As in PyTorch, the schedules are *chainable*: most compute the next lr from each group's
 * current lr (StepLR multiplies it by gamma at each step size, ExponentialLR at every epoch), so
 * two schedulers stepped on one optimizer compose (a LinearLR warm-up with an ExponentialLR
 * decay), and an lr set by hand between steps carries on. {@link LambdaLR},
 * {@link CosineAnnealingWarmRestarts}, {@link OneCycleLR} and {@link CyclicLR} set
 * `baseLr`-relative values instead, as PyTorch's do. {@link ChainedScheduler} steps several
 * schedulers of one optimizer as one.
 * When resuming, load the optimizer's state dict as well as the scheduler's: it holds the
 * groups' current learning rates.
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
  /**
   * The number of calls of {@link step}, the initial one included (PyTorch's `_step_count`).
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * new StepLR(opt, { stepSize: 1 }).stepCount; // 1
   */
  stepCount = 0;
  protected lastLr: number[] = [];

  protected constructor(
    /** The optimizer whose learning rates this scheduler sets. */
    readonly optimizer: SchedulableOptimizer,
    /** The scheduler's name, used in error messages. */
    readonly name: string,
  ) {
    if (optimizer == null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups))
      throw new ValueError(`${name}: expected an optimizer with paramGroups, got ${showValue(optimizer)}`);
  }

  /**
   * The learning rates at `lastEpoch`, one per group (PyTorch's `get_lr`): for a chainable
   * schedule, computed from each group's current lr.
   */
  protected abstract getLr(): number[];

  /**
   * The learning rates at `lastEpoch` from `baseLrs` alone (PyTorch's `_get_closed_form_lr`),
   * for {@link step} with an explicit epoch; schedules without one use {@link getLr}.
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

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
    this.restart();
  }

  /**
   * Takes the initial step again, as construction does (PyTorch's `_initial_step`).
   *
   * @internal
   */
  restart(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch and sets every group's learning rate to its scheduled value.
   *
   * @param epoch - instead of advancing, jump to this epoch and use the closed form where the
   *   schedule has one (PyTorch's deprecated `step(epoch)`; {@link SequentialLR} uses it)
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
  step(epoch?: number): void {
    if (epoch !== undefined) integerAtLeast(`${this.name}.step`, 'epoch', 'epoch', epoch, 0);
    this.stepCount += 1;
    const groups = this.optimizer.paramGroups;
    // A group added after the scheduler was made starts its schedule from its current lr.
    groups.forEach((g, i) => {
      if (this.baseLrs[i] === undefined) this.baseLrs[i] = g.initialLr ??= g.lr;
    });
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    groups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** Each group's current lr (what chainable schedules start from). */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
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
   * The scheduler's state (epoch, step count, base rates, last rates and its hyper-parameters) as
   * plain values. The optimizer's learning rates are saved by the optimizer's own state dict.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new ExponentialLR(opt, { gamma: 0.5 });
   * sched.step();
   * sched.stateDict(); // { lastEpoch: 1, stepCount: 2, baseLrs: [0.1], lastLr: [0.05], gamma: 0.5 }
   */
  stateDict(): SchedulerStateDict {
    const self = this as unknown as Record<string, unknown>;
    const sd: SchedulerStateDict = {
      lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr],
    };
    for (const k of this.hyperParameterKeys()) {
      const v = self[k];
      sd[k] = Array.isArray(v) ? [...(v as number[])] : (v as SchedulerStateDict[string]);
    }
    return sd;
  }

  /**
   * Restores a state from {@link stateDict}. Load the optimizer's state dict too: it holds the
   * groups' current learning rates, which the next step starts from.
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
    if (sd === null || typeof sd !== 'object')
      throw new ValueError(`${this.name}.loadStateDict: expected a state dict object, got ${showValue(sd)}`);
    const keys = new Set(['lastEpoch', 'stepCount', 'baseLrs', 'lastLr', ...this.hyperParameterKeys()]);
    for (const k of Object.keys(sd)) if (!keys.has(k)) throw new ValueError(`${this.name}.loadStateDict: unknown entry '${k}'`);
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(sd)) self[k] = Array.isArray(v) ? [...v] : v;
  }
}
