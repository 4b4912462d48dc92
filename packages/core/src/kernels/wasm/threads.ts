import { ValueError } from '../../errors.js';
import { describeValue } from '../../options.js';
import { wasmRuntime, type KernelExports, type WasmRuntime } from './module.js';
import { setWarmSource, type WarmSource } from '../../buffer-pool.js';
import { WorkerError } from '../runtime-errors.js';

// A persistent pool of worker threads that share the kernels' memory (a shared
// WebAssembly.Memory), for large GEMM, convolution and pooling calls: worker_threads in Node,
// Web Workers in cross-origin isolated pages (where SharedArrayBuffer exists). A job is cut
// into chunks that the calling thread and the workers take from a shared counter (Atomics), so
// a worker that is slow to wake (or not scheduled on a busy machine) just takes fewer. Node
// workers are unref'd, so an idle pool never keeps a process alive; idle workers exit after a
// few seconds and the pool restarts on demand. Without shared memory every job runs on the
// calling thread.
//
// A worker that dies mid-job would leave its chunk undone and the calling thread waiting
// forever, and the calling thread, blocked in Atomics.wait, cannot receive the worker's 'exit'
// event. So deaths are written into the shared control block, where the waiting thread looks:
// by the dying worker itself when it still runs JavaScript (an uncaught error; process.exit),
// and, in Node, by a supervisor thread that starts the workers and whose idle event loop
// receives their 'exit' events, however they die (out of heap memory, terminated). The calling
// thread then waits for the live workers to leave the job, throws a WorkerError, and the pool
// is started afresh on the next job.

/** Below this many flops per thread a job stays on the calling thread (waking a worker costs ~10-50 us). */
const MIN_FLOPS_PER_THREAD = 4e6;
const MAX_ARGS = 16;
/** Most chunks one job is cut into (and most indices of a `perUnit` job). */
export const MAX_CHUNKS = 64;
/**
 * The most threads {@link setNumThreads} takes: a job is cut into at most MAX_CHUNKS chunks, so
 * more threads than that would sit idle, and each one is a V8 isolate (~7 MB) of its own. @internal
 */
export const MAX_THREADS = MAX_CHUNKS;
// Control block (int32): job sequence number, next chunk, chunks done, chunk count, kernel index,
// arg count, work arg index, error flag, and a test's order to die (worker, how); then per worker
// a work address, a state (0 starting, RUNNING, IDLE_EXITED, DIED), an in-a-job flag and an exit code.
const SEQ = 0, NEXT = 1, DONE = 2, CHUNKS = 3, FN = 4, NARGS = 5, WORKARG = 6, ERROR = 7, KILL = 8, KILL_HOW = 9, HEADER = 10;
const RUNNING = 1, IDLE_EXITED = 2, DIED = 3;
/** A worker with no job for this long exits; the pool is started again on the next large job. */
const IDLE_EXIT_MS = 5000;
/** Bytes of a warm buffer a worker touches between looks at the job counter (8 pages, ~15 us). */
const WARM_SLICE = 8 * 4096;

const FN_NAMES: Array<keyof KernelExports> = [
  'sgemm', 'conv2dForward', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'maxPool2dF32', 'unaryF32', 'binaryF32',
  'avgPool2dF32', 'avgPool2dBackwardF32', 'winogradConv', 'winogradConvWeightGrad',
  'winograd4Conv', 'winograd4ConvWeightGrad', 'adamF32', 'sgdF32', 'sgemmPacked',
];

const DIED_FN = `
// marks the worker dead (unless it exited after idling) and wakes a thread waiting for a job to finish
function died({ ctlBuf, index, nworkers }, code) {
  const ctl = new Int32Array(ctlBuf);
  const state = ${HEADER} + nworkers + index;
  const s = Atomics.load(ctl, state);
  if (s !== ${IDLE_EXITED} && s !== ${DIED}) {
    Atomics.store(ctl, ${HEADER} + 3 * nworkers + index, code);
    Atomics.store(ctl, state, ${DIED});
  }
  Atomics.notify(ctl, ${DONE});
}
`;

