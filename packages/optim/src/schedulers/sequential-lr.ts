import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { loadNestedStates, withNestedStates } from './nested.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './lr-scheduler.js';

/**
 * Options of {@link SequentialLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const opts: SequentialLROptions = {
 *   schedulers: [new LinearLR(opt, { startFactor: 0.5, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })],
 *   milestones: [2],
 * };
 * new SequentialLR(opt, opts).getLastLr(); // [0.05]
 */
export interface SequentialLROptions {
  /** The schedulers, all on this optimizer, run one after the other. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over (one fewer than the schedulers, increasing). */
  milestones: number[];
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('SequentialLR', { schedulers: 'array', milestones: 'integer[]', lastEpoch: 'integer' });

/**
 * Runs schedulers one after another, switching at the milestones (PyTorch's `SequentialLR`),
 * e.g. a warm-up then a decay. At construction the groups' lrs go back to their initial values
 * and only the first scheduler takes its initial step; at each milestone the next scheduler
 * restarts from epoch 0 (its closed form, from the base rates).
 *
 * @throws ValueError for no schedulers, a scheduler of another optimizer, or milestones whose count is not one fewer than the schedulers'
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.5 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
 * const lrs = [sched.getLastLr()[0]];
 * for (let e = 1; e <= 4; e++) { sched.step(); lrs.push(sched.getLastLr()[0]); }
 * lrs; // [0.05, 0.075, 0.1, 0.05, 0.025]
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers, in order. */
  readonly schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. */
  readonly milestones: number[];

  constructor(optimizer: SchedulableOptimizer, opts: SequentialLROptions) {
    super(optimizer, 'SequentialLR');
    const { schedulers, milestones, lastEpoch = -1 } = checkOptions(OPTS, opts);
    if (!Array.isArray(schedulers) || schedulers.length === 0)
      throw new ValueError(`SequentialLR: expected at least one scheduler, got ${describeValue(schedulers)}`);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`SequentialLR: scheduler ${i} is not an LRScheduler, got ${describeValue(s)}`);
      if (s.optimizer !== optimizer)
        throw new ValueError(`SequentialLR: scheduler ${i} (${s.name}) is on another optimizer than the one given`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1)
      throw new ValueError(
        `SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${describeValue(milestones)}`,
      );
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) if (g.initialLr !== undefined) g.lr = g.initialLr;
    // Undo the initial step the schedulers took, and take the first one's again.
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.restart();
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr ?? g.lr);
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  /**
   * Advances one epoch: steps the scheduler whose turn it is, restarting it at its milestone.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
   * const sched = new SequentialLR(opt, { schedulers: [new ConstantLR(opt, { factor: 0.1, totalIters: 1 }), new StepLR(opt, { stepSize: 1, gamma: 0.5 })], milestones: [1] });
   * sched.step();
   * sched.getLastLr(); // [1]
   */
  override step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  protected getLr(): number[] {
    return this.groupLrs();
  }

  protected hyperParameterKeys(): string[] {
    return ['milestones'];
  }

  /**
   * The state of this scheduler and of each of its schedulers (under `schedulers`).
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new SequentialLR(opt, { schedulers: [new ConstantLR(opt), new ExponentialLR(opt, { gamma: 0.9 })], milestones: [3] });
   * (sched.stateDict().schedulers as SchedulerStateDict[]).length; // 2
   */
  override stateDict(): SchedulerStateDict {
    return withNestedStates(super.stateDict(), this.schedulers);
  }

  /**
   * Restores this scheduler's state and its schedulers'.
   *
   * @throws ValueError for an entry this scheduler does not have, or a different number of schedulers
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * const make = () => new SequentialLR(opt, { schedulers: [new ConstantLR(opt), new ExponentialLR(opt, { gamma: 0.9 })], milestones: [3] });
   * const a = make();
   * a.step();
   * const b = make();
   * b.loadStateDict(a.stateDict());
   * b.lastEpoch; // 1
   */
  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(loadNestedStates('SequentialLR', this.schedulers, sd));
  }
}
