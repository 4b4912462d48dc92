import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `pnpm example <name> [flags]`: the command line refuses what an example does not declare
// before anything runs (each case exits at parsing, in about a second).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, '..', 'node_modules', '.bin', 'tsx');

function example(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(tsx, ['src/run.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the example command line', () => {
  it('lists every example with its own flags and switches under --help', () => {
    const { status, out } = example('--help');
    expect(status).toBe(0);
    expect(out).toContain('--steps N: training steps');
    expect(out).toContain('--original-rows: train on the original UCI rows');
  });

  it('refuses an undeclared flag, a switch given a value and a numeric flag without a number', () => {
    expect(example('iris-neuron', '--bogus', '1').out).toContain('unknown option --bogus');
    expect(example('iris-neuron', '--original-rows', '3').out).toContain('--original-rows takes no value, got 3');
    expect(example('char-gpt', '--steps', 'many').out).toContain('--steps must be followed by a number, got many');
    expect(example('char-gpt', '--original-rows').out).toContain('unknown option --original-rows');
  });
});
