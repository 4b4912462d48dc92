import {
  DTypeError, ShapeError, Tensor, ValueError, checkOptions, defineOptions, enableGrad, fmtShape, isFloating, noGrad, shapesEqual, zeros,
  type OptionSpec, type OptionType,
} from '@tapegrad/core';
import type { FloatArray } from './functional/float-array.js';
import { showValue } from './validate.js';

/**
 * Options every optimizer has: the learning rate, which the schedulers read and write.
 *
 * @example
 * const opts: OptimizerOptions = { lr: 0.01 };
 * new SGD([tensor([1], { requiresGrad: true })], opts).paramGroups[0]!.lr; // 0.01
 */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group as passed to an optimizer: some parameters and options that override the
 * optimizer's defaults for them (PyTorch's per-parameter options).
 *
 * @example
 * const w = tensor([1], { requiresGrad: true });
 * const group: ParamGroupInput<SGDOptions> = { params: [w], lr: 0.5, momentum: 0.9 };
 * const opt = new SGD([group], { lr: 0.1 });
 * opt.paramGroups[0]!.lr; // 0.5
 */
export type ParamGroupInput<O> = Partial<O> & { params: Tensor | Iterable<Tensor> };

/**
 * What an optimizer takes: an iterable of tensors (one group) or of param groups.
 *
 * @example
 * const body = new Linear(4, 4), head = new Linear(4, 2);
 * const one: ParamsInput<AdamOptions> = body.parameters();
 * const two: ParamsInput<AdamOptions> = [{ params: body.parameters() }, { params: head.parameters(), lr: 1e-2 }];
 * new Adam(two, { lr: 1e-3 }).paramGroups.length; // 2
 */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * A parameter group as the optimizer keeps it: every option filled in. `initialLr` is written by
 * the first learning-rate scheduler constructed on the optimizer.
 *
 * @example
 * const opt = new SGD([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
 * const g: ParamGroup<SGDOptions> = opt.paramGroups[0]!;
 * g.params.length; // 1
 * g.momentum; // 0 (filled in from the defaults)
 */
export type ParamGroup<O> = O & { params: Tensor[]; initialLr?: number };

/**
 * A value in an optimizer's per-parameter state: a counter, a buffer, or a buffer not yet made.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adam([w]);
 * w.sum().backward();
 * opt.step();
 * const step: StateValue = opt.state.get(w)!.step;
 * step; // 1
 */
export type StateValue = number | Tensor | null;

/**
 * The per-parameter state of an optimizer (step counters and buffers of the parameter's shape).
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.sum().backward();
 * opt.step();
 * const state: ParamState = opt.state.get(w)!;
 * (state.momentumBuffer as Tensor).toArray(); // [1, 1]
 */
export type ParamState = Record<string, StateValue>;

/**
 * A snapshot of an optimizer, as {@link Optimizer.stateDict} returns it. Parameters are named by
 * their index in the order of `paramGroups` (PyTorch's convention), so a state dict can be loaded
 * into a fresh optimizer over other tensors of the same shapes. Buffers are tensor copies.
 *
 * @example
 * const opt = new SGD([tensor([1], { requiresGrad: true }), tensor([2], { requiresGrad: true })], { lr: 0.1 });
 * const sd: OptimizerStateDict = opt.stateDict();
 * sd.paramGroups[0]!.params; // [0, 1]
 * sd.state; // {} (no parameter stepped yet)
 */
export interface OptimizerStateDict {
  /** Parameter index -> that parameter's state (only parameters that have been stepped). */
  state: Record<number, Record<string, StateValue>>;
  /** Each group's options, with `params` the indices of its parameters. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/**
 * Options of {@link Optimizer.zeroGrad}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.sum().backward();
 * opt.zeroGrad({ setToNone: false });
 * w.grad!.toArray(); // [0, 0]
 */
export interface ZeroGradOptions {
  /** Set `grad` to null (default) instead of filling it with zeros. */
  setToNone?: boolean;
}

/**
 * A closure for {@link Optimizer.step}: clears the gradients, recomputes the loss, calls backward, returns the loss.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * const closure: Closure = () => { opt.zeroGrad(); const loss = w.mul(w).sum(); loss.backward(); return loss; };
 * (opt.step(closure) as Tensor).item(); // 5 (the loss before the step)
 * w.toArray(); // [0.8, 1.6]
 */
export type Closure = () => Tensor | number;

/**
 * Base class of the optimizers (PyTorch's `torch.optim.Optimizer`).
 *
 * An optimizer holds parameter groups, each with its own options (the defaults fill in what a
 * group leaves out), and a per-parameter `state` (step counts and buffers). {@link step} updates
 * every parameter that has a gradient, in place and outside the tape: a subclass implements the
 * update as one loop over the parameter's typed array (see `functional/`), which then bumps the
 * storage version so that autograd notices the change. Parameters whose `grad` is null are skipped:
 * as in PyTorch, frozen parameters (`requiresGrad` false) may be given, and are updated once
 * they are unfrozen and receive gradients.
 *
 * Subclasses provide `validateGroup` (hyper-parameter checks, run for every group), `initState`
 * (the buffers, created once per parameter) and `updateParam` (the update rule).
 *
 * @throws ValueError for an empty parameter list, a parameter given twice, or a bad hyper-parameter
 * @throws DTypeError for a parameter that is not a float tensor
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * for (let i = 0; i < 10; i++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 * }
 * w.toArray(); // [0.107374, -0.214748] (w · 0.8^10)
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions, S extends ParamState = ParamState> {
  /** The options a param group may set (with `initialLr`, which schedulers write), or none to skip the check. */
  readonly #groupSpec: OptionSpec | undefined;
  readonly #zeroGradSpec: OptionSpec;
  /**
   * The options a group gets when it does not set them.
   *
   * @example
   * new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 }).defaults; // { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }
   */
  readonly defaults: Readonly<O>;
  /**
   * The parameter groups, each with every option filled in.
   *
   * @example
   * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
   * opt.paramGroups[0]!.lr = 0.01; // what the schedulers do
   * opt.paramGroups[0]!.params.length; // 1
   */
  readonly paramGroups: ParamGroup<O>[] = [];
  /**
   * Per-parameter state, created at a parameter's first update.
   *
   * @example
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new Adam([w]);
   * opt.state.has(w); // false (created at the first update)
   * w.sum().backward();
   * opt.step();
   * opt.state.get(w)!.step; // 1
   */
  readonly state = new Map<Tensor, S>();

  /**
   * @param name - the optimizer's name, used in error messages
   * @param params - tensors, or param groups `{ params, ...options }`
   * @param defaults - every option's value for groups that do not set it
   * @param types - the option types (as for `defineOptions`), to check the keys of param groups
   */
  protected constructor(
    readonly name: string,
    params: ParamsInput<O>,
    defaults: O,
    types?: Readonly<Record<string, OptionType>>,
  ) {
    this.#groupSpec = types ? defineOptions(`${name} param group`, { ...types, initialLr: 'number' }) : undefined;
    this.#zeroGradSpec = defineOptions(`${name}.zeroGrad`, { setToNone: 'boolean' });
    this.defaults = { ...defaults };
    if (params instanceof Tensor)
      throw new ValueError(
        `${name}: params must be an iterable of Tensors or param groups, got a single Tensor (shape ${fmtShape(params.shape)}); wrap it in an array`,
      );
    if (params == null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function')
      throw new ValueError(`${name}: params must be an iterable of Tensors or param groups, got ${showValue(params)}`);
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list`);
    const tensors = list.filter((x) => x instanceof Tensor).length;
    if (tensors > 0 && tensors < list.length)
      throw new ValueError(`${name}: params mixes ${tensors} Tensors with ${list.length - tensors} param groups; put every tensor in a group`);
    if (tensors === list.length) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<O>);
    else for (const g of list) this.addParamGroup(g as ParamGroupInput<O>);
  }

  /** Checks one group's hyper-parameters (all filled in); throws a ValueError naming the option and value. */
  protected abstract validateGroup(group: O): void;
  /** Creates the state of a parameter at its first update (buffers of the parameter's shape and dtype). */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;
  /**
   * Updates one parameter in place: `data` (the parameter's elements) and `grad` are contiguous
   * typed arrays of equal length; state buffers are contiguous tensors of `param`'s shape.
   */
  protected abstract updateParam(param: Tensor, data: FloatArray, grad: FloatArray, state: S, group: ParamGroup<O>): void;

  /**
   * Adds a parameter group; options it leaves out take the optimizer's defaults. Useful to
   * start training layers that were frozen, with their own learning rate.
   *
   * @throws ValueError if a parameter is already in a group, or an option is invalid
   * @example
   * const body = new Linear(4, 4), head = new Linear(4, 2);
   * const opt = new SGD(body.parameters(), { lr: 1e-3 });
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-2 });
   * opt.paramGroups.map((g) => g.lr); // [0.001, 0.01]
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group == null || typeof group !== 'object' || !('params' in group))
      throw new ValueError(`${this.name}: a param group must be an object with a 'params' entry, got ${showValue(group)}`);
    if (this.#groupSpec) {
      const { params: _params, ...rest } = group as Record<string, unknown>;
      checkOptions(this.#groupSpec, rest);
    }
    const raw = group.params instanceof Tensor ? [group.params] : [...group.params];
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    raw.forEach((p, i) => {
      const where = `parameter ${i} of param group ${this.paramGroups.length}`;
      if (!(p instanceof Tensor)) throw new ValueError(`${this.name}: ${where} is not a Tensor, got ${showValue(p)}`);
      if (!isFloating(p.dtype))
        throw new DTypeError(`${this.name}: can only optimize float tensors, but ${where} (shape ${fmtShape(p.shape)}) is ${p.dtype}`);
      if (!p.isLeaf)
        throw new ValueError(`${this.name}: can't optimize a non-leaf tensor: ${where} (shape ${fmtShape(p.shape)}) was computed by an operation`);
      if (seen.has(p)) throw new ValueError(`${this.name}: ${where} (shape ${fmtShape(p.shape)}) appears more than once in the optimizer's param groups`);
      seen.add(p);
    });
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) options[k] = Array.isArray(v) ? [...v] : v;
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== undefined) options[k] = Array.isArray(v) ? [...v] : v;
    const full = { ...options, params: raw } as ParamGroup<O>;
    this.validateGroup(full);
    this.paramGroups.push(full);
  }

  /**
   * Clears the gradients of all parameters: sets them to null (default; the next backward
   * allocates fresh ones) or, with `setToNone: false`, fills them with zeros in place.
   *
   * @example
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * w.sum().backward();
   * opt.zeroGrad();
   * w.grad; // null
   */
  zeroGrad(opts?: ZeroGradOptions): void {
    const { setToNone = true } = checkOptions(this.#zeroGradSpec, opts);
    for (const g of this.paramGroups)
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          // A grad built with createGraph is part of a graph; cut it off before writing to it.
          if (p.grad.requiresGrad) p.grad = p.grad.detach();
          const grad = p.grad;
          noGrad(() => grad.zero_());
        }
      }
  }

  /**
   * Performs one update of every parameter that has a gradient. With a closure, it first calls
   * it (with the tape recording) to recompute the loss and gradients, and returns its result.
   *
   * @param closure - optional: clears the gradients, computes the loss, calls backward, returns the loss
   * @returns the closure's loss, or undefined without a closure
   * @throws ShapeError if a gradient's shape differs from its parameter's
   * @example
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * opt.zeroGrad();
   * w.mul(w).sum().backward();
   * opt.step();
   * w.toArray(); // [0.8, 1.6]
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) for (const p of group.params) this.stepParam(p, group);
    });
    return loss;
  }

  private stepParam(p: Tensor, group: ParamGroup<O>): void {
    const grad = p.grad;
    if (grad === null) return;
    if (!shapesEqual(grad.nd.shape, p.nd.shape))
      throw new ShapeError(`${this.name}.step: gradient of shape ${fmtShape(grad.shape)} does not match its parameter's shape ${fmtShape(p.shape)}`);
    let state = this.state.get(p);
    if (state === undefined) {
      state = this.initState(p, group);
      this.state.set(p, state);
    }
    const g = grad.data as FloatArray;
    if (p.isContiguous()) {
      this.updateParam(p, p.data as FloatArray, g, state, group);
      p.storage.version++;
    } else {
      // A strided parameter: update a contiguous copy and write it back.
      const copy = Tensor.fromData(p.data, p.shape, p.dtype);
      this.updateParam(p, copy.data as FloatArray, g, state, group);
      p.copy_(copy);
    }
  }

  /**
   * The buffer `state[key]` as a contiguous typed array; created once, filled with `fill`, of
   * `param`'s shape and dtype, if the state does not have it yet.
   */
  protected buffer(state: S, key: string, param: Tensor, fill = 0): FloatArray {
    let t = state[key];
    if (!(t instanceof Tensor)) {
      t = zeros(param.shape, { dtype: param.dtype, pinMemory: true });
      if (fill !== 0) (t.data as FloatArray).fill(fill);
      (state as ParamState)[key] = t;
    }
    return t.data as FloatArray;
  }

  /**
   * A snapshot of the optimizer: every group's options, with parameters replaced by their
   * indices, and copies of the per-parameter state. Loading it with {@link loadStateDict} into an
   * optimizer over the same shapes continues exactly where this one stands.
   *
   * @example
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new Adam([w], { lr: 0.1 });
   * w.sum().backward();
   * opt.step();
   * const saved = opt.stateDict();
   * saved.state[0]!.step; // 1
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) if (k !== 'params') out[k] = Array.isArray(v) ? [...v] : v;
      const params = group.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...out, params };
    });
    const state: Record<number, Record<string, StateValue>> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const copy: Record<string, StateValue> = {};
      for (const [k, v] of Object.entries(s)) copy[k] = v instanceof Tensor ? Tensor.fromData(v.data.slice(), v.shape, v.dtype) : v;
      state[i] = copy;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a snapshot from {@link stateDict}: the groups' options (lr, betas, ...) and the
   * per-parameter state, copied into this optimizer's parameters by position. The optimizer
   * must have the same number of groups and of parameters per group.
   *
   * @throws ValueError if the group structure differs; ShapeError if a buffer's shape differs from its parameter's
   * @example
   * const opt = new Adam([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
   * const saved = opt.stateDict();
   * const opt2 = new Adam([tensor([5, 6], { requiresGrad: true })]);
   * opt2.loadStateDict(saved);
   * opt2.paramGroups[0]!.lr; // 0.1
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = `${this.name}.loadStateDict`;
    if (sd == null || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object' || sd.state === null)
      throw new ValueError(`${name}: expected an object with 'state' and 'paramGroups', got ${showValue(sd)}`);
    if (sd.paramGroups.length !== this.paramGroups.length)
      throw new ValueError(`${name}: the state dict has ${sd.paramGroups.length} param groups, the optimizer has ${this.paramGroups.length}`);
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((saved, gi) => {
      const mine = this.paramGroups[gi]!.params;
      if (!Array.isArray(saved.params) || saved.params.length !== mine.length)
        throw new ValueError(
          `${name}: param group ${gi} of the state dict has ${Array.isArray(saved.params) ? saved.params.length : 'no'} parameters, the optimizer's has ${mine.length}`,
        );
      saved.params.forEach((id, j) => byIndex.set(id, mine[j]!));
    });
    // Check and copy everything before changing anything, so a bad dict leaves the optimizer intact.
    const state = new Map<Tensor, S>();
    for (const [key, saved] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new ValueError(`${name}: the state dict has state for parameter ${key}, which no param group lists`);
      const s: Record<string, StateValue> = {};
      for (const [k, v] of Object.entries(saved)) {
        if (v instanceof Tensor) {
          if (!shapesEqual(v.shape, p.shape))
            throw new ShapeError(`${name}: state '${k}' of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter has shape ${fmtShape(p.shape)}`);
          const t = zeros(p.shape, { dtype: p.dtype });
          t.data.set(v.data);
          s[k] = t;
        } else if (v === null || typeof v === 'number') s[k] = v;
        else throw new ValueError(`${name}: state '${k}' of parameter ${key} must be a Tensor, a number or null, got ${showValue(v)}`);
      }
      state.set(p, s as S);
    }
    const groups = sd.paramGroups.map((saved, gi) => {
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(saved)) if (k !== 'params') options[k] = Array.isArray(v) ? [...v] : v;
      const full = { ...this.paramGroups[gi]!, ...options } as ParamGroup<O>;
      this.validateGroup(full);
      return options;
    });
    groups.forEach((options, gi) => Object.assign(this.paramGroups[gi]!, options));
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }
}
