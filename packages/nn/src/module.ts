import {
  Tensor, ValueError, ShapeError, checkOptions, defineOptions, describeValue, fmtShape, unsupported, isFloating, noGrad, shapesEqual, parseDType, type DType, type DTypeLike,
} from '@tapegrad/core';
import { Parameter } from './parameter.js';

/**
 * Any module, whatever its forward's arguments and result.
 *
 * @example
 * const depth = (m: AnyModule): number => 1 + Math.max(0, ...m.children().map(depth));
 * depth(new Sequential(new Linear(2, 2), new Sequential(new ReLU()))); // 3
 */
export type AnyModule = Module<any[], any>;

/**
 * Called after a module's forward by {@link Module.call} with the module, its arguments and its
 * output; a returned value other than `undefined` replaces the output.
 *
 * @example
 * const double: ForwardHook = (_m, _args, out) => (out as Tensor).mul(2);
 * const layer = new Identity();
 * layer.registerForwardHook(double);
 * layer.call(tensor([1, 2])).toArray(); // [2, 4]
 */
export type ForwardHook = (module: AnyModule, args: unknown[], output: unknown) => unknown;

/**
 * Called before a module's forward by {@link Module.call}; a returned array replaces the arguments.
 *
 * @example
 * const flattenInput: ForwardPreHook = (_m, [x]) => [(x as Tensor).flatten(1)];
 * const fc = new Linear(4, 2);
 * fc.registerForwardPreHook(flattenInput);
 * fc.call(randn([3, 2, 2])).shape; // [3, 2]
 */
export type ForwardPreHook = (module: AnyModule, args: unknown[]) => unknown[] | undefined | void;

/**
 * A state dict: names (`fc1.weight`, `0.running_mean`, ...) to tensors.
 *
 * @example
 * const sd: StateDict = new Linear(3, 2).stateDict();
 * Object.keys(sd); // ['weight', 'bias']
 * sd.weight!.shape; // [2, 3]
 */
export type StateDict = Record<string, Tensor>;

/**
 * Options of {@link Module.loadStateDict}.
 *
 * @example
 * const small = new Sequential(new Linear(4, 4));
 * const big = new Sequential(new Linear(4, 4), new Linear(4, 2));
 * big.loadStateDict(small.stateDict(), { strict: false }); // { missingKeys: ['1.weight', '1.bias'], unexpectedKeys: [] }
 */
export interface LoadStateDictOptions {
  /** Require the keys to match the module's exactly (default true). Shape mismatches always throw. */
  strict?: boolean;
}

/**
 * What {@link Module.loadStateDict} did not match (both empty when strict loading succeeds).
 *
 * @example
 * const big = new Sequential(new Linear(4, 4), new Linear(4, 2));
 * const r: LoadStateDictResult = new Sequential(new Linear(4, 4)).loadStateDict(big.stateDict(), { strict: false });
 * r.unexpectedKeys; // ['1.weight', '1.bias']
 */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * What {@link Module.registerForwardHook} and {@link Module.registerForwardPreHook} return
 * (PyTorch's `RemovableHandle`): `handle.remove()` removes the hook; calling the handle itself
 * does the same. Removing twice does nothing.
 *
 * @example
 * const layer = new Identity();
 * const handle: RemovableHandle = layer.registerForwardHook((_m, _args, out) => (out as Tensor).mul(2));
 * layer.call(tensor([1])).item(); // 2
 * handle.remove();
 * layer.call(tensor([1])).item(); // 1
 */
export type RemovableHandle = (() => void) & { remove(): void };

function removableHandle(list: unknown[], hook: unknown): RemovableHandle {
  const remove = () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
  return Object.assign(remove, { remove });
}

const REGISTER_BUFFER = defineOptions('registerBuffer', { persistent: 'boolean' });
const PARAMETERS = defineOptions('parameters', { recurse: 'boolean' });
const NAMED_PARAMETERS = defineOptions('namedParameters', { recurse: 'boolean' });
const NUM_PARAMETERS = defineOptions('numParameters', { trainableOnly: 'boolean' });
const ZERO_GRAD = defineOptions('zeroGrad', { setToNone: 'boolean' });
const LOAD_STATE_DICT = defineOptions('loadStateDict', {
  strict: 'boolean',
  assign: unsupported('assign: true is not supported (values are copied into the existing tensors)', false),
});

interface BufferEntry {
  tensor: Tensor | null;
  persistent: boolean;
}

function checkName(op: string, name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.'))
    throw new ValueError(`${op}: name must be a non-empty string without ".", got ${JSON.stringify(name)}`);
}

/** Indents every line but the first by `n` spaces (for nested reprs). */
function indentTail(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l, i) => (i === 0 ? l : pad + l)).join('\n');
}

