/**
 * Median wall time in ms of `f` over repeated runs, within a time budget, after `warmup` runs
 * and at least `warmupMs` of them: V8 compiles a hot path with its optimising tiers only after
 * some hundreds of calls, so a 20 us op timed over its first 200 calls ran at 2-3x its steady
 * time (torch_bench.py warms up the same way, though Python has no such tiers).
 */
export function timeMs(f: () => unknown, opts: { warmup?: number; warmupMs?: number; minReps?: number; maxReps?: number; budgetMs?: number } = {}): number {
  const { warmup = 2, warmupMs = 150, minReps = 3, maxReps = 200, budgetMs = 1500 } = opts;
  let first = 0;
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) {
    const t = performance.now();
    f();
    first = performance.now() - t;
  }
  const times: number[] = [];
  const start = performance.now();
  // a very slow figure (seconds per run) gets its minimum only
  const reps = first * minReps > budgetMs ? Math.max(1, Math.min(minReps, Math.floor(budgetMs / Math.max(first, 1e-3)))) : maxReps;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
    if (times.length >= minReps && performance.now() - start > budgetMs) break;
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Median time of one call in microseconds, timing batches of `inner` calls. */
export function timeUs(f: () => unknown, inner = 1000): number {
  return (timeMs(() => { for (let i = 0; i < inner; i++) f(); }, { warmup: 3, minReps: 5, budgetMs: 1000 }) * 1000) / inner;
}

/**
 * Warm-up of the training-step figures, on every side (torch_bench.py too): a training run lasts
 * minutes, so its steady state is the figure. tapegrad's MLP step reaches it only after a
 * second or more of steps (V8's tiers and heap sizes settle): 63-71K samples/s after 150 ms,
 * 85-90K after 2 s (3 runs each, 2 threads); the convnet read the same after both.
 */
export const TRAIN_WARMUP_MS = 2000;
