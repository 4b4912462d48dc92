import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * A learning-rate factor as a function of the epoch, for {@link LambdaLR} and {@link MultiplicativeLR}.
 *
 * @example
 * const warmup: LrLambda = (epoch) => Math.min(1, (epoch + 1) / 10);
 * warmup(0); // 0.1
 */
export type LrLambda = (epoch: number) => number;

/**
 * Options of {@link LambdaLR} and {@link MultiplicativeLR}.
 *
 * @example
 * const opts: LambdaLROptions = { lrLambda: (epoch) => 0.5 ** epoch };
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * new LambdaLR(opt, opts).getLastLr(); // [0.1]
 */
export interface LambdaLROptions {
  /** One function for every group, or one per group. */
  lrLambda: LrLambda | LrLambda[];
  /** The epoch to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const LAMBDA = defineOptions('LambdaLR', { lrLambda: 'function|array', lastEpoch: 'integer' });
const MULTIPLICATIVE = defineOptions('MultiplicativeLR', { lrLambda: 'function|array', lastEpoch: 'integer' });

function lambdas(name: string, optimizer: SchedulableOptimizer, f: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer?.paramGroups?.length ?? 0;
  if (typeof f === 'function') return new Array<LrLambda>(n).fill(f);
  if (!Array.isArray(f) || f.length !== n || f.some((g) => typeof g !== 'function'))
    throw new ValueError(`${name}: lrLambda must be a function or ${n} functions (one per param group), got ${describeValue(f)}`);
  return [...f];
}

/**
 * Sets each group's learning rate to its base rate times a function of the epoch (PyTorch's
 * `LambdaLR`): `lr = baseLr · lrLambda(epoch)`. Not chainable: it overwrites what another
 * scheduler set. The functions are not saved by {@link LRScheduler.stateDict}.
 *
 * @throws ValueError unless lrLambda is a function or one function per param group
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) });
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.0333333]
 */
export class LambdaLR extends LRScheduler {
  /** The factor function of each group. */
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, opts: LambdaLROptions) {
    super(optimizer, 'LambdaLR');
    const { lrLambda, lastEpoch = -1 } = checkOptions(LAMBDA, opts);
    this.lrLambdas = lambdas('LambdaLR', optimizer, lrLambda);
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * (this.lrLambdas[i] ?? this.lrLambdas[0]!)(this.lastEpoch));
  }

  protected hyperParameterKeys(): string[] {
    return [];
  }
}

/**
 * Multiplies each group's learning rate by a function of the epoch at every step after the first
 * (PyTorch's `MultiplicativeLR`): `lr ← lr · lrLambda(epoch)` for epoch > 0 (chainable).
 *
 * @throws ValueError unless lrLambda is a function or one function per param group
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.9 });
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.081]
 */
export class MultiplicativeLR extends LRScheduler {
  /** The factor function of each group. */
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, opts: LambdaLROptions) {
    super(optimizer, 'MultiplicativeLR');
    const { lrLambda, lastEpoch = -1 } = checkOptions(MULTIPLICATIVE, opts);
    this.lrLambdas = lambdas('MultiplicativeLR', optimizer, lrLambda);
    this.initialStep(lastEpoch);
  }

  protected getLr(): number[] {
    const e = this.lastEpoch;
    return this.groupLrs().map((lr, i) => (e > 0 ? lr * (this.lrLambdas[i] ?? this.lrLambdas[0]!)(e) : lr));
  }

  protected hyperParameterKeys(): string[] {
    return [];
  }
}
