import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { sgdUpdate } from './functional/sgd.js';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, finite, nonNegative } from './validate.js';

const TYPES = { lr: 'number', momentum: 'number', dampening: 'number', nesterov: 'boolean', weightDecay: 'number', maximize: 'boolean' };
const OPTS = defineOptions('SGD', TYPES);

/**
 * Options of {@link SGD}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0, maximize: false });
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray(); // [0.62, -1.24] (nesterov: w - lr · (g + 0.9 g), g = 2w)
 */
export interface SGDOptions {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ of the gradient added to the momentum buffer (default 0). */
  dampening: number;
  /** Use Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link SGD}: the momentum buffer, created at the first step with momentum.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.sum().backward();
 * opt.step();
 * const s: SGDState = opt.state.get(w)!;
 * s.momentumBuffer; // null (no momentum)
 */
export type SGDState = { momentumBuffer: Tensor | null };

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's `torch.optim.SGD`).
 *
 * Update rule, per parameter θ with gradient ∇f(θ), at step t = 1, 2, ...:
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if λ ≠ 0:   g ← g + λ θ
 * if μ ≠ 0:
 *     b ← (t = 1) ? g : μ b + (1 - τ) g        # first step: the buffer is the gradient, undamped
 *     g ← nesterov ? g + μ b : b
 * θ ← θ - γ g
 * ```
 * Conventions (PyTorch's): the learning rate multiplies the buffer (`v = μv + g; θ -= γv`, not
 * Sutskever's `v = μv + γg; θ -= v`); Nesterov is the "look-ahead gradient" form `g + μb`; with
 * `maximize` the gradient is negated before weight decay, so weight decay still shrinks θ.
 * "t = 1" is the first step at which the parameter has a gradient.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError `SGD: invalid learning rate: -1 (lr must be >= 0)`, likewise for momentum and
 *   weightDecay; Nesterov without momentum > 0 and dampening 0; empty params
 * @example
 * const w = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true });
 * for (let i = 0; i < 100; i++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 * }
 * w.abs().max().item() < 1e-6; // true (the minimum of |w|^2 is at 0)
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: ParamsInput<SGDOptions>, options?: Partial<SGDOptions>) {
    options = checkOptions(OPTS, options);
    super('SGD', params, {
      lr: options.lr ?? 1e-3,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      nesterov: options.nesterov ?? false,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: SGDOptions): void {
    nonNegative('SGD', 'learning rate', 'lr', g.lr);
    nonNegative('SGD', 'momentum value', 'momentum', g.momentum);
    finite('SGD', 'dampening value', 'dampening', g.dampening);
    nonNegative('SGD', 'weight decay', 'weightDecay', g.weightDecay);
    boolean('SGD', 'nesterov', g.nesterov);
    boolean('SGD', 'maximize', g.maximize);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0))
      throw new ValueError(
        `SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum=${g.momentum}, dampening=${g.dampening}`,
      );
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected updateParam(param: Tensor, data: FloatArray, grad: FloatArray, state: SGDState, group: ParamGroup<SGDOptions>): void {
    let buf: FloatArray | null = null;
    const first = group.momentum !== 0 && state.momentumBuffer === null;
    if (group.momentum !== 0) buf = this.buffer(state, 'momentumBuffer', param);
    sgdUpdate(data, grad, buf, first, group);
  }
}
