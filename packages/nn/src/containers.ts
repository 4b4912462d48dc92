import { ValueError, type Tensor } from '@tapegrad/core';
import { Module, describe, type AnyModule } from './module.js';

function index(op: string, i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || j < 0 || j >= n) throw new ValueError(`${op}: index ${i} is out of range for ${n} modules`);
  return j;
}

/**
 * Runs modules one after another, each on the previous one's output (PyTorch's `nn.Sequential`).
 *
 * Built from modules, which are named `'0'`, `'1'`, ... (as PyTorch's state-dict keys), or from a
 * Map (or object) of named modules, kept in insertion order. Use a Map when names look like
 * integers: JavaScript objects put integer-like keys first.
 *
 * Shape: whatever the layers take and give: input of the first layer -> output of the last.
 *
 * @example
 * const model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 10));
 * model.call(randn([32, 784])).shape; // [32, 10]
 * model.namedParameters()[2]![0]; // '2.weight'
 * const named = new Sequential(new Map([['fc', new Linear(4, 2)], ['act', new Tanh()]]));
 * named.namedParameters()[0]![0]; // 'fc.weight'
 */
export class Sequential extends Module<[Tensor], Tensor> {
  #names: string[] = [];

  constructor(...layers: AnyModule[]);
  constructor(named: Map<string, AnyModule> | Record<string, AnyModule>);
  constructor(...args: unknown[]) {
    super();
    if (args.length === 1 && !(args[0] instanceof Module) && typeof args[0] === 'object' && args[0] !== null) {
      const entries = args[0] instanceof Map ? [...args[0].entries()] : Object.entries(args[0]);
      for (const [name, m] of entries) this.#add('Sequential', String(name), m);
    } else {
      args.forEach((m, i) => this.#add('Sequential', String(i), m));
    }
  }

  #add(op: string, name: string, m: unknown): void {
    if (!(m instanceof Module)) throw new ValueError(`${op}: layer "${name}" is not a Module (got ${describe(m)})`);
    this.registerModule(name, m);
    this.#names.push(name);
  }

  /**
   * Appends a module, named by its position. Returns this container.
   *
   * @example
   * const model = new Sequential(new Linear(2, 4));
   * model.append(new ReLU()).append(new Linear(4, 1));
   * model.length; // 3
   */
  append(m: AnyModule): this {
    this.#add('Sequential.append', String(this.#names.length), m);
    return this;
  }

  /**
   * The number of layers.
   *
   * @example
   * new Sequential(new Linear(2, 2), new ReLU()).length; // 2
   */
  get length(): number {
    return this.#names.length;
  }

  /**
   * The layer at position `i` (negative counts from the end).
   *
   * @throws ValueError when `i` is out of range
   *
   * @example
   * new Sequential(new Linear(2, 2), new ReLU()).get(-1).typeName(); // 'ReLU'
   */
  get(i: number): AnyModule {
    return this.#layer(this.#names[index('Sequential.get', i, this.#names.length)]!);
  }

  #layer(name: string): AnyModule {
    return (this as unknown as Record<string, AnyModule>)[name]!;
  }

  *[Symbol.iterator](): IterableIterator<AnyModule> {
    for (const n of this.#names) yield this.#layer(n);
  }

  /** `x` through every layer in order (each through {@link Module.call}, so hooks run). */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const n of this.#names) y = this.#layer(n).call(y);
    return y;
  }
}

/**
 * Holds sub-modules in a list, registered as `'0'`, `'1'`, ... so their parameters are found
 * (PyTorch's `nn.ModuleList`). A plain array of modules would not be.
 *
 * @example
 * class Deep extends Module {
 *   layers = new ModuleList(Array.from({ length: 3 }, () => new Linear(8, 8)));
 *   forward(x: Tensor) { for (const l of this.layers) x = F.relu(l.call(x)); return x; }
 * }
 * new Deep().namedParameters()[0][0]; // 'layers.0.weight'
 */
export class ModuleList extends Module<unknown[], never> {
  #items: AnyModule[] = [];

  constructor(modules: Iterable<AnyModule> = []) {
    super();
    for (const m of modules) this.push(m);
  }

