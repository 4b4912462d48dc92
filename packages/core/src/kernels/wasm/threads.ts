import type { KernelExports, WasmRuntime } from './module.js';

// A persistent pool of worker threads that share the kernels' memory (a shared
// WebAssembly.Memory), for large GEMM and convolution calls. The calling thread posts one part
// of a job to each worker through a SharedArrayBuffer control block (Atomics.notify), runs the
// first part itself, then waits for the others (a short spin, then Atomics.wait). Workers are
// unref'd, so an idle pool never keeps a process alive. Node only for now (worker_threads);
// elsewhere, or without shared memory, every job runs on the calling thread.

/** One part of a parallel job: a kernel export, its scratch bytes, and its arguments given that scratch's address. */
export interface Task {
  fn: keyof KernelExports;
  work: number;
  args: (work: number) => number[];
}

/** Below this many flops per thread a job stays on the calling thread (waking a worker costs ~10-50 us). */
const MIN_FLOPS_PER_THREAD = 4e6;
const MAX_ARGS = 32;
/** Control ints per worker: [sequence number posted, sequence number done (negative on error), kernel index, arg count]. */
const CTL = 4;

const FN_NAMES: Array<keyof KernelExports> = [
  'sgemm', 'conv2dForward', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2dF32', 'unaryF32', 'binaryF32',
];

