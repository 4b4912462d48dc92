import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Importing the package must not load Node built-ins (so it bundles for browsers): node:* modules
// may only be imported dynamically, inside the functions that read files.
const src = fileURLToPath(new URL('../src/', import.meta.url));

describe('browser-safe imports', () => {
  it('no source file imports a Node built-in statically', () => {
    const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('index.ts');
    for (const f of files) {
      const text = readFileSync(src + f, 'utf8');
      const staticImports = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      const sideEffects = [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      for (const spec of [...staticImports, ...sideEffects]) {
        const builtin = spec.startsWith('node:') || ['fs', 'path', 'zlib', 'module', 'os', 'url', 'fs/promises'].includes(spec);
        expect(builtin, `${f} imports ${spec} statically`).toBe(false);
      }
      // CommonJS require() would pull modules in at load time; require.resolve inside a function is fine.
      expect(/\brequire\s*\(/.test(text), `${f} calls require()`).toBe(false);
    }
  });
});
