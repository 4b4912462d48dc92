// The one thing fit() and its callbacks both need to know of an optimizer, in a module of its
// own so that fit.ts and callbacks.ts do not import each other.
import type { ZeroGradOptions } from '@tapegrad/optim';

/**
 * What {@link fit} needs of an optimizer (every `Optimizer` of @tapegrad/optim qualifies).
 *
 * @example
 * const opt: FitOptimizer = new SGD(new Linear(2, 1).parameters(), { lr: 0.1 });
 */
export interface FitOptimizer {
  zeroGrad(opts?: ZeroGradOptions): void;
  step(): unknown;
  readonly paramGroups: ReadonlyArray<{ lr: number }>;
}
