import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, nonNegative } from './validate.js';

const TYPES = { lr: 'number', rho: 'number', eps: 'number', weightDecay: 'number', maximize: 'boolean' };
const OPTS = defineOptions('Adadelta', TYPES);

/**
 * Options of {@link Adadelta}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adadelta([w], { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
 * opt.paramGroups[0]!.rho; // 0.9
 */
export interface AdadeltaOptions {
  /** Coefficient γ that scales the step (default 1). */
  lr: number;
  /** Decay ρ of the running averages (default 0.9). */
  rho: number;
  /** ε added inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link Adadelta} (PyTorch's `square_avg` and `acc_delta`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adadelta([w]);
 * w.sum().backward();
 * opt.step();
 * const s: AdadeltaState = opt.state.get(w)!;
 * s.squareAvg.toArray(); // [0.1, 0.1] ((1 - rho) · grad²)
 */
export type AdadeltaState = {
  /** Number of updates so far. */
  step: number;
  /** Running average v of the squared gradient. */
  squareAvg: Tensor;
  /** Running average u of the squared update. */
  accDelta: Tensor;
};

/**
 * Adadelta (PyTorch's `torch.optim.Adadelta`, Zeiler 2012): steps scaled by the ratio of the
 * root mean squared past updates to the root mean squared gradient.
 *
 * Update rule, per parameter θ (v and u start at 0):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * v ← ρ v + (1 - ρ) g²
 * Δ ← sqrt(u + ε) / sqrt(v + ε) · g
 * u ← ρ u + (1 - ρ) Δ²
 * θ ← θ - γ Δ
 * ```
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, eps or weightDecay < 0, rho outside [0, 1]
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adadelta([w], { lr: 1 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.996838, -1.996838]
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaOptions>, options?: Partial<AdadeltaOptions>) {
    options = checkOptions(OPTS, options);
    super('Adadelta', params, {
      lr: options.lr ?? 1,
      rho: options.rho ?? 0.9,
      eps: options.eps ?? 1e-6,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: AdadeltaOptions): void {
    nonNegative('Adadelta', 'learning rate', 'lr', g.lr);
    if (typeof g.rho !== 'number' || !(g.rho >= 0 && g.rho <= 1))
      throw new ValueError(`Adadelta: invalid rho value: ${String(g.rho)} (rho must be in [0, 1])`);
    nonNegative('Adadelta', 'epsilon value', 'eps', g.eps);
    nonNegative('Adadelta', 'weight decay', 'weightDecay', g.weightDecay);
    boolean('Adadelta', 'maximize', g.maximize);
  }

  protected initState(param: Tensor): AdadeltaState {
    const state: AdadeltaState = { step: 0, squareAvg: null!, accDelta: null! };
    this.buffer(state, 'squareAvg', param);
    this.buffer(state, 'accDelta', param);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: AdadeltaState, group: ParamGroup<AdadeltaOptions>): void {
    state.step += 1;
    const { lr, rho, eps, weightDecay, maximize } = group;
    const v = state.squareAvg.data as FloatArray, u = state.accDelta.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) g += weightDecay * data[i]!;
      v[i] = rho * v[i]! + (1 - rho) * g * g;
      const delta = (Math.sqrt(u[i]! + eps) / Math.sqrt(v[i]! + eps)) * g;
      u[i] = rho * u[i]! + (1 - rho) * delta * delta;
      data[i] = data[i]! - lr * delta;
    }
  }
}
