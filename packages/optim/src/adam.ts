import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { adamUpdate } from './functional/adam.js';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamFamily, boolean } from './validate.js';

/**
 * The option types of Adam and AdamW.
 *
 * @internal
 */
export const ADAM_TYPES = { lr: 'number', betas: 'number[]', eps: 'number', weightDecay: 'number', amsgrad: 'boolean', maximize: 'boolean' };
const OPTS = defineOptions('Adam', ADAM_TYPES);

/**
 * Options of {@link Adam} and {@link AdamW}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 1e-3, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false });
 * opt.paramGroups[0]!.amsgrad; // true
 */
export interface AdamOptions {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** ε added to the denominator, after the square root (default 1e-8). */
  eps: number;
  /** Weight decay λ: an L2 penalty added to the gradient for Adam (default 0); decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant: divide by the running maximum of the second moment (default false). */
  amsgrad: boolean;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link Adam} / {@link AdamW}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adam([w]);
 * w.sum().backward();
 * opt.step();
 * const s: AdamState = opt.state.get(w)!;
 * s.step; // 1
 * s.expAvg.toArray(); // [0.1, 0.1] ((1 - 0.9) · grad)
 */
export type AdamState = {
  /** Number of updates so far. */
  step: number;
  /** First moment m (running average of the gradient). */
  expAvg: Tensor;
  /** Second moment v (running average of the squared gradient). */
  expAvgSq: Tensor;
  /** Running maximum of v (amsgrad only). */
  maxExpAvgSq: Tensor | null;
};

/**
 * Every option of Adam and AdamW from the given ones; the two differ only in the default weight decay.
 *
 * @internal
 */
export function adamDefaults(options: Partial<AdamOptions>, weightDecay: number): AdamOptions {
  return {
    lr: options.lr ?? 1e-3,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}

/**
 * Shared by Adam and AdamW: they differ only in their name, defaults and where weight decay acts.
 *
 * @example
 * const w = tensor([1], { requiresGrad: true });
 * new AdamW([w]) instanceof AdamBase; // true
 * new Adam([w]) instanceof AdamBase; // true
 */
export abstract class AdamBase extends Optimizer<AdamOptions, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected validateGroup(g: AdamOptions): void {
    adamFamily(this.name, g);
    boolean(this.name, 'amsgrad', g.amsgrad);
    boolean(this.name, 'maximize', g.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    const state: AdamState = { step: 0, expAvg: null!, expAvgSq: null!, maxExpAvgSq: null };
    this.buffer(state, 'expAvg', param);
    this.buffer(state, 'expAvgSq', param);
    if (group.amsgrad) this.buffer(state, 'maxExpAvgSq', param);
    return state;
  }

  protected updateParam(param: Tensor, data: FloatArray, grad: FloatArray, state: AdamState, group: ParamGroup<AdamOptions>): void {
    state.step += 1;
    const maxSq = group.amsgrad ? this.buffer(state, 'maxExpAvgSq', param) : null;
    adamUpdate(data, grad, state.expAvg.data as FloatArray, state.expAvgSq.data as FloatArray, maxSq, state.step, group, this.decoupled);
  }
}

/**
 * Adam (PyTorch's `torch.optim.Adam`): steps scaled by running averages of the gradient and of
 * its square, with bias correction.
 *
 * Update rule, per parameter θ, at its step t = 1, 2, ... (m, v, v̂max start at 0):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:  g ← g + λ θ                       # L2 penalty, coupled (see AdamW)
 * m ← β1 m + (1 - β1) g
 * v ← β2 v + (1 - β2) g²
 * if amsgrad: v̂max ← max(v̂max, v);  v' ← v̂max   else v' ← v
 * denom ← sqrt(v') / sqrt(1 - β2^t) + ε          # ε after the square root of the corrected v
 * θ ← θ - (γ / (1 - β1^t)) · m / denom
 * ```
 * Conventions (PyTorch's): the bias corrections divide the step size and the square root of v
 * rather than m and v themselves, so ε is added to `sqrt(v̂)`, not to `sqrt(v)`; AMSGrad keeps the
 * maximum of the uncorrected v and corrects it with the current step's factor.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr < 0, eps < 0, betas outside [0, 1), weightDecay < 0
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1, betas: [0.9, 0.999] });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.9, -1.9] (Adam's first step is lr · sign(grad))
 */
export class Adam extends AdamBase {
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>) {
    options = checkOptions(OPTS, options);
    super('Adam', params, adamDefaults(options, 0), ADAM_TYPES);
  }
}
