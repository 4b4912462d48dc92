/**
 * Generates docs/coverage.md: every op exported from packages/core/src/ops, whether it has a
 * backward rule (its own primitive, or composed of primitives), whether a test gradchecks it
 * and whether a test checks its second derivative.
 *
 * Run: `pnpm coverage-table` (writes the file) or `pnpm coverage-table --check` (exits 1 if the
 * committed file is stale; the test suite runs this check).
 *
 * How it decides, by reading the sources:
 * - ops: the public exports of packages/core/src/ops/index.ts;
 * - backward: "primitive" if the op's file defines `primitive('...')`, "none" if the op is listed
 *   as non-differentiable below, otherwise "composite" (built from primitives, no rule of its own);
 * - tests: a `describe('<op>', ...)` block in packages/core/test/*.test.ts containing `gradcheck(`
 *   and/or `gradgradcheck(`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const opsDir = join(root, 'packages/core/src/ops');
const testDir = join(root, 'packages/core/test');
const out = join(root, 'docs/coverage.md');

/** Ops with no gradient by definition (integer or boolean results, or piecewise constant). */
const NON_DIFFERENTIABLE: Record<string, string> = {
  eq: 'bool result', ne: 'bool result', lt: 'bool result', le: 'bool result', gt: 'bool result', ge: 'bool result',
  all: 'bool result', any: 'bool result',
  isnan: 'bool result', isinf: 'bool result', isposinf: 'bool result', isneginf: 'bool result', isfinite: 'bool result',
  logicalNot: 'bool result', logicalAnd: 'bool result', logicalOr: 'bool result', logicalXor: 'bool result',
  isclose: 'bool result', nonzero: 'int32 result', argwhere: 'int32 result', searchsorted: 'int32 result',
  bucketize: 'int32 result', trilIndices: 'int32 result', triuIndices: 'int32 result',
  argsort: 'int32 result', unique: 'no gradient (as PyTorch)', bincount: 'no gradient (as PyTorch)', histc: 'no gradient (as PyTorch)',
  countNonzero: 'int32 result',
  multinomial: 'random sample', bernoulli: 'random sample', poisson: 'random sample', normal: 'random sample',
  randLike: 'random sample', randnLike: 'random sample', randintLike: 'random sample',
  argmax: 'int32 result', argmin: 'int32 result', oneHot: 'int32 result', sign: 'zero almost everywhere',
};

interface Row {
  op: string;
  file: string;
  backward: string;
  gradcheck: boolean;
  second: boolean;
}

/**
 * The text of each top-level `describe('<name>', ...)` block, by name. A table-driven block,
 * `for (const c of cases) { describe(c.name, ...) }`, counts for every `name: '<op>'` entry of
 * the file's tables.
 */
function describeBlocks(src: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const re = /^\s*describe\((?:(['"`])([^'"`]+)\1|(\w+)\.name)/gm;
  const starts: Array<{ names: string[]; index: number }> = [];
  const tableNames = [...src.matchAll(/\bname: '(\w+)'/g)].map((m) => m[1]!);
  for (let m = re.exec(src); m; m = re.exec(src)) starts.push({ names: m[2] ? [m[2]] : tableNames, index: m.index });
  starts.forEach((s, i) => {
    const body = src.slice(s.index, i + 1 < starts.length ? starts[i + 1]!.index : src.length);
    for (const name of s.names) blocks.set(name, (blocks.get(name) ?? '') + body);
  });
  return blocks;
}

/** Public op names: every export of files re-exported with `export *`, and the listed ones (not types). */
function publicOps(): Map<string, string> {
  const index = readFileSync(join(opsDir, 'index.ts'), 'utf8');
  const ops = new Map<string, string>();
  for (const m of index.matchAll(/^export \* from '\.\/([\w-]+)\.js';/gm)) {
    const src = readFileSync(join(opsDir, `${m[1]}.ts`), 'utf8');
    for (const e of src.matchAll(/^export function (\w+)/gm)) ops.set(e[1]!, `${m[1]}.ts`);
  }
  for (const m of index.matchAll(/^export \{([^}]+)\} from '\.\/([\w-]+)\.js';/gm))
    for (const name of m[1]!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')))
      ops.set(name, `${m[2]}.ts`);
  return ops;
}

export function buildTable(): string {
  const tests = new Map<string, string>();
  for (const f of readdirSync(testDir).filter((f) => f.endsWith('.test.ts')).sort())
    for (const [name, body] of describeBlocks(readFileSync(join(testDir, f), 'utf8')))
      tests.set(name, (tests.get(name) ?? '') + body);
  const rows: Row[] = [];
  for (const [op, f] of publicOps()) {
    const src = readFileSync(join(opsDir, f), 'utf8');
    const hasPrimitive = /\bprimitive\(\s*['"]/.test(src);
    const t = tests.get(op) ?? '';
    rows.push({
      op,
      file: `ops/${f}`,
      backward: NON_DIFFERENTIABLE[op] ? `none (${NON_DIFFERENTIABLE[op]})` : hasPrimitive ? 'primitive' : 'composite',
      gradcheck: /\bgradcheck\(/.test(t),
      second: /\bgradgradcheck\(/.test(t),
    });
  }
  rows.sort((a, b) => a.op.localeCompare(b.op));
  const yes = (b: boolean) => (b ? 'yes' : '—');
  const lines = [
    '# Op coverage',
    '',
    'Generated by `pnpm coverage-table` from the sources (scripts/coverage-table.ts); do not edit by hand.',
    '',
    '- **backward**: `primitive` = the op has its own backward rule (written in tensor ops, so it differentiates again);',
    '  `composite` = built from primitives, so its gradient comes from theirs; `none` = no gradient by definition.',
    '- **gradcheck** / **2nd derivative**: a `describe(\'<op>\')` block in packages/core/test calls `gradcheck` / `gradgradcheck`.',
    '',
    '| op | file | backward | gradcheck | 2nd derivative |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.op}\` | ${r.file} | ${r.backward} | ${yes(r.gradcheck)} | ${yes(r.second)} |`),
    '',
    `${rows.length} ops; ${rows.filter((r) => r.gradcheck).length} gradchecked; ${rows.filter((r) => r.second).length} with a second-derivative test.`,
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = buildTable();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== table) {
      console.error('docs/coverage.md is stale: run `pnpm coverage-table`');
      process.exit(1);
    }
    console.log('docs/coverage.md is up to date');
  } else {
    writeFileSync(out, table);
    console.log(`wrote ${out}`);
  }
}
