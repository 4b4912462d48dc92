// Recycled memory for large kernel results. A fresh multi-megabyte array is paid for in page
// faults when it is first written (about 0.3 ms per MB on this machine, more than most kernels
// take), because the allocator hands the memory of freed arrays back to the system. The
// backward pass knows when a gradient it computed is dead (consumed by its node, seen by no
// hook, leaf or user), so it returns that gradient's buffer here, and the next kernel result of
// the same size reuses it: warm memory, no faults. Only buffers born after the pass started can
// come back (see {@link recycleBuffer}), so nothing the user holds is ever reused.
//
// Results that die by garbage collection (forward activations, a dropout mask) never come back
// in a synchronous loop, so each training step asks for them afresh. For those, a miss orders a
// warm replacement of the same size: a worker thread of a backend's thread pool (the one that
// called {@link setWarmSource}) allocates it, touches its pages while it has no other job, and
// moves it here; the next miss of that size takes it. The buffer is an ordinary ArrayBuffer,
// garbage-collected as usual.

/** Buffers waiting for reuse, by byte length. */
const pool = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;

/** Most bytes the pool holds; buffers beyond it are left to the garbage collector. */
const POOL_MAX_BYTES = 256 * 1024 * 1024;

/** Milliseconds after the last return to the pool that an idle pool is emptied. */
const DRAIN_MS = 1000;

/** The allocation order of every buffer {@link noteAllocation} saw (to tell new from old). */
const births = new WeakMap<ArrayBuffer, number>();
let allocations = 0;

let drainTimer: { unref?: () => void } | undefined;
let lastReturn = 0;

/**
 * A thread that prepares warm buffers: plain ArrayBuffers whose pages it has touched, moved
 * (transferred, not copied) to the calling thread. @internal
 */
export interface WarmSource {
  /** Orders a warm buffer of `bytes` bytes; false when no thread can prepare one now. */
  order(bytes: number): boolean;
  /** The warm buffers that have arrived since the last call. */
  collect(): readonly ArrayBuffer[];
}

let warmSource: WarmSource | undefined;
/** Warm buffers that have arrived, by byte length. */
const stock = new Map<number, ArrayBuffer[]>();
/** Warm buffers ordered and not arrived yet, by byte length. */
const ordered = new Map<number, number>();
/** Bytes of warm buffers ordered or arrived and not taken. */
let stockBytes = 0;
/** Most bytes of warm buffers ordered or waiting. */
const STOCK_MAX_BYTES = 64 * 1024 * 1024;
/** Smaller misses are not worth a worker's time (a few page faults each). */
const WARM_MIN_BYTES = 1 << 20;

/** Statistics for tests: buffers returned to the pool, reused from it, and taken warm from the stock. @internal */
export const bufferPoolStats = { recycled: 0, reused: 0, warm: 0 };

/** Switches for tests and A/B timing: reuse at all, and warm buffers on misses. @internal */
export const bufferPoolOptions = { enabled: true, warm: true };

/**
 * A pooled buffer of exactly `bytes` bytes, or undefined. Its contents are whatever the
 * gradient it held last left there. @internal
 */
export function takeBuffer(bytes: number): ArrayBuffer | undefined {
  const list = pool.get(bytes);
  const buffer = list?.pop();
  if (buffer !== undefined) {
    pooledBytes -= bytes;
    bufferPoolStats.reused++;
    return buffer;
  }
  return takeWarm(bytes);
}

/**
 * On a miss: a warm buffer of this size if one has arrived, and an order for another one (the
 * size is likely wanted again: the next training step repeats this one).
 */
