import {
  Tensor, ValueError, checkOptions, defineOptions, enableGrad, fmtShape, noGrad, shapesEqual, ShapeError,
} from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import {
  Optimizer, type Closure, type OptimizerStateDict, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState, type StateValue,
} from './optimizer.js';
import { integerAtLeast, nonNegative, showValue } from './validate.js';

const TYPES = {
  lr: 'number', maxIter: 'integer', maxEval: 'integer', toleranceGrad: 'number', toleranceChange: 'number',
  historySize: 'integer', lineSearchFn: "null|'strong_wolfe'",
};
const OPTS = defineOptions('LBFGS', TYPES);

/**
 * Options of {@link LBFGS}.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opts: LBFGSOptions = { lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: 'strong_wolfe' };
 * new LBFGS([w], opts).paramGroups[0]!.lineSearchFn; // 'strong_wolfe'
 */
export interface LBFGSOptions {
  /** Step length γ, scaling each direction (default 1). */
  lr: number;
  /** Iterations per {@link LBFGS.step} (default 20). */
  maxIter: number;
  /** Closure evaluations per step (default ⌊maxIter · 5 / 4⌋). */
  maxEval: number;
  /** Stop when max |gradient| ≤ this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the step, or the change of the loss, is below this (default 1e-9). */
  toleranceChange: number;
  /** The number of curvature pairs kept (default 100). */
  historySize: number;
  /** `null` (default: fixed steps of lr) or `'strong_wolfe'` (a line search satisfying the strong Wolfe conditions). */
  lineSearchFn: null | 'strong_wolfe';
}

/**
 * The state of an {@link LBFGS} optimizer, kept under its first parameter (as PyTorch does), in
 * PyTorch's entries camel-cased: flat vectors over all parameters as 1-D tensors.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new LBFGS([w]);
 * opt.step(() => { opt.zeroGrad(); const loss = w.mul(w).sum(); loss.backward(); return loss; });
 * const s = opt.state.get(w)! as unknown as LBFGSState;
 * s.funcEvals; // 3 (one evaluation to start, one per iteration: the gradient vanishes after two)
 */
export type LBFGSState = {
  /** Closure evaluations so far. */
  funcEvals: number;
  /** Iterations so far. */
  nIter: number;
  /** The last search direction d. */
  d: Tensor | null;
  /** The last step length t. */
  t: number | null;
  /** The gradient differences y_k = g_{k+1} - g_k, oldest first. */
  oldDirs: Tensor[];
  /** The steps s_k = t d, oldest first. */
  oldStps: Tensor[];
  /** ρ_k = 1 / (y_k · s_k). */
  ro: number[];
  /** The scale of the initial inverse Hessian, y·s / y·y. */
  hDiag: number;
  /** The gradient at the previous iterate. */
  prevFlatGrad: Tensor | null;
  /** The loss at the previous iterate. */
  prevLoss: number | null;
};

type Vec = Float64Array;
type Evaluate = (t: number) => [loss: number, grad: Vec];

const dot = (a: Vec, b: Vec): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Vec): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `[lo, hi]` (by default the interval between x1 and x2); the midpoint if the cubic has none.
 * Nocedal & Wright, Numerical Optimization (2nd ed.), eq. 3.59.
 */
function cubicMinimum(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lo = Math.min(x1, x2), hi = Math.max(x1, x2)): number {
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const disc = d1 * d1 - g1 * g2;
  if (!(disc >= 0)) return (lo + hi) / 2;
  const d2 = Math.sqrt(disc);
  // Written from the left end point, whichever of x1, x2 it is.
  const x = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return Math.min(Math.max(x, lo), hi);
}

interface Point { t: number; f: number; g: Vec; gtd: number }

/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, algorithms 3.5 and 3.6):
 * bracket a step along d, then zoom in by cubic interpolation. `f0`, `g0`, `gtd0` are the loss,
 * gradient and directional derivative at t = 0; `evaluate(t)` the loss and gradient at x + t d.
 * Returns the accepted point and the number of evaluations.
 */
