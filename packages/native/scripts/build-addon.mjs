// Builds the native addon with node-gyp during `pnpm install` (the package's install script).
// It never fails the install: when the build is skipped or fails, it says why on stderr and
// writes the reason to build/unavailable.txt, which `nativeStatus()` reports at run time; then
// tapegrad runs on its other backends.
//
// TAPEGRAD_NATIVE_SKIP_BUILD=1 skips the build (a machine without a compiler behaves the same).
// Node's headers are taken from the running Node's installation (--nodedir), so nothing is
// downloaded; where they are missing the build is skipped with that reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');
const reasonFile = join(buildDir, 'unavailable.txt');

function unavailable(reason) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(reasonFile, reason + '\n');
  process.stderr.write(`@tapegrad/native: not built (${reason}); tapegrad will use its wasm/js backends\n`);
  process.exit(0);
}

rmSync(reasonFile, { force: true });
if (process.env.TAPEGRAD_NATIVE_SKIP_BUILD === '1') unavailable('TAPEGRAD_NATIVE_SKIP_BUILD=1 was set at install');

const nodedir = resolve(dirname(process.execPath), '..');
if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) {
  unavailable(`Node's headers were not found at ${join(nodedir, 'include', 'node')} (install the nodejs headers package)`);
}

// node-gyp: pnpm and npm put their bundled copy on PATH while running install scripts; else the
// one next to npm.
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'pnpm', 'dist', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
const cmd = candidates.length > 0 ? [process.execPath, candidates[0]] : ['node-gyp'];
const t0 = Date.now();
const r = spawnSync(cmd[0], [...cmd.slice(1), 'rebuild', '--release', `--nodedir=${nodedir}`, `--jobs=${process.env.TAPEGRAD_NATIVE_JOBS ?? '2'}`], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (r.error) unavailable(`could not run node-gyp: ${r.error.message}`);
if (r.status !== 0) {
  const log = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
  process.stderr.write(log + '\n');
  const firstError = log.split('\n').find((l) => /error/i.test(l)) ?? `exit code ${r.status}`;
  unavailable(`the addon failed to compile: ${firstError.trim()}`);
}
if (!existsSync(join(buildDir, 'Release', 'tapegrad_native.node'))) unavailable('node-gyp finished but build/Release/tapegrad_native.node is missing');
process.stderr.write(`@tapegrad/native: built the addon in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
