import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('docs/coverage.md', () => {
  it('is what scripts/coverage-table.ts generates from the ops and their tests (run pnpm coverage-table after adding an op)', () => {
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const out = execFileSync(process.execPath, [tsx, 'scripts/coverage-table.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/is up to date/);
  });
});