function strongWolfe(evaluate: Evaluate, d: Vec, t: number, f0: number, g0: Vec, gtd0: number, tolChange: number): [Point, number] {
  const c1 = 1e-4, c2 = 0.9, maxLs = 25;
  const dNorm = maxAbs(d);
  const at = (step: number): Point => {
    const [f, g] = evaluate(step);
    return { t: step, f, g, gtd: dot(g, d) };
  };
  const sufficient = (p: Point) => p.f <= f0 + c1 * p.t * gtd0;
  const curvature = (p: Point) => Math.abs(p.gtd) <= -c2 * gtd0;
  let evals = 1;
  let cur = at(t);
  let prev: Point = { t: 0, f: f0, g: g0, gtd: gtd0 };
  let bracket: Point[] | null = null;
  let lsIter = 0;
  // Bracketing phase: grow the step until an interval must contain an acceptable one.
  while (lsIter < maxLs) {
    if (!sufficient(cur) || (lsIter > 1 && cur.f >= prev.f)) { bracket = [prev, cur]; break; }
    if (curvature(cur)) return [cur, evals];
    if (cur.gtd >= 0) { bracket = [prev, cur]; break; }
    const next = cubicMinimum(prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd, cur.t + 0.01 * (cur.t - prev.t), cur.t * 10);
    prev = cur;
    cur = at(next);
    evals++;
    lsIter++;
  }
  if (bracket === null) bracket = [{ t: 0, f: f0, g: g0, gtd: gtd0 }, cur];
  // Zoom phase: shrink the bracket; `lo` is its end with the lower loss.
  let lo = bracket[0]!.f <= bracket[1]!.f ? 0 : 1;
  let insufficientProgress = false;
  while (lsIter < maxLs) {
    const [a, b] = bracket as [Point, Point];
    if (Math.abs(b.t - a.t) * dNorm < tolChange) break;
    const left = Math.min(a.t, b.t), right = Math.max(a.t, b.t);
    let step = cubicMinimum(a.t, a.f, a.gtd, b.t, b.f, b.gtd);
    // Keep the trial point away from the ends, unless the last one made enough progress.
    const margin = 0.1 * (right - left);
    if (Math.min(right - step, step - left) < margin) {
      if (insufficientProgress || step >= right || step <= left) {
        step = Math.abs(step - right) < Math.abs(step - left) ? right - margin : left + margin;
        insufficientProgress = false;
      } else insufficientProgress = true;
    } else insufficientProgress = false;
    const p = at(step);
    evals++;
    lsIter++;
    const hi = 1 - lo;
    if (!sufficient(p) || p.f >= bracket[lo]!.f) {
      bracket[hi] = p;
      lo = bracket[0]!.f <= bracket[1]!.f ? 0 : 1;
    } else {
      if (curvature(p)) { bracket[lo] = p; return [p, evals]; }
      if (p.gtd * (bracket[hi]!.t - bracket[lo]!.t) >= 0) bracket[hi] = bracket[lo]!;
      bracket[lo] = p;
    }
  }
  return [bracket[lo]!, evals];
}

