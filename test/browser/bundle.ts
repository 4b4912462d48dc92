// The browser bundles of test/browser/entry.ts (core, nn and optim) and test/browser/csp-entry.ts,
// built the way a user's bundler would for a page: used by scripts/browser-check.ts, which runs
// them in Chromium, and by test/browser-bundle.test.ts and packages/core/test/no-codegen.test.ts,
// which build them (the latter also runs the CSP one in a Node vm context without eval).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildResult } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles `test/browser/<entry>` for the browser platform, in memory (errors and warnings in the result, nothing logged). */
function bundle(entry: string, format: 'esm' | 'iife', globalName?: string): Promise<BuildResult<{ write: false }>> {
  return build({
    entryPoints: [join(root, 'test', 'browser', entry)],
    tsconfig: join(root, 'test', 'tsconfig.json'),
    bundle: true,
    format,
    globalName,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
}

/** The browser check's page script (an ES module). */
export function bundleBrowserCheck(): Promise<BuildResult<{ write: false }>> {
  return bundle('entry.ts', 'esm');
}

/**
 * The strict-CSP checks (csp-entry.ts): an ES module exporting `cspChecks` and `wasmRefusal`
 * for a page, or with `globalName` a classic script that assigns them to that global.
 */
export function bundleCspCheck(globalName?: string): Promise<BuildResult<{ write: false }>> {
  return globalName === undefined ? bundle('csp-entry.ts', 'esm') : bundle('csp-entry.ts', 'iife', globalName);
}
