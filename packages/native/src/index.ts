/**
 * @tapegrad/native: the compiled kernels of tapegrad's `native` backend for Node (C++ behind
 * N-API: AVX-512/AVX2 GEMM, convolution, element-wise maps, sums, fused optimizer steps, on its
 * own thread pool), built from source by node-gyp when this package is installed.
 *
 * You do not call this package: it is an optional dependency of `@tapegrad/core`, which loads it
 * on Node and then runs on the `native` backend by default (see core's `nativeStatus`). When the
 * addon could not be built or loaded (no compiler at install, a failed build,
 * `TAPEGRAD_NATIVE=0`), core runs on `wasm` and `nativeStatus().reason` says why.
 *
 * @example
 * import { loadAddon } from '@tapegrad/native';
 * loadAddon({ TAPEGRAD_NATIVE: '0' }).reason; // 'TAPEGRAD_NATIVE=0 is set'
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The outcome of {@link loadAddon}: the addon's exports (an object of functions that only
 * `@tapegrad/core` calls), or null and why.
 *
 * @example
 * import { loadAddon, type AddonLoad } from '@tapegrad/native';
 * const load: AddonLoad = loadAddon();
 * load.addon === null ? load.reason : load.path; // the .node file where the install built it
 */
export type AddonLoad = { addon: object; path: string; reason: null } | { addon: null; path: string | null; reason: string };

/**
 * Loads the addon that the install built into `build/Release` (scripts/build-addon.mjs), or says
 * why it cannot: `TAPEGRAD_NATIVE=0` in `env`, the install's recorded reason for not building it
 * (`build/unavailable.txt`), a missing file, or the loader's error. `TAPEGRAD_NATIVE_ADDON` in
 * `env` names another `.node` file to load instead; `root` is the package directory whose
 * `build/` is read.
 *
 * @example
 * import { loadAddon } from '@tapegrad/native';
 * loadAddon({ TAPEGRAD_NATIVE_ADDON: '/nowhere/x.node' }).reason; // '/nowhere/x.node does not exist (the install did not build it; run `pnpm --filter @tapegrad/native build:addon`)'
 */
export function loadAddon(env: Record<string, string | undefined> = process.env, root: string = join(__dirname, '..')): AddonLoad {
  if (env.TAPEGRAD_NATIVE === '0') return { addon: null, path: null, reason: 'TAPEGRAD_NATIVE=0 is set' };
  const override = env.TAPEGRAD_NATIVE_ADDON;
  const path = override ?? join(root, 'build', 'Release', 'tapegrad_native.node');
  const reasonFile = join(root, 'build', 'unavailable.txt');
  if (override === undefined && existsSync(reasonFile)) {
    return { addon: null, path, reason: `not built at install: ${readFileSync(reasonFile, 'utf8').trim()}` };
  }
  if (!existsSync(path)) {
    return { addon: null, path, reason: `${path} does not exist (the install did not build it; run \`pnpm --filter @tapegrad/native build:addon\`)` };
  }
  try {
    return { addon: require(path) as object, path, reason: null };
  } catch (e) {
    return { addon: null, path, reason: `could not load ${path}: ${(e as Error).message}` };
  }
}
