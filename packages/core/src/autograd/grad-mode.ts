import { AutogradError } from '../errors.js';

// Grad mode is one boolean for synchronous code, like PyTorch's thread-local flag. An async
// callback of noGrad/enableGrad would otherwise leave that boolean switched for everything that
// runs between its awaits (other async code, a training loop), so it gets a mode of its own: in
// Node it runs inside an AsyncLocalStorage context whose store carries the mode, and the store
// is consulted only while such a region is open (`openRegions`), so the synchronous hot path
// stays a plain boolean read. Where there is no AsyncLocalStorage (browsers) async callbacks are
// refused.

/** The mode of synchronous code and of code outside every async region. */
let enabled = true;

/** The mode of one async region; `parent` is the region it was started in, if any. */
interface Region {
  on: boolean;
  open: boolean;
  parent: Region | undefined;
}

interface AsyncStore {
  run<R>(store: Region, fn: () => R): R;
  getStore(): Region | undefined;
  disable(): void;
}

/** Async regions whose promise has not settled yet; while 0, no store is read. */
let openRegions = 0;
let storage: AsyncStore | null | undefined;

/** Node's AsyncLocalStorage, without a static import of node:async_hooks (core must bundle for browsers). */
function asyncStorage(): AsyncStore | null {
  if (storage !== undefined) return storage;
  storage = null;
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  try {
    const hooks = proc?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: new () => AsyncStore } | undefined;
    if (hooks?.AsyncLocalStorage) storage = new hooks.AsyncLocalStorage();
  } catch {
    storage = null;
  }
  return storage;
}

/**
 * Replaces the AsyncLocalStorage (null: none, as in browsers; undefined: look it up again).
 * For tests only, while no async region is open. @internal
 */
export function setAsyncStorageForTests(s: AsyncStore | null | undefined): void {
  storage = s;
}

/** The innermost open region the running code belongs to, if any. */
function currentRegion(): Region | undefined {
  // A region that has ended leaves its store on callbacks it scheduled: those see the mode around it.
  let r = storage!.getStore();
  while (r !== undefined && !r.open) r = r.parent;
  return r;
}

/**
 * True while operations record themselves on the tape (the default; false inside {@link noGrad}).
 * Inside an async callback of {@link noGrad} or {@link enableGrad}, that callback's mode.
 *
 * @example
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  if (openRegions === 0) return enabled;
  const r = currentRegion();
  return r === undefined ? enabled : r.on;
}

/**
 * Sets whether operations record on the tape; returns the previous setting. Prefer {@link noGrad}.
 * Called inside an async callback of {@link noGrad} or {@link enableGrad}, it sets the mode of
 * that callback only.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const prev = setGradEnabled(false);
 * w.mul(2).requiresGrad; // false
 * setGradEnabled(prev);
 */
export function setGradEnabled(on: boolean): boolean {
  if (openRegions !== 0) {
    const r = currentRegion();
    if (r !== undefined) {
      const prev = r.on;
      r.on = on;
      return prev;
    }
  }
  const prev = enabled;
  enabled = on;
  return prev;
}

const AsyncFunction = (async () => {}).constructor;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function withMode<T>(name: string, on: boolean, fn: () => T): T {
  if (fn instanceof AsyncFunction) return asyncRegion(name, on, fn);
  const prev = setGradEnabled(on);
  let result: T;
  try {
    result = fn();
  } finally {
    setGradEnabled(prev);
  }
  if (isThenable(result)) {
    // Too late: what the callback started awaits outside the mode. Do not leave its failure unhandled.
    void Promise.resolve(result).catch(() => {});
    throw new AutogradError(
      `${name}: the callback returned a promise but is not an async function, so the code it awaits would run outside ${name}; ` +
        `pass an async function, e.g. ${name}(async () => { ... })`,
    );
  }
  return result;
}

/** Runs an async function with its own grad mode, through its awaits (see the top of this file). */
function asyncRegion<T>(name: string, on: boolean, fn: () => T): T {
  const als = asyncStorage();
  if (als === null) {
    throw new AutogradError(
      `${name}: an async callback needs AsyncLocalStorage (Node), which this runtime lacks: without it the mode would ` +
        `also apply to other code running between its awaits; call ${name} around the synchronous parts inside the async function instead`,
    );
  }
  const region: Region = { on, open: true, parent: openRegions === 0 ? undefined : currentRegion() };
  openRegions++;
  const close = () => {
    region.open = false;
    // No region open: stop the AsyncLocalStorage from tracking every promise (Node 20 slows
    // each await about 3x while it does); ended regions' stores are skipped if it starts again.
    if (--openRegions === 0) als.disable();
  };
  let result: T;
  try {
    result = als.run(region, fn);
  } catch (e) {
    close();
    throw e;
  }
  return Promise.resolve(result).finally(close) as T;
}

/**
 * Runs `fn` without recording operations on the tape, like PyTorch's `with torch.no_grad()`.
 * Results computed inside do not require grad. Used for evaluation and parameter updates.
 *
 * `fn` may be an async function (in Node): the mode then holds through its awaits for it and
 * what it awaits, while code running in between (a concurrent training loop, another region)
 * keeps its own mode. It works through Node's AsyncLocalStorage; runtimes without it (browsers)
 * refuse async callbacks.
 *
 * @throws AutogradError when `fn` is not an async function but returns a promise (the code it
 * awaits would escape the mode), or is async where there is no AsyncLocalStorage
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 */
export function noGrad<T>(fn: () => T): T {
  return withMode('noGrad', false, fn);
}

/**
 * Runs `fn` with the tape recording, even inside {@link noGrad}. Async functions are handled as
 * by {@link noGrad}.
 *
 * @throws AutogradError when `fn` is not an async function but returns a promise, or is async
 * where there is no AsyncLocalStorage
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * noGrad(() => enableGrad(() => w.mul(2))).requiresGrad; // true
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode('enableGrad', true, fn);
}