// The body of each worker, as source text so that no separate file has to be found (it is
// evaluated by worker_threads in Node, loaded from a Blob URL in browsers). In Node the first
// worker also takes warm-buffer orders from a port: while it has no job it allocates the buffer,
// touches its pages a slice at a time and moves it (transfer, no copy) back to the calling thread.
const WORKER_BODY = `
function warmer(port, receive) {
  let buf = null, u8 = null, at = 0;
  return () => {
    if (buf === null) {
      const m = receive(port);
      if (m === undefined) return false;
      buf = new ArrayBuffer(m.message);
      u8 = new Uint8Array(buf);
      at = 0;
    }
    const end = Math.min(u8.length, at + ${WARM_SLICE});
    for (let p = at; p < end; p += 4096) u8[p] = 0;
    at = end;
    if (at >= u8.length) {
      if (u8.length > 0) u8[u8.length - 1] = 0;
      port.postMessage(buf, [buf]);
      buf = u8 = null;
    }
    return true;
  };
}
${DIED_FN}function run({ module, memory, ctlBuf, argBuf, index, names, nworkers, warmPort }, exit, receive, die) {
  const exportsOf = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((n) => exportsOf[n]);
  const ctl = new Int32Array(ctlBuf);
  const args = new Float64Array(argBuf);
  const ready = ${HEADER} + nworkers + index;
  const working = ${HEADER} + 2 * nworkers + index;
  const warm = warmPort && receive ? warmer(warmPort, receive) : null;
  Atomics.store(ctl, ready, ${RUNNING});
  let seen = 0;
  for (;;) {
    let s = Atomics.load(ctl, ${SEQ});
    for (let i = 0; s === seen && i < 20000; i++) s = Atomics.load(ctl, ${SEQ});
    // no job came while spinning: prepare warm buffers, a slice at a time, before sleeping
    while (s === seen && warm !== null && warm()) s = Atomics.load(ctl, ${SEQ});
    if (s === seen) {
      // idle: sleep until the next job; after ${IDLE_EXIT_MS / 1000} s without one, exit (the pool is
      // rebuilt on demand), so abandoned pools do not pin their memory forever
      if (Atomics.wait(ctl, ${SEQ}, seen, ${IDLE_EXIT_MS}) === 'timed-out' && Atomics.load(ctl, ${SEQ}) === seen) {
        Atomics.store(ctl, ready, ${IDLE_EXITED});
        return exit();
      }
      continue;
    }
    seen = s;
    Atomics.store(ctl, working, 1);
    for (;;) {
      const c = Atomics.add(ctl, ${NEXT}, 1);
      if (c >= Atomics.load(ctl, ${CHUNKS})) break;
      if (ctl[${KILL}] === index + 1) {
        ctl[${KILL}] = 0;
        die(ctl[${KILL_HOW}]);
      }
      const n = ctl[${NARGS}];
      const a = Array.from(args.subarray(c * ${MAX_ARGS}, c * ${MAX_ARGS} + n));
      a[ctl[${WORKARG}]] = ctl[${HEADER} + index];
      try { fns[ctl[${FN}]](...a); } catch (e) { Atomics.store(ctl, ${ERROR}, 1); }
      if (Atomics.add(ctl, ${DONE}, 1) + 1 === ctl[${CHUNKS}]) Atomics.notify(ctl, ${DONE});
    }
    Atomics.store(ctl, working, 0);
  }
}
`;
// Test orders to die while holding a chunk (see killWorkerForTests): 1 process.exit, 2 exit without
// running exit handlers (as a worker out of heap memory dies: only the supervisor sees it), 3 throw.
const NODE_WORKER = `${WORKER_BODY}
const wt = require('node:worker_threads');
process.on('exit', (code) => died(wt.workerData, code));
const die = (how) => {
  if (how === 3) throw new Error('killed by a test');
  if (how === 2) process.removeAllListeners('exit');
  process.exit(how === 2 ? 9 : 7);
};
run(wt.workerData, () => process.exit(0), wt.receiveMessageOnPort, die);
`;
const WEB_WORKER = `${WORKER_BODY}
self.onmessage = (e) => {
  try {
    run(e.data, () => self.close(), null, () => { throw new Error('killed by a test'); });
  } catch (err) {
    died(e.data, -1);
    throw err;
  }
};
`;
// Node: starts the workers and watches them; its event loop stays idle, so it receives their
// 'exit' events while the calling thread is blocked waiting for a job.
const NODE_SUPERVISOR = `${DIED_FN}
const wt = require('node:worker_threads');
const { source, workers } = wt.workerData;
for (const data of workers) {
  const w = new wt.Worker(source, { eval: true, workerData: data, transferList: data.warmPort ? [data.warmPort] : [] });
  w.on('error', () => {}); // the exit that follows is what counts
  w.on('exit', (code) => died(data, code));
}
`;

