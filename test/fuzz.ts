/**
 * The shared side of the seeded parser fuzz tests (packages/datasets/test/fuzz.test.ts,
 * packages/nn/test/safetensors-fuzz.test.ts): a seeded generator, so every run mutates the same
 * way, and a checker that collects what went wrong with each load.
 */
import { ValueError } from '@tapegrad/core';

/** mulberry32: a small seeded generator, so every run mutates the same way. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Checks of one load each, collected: failures are reported together at the end. A load must
 * succeed or throw a ValueError whose message names the file, within a second, with array buffers
 * growing by at most 16 times the file's size (+ 1 MiB).
 */
export class FuzzChecker {
  readonly problems: string[] = [];
  loaded = 0;

  /** `namesFile` says whether a ValueError's message names the file (default: it contains `name`). */
  async run(name: string, size: number, load: () => unknown, namesFile = (message: string) => message.includes(name)): Promise<void> {
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let result: unknown;
    try {
      result = await load();
      this.loaded++;
    } catch (e) {
      if (!(e instanceof ValueError)) this.problems.push(`${name}: ${(e as Error).name}: ${(e as Error).message}`);
      else if (!namesFile((e as Error).message)) this.problems.push(`${name}: message does not name it: ${(e as Error).message}`);
    }
    const ms = performance.now() - t0;
    if (ms > 1000) this.problems.push(`${name}: took ${ms.toFixed(0)} ms`);
    const grown = process.memoryUsage().arrayBuffers - before;
    if (grown > 16 * size + (1 << 20)) this.problems.push(`${name}: array buffers grew by ${grown} bytes for ${size} bytes of file`);
    return void result;
  }
}
