import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figures.js';

/** Folders where Debian puts OpenBLAS's OpenMP build (libopenblas0-openmp). */
const OPENBLAS_OPENMP = ['/usr/lib/x86_64-linux-gnu/openblas-openmp', '/usr/lib/aarch64-linux-gnu/openblas-openmp'];

export interface TorchResult {
  figures: Map<string, number>;
  info: string;
}

/**
 * Runs bench/src/torch_bench.py with `threads` threads, preferring OpenBLAS's OpenMP build via
 * LD_LIBRARY_PATH (Debian's default reference BLAS is ~50x slower, and OpenBLAS's pthread build
 * fights torch's own threads). Returns null with a reason when python3 or torch is missing.
 */
export function runTorch(figs: Figure[], threads: number, log: (s: string) => void): TorchResult | { error: string } {
  // the first python3 that imports torch: PATH's, then the system one (Debian's python3-torch
  // installs for /usr/bin/python3, which a pyenv or venv on PATH may shadow)
  const python = ['python3', '/usr/bin/python3'].find((py) => {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) return { error: 'no python3 with torch found (Debian: apt-get install python3-torch libopenblas0-openmp)' };
  const omp = OPENBLAS_OPENMP.find((d) => existsSync(d));
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads) };
  if (omp) env.LD_LIBRARY_PATH = [omp, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  else log('pytorch: OpenBLAS OpenMP build not found (libopenblas0-openmp); torch may use a slow reference BLAS');
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_bench.py');
  try {
    const stdout = execFileSync(python, [script, String(threads), figs.map((f) => f.id).join(',')], { env, maxBuffer: 1 << 20 }).toString();
    const res = JSON.parse(stdout.trim().split('\n').pop()!) as { figures: Record<string, number>; torch: string; threads: number; blas: string[] };
    const info = `torch ${res.torch}, ${res.threads} threads, BLAS: ${res.blas.join(', ') || 'none loaded'}`;
    log(`pytorch: ${info}`);
    return { figures: new Map(Object.entries(res.figures)), info };
  } catch (e) {
    return { error: `torch_bench.py failed: ${(e as Error).message.split('\n')[0]}` };
  }
}
