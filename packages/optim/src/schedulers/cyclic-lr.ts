import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { finite, oneOf } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Options of {@link CyclicLR}.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const opts: CyclicLROptions = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, mode: 'triangular2' };
 * new CyclicLR(opt, opts).getLastLr(); // [0.01]
 */
export interface CyclicLROptions {
  /** The lower bound of the cycle, for every group or one per group; sets each group's lr at construction. */
  baseLr: number | number[];
  /** The upper bound of the cycle (reached before scaling), for every group or one per group. */
  maxLr: number | number[];
  /** Steps of the rising half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps of the falling half (default stepSizeUp). */
  stepSizeDown?: number;
  /** `'triangular'` (default), `'triangular2'` (the amplitude halves every cycle) or `'exp_range'` (scaled by gamma^step); ignored with scaleFn. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** The base of `'exp_range'`'s scaling (default 1). */
  gamma?: number;
  /** A custom amplitude scaling, called with the cycle number (from 1) or the step; overrides mode. */
  scaleFn?: (x: number) => number;
  /** What scaleFn is called with: `'cycle'` (default) or `'iterations'`. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the momentum (or Adam's β1) inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak rate (default 0.8), for every group or one per group. */
  baseMomentum?: number | number[];
  /** The momentum at the base rate (default 0.9), for every group or one per group. */
  maxMomentum?: number | number[];
  /** The step to resume from (default -1: start fresh). */
  lastEpoch?: number;
}

const OPTS = defineOptions('CyclicLR', {
  baseLr: 'number|number[]', maxLr: 'number|number[]', stepSizeUp: 'number', stepSizeDown: 'number',
  mode: "'triangular'|'triangular2'|'exp_range'", gamma: 'number', scaleFn: 'function', scaleMode: "'cycle'|'iterations'",
  cycleMomentum: 'boolean', baseMomentum: 'number|number[]', maxMomentum: 'number|number[]', lastEpoch: 'integer',
});

type MomentumGroup = { lr: number; momentum?: number; betas?: number[]; initialLr?: number };

/**
 * Cyclical learning rates (PyTorch's `CyclicLR`, Smith 2017): the rate goes linearly from
 * `baseLr` up to `maxLr` in `stepSizeUp` steps and back down in `stepSizeDown`, the amplitude
 * scaled per cycle or per step; the momentum (Adam's β1) moves the other way, between
 * `maxMomentum` and `baseMomentum`. Step it after every batch. Not chainable: each rate comes
 * from the bounds.
 *
 * At step k, with T = stepSizeUp + stepSizeDown, c = ⌊1 + k / T⌋ and x = 1 + k / T - c:
 * ```text
 * s ← x ≤ up/T ? x / (up/T) : (x - 1) / (up/T - 1)
 * lr ← baseLr + (maxLr - baseLr) · s · scale(scaleMode = 'cycle' ? c : k)
 * momentum ← maxMomentum - (maxMomentum - baseMomentum) · s · scale(…)
 * triangular: scale = 1;   triangular2: scale(c) = 1 / 2^(c-1);   exp_range: scale(k) = gamma^k
 * ```
 *
 * @throws ValueError for a per-group list of the wrong length, non-positive step sizes, or momentum cycling on an optimizer without momentum or betas
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new CyclicLR(opt, { baseLr: 0.1, maxLr: 1, stepSizeUp: 2 });
 * const lrs = [sched.getLastLr()[0]];
 * for (let i = 0; i < 4; i++) { sched.step(); lrs.push(sched.getLastLr()[0]); }
 * lrs.map((v) => Math.round(v * 100) / 100); // [0.1, 0.55, 1, 0.55, 0.1]
 */
export class CyclicLR extends LRScheduler {
  /** The upper bounds, per group. */
  maxLrs: number[];
  /** Steps of one whole cycle. */
  totalSize: number;
  /** The fraction of a cycle spent rising. */
  stepRatio: number;
  mode: 'triangular' | 'triangular2' | 'exp_range';
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  /** The momentum bounds, per group. */
  baseMomentums: number[];
  maxMomentums: number[];
  readonly #scaleFn: ((x: number) => number) | undefined;
  readonly #useBeta1: boolean;

