import { checkOptions, defineOptions } from '@tapegrad/core';
import { ADAM_TYPES, AdamBase, adamDefaults, type AdamOptions } from './adam.js';
import type { ParamsInput } from './optimizer.js';

const OPTS = defineOptions('AdamW', ADAM_TYPES);

/**
 * AdamW (PyTorch's `torch.optim.AdamW`): Adam with decoupled weight decay. The parameter is
 * shrunk directly instead of adding an L2 term to the gradient, so the decay is not rescaled by
 * the adaptive denominator.
 *
 * Update rule, per parameter θ, at its step t = 1, 2, ... (m, v, v̂max start at 0):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * θ ← θ · (1 - γ λ)                            # decoupled weight decay, before the Adam step
 * m ← β1 m + (1 - β1) g
 * v ← β2 v + (1 - β2) g²
 * if amsgrad: v̂max ← max(v̂max, v);  v' ← v̂max   else v' ← v
 * denom ← sqrt(v') / sqrt(1 - β2^t) + ε
 * θ ← θ - (γ / (1 - β1^t)) · m / denom
 * ```
 * Conventions: as {@link Adam}; the decay factor is `γλ` (it follows the learning rate and its
 * schedule), and the default weightDecay is 1e-2.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr < 0, eps < 0, betas outside [0, 1), weightDecay < 0
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.01 });
 * opt.zeroGrad();
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.899, -1.898] (w · (1 - lr · 0.01), then the Adam step)
 */
export class AdamW extends AdamBase {
  protected readonly decoupled: boolean = true;

  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>) {
    options = checkOptions(OPTS, options);
    super('AdamW', params, adamDefaults(options, 1e-2), ADAM_TYPES);
  }
}
