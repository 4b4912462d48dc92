import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { boolean, nonNegative, showValue } from './validate.js';

const TYPES = { lr: 'number', etas: 'number[]', stepSizes: 'number[]', maximize: 'boolean' };
const OPTS = defineOptions('Rprop', TYPES);

/**
 * Options of {@link Rprop}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Rprop([w], { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
 * opt.paramGroups[0]!.etas; // [0.5, 1.2]
 */
export interface RpropOptions {
  /** The initial step size of every element (default 1e-2). */
  lr: number;
  /** `[η−, η+]`: the factors that shrink and grow a step size, 0 < η− < 1 < η+ (default [0.5, 1.2]). */
  etas: [number, number];
  /** `[Γmin, Γmax]`: the bounds of the step sizes (default [1e-6, 50]). */
  stepSizes: [number, number];
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * State of one parameter under {@link Rprop} (PyTorch's `prev` and `step_size`).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Rprop([w]);
 * w.sum().backward();
 * opt.step();
 * const s: RpropState = opt.state.get(w)!;
 * s.stepSize.toArray(); // [0.01, 0.01] (lr, unchanged at the first step)
 */
export type RpropState = {
  /** Number of updates so far. */
  step: number;
  /** The gradient of the previous step (0 where its sign flipped). */
  prev: Tensor;
  /** The step size of each element (starts at lr). */
  stepSize: Tensor;
};

/**
 * Rprop, resilient backpropagation (PyTorch's `torch.optim.Rprop`, Riedmiller & Braun 1993):
 * each element moves by its own step size against the sign of its gradient; the step size grows
 * while the sign holds and shrinks when it flips.
 *
 * Update rule, per element of θ (g_prev starts at 0, Δ at lr):
 * ```text
 * g ← maximize ? -∇f(θ) : ∇f(θ)
 * if g · g_prev > 0:  Δ ← min(Δ η+, Γmax)
 * if g · g_prev < 0:  Δ ← max(Δ η−, Γmin);   g ← 0
 * if g · g_prev = 0:  Δ ← clamp(Δ, Γmin, Γmax)
 * θ ← θ - sign(g) Δ
 * g_prev ← g
 * ```
 * Conventions (PyTorch's, iRprop− without weight backtracking): after a sign flip the element
 * does not move, and the next step treats it as a fresh start.
 *
 * @param params - tensors (float, requiresGrad), or param groups `{ params, ...options }`
 * @throws ValueError naming the option and value for lr < 0, etas not 0 < η− < 1 < η+, stepSizes not 0 ≤ Γmin ≤ Γmax
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Rprop([w], { lr: 0.1 });
 * for (let i = 0; i < 2; i++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 * }
 * w.toArray(); // [0.78, -1.78] (steps 0.1, then 0.12)
 */
export class Rprop extends Optimizer<RpropOptions, RpropState> {
  constructor(params: ParamsInput<RpropOptions>, options?: Partial<RpropOptions>) {
    options = checkOptions(OPTS, options);
    super('Rprop', params, {
      lr: options.lr ?? 1e-2,
      etas: options.etas ?? [0.5, 1.2],
      stepSizes: options.stepSizes ?? [1e-6, 50],
      maximize: options.maximize ?? false,
    }, TYPES);
  }

  protected validateGroup(g: RpropOptions): void {
    nonNegative('Rprop', 'learning rate', 'lr', g.lr);
    const e = g.etas, s = g.stepSizes;
    if (!Array.isArray(e) || e.length !== 2 || !(e[0] > 0 && e[0] < 1 && e[1] > 1))
      throw new ValueError(`Rprop: invalid eta values: ${showValue(e)} (etas must be [etaminus, etaplus] with 0 < etaminus < 1 < etaplus)`);
    if (!Array.isArray(s) || s.length !== 2 || !(s[0] >= 0 && s[1] >= s[0]))
      throw new ValueError(`Rprop: invalid step sizes: ${showValue(s)} (stepSizes must be [min, max] with 0 <= min <= max)`);
    boolean('Rprop', 'maximize', g.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<RpropOptions>): RpropState {
    const state: RpropState = { step: 0, prev: null!, stepSize: null! };
    this.buffer(state, 'prev', param);
    this.buffer(state, 'stepSize', param, group.lr);
    return state;
  }

  protected updateParam(_param: Tensor, data: FloatArray, grad: FloatArray, state: RpropState, group: ParamGroup<RpropOptions>): void {
    state.step += 1;
    const [etaMinus, etaPlus] = group.etas;
    const [minStep, maxStep] = group.stepSizes;
    const prev = state.prev.data as FloatArray, size = state.stepSize.data as FloatArray;
    for (let i = 0; i < data.length; i++) {
      let g = group.maximize ? -grad[i]! : grad[i]!;
      const s = Math.sign(g * prev[i]!);
      const factor = s > 0 ? etaPlus : s < 0 ? etaMinus : 1;
      size[i] = Math.min(Math.max(size[i]! * factor, minStep), maxStep);
      if (s < 0) g = 0;
      data[i] = data[i]! - Math.sign(g) * size[i]!;
      prev[i] = g;
    }
  }
}