  constructor(optimizer: SchedulableOptimizer, opts: CyclicLROptions) {
    super(optimizer, 'CyclicLR');
    const o = checkOptions(OPTS, opts);
    const groups = optimizer.paramGroups as MomentumGroup[];
    const perGroup = (key: string, v: unknown): number[] => {
      const list = Array.isArray(v) ? [...(v as number[])] : new Array<number>(groups.length).fill(v as number);
      if (list.length !== groups.length || list.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        throw new ValueError(`CyclicLR: expected ${key} to be a number or ${groups.length} numbers (one per param group), got ${describeValue(v)}`);
      return list;
    };
    const baseLrs = perGroup('baseLr', o.baseLr);
    const lastEpoch = o.lastEpoch ?? -1;
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    this.maxLrs = perGroup('maxLr', o.maxLr);
    const up = o.stepSizeUp ?? 2000;
    const down = o.stepSizeDown ?? up;
    for (const [key, v] of [['stepSizeUp', up], ['stepSizeDown', down]] as const)
      if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`CyclicLR: invalid ${key}: ${v} (${key} must be a positive number)`);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = o.mode ?? 'triangular';
    oneOf('CyclicLR', 'mode', this.mode, ['triangular', 'triangular2', 'exp_range']);
    this.gamma = o.gamma ?? 1;
    finite('CyclicLR', 'gamma', 'gamma', this.gamma);
    this.#scaleFn = o.scaleFn;
    this.scaleMode = o.scaleFn ? (o.scaleMode ?? 'cycle') : this.mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = o.cycleMomentum ?? true;
    this.#useBeta1 = groups.length > 0 && Array.isArray(groups[0]!.betas);
    this.baseMomentums = [];
    this.maxMomentums = [];
    if (this.cycleMomentum) {
      if (!this.#useBeta1 && !(groups.length > 0 && typeof groups[0]!.momentum === 'number'))
        throw new ValueError('CyclicLR: optimizer must support momentum or betas with cycleMomentum enabled (or pass cycleMomentum: false)');
      const base = perGroup('baseMomentum', o.baseMomentum ?? 0.8);
      if (lastEpoch === -1) groups.forEach((g, i) => this.#setMomentum(g, base[i]!));
      this.baseMomentums = groups.map((g) => (this.#useBeta1 ? g.betas![0]! : g.momentum!));
      this.maxMomentums = perGroup('maxMomentum', o.maxMomentum ?? 0.9);
    }
    this.initialStep(lastEpoch);
    this.baseLrs = baseLrs;
  }

  #setMomentum(g: MomentumGroup, m: number): void {
    if (this.#useBeta1) g.betas = [m, ...g.betas!.slice(1)];
    else g.momentum = m;
  }

  /** The amplitude scaling at cycle `x` (or step, in 'iterations' mode). */
  scaleFn(x: number): number {
    if (this.#scaleFn) return this.#scaleFn(x);
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1;
  }

  protected getLr(): number[] {
    const k = this.lastEpoch;
    const cycle = Math.floor(1 + k / this.totalSize);
    const x = 1 + k / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : k);
    const groups = this.optimizer.paramGroups as MomentumGroup[];
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * s * scale);
    if (this.cycleMomentum)
      groups.forEach((g, i) => {
        const max = this.maxMomentums[i]!;
        this.#setMomentum(g, max - (max - this.baseMomentums[i]!) * s * scale);
      });
    return lrs;
  }

  protected hyperParameterKeys(): string[] {
    return ['maxLrs', 'totalSize', 'stepRatio', 'mode', 'gamma', 'scaleMode', 'cycleMomentum', 'baseMomentums', 'maxMomentums'];
  }
}
