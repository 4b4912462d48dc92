import { ValueError } from '../../errors.js';
import type { KernelExports, WasmRuntime } from './module.js';

// A persistent pool of worker threads that share the kernels' memory (a shared
// WebAssembly.Memory), for large GEMM and convolution calls. The calling thread posts one part
// of a job to each worker through a SharedArrayBuffer control block (Atomics.notify), runs the
// first part itself, then waits for the others (a short spin, then Atomics.wait). Workers are
// unref'd, so an idle pool never keeps a process alive. Node only for now (worker_threads);
// elsewhere, or without shared memory, every job runs on the calling thread.

/**
 * A parallel job split into chunks: chunk `i` calls `fn(...args[i])`, except that the argument
 * at `workArg` is replaced by the scratch address of whichever thread runs the chunk (each
 * thread has its own `work` bytes, e.g. GEMM packing buffers).
 */
export interface Job {
  fn: keyof KernelExports;
  work: number;
  workArg: number;
  args: number[][];
}

/** Below this many flops per thread a job stays on the calling thread (waking a worker costs ~10-50 us). */
const MIN_FLOPS_PER_THREAD = 4e6;
const MAX_ARGS = 16;
const MAX_CHUNKS = 64;
// Control block (int32): job sequence number, next chunk, chunks done, chunk count, kernel index,
// arg count, work arg index, error flag; then one work address and one ready flag per worker.
const SEQ = 0, NEXT = 1, DONE = 2, CHUNKS = 3, FN = 4, NARGS = 5, WORKARG = 6, ERROR = 7, HEADER = 8;
/** A worker with no job for this long exits; the pool is started again on the next large job. */
const IDLE_EXIT_MS = 5000;

const FN_NAMES: Array<keyof KernelExports> = [
  'sgemm', 'conv2dForward', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2dF32', 'unaryF32', 'binaryF32',
];

// Runs inside each worker (CommonJS, evaluated from this string, so no file needs to be found).
// Chunks are taken from a shared counter, so a worker that is slow to wake up (or not scheduled
// on a busy machine) simply takes fewer of them.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctlBuf, argBuf, index, names, nworkers } = workerData;
const exportsOf = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exportsOf[n]);
const ctl = new Int32Array(ctlBuf);
const args = new Float64Array(argBuf);
Atomics.store(ctl, ${HEADER} + nworkers + index, 1); // ready
let seen = 0;
for (;;) {
  let s = Atomics.load(ctl, ${SEQ});
  for (let i = 0; s === seen && i < 20000; i++) s = Atomics.load(ctl, ${SEQ});
  if (s === seen) {
    // idle: sleep until the next job; after ${IDLE_EXIT_MS / 1000} s without one, exit (the pool is
    // rebuilt on demand), so abandoned pools do not pin their memory forever
    if (Atomics.wait(ctl, ${SEQ}, seen, ${IDLE_EXIT_MS}) === 'timed-out' && Atomics.load(ctl, ${SEQ}) === seen) {
      Atomics.store(ctl, ${HEADER} + nworkers + index, 0);
      process.exit(0);
    }
    continue;
  }
  seen = s;
  for (;;) {
    const c = Atomics.add(ctl, ${NEXT}, 1);
    if (c >= Atomics.load(ctl, ${CHUNKS})) break;
    const n = ctl[${NARGS}];
    const a = Array.from(args.subarray(c * ${MAX_ARGS}, c * ${MAX_ARGS} + n));
    a[ctl[${WORKARG}]] = ctl[${HEADER} + index];
    try { fns[ctl[${FN}]](...a); } catch (e) { Atomics.store(ctl, ${ERROR}, 1); }
    if (Atomics.add(ctl, ${DONE}, 1) + 1 === ctl[${CHUNKS}]) Atomics.notify(ctl, ${DONE});
  }
}
`;

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'exit', f: () => void): void;
}
type WorkerCtor = new (src: string, opts: { eval: boolean; workerData: unknown }) => NodeWorker;

interface Pool {
  rt: WasmRuntime;
  workers: NodeWorker[];
  ctl: Int32Array;
  args: Float64Array;
  seq: number;
  /** Workers that have exited (idle timeout): the pool is replaced on next use. */
  exited: number;
}

let wanted = defaultThreads();
/** Counters for tests and benchmarks: jobs run on the calling thread only, and split across threads. @internal */
export const threadStats = { single: 0, parallel: 0 };
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

/** The number of cores in Node; 1 elsewhere (the pool uses worker_threads, not yet Web Workers). */
function defaultThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return 1;
}

/**
 * Sets how many threads large matrix products, convolutions and poolings use (the calling
 * thread plus `n - 1` workers). Defaults to the number of cores in Node. Has effect with the
 * `wasm` backend in Node (worker_threads sharing the kernels' memory); in browsers the kernels
 * run on the calling thread for now.
 *
 * @throws ValueError `setNumThreads: expected a positive integer, got 0`
 * @example
 * setNumThreads(1); // deterministic single-threaded timing
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${n}`);
  wanted = n;
  if (pool && pool.workers.length !== n - 1) shutdown();
}

