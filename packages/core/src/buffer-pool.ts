// Recycled memory for large kernel results. A fresh multi-megabyte array is paid for in page
// faults when it is first written (about 0.3 ms per MB on this machine, more than most kernels
// take), because the allocator hands the memory of freed arrays back to the system. The
// backward pass knows when a gradient it computed is dead (consumed by its node, seen by no
// hook, leaf or user), so it returns that gradient's buffer here, and the next kernel result of
// the same size reuses it: warm memory, no faults. Only buffers born after the pass started can
// come back (see {@link recycleBuffer}), so nothing the user holds is ever reused.

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

/** Statistics for tests: buffers returned to the pool and buffers reused from it. @internal */
export const bufferPoolStats = { recycled: 0, reused: 0 };

/** Switch for tests (the same training run with and without reuse). @internal */
export const bufferPoolOptions = { enabled: true };

/**
 * A pooled buffer of exactly `bytes` bytes, or undefined. Its contents are whatever the
 * gradient it held last left there. @internal
 */
export function takeBuffer(bytes: number): ArrayBuffer | undefined {
  const list = pool.get(bytes);
  const buffer = list?.pop();
  if (buffer === undefined) return undefined;
  pooledBytes -= bytes;
  bufferPoolStats.reused++;
  return buffer;
}

/** Records that `buffer` was (re)issued now, for kernel results only. @internal */
export function noteAllocation(buffer: ArrayBuffer): void {
  births.set(buffer, allocations++);
}

/** The number of buffers issued so far: a pass that starts now sees larger numbers on its own buffers. @internal */
export function allocationCount(): number {
  return allocations;
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
    pool.clear();
    pooledBytes = 0;
  };
  drainTimer = setTimeout(check, DRAIN_MS);
  drainTimer.unref?.();
}

/** Empties the pool now (tests). @internal */
export function drainBufferPool(): void {
  pool.clear();
  pooledBytes = 0;
}
