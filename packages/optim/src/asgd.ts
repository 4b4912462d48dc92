import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, finite, nonNegative } from './validate.js';

const TYPES = { lr: 'number', lambd: 'number', alpha: 'number', t0: 'number', weightDecay: 'number', maximize: 'boolean' };
const OPTS = defineOptions('ASGD', TYPES);

/**
 * Options of {@link ASGD}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new ASGD([w], { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
 * opt.paramGroups[0]!.t0; // 1000000
 */
export interface ASGDOptions {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Decay term λ, also the step-size decay rate (default 1e-4). */
  lambd: number;
  /** Power α of the step-size decay (default 0.75). */
  alpha: number;
  /** The step at which averaging starts (default 1e6). */
  t0: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link ASGD} (PyTorch's `eta`, `mu`, `ax`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new ASGD([w]);
 * w.sum().backward();
 * opt.step();
 * const s: ASGDState = opt.state.get(w)!;
 * s.ax.toArray(); // [0.99, 1.99] (the average: the parameter itself before t0)
 */
export type ASGDState = {
  /** Number of updates so far. */
  step: number;
  /** The current step size η (starts at lr). */
  eta: number;
  /** The averaging weight μ (starts at 1). */
  mu: number;
  /** The averaged parameter ā. */
  ax: Tensor;
};

/**
 * Averaged stochastic gradient descent (PyTorch's `torch.optim.ASGD`, Polyak & Juditsky 1992):
 * SGD with a decaying step size that also keeps a running average of the iterates, from step t0 on.
 *
 * Update rule, per parameter θ at step t (η starts at γ, μ at 1):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if wd ≠ 0:  g ← g + wd θ
 * θ ← θ (1 - λ η)
 * θ ← θ - η g
 * ā ← μ ≠ 1 ? ā + μ (θ - ā) : θ
 * η ← γ / (1 + λ γ t)^α
 * μ ← 1 / max(1, t - t0)
 * ```
 * The optimizer steps θ; read the average from `state.get(param).ax`.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr or weightDecay < 0, or a non-finite lambd, alpha or t0
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new ASGD([w], { lr: 0.1, lambd: 0 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.8, -1.6]
 */
export class ASGD extends Optimizer<ASGDOptions, ASGDState> {
  constructor(params: ParamsInput<ASGDOptions>, options?: Partial<ASGDOptions>) {
    options = checkOptions(OPTS, options);
    super('ASGD', params, {
      lr: options.lr ?? 1e-2,
      lambd: options.lambd ?? 1e-4,
      alpha: options.alpha ?? 0.75,
      t0: options.t0 ?? 1e6,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: ASGDOptions): void {
    nonNegative('ASGD', 'learning rate', 'lr', g.lr);
    finite('ASGD', 'lambd value', 'lambd', g.lambd);
    finite('ASGD', 'alpha value', 'alpha', g.alpha);
    finite('ASGD', 't0 value', 't0', g.t0);
    nonNegative('ASGD', 'weight decay', 'weightDecay', g.weightDecay);
    boolean('ASGD', 'maximize', g.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<ASGDOptions>): ASGDState {
    const state: ASGDState = { step: 0, eta: group.lr, mu: 1, ax: null! };
    this.buffer(state, 'ax', param);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: ASGDState, group: ParamGroup<ASGDOptions>): void {
    const t = (state.step += 1);
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    const { eta, mu } = state;
    const ax = state.ax.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) g += weightDecay * data[i]!;
      let p = data[i]! * (1 - lambd * eta);
      p = p - eta * g;
      data[i] = p;
      ax[i] = mu !== 1 ? ax[i]! + (data[i]! - ax[i]!) * mu : data[i]!;
    }
    state.eta = lr / (1 + lambd * lr * t) ** alpha;
    state.mu = 1 / Math.max(1, t - t0);
  }
}
