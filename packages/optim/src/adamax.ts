import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamFamily, boolean } from './validate.js';

const TYPES = { lr: 'number', betas: 'number[]', eps: 'number', weightDecay: 'number', maximize: 'boolean' };
const OPTS = defineOptions('Adamax', TYPES);

/**
 * Options of {@link Adamax}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adamax([w], { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * opt.paramGroups[0]!.betas; // [0.9, 0.999]
 */
export interface AdamaxOptions {
  /** Learning rate γ (default 2e-3). */
  lr: number;
  /** Decays [β1, β2] of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** ε added to |g| before the maximum (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link Adamax} (PyTorch's `exp_avg` and `exp_inf`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adamax([w]);
 * w.sum().backward();
 * opt.step();
 * const s: AdamaxState = opt.state.get(w)!;
 * s.expInf.toArray(); // [1.00000001, 1.00000001] (|grad| + eps)
 */
export type AdamaxState = {
  /** Number of updates so far. */
  step: number;
  /** Running average m of the gradient. */
  expAvg: Tensor;
  /** Exponentially weighted infinity norm u of the gradient. */
  expInf: Tensor;
};

/**
 * Adamax (PyTorch's `torch.optim.Adamax`, Kingma & Ba 2015): Adam with the second moment
 * replaced by an exponentially weighted infinity norm.
 *
 * Update rule, per parameter θ at step t (m and u start at 0):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ
 * m ← β1 m + (1 - β1) g
 * u ← max(β2 u, |g| + ε)
 * θ ← θ - γ / (1 - β1^t) · m / u
 * ```
 * Conventions (PyTorch's): ε is added to |g| inside the maximum; only m is bias-corrected.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr, eps or weightDecay < 0, betas outside [0, 1)
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adamax([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.9, -1.9]
 */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: ParamsInput<AdamaxOptions>, options?: Partial<AdamaxOptions>) {
    options = checkOptions(OPTS, options);
    super('Adamax', params, {
      lr: options.lr ?? 2e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: AdamaxOptions): void {
    adamFamily('Adamax', g);
    boolean('Adamax', 'maximize', g.maximize);
  }

  protected initState(param: Tensor): AdamaxState {
    const state: AdamaxState = { step: 0, expAvg: null!, expInf: null! };
    this.buffer(state, 'expAvg', param);
    this.buffer(state, 'expInf', param);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    state.step += 1;
    const { lr, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = group.betas;
    const clr = lr / (1 - beta1 ** state.step);
    const m = state.expAvg.data as FloatArray, u = state.expInf.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (weightDecay !== 0) g += weightDecay * data[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      u[i] = Math.max(beta2 * u[i]!, Math.abs(g) + eps);
      data[i] = data[i]! - clr * (m[i]! / u[i]!);
    }
  }
}
