// The browser bundle of test/browser/entry.ts (core, nn and optim), built the way a user's
// bundler would for a page: used by scripts/browser-check.ts, which runs it in Chromium, and by
// test/browser-bundle.test.ts, which only builds it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildResult } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the browser check's entry for the browser platform, in memory (errors and warnings in the result, nothing logged). */
export function bundleBrowserCheck(): Promise<BuildResult<{ write: false }>> {
  return build({
    entryPoints: [join(root, 'test', 'browser', 'entry.ts')],
    tsconfig: join(root, 'test', 'tsconfig.json'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
}
