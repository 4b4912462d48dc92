import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { updateMoments } from './functional/moments.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamFamily } from './validate.js';

const TYPES = { lr: 'number', betas: 'number[]', eps: 'number', weightDecay: 'number' };
const OPTS = defineOptions('RAdam', TYPES);

/**
 * Options of {@link RAdam}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new RAdam([w], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
 * opt.paramGroups[0]!.lr; // 0.001
 */
export interface RAdamOptions {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Decays [β1, β2] of the running averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** ε added to the denominator, after the square root (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
}

/**
 * State of one parameter under {@link RAdam} (PyTorch's `exp_avg`, `exp_avg_sq`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new RAdam([w]);
 * w.sum().backward();
 * opt.step();
 * const s: RAdamState = opt.state.get(w)!;
 * s.expAvg.toArray(); // [0.1, 0.1]
 */
export type RAdamState = {
  /** Number of updates so far. */
  step: number;
  /** Running average m of the gradient. */
  expAvg: Tensor;
  /** Running average v of the squared gradient. */
  expAvgSq: Tensor;
};

/**
 * RAdam (PyTorch's `torch.optim.RAdam`, Liu et al. 2019): Adam whose adaptive step is switched
 * on, and rectified, once the variance of the adaptive rate is tractable; until then, SGD with
 * bias-corrected momentum.
 *
 * Update rule, per parameter θ at step t (m and v start at 0):
 * ```text
 * g ← ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * m ← β1 m + (1 - β1) g
 * v ← β2 v + (1 - β2) g²
 * m̂ ← m / (1 - β1^t)
 * ρ∞ ← 2 / (1 - β2) - 1;   ρ_t ← ρ∞ - 2 t β2^t / (1 - β2^t)
 * if ρ_t > 5:
 *   r ← sqrt((ρ_t - 4)(ρ_t - 2) ρ∞ / ((ρ∞ - 4)(ρ∞ - 2) ρ_t))
 *   θ ← θ - γ m̂ r sqrt(1 - β2^t) / (sqrt(v) + ε)
 * else:
 *   θ ← θ - γ m̂
 * ```
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, eps or weightDecay < 0, betas outside [0, 1)
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new RAdam([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.8, -1.6] (the first steps are SGD with momentum: θ - γ g)
 */
export class RAdam extends Optimizer<RAdamOptions, RAdamState> {
  constructor(params: ParamsInput<RAdamOptions>, options?: Partial<RAdamOptions>) {
    options = checkOptions(OPTS, options);
    super('RAdam', params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
    }, TYPES);
  }

  protected validateGroup(g: RAdamOptions): void {
    adamFamily('RAdam', g);
  }

  protected initState(param: Tensor): RAdamState {
    const state: RAdamState = { step: 0, expAvg: null!, expAvgSq: null! };
    this.buffer(state, 'expAvg', param);
    this.buffer(state, 'expAvgSq', param);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: RAdamState, group: ParamGroup<RAdamOptions>): void {
    const t = (state.step += 1);
    const { lr, eps, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
    const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const m = state.expAvg.data as FloatArray, v = state.expAvgSq.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      updateMoments(data, grad, m, v, i, beta1, beta2, weightDecay);
      const mHat = m[i]! / bc1;
      if (rhoT > 5) data[i] = data[i]! - mHat * lr * (Math.sqrt(bc2) / (Math.sqrt(v[i]!) + eps)) * rect;
      else data[i] = data[i]! - mHat * lr;
    }
  }
}
