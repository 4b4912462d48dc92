import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXPORTED_AS, MODULES, PRIMITIVES } from '../src/export-ops.js';
import { IMPORT_OPS, OPERATORS } from '@tapegrad/onnx';
import { regenerate } from '../scripts/ops-table.js';

describe('docs/onnx.md', () => {
  it('has the operator table the script generates (run npx tsx packages/onnx/scripts/ops-table.ts)', () => {
    const page = readFileSync(fileURLToPath(new URL('../../../docs/onnx.md', import.meta.url)), 'utf8');
    expect(regenerate(page)).toBe(page);
  });

  it('lists in EXPORTED_AS every op and layer the exporter maps, and only those', () => {
    const mapped = [...Object.keys(PRIMITIVES), ...MODULES.map(([cls]) => cls.name)].sort();
    expect(Object.keys(EXPORTED_AS).sort()).toEqual(mapped);
  });

  it('knows every operator the importer reads and the exporter writes in the checker', () => {
    const written = new Set(Object.values(EXPORTED_AS).flat());
    for (const op of [...Object.keys(IMPORT_OPS), ...written]) expect(OPERATORS[op], op).toBeDefined();
  });
});
