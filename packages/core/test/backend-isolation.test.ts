import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Everything backend-specific stays inside its own folder (STYLE.md, "Adding a backend"): the
// rest of the library reaches a backend through the Backend interface only. The one exception
// is the registry, kernels/index.ts, which imports each backend's entry point to register it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const wasmDir = 'packages/core/src/kernels/wasm/';
const nativeDir = 'packages/core/src/kernels/native/';
/** The imports of a backend allowed outside its folder: importer -> imported file. */
const ALLOWED = new Set([
  'packages/core/src/kernels/index.ts -> packages/core/src/kernels/wasm/index.js',
  'packages/core/src/kernels/index.ts -> packages/core/src/kernels/native/index.js',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const re = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(re)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** `importer -> imported` for each import of a file in `backendDir` from outside it, under `dirs`. */
function backendImports(dirs: string[], backendDir = wasmDir): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(join(root, dir))) {
      const from = relative(root, file).split('\\').join('/');
      if (from.startsWith(backendDir)) continue;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const to = relative(root, resolve(dirname(file), spec)).split('\\').join('/');
        if (to.startsWith(backendDir)) found.push(`${from} -> ${to}`);
      }
    }
  }
  return found;
}

describe('backend isolation', () => {
  it('finds imports of the wasm backend written in every form (the scan itself works)', () => {
    expect(specifiers(`import { a } from './kernels/wasm/module.js';\nimport type { B } from "../wasm/threads.js";`)).toEqual([
      './kernels/wasm/module.js', '../wasm/threads.js',
    ]);
    expect(specifiers(`export { c } from './wasm/index.js'; import './wasm/x.js'; await import('./wasm/y.js');`)).toEqual([
      './wasm/index.js', './wasm/x.js', './wasm/y.js',
    ]);
    expect(backendImports(['packages/core/src/kernels'])).toContain('packages/core/src/kernels/index.ts -> packages/core/src/kernels/wasm/index.js');
  });

  it('nothing outside kernels/wasm/ or kernels/native/ imports from them but the backend registry, and that only their index', () => {
    const dirs = readdirSync(join(root, 'packages')).map((p) => `packages/${p}/src`).filter((d) => {
      try {
        return statSync(join(root, d)).isDirectory();
      } catch {
        return false;
      }
    });
    expect(dirs).toContain('packages/core/src');
    expect(backendImports(dirs).filter((i) => !ALLOWED.has(i))).toEqual([]);
    expect(backendImports(dirs, nativeDir).filter((i) => !ALLOWED.has(i))).toEqual([]);
    expect(backendImports(dirs, nativeDir)).toContain('packages/core/src/kernels/index.ts -> packages/core/src/kernels/native/index.js');
  });
});
