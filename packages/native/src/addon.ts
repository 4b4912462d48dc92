import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions of the compiled addon (csrc/addon.cc documents their parameter blocks). @internal */
export interface Addon {
  isa(): string;
  gemm(a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array, params: Float64Array): void;
  binary(op: number, a: Float32Array | Float64Array, b: Float32Array | Float64Array, out: Float32Array | Float64Array, params: Float64Array): void;
  unary(op: number, x: Float32Array | Float64Array, out: Float32Array | Float64Array, params: Float64Array): void;
  sum(x: Float32Array | Float64Array, out: Float32Array | Float64Array, params: Float64Array): void;
  maxPool(x: Float32Array | Float64Array, out: Float32Array | Float64Array, argmax: Int32Array, params: Float64Array): void;
  /** Returns how many indices were outside [0, M) (skipped). */
  scatterAddRows(out: Float32Array | Float64Array, index: Int32Array, src: Float32Array | Float64Array, params: Float64Array): number;
  sumDims(x: Float32Array | Float64Array, out: Float32Array | Float64Array, params: Float64Array): void;
  adam(param: Float32Array | Float64Array, grad: Float32Array | Float64Array, expAvg: Float32Array | Float64Array, expAvgSq: Float32Array | Float64Array, maxExpAvgSq: Float32Array | Float64Array | null, params: Float64Array): void;
  sgd(param: Float32Array | Float64Array, grad: Float32Array | Float64Array, momentumBuffer: Float32Array | Float64Array | null, params: Float64Array): void;
  conv(kind: 0 | 1 | 2, a: Float32Array | Float64Array, b: Float32Array | Float64Array, bias: Float32Array | Float64Array | null, out: Float32Array | Float64Array, params: Float64Array): void;
}

/** The package's directory: src/addon.ts and dist/addon.js both sit one level below it. */
function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/** The addon, or why there is none. @internal */
export type AddonLoad = { addon: Addon; path: string; reason: null } | { addon: null; path: string | null; reason: string };

/**
 * Loads the addon that `pnpm install` built into `build/Release` (see scripts/build-addon.mjs),
 * or says why it cannot: `TAPEGRAD_NATIVE=0` in the environment, not running on Node, the
 * install's recorded reason for not building it (`build/unavailable.txt`), or the loader's error.
 * `TAPEGRAD_NATIVE_ADDON` names another `.node` file to load instead; `root` is the package
 * directory whose `build/` is read. @internal
 */
export function loadAddon(env: Record<string, string | undefined> = process.env, root: string = packageRoot()): AddonLoad {
  if (env.TAPEGRAD_NATIVE === '0') return { addon: null, path: null, reason: 'TAPEGRAD_NATIVE=0 is set' };
  if (typeof process === 'undefined' || !process.versions?.node) return { addon: null, path: null, reason: 'not running on Node' };
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
    const addon = createRequire(import.meta.url)(path) as Addon;
    return { addon, path, reason: null };
  } catch (e) {
    return { addon: null, path, reason: `could not load ${path}: ${(e as Error).message}` };
  }
}
