import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { updateMoments } from './functional/moments.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamFamily, nonNegative } from './validate.js';

const TYPES = { lr: 'number', betas: 'number[]', eps: 'number', weightDecay: 'number', momentumDecay: 'number' };
const OPTS = defineOptions('NAdam', TYPES);

/**
 * Options of {@link NAdam}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new NAdam([w], { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });
 * opt.paramGroups[0]!.momentumDecay; // 0.004
 */
export interface NAdamOptions {
  /** Learning rate γ (default 2e-3). */
  lr: number;
  /** Decays [β1, β2] of the running averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** ε added to the denominator, after the square root (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** ψ, the momentum schedule's decay (default 4e-3). */
  momentumDecay: number;
}

/**
 * State of one parameter under {@link NAdam} (PyTorch's `mu_product`, `exp_avg`, `exp_avg_sq`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new NAdam([w]);
 * w.sum().backward();
 * opt.step();
 * const s: NAdamState = opt.state.get(w)!;
 * s.muProduct; // 0.450073 (μ_1 = 0.9 · (1 - 0.5 · 0.96^0.004))
 */
export type NAdamState = {
  /** Number of updates so far. */
  step: number;
  /** The product μ_1 · … · μ_t of the momentum schedule so far (starts at 1). */
  muProduct: number;
  /** Running average m of the gradient. */
  expAvg: Tensor;
  /** Running average v of the squared gradient. */
  expAvgSq: Tensor;
};

/**
 * NAdam (PyTorch's `torch.optim.NAdam`, Dozat 2016): Adam with Nesterov momentum, under a
 * momentum schedule μ_t that warms up towards β1.
 *
 * Update rule, per parameter θ at step t (m and v start at 0, Π_0 = 1):
 * ```text
 * g ← ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * μ_t ← β1 (1 - ½ · 0.96^(t ψ));   μ_{t+1} ← β1 (1 - ½ · 0.96^((t+1) ψ))
 * Π_t ← Π_{t-1} μ_t
 * m ← β1 m + (1 - β1) g
 * v ← β2 v + (1 - β2) g²
 * denom ← sqrt(v / (1 - β2^t)) + ε
 * θ ← θ - γ (1 - μ_t) / (1 - Π_t) · g / denom
 * θ ← θ - γ μ_{t+1} / (1 - Π_t μ_{t+1}) · m / denom
 * ```
 * Conventions: PyTorch ≥ 2.0's (and the paper's) Π_t μ_{t+1} in the last line; PyTorch 1.13
 * multiplied μ_t in twice there.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, eps, weightDecay or momentumDecay < 0, betas outside [0, 1)
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new NAdam([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.894355, -1.894355]
 */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: ParamsInput<NAdamOptions>, options?: Partial<NAdamOptions>) {
    options = checkOptions(OPTS, options);
    super('NAdam', params, {
      lr: options.lr ?? 2e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentumDecay: options.momentumDecay ?? 4e-3,
    }, TYPES);
  }

  protected validateGroup(g: NAdamOptions): void {
    adamFamily('NAdam', g);
    nonNegative('NAdam', 'momentum decay', 'momentumDecay', g.momentumDecay);
  }

  protected initState(param: Tensor): NAdamState {
    const state: NAdamState = { step: 0, muProduct: 1, expAvg: null!, expAvgSq: null! };
    this.buffer(state, 'expAvg', param);
    this.buffer(state, 'expAvgSq', param);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const t = (state.step += 1);
    const { lr, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = group.betas;
    const bc2 = 1 - beta2 ** t;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
    state.muProduct *= mu;
    const gradScale = (-lr * (1 - mu)) / (1 - state.muProduct);
    const avgScale = (-lr * muNext) / (1 - state.muProduct * muNext);
    const m = state.expAvg.data as FloatArray, v = state.expAvgSq.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      const g = updateMoments(data, grad, m, v, i, beta1, beta2, weightDecay);
      const denom = Math.sqrt(v[i]! / bc2) + eps;
      data[i] = data[i]! + gradScale * (g / denom) + avgScale * (m[i]! / denom);
    }
  }
}
