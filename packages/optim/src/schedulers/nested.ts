import { ValueError, describeValue } from '@tapegrad/core';
import type { LRScheduler, SchedulerStateDict } from './lr-scheduler.js';

// State-dict plumbing of the schedulers that hold other schedulers (ChainedScheduler,
// SequentialLR): their own state plus one entry per nested scheduler under `schedulers`.

/** `own` with the state of each nested scheduler added under `schedulers`. */
export function withNestedStates(own: SchedulerStateDict, schedulers: readonly LRScheduler[]): SchedulerStateDict {
  return { ...own, schedulers: schedulers.map((s) => s.stateDict()) };
}

/**
 * Loads `sd.schedulers` (if given) into `schedulers`, one state each, and returns the rest of
 * `sd` for the owner's own state.
 *
 * @throws ValueError (starting `<owner>.loadStateDict:`) if `sd.schedulers` is not an array of one state per scheduler
 */
export function loadNestedStates(owner: string, schedulers: readonly LRScheduler[], sd: SchedulerStateDict): SchedulerStateDict {
  const { schedulers: states, ...rest } = sd;
  if (states !== undefined) {
    if (!Array.isArray(states) || states.length !== schedulers.length)
      throw new ValueError(`${owner}.loadStateDict: expected ${schedulers.length} scheduler states, got ${describeValue(states)}`);
    (states as SchedulerStateDict[]).forEach((s, i) => schedulers[i]!.loadStateDict(s));
  }
  return rest;
}