/**
 * L-BFGS (PyTorch's `torch.optim.LBFGS`): a quasi-Newton method that builds its search direction
 * from the last `historySize` steps and gradient changes, over all parameters as one flat vector.
 * `step(closure)` runs up to `maxIter` iterations; the closure clears the gradients, recomputes
 * the loss, calls backward and returns the loss (a tensor or a number).
 *
 * Iteration k, with g the flat gradient and x the flat parameters:
 * ```text
 * if k = 1:  d ← -g;   H ← 1
 * else:      y ← g - g_prev;   s ← t d
 *            if y·s > 1e-10:  push (y, s, ρ = 1 / y·s), dropping the oldest past historySize;  H ← y·s / y·y
 *            d ← -(two-loop recursion of the stored pairs applied to g, with initial Hessian H·I)
 * t ← k = 1 (first step ever) ? min(1, 1 / Σ|g|) · lr : lr
 * stop if g·d > -toleranceChange
 * lineSearchFn null:           x ← x + t d;  re-evaluate (except at the last iteration)
 * lineSearchFn 'strong_wolfe': t ← a step along d meeting the strong Wolfe conditions
 *                               (c1 = 1e-4, c2 = 0.9, ≤ 25 evaluations; cubic interpolation);  x ← x + t d
 * stop after maxIter iterations or maxEval evaluations, when max|g| ≤ toleranceGrad,
 * max|t d| ≤ toleranceChange or |loss - loss_prev| < toleranceChange
 * ```
 * As in PyTorch, it takes one param group only, and the history persists across calls of step.
 *
 * @param params - tensors (float, requiresGrad), or one param group
 * @throws ValueError for more than one param group, a bad option (lr, tolerances < 0; maxIter, maxEval, historySize < 1), or a step without a closure
 * @example
 * // The Rosenbrock function, from (-1.5, 2); its minimum is at (1, 1).
 * const xy = tensor([-1.5, 2], { dtype: 'float64', requiresGrad: true });
 * const opt = new LBFGS([xy], { lineSearchFn: 'strong_wolfe', maxIter: 100 });
 * const rosenbrock = () => {
 *   opt.zeroGrad();
 *   const [x, y] = [xy.select(0, 0), xy.select(0, 1)];
 *   const loss = x.neg().add(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
 *   loss.backward();
 *   return loss;
 * };
 * opt.step(rosenbrock);
 * (xy.toArray() as number[]).map((v) => Math.round(v * 1e4) / 1e4); // [1, 1]
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  constructor(params: ParamsInput<LBFGSOptions>, options?: Partial<LBFGSOptions>) {
    options = checkOptions(OPTS, options);
    const maxIter = options.maxIter ?? 20;
    super('LBFGS', params, {
      lr: options.lr ?? 1,
      maxIter,
      maxEval: options.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: options.toleranceGrad ?? 1e-7,
      toleranceChange: options.toleranceChange ?? 1e-9,
      historySize: options.historySize ?? 100,
      lineSearchFn: options.lineSearchFn ?? null,
    }, TYPES);
  }

  protected validateGroup(g: LBFGSOptions): void {
    nonNegative('LBFGS', 'learning rate', 'lr', g.lr);
    integerAtLeast('LBFGS', 'maxIter', 'maxIter', g.maxIter, 1);
    integerAtLeast('LBFGS', 'maxEval', 'maxEval', g.maxEval, 1);
    nonNegative('LBFGS', 'toleranceGrad', 'toleranceGrad', g.toleranceGrad);
    nonNegative('LBFGS', 'toleranceChange', 'toleranceChange', g.toleranceChange);
    integerAtLeast('LBFGS', 'historySize', 'historySize', g.historySize, 1);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe')
      throw new ValueError(`LBFGS: invalid lineSearchFn: ${showValue(g.lineSearchFn)} (lineSearchFn must be null or 'strong_wolfe')`);
  }

  /**
   * Refused after the first group: L-BFGS optimizes one flat vector with one set of options.
   *
   * @throws ValueError always, once the optimizer has its group
   * @example
   * const opt = new LBFGS([tensor([1], { requiresGrad: true })]);
   * let message = '';
   * try { opt.addParamGroup({ params: [tensor([2], { requiresGrad: true })] }); } catch (e) { message = (e as Error).message; }
   * message; // "LBFGS: doesn't support per-parameter options (param groups); got a second group"
   */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) throw new ValueError(`LBFGS: doesn't support per-parameter options (param groups); got a second group`);
    super.addParamGroup(group);
  }

  protected initState(): ParamState {
    throw new ValueError('LBFGS: initState is not used');
  }

  protected updateParam(): void {
    throw new ValueError('LBFGS: updateParam is not used');
  }

  get #params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  #numel(): number {
    return this.#params.reduce((n, p) => n + p.numel(), 0);
  }

  /** The gradients of all parameters as one vector (zeros for a parameter without one). */
  #flatGrad(): Vec {
    const out = new Float64Array(this.#numel());
    let off = 0;
    for (const p of this.#params) {
      if (p.grad !== null) {
        if (!shapesEqual(p.grad.shape, p.shape))
          throw new ShapeError(`LBFGS.step: gradient of shape ${fmtShape(p.grad.shape)} does not match its parameter's shape ${fmtShape(p.shape)}`);
        out.set(p.grad.contiguous().data as FloatArray, off);
      }
      off += p.numel();
    }
    return out;
  }

  #flatParams(): Vec {
    const out = new Float64Array(this.#numel());
    let off = 0;
    for (const p of this.#params) {
      out.set(p.contiguous().data as FloatArray, off);
      off += p.numel();
    }
    return out;
  }

  /** Sets the parameters to x + t d (x the flat parameters; d null: to x). */
  #setParams(x: Vec, t = 0, d: Vec | null = null): void {
    let off = 0;
    noGrad(() => {
      for (const p of this.#params) {
        const n = p.numel();
        const vals = new Float64Array(n);
        for (let i = 0; i < n; i++) vals[i] = d === null ? x[off + i]! : x[off + i]! + t * d[off + i]!;
        if (p.isContiguous()) {
          (p.data as FloatArray).set(vals);
          p.storage.version++;
        } else p.copy_(Tensor.fromData(vals, p.shape, 'float64').to(p.dtype));
        off += n;
      }
    });
  }

  #state(): LBFGSState {
    const p0 = this.#params[0]!;
    let s = this.state.get(p0) as unknown as LBFGSState | undefined;
    if (s === undefined) {
      s = { funcEvals: 0, nIter: 0, d: null, t: null, oldDirs: [], oldStps: [], ro: [], hDiag: 1, prevFlatGrad: null, prevLoss: null };
      this.state.set(p0, s as unknown as ParamState);
    }
    return s;
  }

  /**
   * Runs up to `maxIter` iterations of L-BFGS, calling the closure to evaluate the loss and its
   * gradient (with the tape recording).
   *
   * @param closure - clears the gradients, computes the loss, calls backward, returns the loss
   * @returns the closure's loss at the starting point
   * @throws ValueError without a closure
   * @example
   * const w = tensor([3, -1], { dtype: 'float64', requiresGrad: true });
   * const opt = new LBFGS([w]);
   * const loss = opt.step(() => { opt.zeroGrad(); const l = w.sub(1).pow(2).sum(); l.backward(); return l; });
   * (loss as Tensor).item(); // 8
   * w.toArray(); // [1, 1]
   */
  override step(closure?: Closure): Tensor | number {
    if (typeof closure !== 'function')
      throw new ValueError(`LBFGS.step: requires a closure that recomputes the loss and calls backward, got ${showValue(closure)}`);
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    const lossOf = (v: Tensor | number): number => (v instanceof Tensor ? v.item() : Number(v));
    const state = this.#state();
    const dtype = this.#params[0]!.dtype;
    const toTensor = (v: Vec): Tensor => Tensor.fromData(Float64Array.from(v), [v.length], 'float64').to(dtype);
    const fromTensor = (t: Tensor): Vec => Float64Array.from(t.data as FloatArray);

    const origLoss = enableGrad(closure);
    let loss = lossOf(origLoss);
    let currentEvals = 1;
    state.funcEvals += 1;
    let flatGrad = this.#flatGrad();
    if (maxAbs(flatGrad) <= toleranceGrad) return origLoss;

    let d = state.d === null ? null : fromTensor(state.d);
    let t = state.t ?? lr;
    const oldDirs = state.oldDirs.map(fromTensor), oldStps = state.oldStps.map(fromTensor), ro = [...state.ro];
    let hDiag = state.hDiag;
    let prevFlatGrad = state.prevFlatGrad === null ? null : fromTensor(state.prevFlatGrad);
    let prevLoss = state.prevLoss;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter++;
      if (state.nIter === 1 || d === null || prevFlatGrad === null) {
        d = flatGrad.map((v) => -v);
        oldDirs.length = 0; oldStps.length = 0; ro.length = 0;
        hDiag = 1;
      } else {
        const y = flatGrad.map((v, i) => v - prevFlatGrad![i]!);
        const s = d.map((v) => v * t);
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) { oldDirs.shift(); oldStps.shift(); ro.shift(); }
          oldDirs.push(y); oldStps.push(s); ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        // Two-loop recursion: d = -H g with H the L-BFGS inverse Hessian.
        const k = oldDirs.length;
        const al = new Array<number>(k);
        const q = flatGrad.map((v) => -v);
        for (let i = k - 1; i >= 0; i--) {
          al[i] = dot(oldStps[i]!, q) * ro[i]!;
          for (let j = 0; j < q.length; j++) q[j] = q[j]! - al[i]! * oldDirs[i]![j]!;
        }
        const r = q.map((v) => v * hDiag);
        for (let i = 0; i < k; i++) {
          const be = dot(oldDirs[i]!, r) * ro[i]!;
          for (let j = 0; j < r.length; j++) r[j] = r[j]! + (al[i]! - be) * oldStps[i]![j]!;
        }
        d = r;
      }
      prevFlatGrad = Float64Array.from(flatGrad);
      prevLoss = loss;
      if (state.nIter === 1) {
        let l1 = 0;
        for (const v of flatGrad) l1 += Math.abs(v);
        t = Math.min(1, 1 / l1) * lr;
      } else t = lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      let optimal = false;
      const x = this.#flatParams();
      if (lineSearchFn === 'strong_wolfe') {
        const dir = d;
        const probe: Evaluate = (step) => {
          this.#setParams(x, step, dir);
          const f = lossOf(enableGrad(closure));
          const g = this.#flatGrad();
          return [f, g];
        };
        const [point, evals] = strongWolfe(probe, dir, t, loss, flatGrad, gtd, toleranceChange);
        loss = point.f;
        flatGrad = point.g;
        t = point.t;
        lsEvals = evals;
        this.#setParams(x, t, dir);
        optimal = maxAbs(flatGrad) <= toleranceGrad;
      } else {
        this.#setParams(x, t, d);
        if (nIter !== maxIter) {
          loss = lossOf(enableGrad(closure));
          flatGrad = this.#flatGrad();
          optimal = maxAbs(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      state.funcEvals += lsEvals;
      if (nIter === maxIter || currentEvals >= maxEval || optimal) break;
      if (maxAbs(d) * Math.abs(t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = d === null ? null : toTensor(d);
    state.t = t;
    state.oldDirs = oldDirs.map(toTensor);
    state.oldStps = oldStps.map(toTensor);
    state.ro = ro;
    state.hDiag = hDiag;
    state.prevFlatGrad = prevFlatGrad === null ? null : toTensor(prevFlatGrad);
    state.prevLoss = prevLoss;
    return origLoss;
  }

  /**
   * A snapshot: the options and the state (under parameter 0, with the history as lists of flat tensors).
   *
   * @example
   * const w = tensor([3, -1], { dtype: 'float64', requiresGrad: true });
   * const opt = new LBFGS([w], { maxIter: 2 });
   * opt.step(() => { opt.zeroGrad(); const l = w.pow(2).sum(); l.backward(); return l; });
   * opt.stateDict().state[0]!.nIter; // 1 (maxEval defaults to ⌊2 · 5 / 4⌋ = 2 evaluations, spent in one iteration)
   */
  override stateDict(): OptimizerStateDict {
    const { params: _p, ...options } = this.paramGroups[0]!;
    const s = this.state.get(this.#params[0]!) as unknown as LBFGSState | undefined;
    const state: OptimizerStateDict['state'] = {};
    if (s !== undefined) state[0] = copyState(s) as unknown as Record<string, StateValue>;
    return { state, paramGroups: [{ ...options, params: this.#params.map((_, i) => i) }] };
  }

  /**
   * Restores a snapshot from {@link stateDict}.
   *
   * @throws ValueError if the state dict has another number of groups or parameters, or flat vectors of another length
   * @example
   * const w = tensor([3, -1], { dtype: 'float64', requiresGrad: true });
   * const opt = new LBFGS([w], { maxIter: 2 });
   * opt.step(() => { opt.zeroGrad(); const l = w.pow(2).sum(); l.backward(); return l; });
   * const opt2 = new LBFGS([w]);
   * opt2.loadStateDict(opt.stateDict());
   * opt2.paramGroups[0]!.maxIter; // 2
   */
  override loadStateDict(sd: OptimizerStateDict): void {
    const name = 'LBFGS.loadStateDict';
    if (sd == null || !Array.isArray(sd.paramGroups) || sd.paramGroups.length !== 1 || typeof sd.state !== 'object' || sd.state === null)
      throw new ValueError(`${name}: expected an object with 'state' and one param group, got ${showValue(sd)}`);
    const saved = sd.paramGroups[0]!;
    if (!Array.isArray(saved.params) || saved.params.length !== this.#params.length)
      throw new ValueError(`${name}: the state dict's param group has ${saved.params?.length} parameters, the optimizer's has ${this.#params.length}`);
    const n = this.#numel();
    const raw = (sd.state as Record<number, unknown>)[0] as LBFGSState | undefined;
    let s: LBFGSState | undefined;
    if (raw !== undefined) {
      s = copyState(raw);
      for (const v of [s.d, s.prevFlatGrad, ...s.oldDirs, ...s.oldStps])
        if (v !== null && (!(v instanceof Tensor) || v.numel() !== n))
          throw new ValueError(`${name}: the saved flat vectors must be tensors of ${n} elements, got ${showValue(v)}`);
    }
    const { params: _p, ...options } = saved;
    const full = { ...this.paramGroups[0]!, ...options } as ParamGroup<LBFGSOptions>;
    this.validateGroup(full);
    Object.assign(this.paramGroups[0]!, options);
    this.state.clear();
    if (s !== undefined) this.state.set(this.#params[0]!, s as unknown as ParamState);
  }
}

function copyState(s: LBFGSState): LBFGSState {
  const copy = (t: Tensor) => Tensor.fromData(t.contiguous().data.slice(), t.shape, t.dtype);
  return {
    funcEvals: s.funcEvals, nIter: s.nIter, d: s.d === null ? null : copy(s.d), t: s.t,
    oldDirs: s.oldDirs.map(copy), oldStps: s.oldStps.map(copy), ro: [...s.ro], hDiag: s.hDiag,
    prevFlatGrad: s.prevFlatGrad === null ? null : copy(s.prevFlatGrad), prevLoss: s.prevLoss,
  };
}

