import { ValueError, describeValue } from '@tapegrad/core';
import { loadNestedStates, withNestedStates } from './nested.js';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler.js';

/**
 * Steps several schedulers of one optimizer together, in order (PyTorch's `ChainedScheduler`):
 * one `step()` for all of them. Their effects compound, as when they are stepped by hand.
 *
 * @throws ValueError for no schedulers, or schedulers of different optimizers
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 * const lrs = [sched.getLastLr()[0]];
 * for (let i = 0; i < 3; i++) { sched.step(); lrs.push(sched.getLastLr()[0]); }
 * lrs.map((v) => Math.round(v * 1e4) / 1e4); // [0.1, 0.09, 0.81, 0.729]
 */
export class ChainedScheduler extends LRScheduler {
  /** The schedulers, stepped in this order. */
  readonly schedulers: LRScheduler[];

  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0)
      throw new ValueError(`ChainedScheduler: expected a non-empty array of schedulers, got ${describeValue(schedulers)}`);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`ChainedScheduler: scheduler ${i} is not an LRScheduler, got ${describeValue(s)}`);
    });
    super(schedulers[0]!.optimizer, 'ChainedScheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== this.optimizer)
        throw new ValueError(`ChainedScheduler: scheduler ${i} (${s.name}) is on another optimizer than scheduler 0 (${schedulers[0]!.name})`);
    });
    this.schedulers = [...schedulers];
    this.baseLrs = schedulers[0]!.baseLrs;
    this.lastEpoch = 0;
    this.lastLr = this.groupLrs();
  }

  /**
   * Steps every scheduler once, in order.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
   * const sched = new ChainedScheduler([new StepLR(opt, { stepSize: 1, gamma: 0.5 }), new ExponentialLR(opt, { gamma: 0.5 })]);
   * sched.step();
   * sched.getLastLr(); // [0.25]
   */
  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastEpoch += 1;
    this.lastLr = this.groupLrs();
  }

  protected getLr(): number[] {
    return this.groupLrs();
  }

  protected hyperParameterKeys(): string[] {
    return [];
  }

  /**
   * The state of each scheduler (under `schedulers`).
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
   * const sched = new ChainedScheduler([new ConstantLR(opt), new ExponentialLR(opt, { gamma: 0.9 })]);
   * (sched.stateDict().schedulers as SchedulerStateDict[]).length; // 2
   */
  override stateDict(): SchedulerStateDict {
    return withNestedStates(super.stateDict(), this.schedulers);
  }

  /**
   * Restores the state of each scheduler.
   *
   * @throws ValueError for a different number of schedulers or an entry a scheduler does not have
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
   * const make = () => new ChainedScheduler([new ConstantLR(opt), new ExponentialLR(opt, { gamma: 0.9 })]);
   * const a = make();
   * a.step();
   * const b = make();
   * b.loadStateDict(a.stateDict());
   * b.schedulers[1]!.lastEpoch; // 1
   */
  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(loadNestedStates('ChainedScheduler', this.schedulers, sd));
  }
}
