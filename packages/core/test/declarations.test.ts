import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Core's published declarations, type-checked the way a user's `tsc --strict` sees them with
// skipLibCheck off and none of core's devDependencies installed: the built dist is copied
// away from the repository's node_modules, so an import of a package core does not ship
// types for (ndarray's, from View, used to be one) fails here. Needs the build (`tsc -b`).

const dist = fileURLToPath(new URL('../dist', import.meta.url));

describe('core declarations', () => {
  it('type-check under --strict without skipLibCheck and without core\'s devDependencies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapegrad-dts-'));
    try {
      cpSync(dist, join(dir, 'core'), { recursive: true, filter: (p) => !p.endsWith('.js') && !p.endsWith('.map') });
      const main = join(dir, 'main.ts');
      writeFileSync(main, [
        "import { tensor, type View } from './core/index.js';",
        'const v: View = tensor([1, 2]).nd;',
        'export const shape: number[] = v.shape;',
      ].join('\n'));
      const program = ts.createProgram([main], {
        strict: true, noEmit: true, skipLibCheck: false, types: [],
        module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      });
      const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
