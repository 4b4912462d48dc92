// The browser build, without a browser: esbuild bundles what scripts/browser-check.mjs runs in
// Chromium (core, nn and optim) for the browser platform. A static import of a Node built-in,
// or a dynamic one with a literal name, anywhere in those packages makes this fail.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('browser bundle', () => {
  it('core, nn and optim bundle for the browser with no errors or warnings', async () => {
    const r = await build({
      entryPoints: [join(root, 'test', 'browser', 'entry.ts')],
      tsconfig: join(root, 'test', 'tsconfig.json'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.text)).toEqual([]);
    const js = r.outputFiles[0]!.text;
    // the kernels and the worker body come along
    expect(js).toContain('wasmShared');
    expect(js).toContain('function warmer');
  });
});
