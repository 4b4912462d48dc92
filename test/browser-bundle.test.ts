// The browser build, without a browser: esbuild bundles what scripts/browser-check.ts runs in
// Chromium (core, nn and optim) for the browser platform. A static import of a Node built-in,
// or a dynamic one with a literal name, anywhere in those packages makes this fail.
import { describe, expect, it } from 'vitest';
import { bundleBrowserCheck } from './browser/bundle.js';

describe('browser bundle', () => {
  it('core, nn and optim bundle for the browser with no errors or warnings', async () => {
    const r = await bundleBrowserCheck();
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.text)).toEqual([]);
    const js = r.outputFiles[0]!.text;
    // the kernels and the worker body come along
    expect(js).toContain('wasmShared');
    expect(js).toContain('function warmer');
  });
});