/** The part of a worker (Node's worker_threads.Worker or a Web Worker) the pool uses. */
interface AnyWorker {
  terminate(): unknown;
}
type NodeWorkerCtor = new (src: string, opts: { eval: boolean; workerData: unknown; transferList?: unknown[] }) => AnyWorker & { unref(): void };
/** The parts of Node's MessagePort the warm-buffer orders use. */
interface NodePort {
  postMessage(message: unknown): void;
  unref(): void;
  close(): void;
}
type ReceiveMessage = (port: NodePort) => { message: unknown } | undefined;
type WebWorkerCtor = new (url: string) => AnyWorker & { postMessage(data: unknown): void };

interface Pool {
  rt: WasmRuntime;
  /** Number of workers (the threads besides the calling one). */
  nw: number;
  /** What to terminate to stop them: the supervisor in Node, the workers in browsers. */
  handles: AnyWorker[];
  ctl: Int32Array;
  args: Float64Array;
  seq: number;
  /** Node only: the port warm-buffer orders go to the first worker on and come back on. */
  warm?: { port: NodePort; receive: ReceiveMessage };
}

let wanted = defaultThreads();
let canWait = true;
/** Counters for tests and benchmarks: jobs run on the calling thread only, and split across threads. @internal */
export const threadStats = { single: 0, parallel: 0 };
/** Counters for tests: convolutions (forward, input and weight gradients) run by the Winograd kernels, F(2x2, 3x3) and (suffix 4) F(4x4, 3x3). @internal */
export const winogradStats = { forward: 0, backwardInput: 0, backwardWeight: 0, forward4: 0, backwardInput4: 0, backwardWeight4: 0 };
let pool: Pool | null = null;
/** True where workers are Node's worker_threads (the only ones that prepare warm buffers). */
const nodeWorkers = workerKind() === 'node';

function nodeBuiltin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (n: string) => unknown } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  try {
    return proc.getBuiltinModule(name) as T;
  } catch {
    return null;
  }
}

/** How workers are started here: worker_threads in Node, Web Workers in isolated pages, else none. */
function workerKind(): 'node' | 'web' | null {
  if (nodeBuiltin('node:worker_threads')) return 'node';
  const g = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  if (typeof g.Worker === 'function' && g.crossOriginIsolated === true && typeof g.Blob === 'function') return 'web';
  return null;
}

/** The number of cores (at most MAX_THREADS) where a worker pool can run, else 1. */
function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, cores()));
}

