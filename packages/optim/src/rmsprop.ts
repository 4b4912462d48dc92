import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { rmspropUpdate } from './functional/rmsprop.js';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, nonNegative } from './validate.js';

const TYPES = {
  lr: 'number', alpha: 'number', eps: 'number', weightDecay: 'number', momentum: 'number', centered: 'boolean', maximize: 'boolean',
};
const OPTS = defineOptions('RMSprop', TYPES);

/**
 * Options of {@link RMSprop}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new RMSprop([w], { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.9, -1.9] (first step: lr · g / sqrt(0.01 g²))
 */
export interface RMSpropOptions {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running averages (default 0.99). */
  alpha: number;
  /** ε added to the denominator, after the square root (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Divide by an estimate of the gradient's variance instead of its raw second moment (default false). */
  centered: boolean;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link RMSprop}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new RMSprop([w], { centered: true });
 * w.sum().backward();
 * opt.step();
 * const s: RMSpropState = opt.state.get(w)!;
 * s.squareAvg.toArray(); // [0.01, 0.01] ((1 - alpha) · grad²)
 * s.gradAvg!.toArray(); // [0.01, 0.01]
 */
export type RMSpropState = {
  /** Number of updates so far. */
  step: number;
  /** Running average v of the squared gradient. */
  squareAvg: Tensor;
  /** Running average of the gradient (centered only). */
  gradAvg: Tensor | null;
  /** Momentum buffer (momentum > 0 only). */
  momentumBuffer: Tensor | null;
};

/**
 * RMSprop (PyTorch's `torch.optim.RMSprop`): steps divided by the root of a running average of
 * the squared gradient.
 *
 * Update rule, per parameter θ (v, ḡ, b start at 0):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * v ← α v + (1 - α) g²
 * if centered:  ḡ ← α ḡ + (1 - α) g;   denom ← sqrt(v - ḡ²) + ε
 * else:         denom ← sqrt(v) + ε
 * if μ > 0:  b ← μ b + g / denom;   θ ← θ - γ b
 * else:      θ ← θ - γ g / denom
 * ```
 * Conventions (PyTorch's): no bias correction; ε is added after the square root; the momentum
 * buffer accumulates the already-normalised step and starts at zero.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, alpha, eps, momentum or weightDecay < 0
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new RMSprop([w], { lr: 1e-2, momentum: 0.9, centered: true });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.899496, -1.899496]
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: ParamsInput<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    options = checkOptions(OPTS, options);
    super('RMSprop', params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: RMSpropOptions): void {
    nonNegative('RMSprop', 'learning rate', 'lr', g.lr);
    nonNegative('RMSprop', 'alpha value', 'alpha', g.alpha);
    nonNegative('RMSprop', 'epsilon value', 'eps', g.eps);
    nonNegative('RMSprop', 'weight decay', 'weightDecay', g.weightDecay);
    nonNegative('RMSprop', 'momentum value', 'momentum', g.momentum);
    boolean('RMSprop', 'centered', g.centered);
    boolean('RMSprop', 'maximize', g.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<RMSpropOptions>): RMSpropState {
    const state: RMSpropState = { step: 0, squareAvg: null!, gradAvg: null, momentumBuffer: null };
    this.buffer(state, 'squareAvg', param);
    if (group.momentum > 0) this.buffer(state, 'momentumBuffer', param);
    if (group.centered) this.buffer(state, 'gradAvg', param);
    return state;
  }

  protected updateParam(param: Tensor, data: FloatArray, grad: FloatArray, state: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    state.step += 1;
    const gradAvg = group.centered ? this.buffer(state, 'gradAvg', param) : null;
    const buf = group.momentum > 0 ? this.buffer(state, 'momentumBuffer', param) : null;
    rmspropUpdate(data, grad, state.squareAvg.data as FloatArray, gradAvg, buf, group);
  }
}