  /**
   * Appends a module. Returns this list.
   *
   * @example
   * const blocks = new ModuleList();
   * blocks.push(new Linear(2, 2)).push(new Linear(2, 2));
   * blocks.length; // 2
   */
  push(m: AnyModule): this {
    if (!(m instanceof Module)) throw new ValueError(`ModuleList.push: item ${this.#items.length} is not a Module (got ${describe(m)})`);
    this.registerModule(String(this.#items.length), m);
    this.#items.push(m);
    return this;
  }

  /**
   * Same as {@link ModuleList.push} (PyTorch's name).
   *
   * @example
   * new ModuleList().append(new ReLU()).length; // 1
   */
  append(m: AnyModule): this {
    return this.push(m);
  }

  /**
   * Appends several modules. Returns this list.
   *
   * @example
   * new ModuleList([new ReLU()]).extend([new Tanh(), new Sigmoid()]).length; // 3
   */
  extend(modules: Iterable<AnyModule>): this {
    for (const m of modules) this.push(m);
    return this;
  }

  /**
   * The number of modules.
   *
   * @example
   * new ModuleList([new ReLU(), new Tanh()]).length; // 2
   */
  get length(): number {
    return this.#items.length;
  }

  /**
   * The module at `i` (negative counts from the end).
   *
   * @throws ValueError when `i` is out of range
   *
   * @example
   * new ModuleList([new ReLU(), new Tanh()]).get(1).typeName(); // 'Tanh'
   */
  get(i: number): AnyModule {
    return this.#items[index('ModuleList.get', i, this.#items.length)]!;
  }

  *[Symbol.iterator](): IterableIterator<AnyModule> {
    yield* this.#items;
  }

  /** @throws ValueError always: a ModuleList has no forward; iterate over it instead. */
  forward(): never {
    throw new ValueError('ModuleList: a ModuleList has no forward; iterate over its modules');
  }
}

/**
 * Holds named sub-modules in insertion order so their parameters are found under
 * `<name>.<param>` (PyTorch's `nn.ModuleDict`). Names may not contain "." or shadow an
 * attribute of the dict (`get`, `keys`, `training`, ...).
 *
 * @example
 * const heads = new ModuleDict({ cls: new Linear(16, 10), box: new Linear(16, 4) });
 * heads.get('cls').call(randn([2, 16])).shape; // [2, 10]
 * heads.keys(); // ['cls', 'box']
 * heads.namedParameters()[0]![0]; // 'cls.weight'
 */
export class ModuleDict extends Module<unknown[], never> {
  #items = new Map<string, AnyModule>();

  constructor(modules: Map<string, AnyModule> | Record<string, AnyModule> = {}) {
    super();
    const entries = modules instanceof Map ? modules.entries() : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  /**
   * Adds or replaces the module under `key`. Returns this dict.
   *
   * @example
   * const heads = new ModuleDict();
   * heads.set('cls', new Linear(8, 3));
   * heads.namedParameters()[0]![0]; // 'cls.weight'
   */
  set(key: string, m: AnyModule): this {
    if (!(m instanceof Module)) throw new ValueError(`ModuleDict.set: "${key}" is not a Module (got ${describe(m)})`);
    if (this.#items.has(key)) (this as unknown as Record<string, AnyModule>)[key] = m;
    else this.registerModule(key, m);
    this.#items.set(key, m);
    return this;
  }

  /**
   * The module under `key`.
   *
   * @throws ValueError if there is none
   *
   * @example
   * new ModuleDict({ act: new ReLU() }).get('act').typeName(); // 'ReLU'
   */
  get(key: string): AnyModule {
    const m = this.#items.get(key);
    if (!m) throw new ValueError(`ModuleDict.get: no module "${key}"; keys are ${[...this.#items.keys()].join(', ') || '(none)'}`);
    return m;
  }

  /**
   * Whether a module is stored under `key`.
   *
   * @example
   * new ModuleDict({ act: new ReLU() }).has('act'); // true
   */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /**
   * The number of modules.
   *
   * @example
   * new ModuleDict({ a: new ReLU(), b: new Tanh() }).size; // 2
   */
  get size(): number {
    return this.#items.size;
  }

  /**
   * The keys in insertion order.
   *
   * @example
   * new ModuleDict({ a: new ReLU(), b: new Tanh() }).keys(); // ['a', 'b']
   */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  /**
   * The modules in insertion order.
   *
   * @example
   * new ModuleDict({ a: new ReLU(), b: new Tanh() }).values().map((m) => m.typeName()); // ['ReLU', 'Tanh']
   */
  values(): AnyModule[] {
    return [...this.#items.values()];
  }

  /**
   * The (key, module) pairs in insertion order.
   *
   * @example
   * new ModuleDict({ a: new ReLU() }).entries().map(([k, m]) => `${k}=${m.typeName()}`); // ['a=ReLU']
   */
  entries(): Array<[string, AnyModule]> {
    return [...this.#items.entries()];
  }

  *[Symbol.iterator](): IterableIterator<[string, AnyModule]> {
    yield* this.#items.entries();
  }

  /** @throws ValueError always: a ModuleDict has no forward; index it instead. */
  forward(): never {
    throw new ValueError('ModuleDict: a ModuleDict has no forward; get a module by key');
  }
}