// Runs inside each worker (CommonJS, evaluated from this string, so no file needs to be found).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctlBuf, argBuf, index, names, maxArgs } = workerData;
const exportsOf = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exportsOf[n]);
const ctl = new Int32Array(ctlBuf);
const args = new Float64Array(argBuf);
const base = index * ${CTL};
Atomics.store(ctl, ctl.length - 1 - index, 1); // ready
let seen = 0;
for (;;) {
  let s = Atomics.load(ctl, base);
  for (let i = 0; s === seen && i < 20000; i++) s = Atomics.load(ctl, base);
  if (s === seen) { Atomics.wait(ctl, base, seen); continue; }
  seen = s;
  const n = ctl[base + 3];
  const a = Array.from(args.subarray(index * maxArgs, index * maxArgs + n));
  let ok = true;
  try { fns[ctl[base + 2]](...a); } catch (e) { ok = false; }
  Atomics.store(ctl, base + 1, ok ? seen : -seen);
  Atomics.notify(ctl, base + 1);
}
`;

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (src: string, opts: { eval: boolean; workerData: unknown }) => NodeWorker;

interface Pool {
  rt: WasmRuntime;
  workers: NodeWorker[];
  ctl: Int32Array;
  args: Float64Array;
  seq: number;
}

let wanted = defaultThreads();
let pool: Pool | null = null;

function nodeBuiltin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (n: string) => unknown } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  try {
    return proc.getBuiltinModule(name) as T;
  } catch {
    return null;
  }
}

function defaultThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/**
 * Sets how many threads large matrix products and convolutions use (the calling thread plus
 * `n - 1` workers). Defaults to the number of cores. Has effect with the `wasm` backend in
 * Node; elsewhere the kernels run on one thread.
 *
 * @throws RangeError `setNumThreads: expected a positive integer, got 0`
 * @example
 * setNumThreads(1); // deterministic single-threaded timing
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  wanted = n;
  if (pool && pool.workers.length !== n - 1) shutdown();
}

/** The number of threads the kernels may use (see {@link setNumThreads}). */
export function getNumThreads(): number {
  return wanted;
}

function shutdown(): void {
  if (!pool) return;
  for (const w of pool.workers) void w.terminate();
  pool = null;
}

/** The pool for `rt`, started on first use; null when threads are unavailable or not wanted. */
function getPool(rt: WasmRuntime): Pool | null {
  if (wanted <= 1 || !rt.shared) return null;
  if (pool && pool.rt === rt) return pool;
  const wt = nodeBuiltin<{ Worker: WorkerCtor }>('node:worker_threads');
  if (!wt) return null;
  const nw = wanted - 1;
  // ctl holds CTL ints per worker, then one ready flag per worker at the end
  const ctlBuf = new SharedArrayBuffer((nw * CTL + nw) * 4);
  const argBuf = new SharedArrayBuffer(nw * MAX_ARGS * 8);
  const workers: NodeWorker[] = [];
  for (let i = 0; i < nw; i++) {
    const w = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: rt.module, memory: rt.memory, ctlBuf, argBuf, index: i, names: FN_NAMES, maxArgs: MAX_ARGS },
    });
    w.unref();
    workers.push(w);
  }
  pool = { rt, workers, ctl: new Int32Array(ctlBuf), args: new Float64Array(argBuf), seq: 0 };
  return pool;
}

/** Workers of the pool that have started (a fresh pool warms up in the background). */
function readyWorkers(p: Pool): number {
  let n = 0;
  while (n < p.workers.length && Atomics.load(p.ctl, p.ctl.length - 1 - n) === 1) n++;
  return n;
}

/**
 * Runs a job of `flops` operations over the index range [0, count), split into contiguous
 * parts, one per thread (fewer when the job is small): `part(lo, hi)` describes each. Returns
 * the scratch address each part got, in order (part 0 ran on the calling thread).
 */
export function parallelFor(rt: WasmRuntime, flops: number, count: number, part: (lo: number, hi: number) => Task): number[] {
  let threads = Math.max(1, Math.min(wanted, count, Math.floor(flops / MIN_FLOPS_PER_THREAD)));
  const p = threads > 1 ? getPool(rt) : null;
  threads = p ? Math.min(threads, readyWorkers(p) + 1) : 1;
  const tasks: Task[] = [];
  const works: number[] = [];
  for (let t = 0; t < threads; t++) {
    const lo = Math.floor((count * t) / threads);
    const hi = Math.floor((count * (t + 1)) / threads);
    const task = part(lo, hi);
    tasks.push(task);
    works.push(rt.alloc(task.work));
  }
  if (!p || threads === 1) {
    const t = tasks[0]!;
    (rt.exports[t.fn] as (...a: number[]) => void)(...t.args(works[0]!));
    return works;
  }
  const seq = ++p.seq;
  for (let t = 1; t < threads; t++) {
    const i = t - 1;
    const task = tasks[t]!;
    const args = task.args(works[t]!);
    if (args.length > MAX_ARGS) throw new Error(`parallelFor: ${task.fn} takes ${args.length} args, at most ${MAX_ARGS}`);
    p.args.set(args, i * MAX_ARGS);
    p.ctl[i * CTL + 2] = FN_NAMES.indexOf(task.fn);
    p.ctl[i * CTL + 3] = args.length;
    Atomics.store(p.ctl, i * CTL, seq);
    Atomics.notify(p.ctl, i * CTL);
  }
  const t0 = tasks[0]!;
  let error: unknown = null;
  try {
    (rt.exports[t0.fn] as (...a: number[]) => void)(...t0.args(works[0]!));
  } catch (e) {
    error = e;
  }
  let failed = false;
  for (let i = 0; i < threads - 1; i++) {
    const at = i * CTL + 1;
    let d = Atomics.load(p.ctl, at);
    for (let s = 0; d !== seq && d !== -seq && s < 100000; s++) d = Atomics.load(p.ctl, at);
    while (d !== seq && d !== -seq) {
      Atomics.wait(p.ctl, at, d, 1000);
      d = Atomics.load(p.ctl, at);
    }
    if (d === -seq) failed = true;
  }
  if (error) throw error;
  if (failed) throw new Error(`parallelFor: ${t0.fn} failed on a worker thread`);
  return works;
}

/**
 * Starts the worker pool now (it otherwise starts on the first large job and warms up in the
 * background) and resolves with the number of threads once every worker is ready. @internal
 */
export async function startThreads(rt: WasmRuntime): Promise<number> {
  const p = getPool(rt);
  if (!p) return 1;
  while (readyWorkers(p) < p.workers.length) await new Promise((r) => setTimeout(r, 2));
  return p.workers.length + 1;
}