/**
 * The number of threads the kernels may use (see {@link setNumThreads}).
 *
 * @example
 * getNumThreads(); // 2 on a two-core machine in Node
 */
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
  if (pool && pool.rt === rt && pool.exited === 0) return pool;
  if (pool) shutdown();
  const wt = nodeBuiltin<{ Worker: WorkerCtor }>('node:worker_threads');
  if (!wt) return null;
  const nw = wanted - 1;
  const ctlBuf = new SharedArrayBuffer((HEADER + 2 * nw) * 4);
  const argBuf = new SharedArrayBuffer(MAX_CHUNKS * MAX_ARGS * 8);
  const workers: NodeWorker[] = [];
  for (let i = 0; i < nw; i++) {
    const w = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: rt.module, memory: rt.memory, ctlBuf, argBuf, index: i, names: FN_NAMES, nworkers: nw },
    });
    w.unref();
    workers.push(w);
  }
  const p: Pool = { rt, workers, ctl: new Int32Array(ctlBuf), args: new Float64Array(argBuf), seq: 0, exited: 0 };
  for (const w of workers) w.on('exit', () => p.exited++);
  pool = p;
  return p;
}

/** Workers of the pool that have started (a fresh pool warms up in the background). */
function readyWorkers(p: Pool): number {
  let n = 0;
  while (n < p.workers.length && Atomics.load(p.ctl, HEADER + p.workers.length + n) === 1) n++;
  return n;
}

/**
 * Runs a job of `flops` operations over the index range [0, count): `chunk(lo, hi)` gives the
 * kernel arguments for one contiguous part. Large jobs are cut into a few chunks per thread
 * that the calling thread and the ready workers take from a shared counter; small jobs run as
 * one chunk on the calling thread. Every thread gets `work` bytes of its own scratch.
 */
export function parallelFor(
  rt: WasmRuntime, flops: number, count: number, fn: keyof KernelExports, work: number, workArg: number,
  chunk: (lo: number, hi: number) => number[],
): void {
  let threads = Math.max(1, Math.min(wanted, count, Math.floor(flops / MIN_FLOPS_PER_THREAD)));
  const p = threads > 1 ? getPool(rt) : null;
  threads = p ? Math.min(threads, readyWorkers(p) + 1) : 1;
  const f = rt.exports[fn] as (...a: number[]) => void;
  const mine = rt.alloc(work);
  if (!p || threads === 1) {
    threadStats.single++;
    const a = chunk(0, count);
    a[workArg] = mine;
    f(...a);
    return;
  }
  threadStats.parallel++;
  const chunks = Math.min(count, threads * 3, MAX_CHUNKS);
  const ctl = p.ctl;
  // A worker still finishing the previous job may take from the counter at any moment: park
  // the counter far out of range while this job is written, and open it last.
  Atomics.store(ctl, NEXT, 1 << 30);
  let nargs = 0;
  for (let c = 0; c < chunks; c++) {
    const a = chunk(Math.floor((count * c) / chunks), Math.floor((count * (c + 1)) / chunks));
    if (a.length > MAX_ARGS) throw new Error(`parallelFor: ${fn} takes ${a.length} args, at most ${MAX_ARGS}`);
    p.args.set(a, c * MAX_ARGS);
    nargs = a.length;
  }
  const nw = p.workers.length;
  for (let i = 0; i < nw; i++) ctl[HEADER + i] = rt.alloc(work);
  ctl[FN] = FN_NAMES.indexOf(fn);
  ctl[NARGS] = nargs;
  ctl[WORKARG] = workArg;
  ctl[ERROR] = 0;
  Atomics.store(ctl, CHUNKS, chunks);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, NEXT, 0);
  Atomics.store(ctl, SEQ, ++p.seq);
  Atomics.notify(ctl, SEQ);
  // the calling thread takes chunks too
  let error: unknown = null;
  for (;;) {
    const c = Atomics.add(ctl, NEXT, 1);
    if (c >= chunks) break;
    const a = Array.from(p.args.subarray(c * MAX_ARGS, c * MAX_ARGS + ctl[NARGS]!));
    a[workArg] = mine;
    try {
      f(...a);
    } catch (e) {
      error = e;
    }
    Atomics.add(ctl, DONE, 1);
  }
  let d = Atomics.load(ctl, DONE);
  for (let s = 0; d < chunks && s < 200000; s++) d = Atomics.load(ctl, DONE);
  while (d < chunks) {
    Atomics.wait(ctl, DONE, d, 1000);
    d = Atomics.load(ctl, DONE);
  }
  if (error) throw error;
  if (ctl[ERROR]) throw new Error(`parallelFor: ${fn} failed on a worker thread`);
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