function takeWarm(bytes: number): ArrayBuffer | undefined {
  const source = warmSource;
  if (source === undefined || bytes < WARM_MIN_BYTES || !bufferPoolOptions.enabled || !bufferPoolOptions.warm) return undefined;
  for (const b of source.collect()) {
    const n = b.byteLength;
    const waiting = ordered.get(n) ?? 0;
    if (waiting > 0) ordered.set(n, waiting - 1);
    else stockBytes += n; // ordered before the stock was last emptied
    let list = stock.get(n);
    if (list === undefined) stock.set(n, (list = []));
    list.push(b);
  }
  const got = stock.get(bytes)?.pop();
  if (got !== undefined) {
    stockBytes -= bytes;
    bufferPoolStats.warm++;
  }
  if (stockBytes + bytes <= STOCK_MAX_BYTES && source.order(bytes)) {
    ordered.set(bytes, (ordered.get(bytes) ?? 0) + 1);
    stockBytes += bytes;
  }
  lastReturn = Date.now();
  scheduleDrain();
  return got;
}

/** Bytes of warm buffers ordered or waiting (for tests: never above 64 MB). @internal */
export function warmStockBytes(): number {
  return stockBytes;
}

/** Registers the thread that prepares warm buffers (a backend's thread pool, in Node). @internal */
export function setWarmSource(source: WarmSource | undefined): void {
  warmSource = source;
  ordered.clear(); // orders to a previous source never arrive
  stock.clear();
  stockBytes = 0;
}

/** Drops the warm buffers that have arrived (orders still on their way stay counted). */
function clearStock(): void {
  for (const [n, list] of stock) stockBytes -= n * list.length;
  stock.clear();
}

/** Backward passes that may recycle, running now (a pass inside a hook counts again). */
let passes = 0;

/**
 * Records that `buffer` was (re)issued now, for kernel results only. Only results issued while
 * a backward pass runs can ever be recycled, so only those are recorded: a forward pass issues
 * many large results, and a weak-map entry for each made V8 collect its old generation more
 * often. @internal
 */
export function noteAllocation(buffer: ArrayBuffer): void {
  if (passes > 0) births.set(buffer, allocations);
  allocations++;
}

/**
 * Starts a backward pass that returns dead gradients with {@link recycleBuffer}; returns its
 * `since` (buffers issued from now on carry larger numbers). Pair with {@link endRecyclingPass}. @internal
 */
export function beginRecyclingPass(): number {
  passes++;
  return allocations;
}

/** Ends a pass started with {@link beginRecyclingPass}. @internal */
export function endRecyclingPass(): void {
  passes--;
}

/**
 * Returns `buffer` to the pool if it was issued at or after `since` (so it is a kernel result
 * of the current pass, which nothing from before the pass can alias). The caller guarantees
 * that nothing references it any more. @internal
 */
export function recycleBuffer(buffer: ArrayBufferLike, since: number): void {
  if (!bufferPoolOptions.enabled || !(buffer instanceof ArrayBuffer)) return;
  const born = births.get(buffer);
  if (born === undefined || born < since || pooledBytes + buffer.byteLength > POOL_MAX_BYTES) return;
  births.delete(buffer); // until reissued: a second return of the same buffer is refused
  let list = pool.get(buffer.byteLength);
  if (list === undefined) pool.set(buffer.byteLength, (list = []));
  list.push(buffer);
  pooledBytes += buffer.byteLength;
  bufferPoolStats.recycled++;
  lastReturn = Date.now();
  scheduleDrain();
}

/** Empties the pool once it has been idle for {@link DRAIN_MS} (runs only when the event loop turns). */
function scheduleDrain(): void {
  if (drainTimer !== undefined || typeof setTimeout !== 'function') return;
  const check = (): void => {
    if (Date.now() - lastReturn < DRAIN_MS) {
      drainTimer = setTimeout(check, DRAIN_MS);
      drainTimer.unref?.();
      return;
    }
    drainTimer = undefined;
    drainBufferPool();
  };
  drainTimer = setTimeout(check, DRAIN_MS);
  drainTimer.unref?.();
}

/** Empties the pool and the stock of warm buffers now (tests). @internal */
export function drainBufferPool(): void {
  pool.clear();
  pooledBytes = 0;
  clearStock();
}
