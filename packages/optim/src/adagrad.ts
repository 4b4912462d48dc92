import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { adagradUpdate } from './functional/adagrad.js';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, nonNegative } from './validate.js';

const TYPES = {
  lr: 'number', lrDecay: 'number', weightDecay: 'number', initialAccumulatorValue: 'number', eps: 'number', maximize: 'boolean',
};
const OPTS = defineOptions('Adagrad', TYPES);

/**
 * Options of {@link Adagrad}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.1, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
 * opt.paramGroups[0]!.lr; // 0.1
 */
export interface AdagradOptions {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Learning-rate decay η: the step size at step t is γ / (1 + (t - 1) η) (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** ε added to the denominator, after the square root (default 1e-10). */
  eps: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link Adagrad}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adagrad([w]);
 * w.mul(w).sum().backward();
 * opt.step();
 * const s: AdagradState = opt.state.get(w)!;
 * s.sum.toArray(); // [4, 16] (the squared gradients 2w)
 */
export type AdagradState = {
  /** Number of updates so far. */
  step: number;
  /** Sum of squared gradients. */
  sum: Tensor;
};

/**
 * Adagrad (PyTorch's `torch.optim.Adagrad`): steps divided by the root of the sum of all squared
 * gradients so far.
 *
 * Update rule, per parameter θ, at its step t = 1, 2, ... (s starts at initialAccumulatorValue):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * γ_t ← γ / (1 + (t - 1) η)
 * s ← s + g²
 * θ ← θ - γ_t g / (sqrt(s) + ε)
 * ```
 * Conventions (PyTorch's): the learning-rate decay counts from the first step (γ_1 = γ); ε is
 * added after the square root.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, lrDecay, weightDecay, initialAccumulatorValue or eps < 0
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.9, -1.9] (first step: lr · g / |g|)
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: ParamsInput<AdagradOptions>, options?: Partial<AdagradOptions>) {
    options = checkOptions(OPTS, options);
    super('Adagrad', params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: AdagradOptions): void {
    nonNegative('Adagrad', 'learning rate', 'lr', g.lr);
    nonNegative('Adagrad', 'learning rate decay', 'lrDecay', g.lrDecay);
    nonNegative('Adagrad', 'weight decay', 'weightDecay', g.weightDecay);
    nonNegative('Adagrad', 'initial accumulator value', 'initialAccumulatorValue', g.initialAccumulatorValue);
    nonNegative('Adagrad', 'epsilon value', 'eps', g.eps);
    boolean('Adagrad', 'maximize', g.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    const state: AdagradState = { step: 0, sum: null! };
    this.buffer(state, 'sum', param, group.initialAccumulatorValue);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: AdagradState, group: ParamGroup<AdagradOptions>): void {
    state.step += 1;
    adagradUpdate(data, grad, state.sum.data as FloatArray, state.step, group);
  }
}
