/**
 * Generates the table of supported ONNX operators in docs/onnx.md (between the
 * `<!-- ops-table -->` markers) from the exporter's and importer's tables.
 *
 * Usage: `npx tsx packages/onnx/scripts/ops-table.ts` from the repository root (`--check` exits 1
 * when the page is out of date, without writing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXPORTED_AS } from '../src/export-ops.js';
import { IMPORT_OPS, OPERATORS } from '../src/index.js';

const DOC = fileURLToPath(new URL('../../../docs/onnx.md', import.meta.url));
const START = '<!-- ops-table -->';
const END = '<!-- /ops-table -->';

/** The markdown table: one row per ONNX operator, what exports as it and whether import runs it. */
export function opsTable(): string {
  const exportedBy = new Map<string, string[]>();
  for (const [op, onnxOps] of Object.entries(EXPORTED_AS))
    for (const o of onnxOps) exportedBy.set(o, [...(exportedBy.get(o) ?? []), /^[A-Z]/.test(op) ? `\`${op}\` (layer)` : `\`${op}\``]);
  const names = [...new Set([...Object.keys(OPERATORS), ...exportedBy.keys(), ...Object.keys(IMPORT_OPS)])].sort();
  const rows = names.map((n) => {
    const by = exportedBy.get(n);
    const imp = IMPORT_OPS[n];
    const attrs = imp && imp.attrs.length ? ` (${imp.attrs.join(', ')})` : '';
    return `| ${n} | ${OPERATORS[n]?.since ?? ''} | ${by ? by.join(', ') : ''} | ${imp ? `yes${attrs}` : ''} |`;
  });
  return ['| ONNX operator | from opset | written by export for | read by import (attributes) |', '|---|---|---|---|', ...rows].join('\n');
}

/** The page with its table regenerated. */
export function regenerate(page: string): string {
  const a = page.indexOf(START), b = page.indexOf(END);
  if (a < 0 || b < a) throw new Error(`ops-table: markers ${START} ... ${END} not found in docs/onnx.md`);
  return `${page.slice(0, a + START.length)}\n${opsTable()}\n${page.slice(b)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const page = readFileSync(DOC, 'utf8');
  const next = regenerate(page);
  if (process.argv.includes('--check')) {
    if (next !== page) {
      console.error('docs/onnx.md: the operator table is out of date; run npx tsx packages/onnx/scripts/ops-table.ts');
      process.exit(1);
    }
  } else writeFileSync(DOC, next);
}