function cores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  if (workerKind() !== 'web') return 1;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** `setNumThreads` (documented where core exports it, kernels/index.ts). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${typeof n === 'number' ? n : describeValue(n)}`);
  if (n > MAX_THREADS) {
    throw new ValueError(
      `setNumThreads: expected at most ${MAX_THREADS} threads, got ${n} (each thread is a JavaScript isolate of ~7 MB, and a job is cut into at most ${MAX_CHUNKS} chunks)`,
    );
  }
  wanted = n;
  if (pool && pool.nw !== n - 1) shutdown();
}

/** `getNumThreads` (documented where core exports it, kernels/index.ts). */
export function getNumThreads(): number {
  return wanted;
}

let warmStartsPool = true;

/**
 * Whether ordering a warm buffer may start the worker pool: `setBackend` allows it for the
 * `wasm` backend only, so that running on the `js` kernels starts no threads. A pool that is
 * already running keeps preparing warm buffers either way. @internal
 */
export function setWarmStartsPool(allowed: boolean): void {
  warmStartsPool = allowed;
}

/** True while the worker pool is running (tests). @internal */
export function poolRunning(): boolean {
  return pool !== null;
}

function shutdown(): void {
  if (!pool) return;
  for (const w of pool.handles) void w.terminate();
  pool.warm?.port.close();
  pool = null;
  setWarmSource(warmSource); // orders to the old workers never come back
}

/**
 * Warm buffers from the first worker (see buffer-pool.ts): it allocates each one, touches its
 * pages while it has no job, and moves it back, so the thread that takes it later pays no page
 * faults. Ordering starts the pool if it is not running, but only while the `wasm` backend is
 * the current one (see {@link setWarmStartsPool}); nothing is ordered until its first worker is
 * ready, nor outside Node.
 */
/** What {@link warmSource} collects when nothing has arrived (shared, never written). */
const NOTHING: readonly ArrayBuffer[] = Object.freeze([]);

const warmSource: WarmSource = {
  order(bytes: number): boolean {
    const rt = nodeWorkers ? wasmRuntime() : null; // (no warm buffers from Web Workers: do not start them for this)
    if (rt === null || (pool === null && !warmStartsPool)) return false;
    const p = getPool(rt);
    if (p === null || p.warm === undefined || readyWorkers(p) === 0) return false;
    p.warm.port.postMessage(bytes);
    // an idle worker sleeps on the job counter: wake it (it finds no job and takes the order)
    Atomics.notify(p.ctl, SEQ);
    return true;
  },
  collect(): readonly ArrayBuffer[] {
    const w = pool?.warm;
    let m = w?.receive(w.port);
    if (m === undefined) return NOTHING; // the usual answer, asked on every large allocation: no garbage for it
    const out: ArrayBuffer[] = [];
    for (; m !== undefined; m = w!.receive(w!.port)) out.push(m.message as ArrayBuffer);
    return out;
  },
};
setWarmSource(warmSource);

/** The pool for `rt`, started on first use; null when threads are unavailable or not wanted. */
function getPool(rt: WasmRuntime): Pool | null {
  if (wanted <= 1 || !rt.shared) return null;
  if (pool && pool.rt === rt && !anyExited(pool)) return pool;
  if (pool) shutdown();
  const kind = workerKind();
  if (!kind) return null;
  const nw = wanted - 1;
  const ctlBuf = new SharedArrayBuffer((HEADER + 4 * nw) * 4);
  const argBuf = new SharedArrayBuffer(MAX_CHUNKS * MAX_ARGS * 8);
  const handles: AnyWorker[] = [];
  const data = (index: number) => ({ module: rt.module, memory: rt.memory, ctlBuf, argBuf, index, names: FN_NAMES, nworkers: nw });
  let warm: Pool['warm'];
  if (kind === 'node') {
    const wt = nodeBuiltin<{
      Worker: NodeWorkerCtor; MessageChannel: new () => { port1: NodePort; port2: NodePort }; receiveMessageOnPort: ReceiveMessage;
    }>('node:worker_threads')!;
    const channel = new wt.MessageChannel();
    channel.port1.unref();
    warm = { port: channel.port1, receive: wt.receiveMessageOnPort };
    const workers = Array.from({ length: nw }, (_, i) => (i === 0 ? { ...data(i), warmPort: channel.port2 } : data(i)));
    const supervisor = new wt.Worker(NODE_SUPERVISOR, { eval: true, workerData: { source: NODE_WORKER, workers }, transferList: [channel.port2] });
    supervisor.unref();
    handles.push(supervisor);
  } else {
    const url = URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
    const WebWorker = (globalThis as unknown as { Worker: WebWorkerCtor }).Worker;
    for (let i = 0; i < nw; i++) {
      const w = new WebWorker(url);
      w.postMessage(data(i));
      handles.push(w);
    }
  }
  pool = { rt, nw, handles, ctl: new Int32Array(ctlBuf), args: new Float64Array(argBuf), seq: 0, warm };
  return pool;
}

/** True once a worker of the pool has exited, after idling or not (the pool is then rebuilt). */
function anyExited(p: Pool): boolean {
  for (let i = 0; i < p.nw; i++) if (Atomics.load(p.ctl, HEADER + p.nw + i) >= IDLE_EXITED) return true;
  return false;
}

/** The index of a worker of the pool that died, or -1. */
function deadWorker(p: Pool): number {
  for (let i = 0; i < p.nw; i++) if (Atomics.load(p.ctl, HEADER + p.nw + i) === DIED) return i;
  return -1;
}

/** Workers of the pool that have started (a fresh pool warms up in the background). */
function readyWorkers(p: Pool): number {
  let n = 0;
  while (n < p.nw && Atomics.load(p.ctl, HEADER + p.nw + n) === RUNNING) n++;
  return n;
}

/** Sleeps up to `ms` on `ctl[at]` while it holds `value`, or just returns where the thread may not block. */
function pause(ctl: Int32Array, at: number, value: number, ms: number): void {
  // a browser's main thread may not block: keep spinning there
  if (!canWait) return;
  try {
    Atomics.wait(ctl, at, value, ms);
  } catch {
    canWait = false;
  }
}

/**
 * After a worker died during a job: waits until the live workers have left it (the calling
 * thread has taken every chunk left, so they only finish the one they hold) and stops the pool.
 * Returns the error to throw if the dead worker left a chunk undone.
 */
function abandonJob(p: Pool, dead: number, fn: string, chunks: number): WorkerError | null {
  const ctl = p.ctl;
  for (let i = 0; i < p.nw; i++) {
    while (Atomics.load(ctl, HEADER + p.nw + i) !== DIED && Atomics.load(ctl, HEADER + 2 * p.nw + i) === 1) {
      pause(ctl, HEADER + 2 * p.nw + i, 1, 1);
    }
  }
  const code = Atomics.load(ctl, HEADER + 3 * p.nw + dead);
  shutdown();
  return Atomics.load(ctl, DONE) < chunks ? new WorkerError(fn, dead + 1, code === -1 ? null : code) : null;
}

/**
 * Orders worker `worker` (0 is the first) of the running pool to die when it next holds a chunk
 * of a job: `'exit'` by process.exit (in browsers: by throwing), `'vanish'` exiting without
 * running exit handlers, as a worker dies when its heap is exhausted, `'throw'` by an uncaught
 * error. For tests. @internal
 */
export function killWorkerForTests(worker: number, how: 'exit' | 'vanish' | 'throw'): void {
  if (!pool) throw new Error('killWorkerForTests: no pool is running');
  pool.ctl[KILL_HOW] = how === 'exit' ? 1 : how === 'vanish' ? 2 : 3;
  Atomics.store(pool.ctl, KILL, worker + 1);
}

/**
 * Runs a job of `flops` operations over the index range [0, count): `chunk(lo, hi)` gives the
 * kernel arguments for one contiguous part. Large jobs are cut into a few chunks per thread
 * that the calling thread and the ready workers take from a shared counter; small jobs run as
 * one chunk on the calling thread. Every thread gets `work` bytes of its own scratch.
 * With `perUnit`, every index is a chunk of its own however many threads run (at most
 * MAX_CHUNKS indices), for jobs whose result must not depend on the thread count.
 */
export function parallelFor(
  rt: WasmRuntime, flops: number, count: number, fn: keyof KernelExports, work: number, workArg: number,
  chunk: (lo: number, hi: number) => number[], perUnit = false,
): void {
  if (perUnit && count > MAX_CHUNKS) throw new Error(`parallelFor: ${count} chunks of one index each, at most ${MAX_CHUNKS}`);
  let threads = Math.max(1, Math.min(wanted, count, Math.floor(flops / MIN_FLOPS_PER_THREAD)));
  const p = threads > 1 ? getPool(rt) : null;
  threads = p ? Math.min(threads, readyWorkers(p) + 1) : 1;
  const f = rt.exports[fn] as (...a: number[]) => void;
  const mine = rt.alloc(work);
  if (!p || threads === 1) {
    threadStats.single++;
    for (const [lo, hi] of perUnit ? Array.from({ length: count }, (_, i) => [i, i + 1]) : [[0, count]]) {
      const a = chunk(lo!, hi!);
      a[workArg] = mine;
      f(...a);
    }
    return;
  }
  threadStats.parallel++;
  const chunks = perUnit ? count : Math.min(count, threads * 3, MAX_CHUNKS);
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
  for (let i = 0; i < p.nw; i++) ctl[HEADER + i] = rt.alloc(work);
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
    // a worker that died holding a chunk never finishes it (its death notifies DONE)
    const dead = deadWorker(p);
    if (dead >= 0) {
      const died = abandonJob(p, dead, fn, chunks);
      if (died) throw died;
      break;
    }
    pause(ctl, DONE, d, 1000);
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
  while (readyWorkers(p) < p.nw && !anyExited(p)) await new Promise((r) => setTimeout(r, 2));
  return readyWorkers(p) + 1;
}
