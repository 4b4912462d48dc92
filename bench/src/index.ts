// tapegrad benchmarks: one command (`pnpm bench` at the repository root) prints one table of
// tapegrad's js and wasm backends against TensorFlow.js (cpu, wasm) and PyTorch, with ratios.
//
// Options: --only=gemm,mlp (figure id prefixes)  --no-tfjs  --no-torch  --no-js  --threads=N
import { setNumThreads, getNumThreads } from '@tapegrad/core';
import { figures, type Figure } from './figures.js';
import { runTapegrad } from './tapegrad.js';
import { loadTfjs, runTfjs } from './tfjs.js';
import { runTorch } from './torch.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const flag = (name: string) => args.includes(`--${name}`);

const only = opt('only')?.split(',');
const figs = figures().filter((f) => !only || only.some((p) => f.id.startsWith(p)));
const threadArg = opt('threads');
if (threadArg) setNumThreads(Number(threadArg));
const threads = getNumThreads();
const log = (s: string) => process.stderr.write(`  ${s}\n`);

type Column = { name: string; values: Map<string, number | string>; note?: string };
const columns: Column[] = [];
const notes: string[] = [];

console.error(`tapegrad bench: ${figs.length} figures, wasm kernels on ${threads} thread(s); progress below, table at the end`);
if (!flag('no-js')) columns.push({ name: 'tg-js', values: runTapegrad('js', figs, log) });
columns.push({ name: 'tg-wasm', values: runTapegrad('wasm', figs, log) });

if (!flag('no-tfjs')) {
  const t = loadTfjs(log);
  if ('error' in t) notes.push(`tfjs: not run (${t.error})`);
  else {
    columns.push({ name: 'tfjs-cpu', values: await runTfjs(t.tf, 'cpu', figs, log) });
    columns.push({ name: 'tfjs-wasm', values: await runTfjs(t.tf, 'wasm', figs, log) });
    notes.push(`tfjs ${t.tf.version?.tfjs ?? '4'}: cpu (pure JS) and wasm (XNNPACK, SIMD; one thread on Node) backends`);
  }
}
if (!flag('no-torch')) {
  const r = runTorch(figs, threads, log);
  if ('error' in r) notes.push(`pytorch: not run (${r.error})`);
  else {
    columns.push({ name: 'torch', values: r.figures });
    notes.push(`pytorch: ${r.info}`);
  }
}

printTable(figs, columns);
for (const n of notes) console.log(n);
console.log(`tapegrad wasm: ${threads} thread(s). Ratios are tg-wasm / peer: above 1 is better for GFLOP/s and samples/s, below 1 for ms and us.`);

function fmt(v: number | string | undefined): string {
  if (v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (v >= 1000) return v.toFixed(0);
  if (v >= 100) return v.toFixed(1);
  return v.toFixed(2);
}

function printTable(fs: Figure[], cols: Column[]): void {
  const ours = cols.find((c) => c.name === 'tg-wasm')!;
  const peers = cols.filter((c) => c !== ours);
  const header = ['figure', 'unit', ...cols.map((c) => c.name), ...peers.map((c) => `/${c.name}`)];
  const rows = fs.map((f) => {
    const mine = ours.values.get(f.id);
    const ratios = peers.map((p) => {
      const v = p.values.get(f.id);
      return typeof mine === 'number' && typeof v === 'number' && v > 0 ? `${(mine / v).toFixed(2)}x` : '-';
    });
    return [f.label, f.unit, ...cols.map((c) => fmt(c.values.get(f.id))), ...ratios];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
