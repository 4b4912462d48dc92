import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figures.js';

/** Figures the C reference measures (the "within 2x of C" yardstick; the out= ones without "cold"). */
export const C_FIGURES = ['add-1e6', 'exp-1e6', 'sum-1e6', 'add-out-1e6', 'exp-out-1e6'];
const FLAGS = ['-O2'];

/**
 * Compiles bench/src/c_bench.c with the system's `cc` (into bench/.scratch) and runs it: add, exp
 * (libm expf) and sum over 1e6 floats, single-threaded. `cold` false: the output is malloc'd per
 * call, and glibc hands back the block of the call before, still in cache. `cold` true: add and
 * exp write a block that is out of cache each call, as a result in a garbage-collected array does
 * (sum writes nothing, so it is left out). Returns an error when no C compiler is installed.
 */
export function runC(figs: Figure[], log: (s: string) => void, cold = false): { figures: Map<string, number>; info: string } | { error: string } {
  if (!figs.some((f) => C_FIGURES.includes(f.id))) return { error: 'no element-wise figure selected' };
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = join(here, '..', '.scratch');
  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, 'c_bench');
  try {
    execFileSync('cc', [...FLAGS, '-o', exe, join(here, 'c_bench.c'), '-lm'], { stdio: 'pipe' });
  } catch (e) {
    return { error: `no working C compiler (cc): ${(e as Error).message.split('\n')[0]}` };
  }
  const res = JSON.parse(execFileSync(exe, cold ? ['cold'] : []).toString().trim()) as Record<string, number>;
  const figures = new Map(Object.entries(res).filter(([id]) => figs.some((f) => f.id === id) && !(cold && id === 'sum-1e6')));
  const info = cold
    ? `c-cold: the same C, each output written to one of 32 blocks (128 MB, more than the cache) in turn, as a garbage-collected result is`
    : `c: cc ${FLAGS.join(' ')}, one thread, libm expf, output malloc'd and freed per call (the same block, still in cache, each call)`;
  log(info);
  return { figures, info };
}