/**
 * Base class of all neural-network modules (PyTorch's `nn.Module`).
 *
 * A subclass declares its {@link Parameter}s and sub-modules as class fields and implements
 * `forward`. The module finds them by walking its own enumerable properties in declaration order,
 * so `namedParameters()` gives dotted names (`fc1.weight`, `0.bias`) that match the keys of
 * PyTorch's `state_dict` for the same architecture. Arrays and Maps of modules or parameters are
 * *not* found: use {@link ModuleList} / {@link ModuleDict}, or {@link Module.registerModule} and
 * {@link Module.registerParameter}. Non-trainable state (running means) is registered with
 * {@link Module.registerBuffer}.
 *
 * Run a module with `module.call(x)` (which also runs forward hooks) or `module.forward(x)`.
 *
 * @typeParam In - the argument list of `forward`
 * @typeParam Out - the result of `forward`
 * @example
 * class MLP extends Module {
 *   fc1 = new Linear(784, 128);
 *   fc2 = new Linear(128, 10);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.call(F.relu(this.fc1.call(x)));
 *   }
 * }
 * const model = new MLP();
 * model.namedParameters().map(([n]) => n); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * model.call(randn([32, 784])).shape; // [32, 10]
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /**
   * True in training mode (the default), false in evaluation mode; see {@link Module.train}.
   *
   * @example
   * const drop = new Dropout(0.5);
   * drop.training; // true
   * drop.eval().training; // false
   */
  training = true;
  #registered = new Map<string, Parameter | AnyModule | null>();
  #buffers = new Map<string, BufferEntry>();
  #preHooks: ForwardPreHook[] = [];
  #hooks: ForwardHook[] = [];

  /**
   * The computation of the module; call it through {@link Module.call} so that hooks run.
   *
   * @example
   * class Double extends Module {
   *   forward(x: Tensor): Tensor { return x.mul(2); }
   * }
   * new Double().call(tensor([1, 2])).toArray(); // [2, 4]
   */
  abstract forward(...args: In): Out;

  /**
   * Runs forward pre-hooks, `forward(...args)` and forward hooks (PyTorch's `module(x)`).
   *
   * @example
   * new Linear(3, 2).call(randn([4, 3])).shape; // [4, 2]
   */
  call(...args: In): Out {
    if (args.length === 0 && this.forward.length > 0)
      throw new ValueError(
        `${this.typeName()}.call: expected ${this.forward.length === 1 ? 'an input (usually a Tensor)' : `${this.forward.length} inputs (usually Tensors)`}, got none`,
      );
    // Most modules have no hooks: skip the copies of the hook lists on this per-batch path.
    if (this.#preHooks.length === 0 && this.#hooks.length === 0) return this.forward(...args);
    let a: unknown[] = args;
    for (const h of [...this.#preHooks]) {
      const r = h(this, a);
      if (r !== undefined) a = r;
    }
    let out: unknown = this.forward(...(a as In));
    for (const h of [...this.#hooks]) {
      const r = h(this, a, out);
      if (r !== undefined) out = r;
    }
    return out as Out;
  }

  /**
   * Registers a hook run after each {@link Module.call}; returns a handle whose `remove()`
   * removes it (PyTorch's `RemovableHandle`; the handle is also a function that does the same).
   *
   * @example
   * const layer = new Linear(3, 2);
   * const shapes: number[][] = [];
   * const handle = layer.registerForwardHook((_m, _args, out) => void shapes.push((out as Tensor).shape));
   * layer.call(randn([4, 3]));
   * handle.remove();
   * layer.call(randn([1, 3]));
   * shapes; // [[4, 2]]
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    if (typeof hook !== 'function') throw new ValueError(`registerForwardHook: hook must be a function, got ${describeValue(hook)}`);
    this.#hooks.push(hook);
    return removableHandle(this.#hooks, hook);
  }

  /**
   * Registers a hook run before each {@link Module.call}; returns a handle whose `remove()`
   * removes it (PyTorch's `RemovableHandle`; the handle is also a function that does the same).
   *
   * @example
   * const fc = new Linear(4, 2);
   * const handle = fc.registerForwardPreHook((_m, [x]) => [(x as Tensor).flatten(1)]);
   * fc.call(randn([3, 2, 2])).shape; // [3, 2]
   * handle.remove();
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    if (typeof hook !== 'function') throw new ValueError(`registerForwardPreHook: hook must be a function, got ${describeValue(hook)}`);
    this.#preHooks.push(hook);
    return removableHandle(this.#preHooks, hook);
  }

  // ------------------------------------------------------------------ registration

  #defineAccessor(op: string, name: string, get: () => unknown, set: (v: never) => void): void {
    checkName(op, name);
    if (name in this) throw new ValueError(`${op}: attribute "${name}" already exists on ${this.typeName()}`);
    Object.defineProperty(this, name, { get, set, enumerable: false, configurable: true });
  }

  /**
   * Adds a sub-module under `name` (after the field-declared ones), reachable as `this[name]`.
   * Containers use this; ordinary modules just assign a field.
   *
   * @throws ValueError when `name` is empty, contains ".", or is already an attribute
   *
   * @example
   * class Net extends Module {
   *   constructor(depth: number) {
   *     super();
   *     for (let i = 0; i < depth; i++) this.registerModule(`fc${i}`, new Linear(4, 4));
   *   }
   *   forward(x: Tensor) { return x; }
   * }
   * new Net(2).namedParameters().map(([n]) => n); // ['fc0.weight', 'fc0.bias', 'fc1.weight', 'fc1.bias']
   */
  registerModule(name: string, module: AnyModule | null): void {
    if (module !== null && !(module instanceof Module))
      throw new ValueError(`registerModule: "${name}" must be a Module or null, got ${describe(module)}`);
    this.#defineAccessor('registerModule', name, () => this.#registered.get(name), (v: AnyModule | null) => {
      if (v !== null && !(v instanceof Module))
        throw new ValueError(`registerModule: "${name}" must be set to a Module or null, got ${describe(v)}`);
      this.#registered.set(name, v);
    });
    this.#registered.set(name, module);
  }

  /**
   * Adds a parameter under `name` (after the field-declared ones), reachable as `this[name]`.
   *
   * @throws ValueError when `name` is empty, contains ".", or is already an attribute
   *
   * @example
   * class Gains extends Module {
   *   constructor(n: number) {
   *     super();
   *     for (let i = 0; i < n; i++) this.registerParameter(`g${i}`, new Parameter(ones([1])));
   *   }
   *   forward(x: Tensor) { return this.parameters().reduce((y, g) => y.mul(g), x); }
   * }
   * new Gains(2).namedParameters().map(([n]) => n); // ['g0', 'g1']
   */
  registerParameter(name: string, param: Parameter | null): void {
    if (param !== null && !(param instanceof Parameter))
      throw new ValueError(`registerParameter: "${name}" must be a Parameter or null, got ${describe(param)}`);
    this.#defineAccessor('registerParameter', name, () => this.#registered.get(name), (v: Parameter | null) => {
      if (v !== null && !(v instanceof Parameter))
        throw new ValueError(`registerParameter: "${name}" must be set to a Parameter or null, got ${describe(v)}`);
      this.#registered.set(name, v);
    });
    this.#registered.set(name, param);
  }

  /**
   * Registers a buffer: a tensor that is part of the module's state but not a parameter, such as
   * BatchNorm's running mean. It becomes reachable as `this[name]` (assignable) and through
   * {@link Module.getBuffer}, is listed by {@link Module.buffers}, cast by {@link Module.to}, and,
   * if `persistent` (default), saved in {@link Module.stateDict}.
   *
   * @throws ValueError when `name` is empty, contains ".", or is already an attribute
   * @example
   * class Counter extends Module {
   *   constructor() { super(); this.registerBuffer('count', zeros([])); }
   *   forward(x: Tensor) { this.getBuffer('count')!.add_(1); return x; }
   * }
   * const c = new Counter();
   * c.call(ones([2]));
   * c.stateDict().count!.item(); // 1
   */
  registerBuffer(name: string, tensor: Tensor | null, opts?: { persistent?: boolean }): void {
    opts = checkOptions(REGISTER_BUFFER, opts);
    if (tensor !== null && !(tensor instanceof Tensor))
      throw new ValueError(`registerBuffer: "${name}" must be a Tensor or null, got ${describe(tensor)}`);
    const entry: BufferEntry = { tensor, persistent: opts.persistent ?? true };
    this.#defineAccessor('registerBuffer', name, () => entry.tensor, (v: Tensor | null) => {
      if (v !== null && !(v instanceof Tensor))
        throw new ValueError(`registerBuffer: buffer "${name}" must be set to a Tensor or null, got ${describe(v)}`);
      entry.tensor = v;
    });
    this.#buffers.set(name, entry);
  }

  /**
   * The buffer registered under `name`.
   *
   * @throws ValueError if there is no such buffer
   *
   * @example
   * const bn = new BatchNorm1d(3);
   * bn.getBuffer('running_var')!.toArray(); // [1, 1, 1]
   */
  getBuffer(name: string): Tensor | null {
    const e = this.#buffers.get(name);
    if (!e) throw new ValueError(`getBuffer: ${this.typeName()} has no buffer "${name}"`);
    return e.tensor;
  }

  /** The module's own members, fields first (declaration order), then registered ones. */
  #ownEntries(): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [];
    for (const key of Object.keys(this)) out.push([key, (this as Record<string, unknown>)[key]]);
    for (const e of this.#registered) out.push(e);
    return out;
  }

  // ------------------------------------------------------------------ traversal

  /**
   * The direct sub-modules with their names, in declaration order.
   *
   * @example
   * new Sequential(new Linear(2, 2), new ReLU()).namedChildren().map(([n, m]) => `${n}:${m.typeName()}`); // ['0:Linear', '1:ReLU']
   */
  namedChildren(): Array<[string, AnyModule]> {
    const out: Array<[string, AnyModule]> = [];
    const seen = new Set<AnyModule>();
    for (const [k, v] of this.#ownEntries())
      if (v instanceof Module && !seen.has(v)) {
        seen.add(v);
        out.push([k, v]);
      }
    return out;
  }

  /**
   * The direct sub-modules, in declaration order.
   *
   * @example
   * new Sequential(new Linear(2, 2), new ReLU()).children().length; // 2
   */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module and all modules below it with dotted names (`''` for this one), depth first,
   * each module once.
   *
   * @example
   * new Sequential(new Linear(2, 3), new ReLU()).namedModules().map(([n]) => n); // ['', '0', '1']
   */
  namedModules(prefix = ''): Array<[string, AnyModule]> {
    const out: Array<[string, AnyModule]> = [];
    const seen = new Set<AnyModule>();
    const walk = (m: AnyModule, p: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [name, c] of m.namedChildren()) walk(c, p ? `${p}.${name}` : name);
    };
    walk(this, prefix);
    return out;
  }

  /**
   * This module and all modules below it, depth first.
   *
   * @example
   * new Sequential(new Linear(2, 2), new Sequential(new ReLU())).modules().map((m) => m.typeName()); // ['Sequential', 'Linear', 'Sequential', 'ReLU']
   */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The parameters held directly by this module (not by sub-modules), with their names.
   *
   * @example
   * new Linear(3, 2).namedOwnParameters().map(([n, p]) => [n, p.shape]); // [['weight', [2, 3]], ['bias', [2]]]
   * new Sequential(new Linear(3, 2)).namedOwnParameters(); // []
   */
  namedOwnParameters(): Array<[string, Parameter]> {
    return this.#ownEntries().filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /**
   * All parameters with dotted names (`fc1.weight`, `0.bias`), in declaration order: the keys of
   * PyTorch's `state_dict` for the same architecture. A parameter shared by two modules is listed once.
   *
   * @example
   * new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1)).namedParameters().map(([n]) => n); // ['0.weight', '0.bias', '2.weight', '2.bias']
   */
  namedParameters(opts?: { recurse?: boolean }): Array<[string, Parameter]> {
    opts = checkOptions(NAMED_PARAMETERS, opts);
    const out: Array<[string, Parameter]> = [];
    const seen = new Set<Parameter>();
    const mods: Array<[string, AnyModule]> = opts.recurse === false ? [['', this]] : this.namedModules();
    for (const [prefix, m] of mods)
      for (const [name, p] of m.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    return out;
  }

  /**
   * All parameters, in the order of {@link Module.namedParameters}; pass them to an optimizer.
   *
   * @example
   * const model = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
   * model.parameters().map((p) => p.shape); // [[2, 3], [2], [1, 2], [1]]
   */
  parameters(opts?: { recurse?: boolean }): Parameter[] {
    opts = checkOptions(PARAMETERS, opts);
    return this.namedParameters(opts).map(([, p]) => p);
  }

  /**
   * All registered buffers (persistent or not) with dotted names.
   *
   * @example
   * new Sequential(new BatchNorm1d(2)).namedBuffers().map(([n]) => n); // ['0.running_mean', '0.running_var', '0.num_batches_tracked']
   */
  namedBuffers(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [prefix, m] of this.namedModules())
      for (const [name, e] of m.#buffers) if (e.tensor) out.push([prefix ? `${prefix}.${name}` : name, e.tensor]);
    return out;
  }

  /**
   * All registered buffers.
   *
   * @example
   * new BatchNorm1d(2).buffers().length; // 3
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * The number of parameter elements (shared parameters counted once).
   *
   * @example
   * new Linear(784, 10).numParameters(); // 7850
   */
  numParameters(opts?: { trainableOnly?: boolean }): number {
    opts = checkOptions(NUM_PARAMETERS, opts);
    let n = 0;
    for (const p of this.parameters()) if (!opts.trainableOnly || p.requiresGrad) n += p.numel();
    return n;
  }

  /**
   * The sub-module at a dotted path such as `'features.0'`.
   *
   * @throws ValueError naming the first missing part of the path
   *
   * @example
   * const model = new Sequential(new Sequential(new Linear(2, 3), new ReLU()), new Linear(3, 1));
   * model.getSubmodule('0.0').typeName(); // 'Linear'
   */
  getSubmodule(target: string): AnyModule {
    if (target === '') return this;
    let m: AnyModule = this;
    for (const part of target.split('.')) {
      const next = m.namedChildren().find(([n]) => n === part);
      if (!next) throw new ValueError(`getSubmodule: ${m.typeName()} has no sub-module "${part}" (looking up "${target}")`);
      m = next[1];
    }
    return m;
  }

  // ------------------------------------------------------------------ modes

  /**
   * Sets training mode (`true`, the default) or evaluation mode on this module and all below it.
   * Dropout and BatchNorm behave differently in the two modes. Returns this module.
   *
   * @example
   * const model = new Sequential(new Linear(2, 2), new Dropout(0.5));
   * model.train(false);
   * model.modules().every((m) => !m.training); // true
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError(`train: mode must be a boolean, got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode (same as `train(false)`). Returns this module.
   *
   * @example
   * const drop = new Dropout(0.5).eval();
   * drop.call(ones([4])).toArray(); // [1, 1, 1, 1]
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Calls `fn` on every sub-module (children first, as PyTorch does) and then on this module.
   *
   * @example
   * const model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
   * model.apply((m) => { if (m instanceof Linear) init.zeros_(m.bias!); });
   * model.parameters()[1]!.toArray(); // [0, 0, 0]
   */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Resets the gradients of all parameters: to `null` (default, `setToNone: true`) or to zeros
   * (a gradient recorded with `createGraph` is detached from its graph first).
   *
   * @example
   * const fc = new Linear(2, 1);
   * fc.call(ones([1, 2])).sum().backward();
   * fc.zeroGrad();
   * fc.weight.grad; // null
   */
  zeroGrad(opts?: { setToNone?: boolean }): void {
    opts = checkOptions(ZERO_GRAD, opts);
    const setToNone = opts.setToNone ?? true;
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) p.grad = null;
      else {
        // A grad built with createGraph is part of a graph: cut it off before writing to it (as PyTorch).
        if (p.grad.requiresGrad) p.grad = p.grad.detach();
        noGrad(() => p.grad!.zero_());
      }
    }
  }

  /**
   * Sets `requiresGrad` of every parameter (e.g. `false` to freeze a model). Returns this module.
   *
   * @example
   * const fc = new Linear(2, 1).requiresGrad_(false); // frozen
   * fc.numParameters({ trainableOnly: true }); // 0
   */
  requiresGrad_(on = true): this {
    if (typeof on !== 'boolean') throw new ValueError(`requiresGrad_: requiresGrad must be a boolean, got ${describeValue(on)}`);
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  /**
   * Casts every floating-point parameter and buffer to `dtype`, replacing each parameter by a new
   * {@link Parameter} (create optimizers afterwards). Shared parameters stay shared. Returns this module.
   *
   * @example
   * const layer = new Linear(3, 2).to('float64'); // e.g. for gradcheck
   * layer.weight.dtype; // 'float64'
   * new Linear(3, 2).to('double').weight.dtype; // 'float64' (PyTorch's names are accepted)
   */
  to(dtypeLike: DTypeLike): this {
    const dtype = parseDType('to', dtypeLike);
    if (!isFloating(dtype)) throw new ValueError(`to: a module can only be cast to float32 or float64, got ${dtype}`);
    const memo = new Map<Tensor, Parameter>();
    for (const m of this.modules()) {
      const rec = m as unknown as Record<string, unknown>;
      for (const key of Object.keys(m)) {
        const v = rec[key];
        if (v instanceof Parameter && needsCast(v, dtype)) rec[key] = castParam(v, dtype, memo);
      }
      for (const [k, v] of m.#registered)
        if (v instanceof Parameter && needsCast(v, dtype)) m.#registered.set(k, castParam(v, dtype, memo));
      for (const e of m.#buffers.values())
        if (e.tensor && needsCast(e.tensor, dtype)) e.tensor = e.tensor.detach().to(dtype);
    }
    return this;
  }

  /**
   * Casts floating-point parameters and buffers to float64 (see {@link Module.to}).
   *
   * @example
   * new Linear(2, 1).double().weight.dtype; // 'float64'
   */
  double(): this {
    return this.to('float64');
  }

  /**
   * Casts floating-point parameters and buffers to float32 (see {@link Module.to}).
   *
   * @example
   * new Linear(2, 1).double().float().weight.dtype; // 'float32'
   */
  float(): this {
    return this.to('float32');
  }

  // ------------------------------------------------------------------ state dict

  /** Visits every (name, tensor) of the state dict, with the actual (not detached) tensors. */
  #stateEntries(prefix: string, visit: (name: string, t: Tensor) => void): void {
    const entries = this.#ownEntries();
    for (const [k, v] of entries) if (v instanceof Parameter) visit(prefix + k, v);
    for (const [k, e] of this.#buffers) if (e.persistent && e.tensor) visit(prefix + k, e.tensor);
    for (const [k, v] of entries) if (v instanceof Module) v.#stateEntries(`${prefix}${k}.`, visit);
  }

  /**
   * The module's state: every parameter and persistent buffer by dotted name (detached tensors
   * sharing storage with the module's). Keys match PyTorch's `state_dict` for the same
   * architecture (`0.weight`, `bn.running_mean`, `bn.num_batches_tracked`).
   *
   * @example
   * const model = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
   * Object.keys(model.stateDict()); // ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    this.#stateEntries('', (name, t) => {
      out[name] = t.detach();
    });
    return out;
  }

  /**
   * Copies the tensors of `stateDict` into this module's parameters and persistent buffers, in
   * place and without recording (so optimizers keep working). All checks happen before anything
   * is copied.
   *
   * @param opts.strict - require exactly the module's keys (default true)
   * @returns the missing and unexpected keys (empty in strict mode)
   * @throws ValueError listing the missing keys, unexpected keys (strict mode) and every shape mismatch
   * @example
   * const a = new Linear(3, 2), b = new Linear(3, 2);
   * b.loadStateDict(a.stateDict()); // { missingKeys: [], unexpectedKeys: [] }
   * b.weight.sub(a.weight).abs().max().item(); // 0
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts?: LoadStateDictOptions): LoadStateDictResult {
    opts = checkOptions(LOAD_STATE_DICT, opts);
    if (stateDict === null || typeof stateDict !== 'object')
      throw new ValueError(`loadStateDict: expected a state dict (an object or Map of names to Tensors), got ${describeValue(stateDict)}`);
    const strict = opts.strict ?? true;
    const src = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const own = new Map<string, Tensor>();
    this.#stateEntries('', (name, t) => own.set(name, t));
    const missingKeys = [...own.keys()].filter((k) => !src.has(k));
    const unexpectedKeys = [...src.keys()].filter((k) => !own.has(k));
    const problems: string[] = [];
    if (strict && missingKeys.length) problems.push(`  missing keys: ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
    if (strict && unexpectedKeys.length) problems.push(`  unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    for (const [k, target] of own) {
      const s = src.get(k);
      if (s === undefined) continue;
      if (!(s instanceof Tensor)) problems.push(`  value for "${k}" is not a Tensor (got ${describe(s)})`);
      else if (!shapesEqual(s.shape, target.shape))
        problems.push(
          `  size mismatch for "${k}": copying a tensor of shape ${fmtShape(s.shape)} into one of shape ${fmtShape(target.shape)}`,
        );
    }
    if (problems.length) {
      const err = `loadStateDict: error(s) in loading the state dict for ${this.typeName()}:\n${problems.join('\n')}`;
      throw problems.some((p) => p.includes('size mismatch')) ? new ShapeError(err) : new ValueError(err);
    }
    noGrad(() => {
      for (const [k, target] of own) {
        const s = src.get(k);
        if (s !== undefined) target.copy_(s);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ------------------------------------------------------------------ printing

  /**
   * The class name shown by {@link Module.toString}.
   *
   * @example
   * new Linear(2, 1).typeName(); // 'Linear'
   */
  typeName(): string {
    return this.constructor.name;
  }

  /**
   * The settings shown between the parentheses of {@link Module.toString}, e.g. `inFeatures=3, outFeatures=2, bias=true`.
   *
   * @example
   * new Linear(3, 2).extraRepr(); // 'inFeatures=3, outFeatures=2, bias=true'
   */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree as PyTorch prints it:
   * ```
   * Sequential(
   *   (0): Linear(inFeatures=784, outFeatures=512, bias=true)
   *   (1): ReLU()
   * )
   * ```
   *
   * @example
   * new Sequential(new Linear(3, 2), new ReLU()).toString().split('\n')[1]; // '  (0): Linear(inFeatures=3, outFeatures=2, bias=true)'
   */
  toString(): string {
    const extra = this.extraRepr();
    const lines = extra ? extra.split('\n') : [];
    const children = this.#ownEntries().filter((e): e is [string, AnyModule] => e[1] instanceof Module);
    for (const [name, m] of children) lines.push(`(${name}): ${indentTail(m.toString(), 2)}`);
    let s = `${this.typeName()}(`;
    if (lines.length === 1 && children.length === 0) s += lines[0];
    else if (lines.length > 0) s += `\n  ${lines.join('\n  ')}\n`;
    return `${s})`;
  }
}

function castParam(p: Parameter, dtype: DType, memo: Map<Tensor, Parameter>): Parameter {
  let q = memo.get(p);
  if (!q) {
    q = new Parameter(p.detach().to(dtype), p.requiresGrad);
    memo.set(p, q);
  }
  return q;
}

function needsCast(t: Tensor, dtype: DType): boolean {
  return isFloating(t.dtype) && t.dtype !== dtype;
}

/**
 * A value's kind for error messages: `null`, its class name, or its `typeof`.
 *
 * @internal
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
