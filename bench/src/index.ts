// tapegrad benchmarks: one command (`pnpm bench` at the repository root) prints one table of
// tapegrad's js and wasm backends against TensorFlow.js (cpu, wasm) and PyTorch, with ratios.
// Each column runs in a child process of its own, so that one framework's heap, threads and
// caches do not bias the next.
//
// Options: --only=gemm,mlp (figure id prefixes)  --no-tfjs  --no-torch  --no-c  --no-js  --no-native  --threads=N
//          --epochs (also time one epoch of real MNIST, 60,000 images, for the MLP and the convnet)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setNumThreads, getNumThreads, getCpuCapability, nativeStatus } from '@tapegrad/core';
import { EPOCH_RUNS, figures, type Figure } from './figures.js';
import { epochSeconds, runTapegrad } from './tapegrad.js';
import { loadTfjs, runTfjs } from './tfjs.js';
import { runTorch } from './torch.js';
import { C_FIGURES, runC } from './c.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const flag = (name: string) => args.includes(`--${name}`);

const only = opt('only')?.split(',');
// --epochs-only (a child of the epoch rounds, see below): the epoch figures alone, one epoch each
const epochsOnly = flag('epochs-only');
const figs = figures(flag('epochs') || epochsOnly).filter((f) => (!only || only.some((p) => f.id.startsWith(p))) && (!epochsOnly || f.id.startsWith('epoch')));
const threadArg = opt('threads');
if (threadArg) setNumThreads(Number(threadArg));
const threads = getNumThreads();
const log = (s: string) => process.stderr.write(`  ${s}\n`);

type Values = Map<string, number | string>;
interface ColumnResult {
  values: Record<string, number | string>;
  note?: string;
  error?: string;
}

/** The median of the values. */
function median(v: number[]): number {
  return [...v].sort((a, b) => a - b)[v.length >> 1]!;
}

/** Runs one column in this process (the child side). */
async function runColumn(name: string): Promise<ColumnResult> {
  const obj = (m: Values) => Object.fromEntries(m);
  switch (name) {
    case 'tg-js':
      // an epoch on the JS kernels takes far too long to be worth timing
      return { values: obj(runTapegrad('js', figs.filter((f) => !f.id.startsWith('epoch')), log)) };
    case 'tg-wasm': {
      const v = runTapegrad('wasm', figs, log);
      for (const f of figs.filter((g) => g.id.startsWith('epoch'))) {
        const secs = await epochSeconds(f.id === 'epoch-mlp' ? 'mlp' : 'convnet', 'wasm');
        v.set(f.id, secs);
        log(`tapegrad-wasm ${f.label}: ${secs.toFixed(1)} s`);
      }
      return { values: obj(v), note: `tapegrad wasm: ${threads} thread(s), instruction set ${getCpuCapability()} (TAPEGRAD_RELAXED_SIMD=0 for plain simd128)` };
    }
    case 'tg-native': {
      // core registers the 'native' backend when @tapegrad/native's addon was built at install
      const st = nativeStatus();
      if (!st.available) return { values: {}, error: `the native addon is unavailable: ${st.reason}` };
      const v = runTapegrad('native', figs, log);
      for (const f of figs.filter((g) => g.id.startsWith('epoch'))) {
        const secs = await epochSeconds(f.id === 'epoch-mlp' ? 'mlp' : 'convnet', 'native');
        v.set(f.id, secs);
        log(`tapegrad-native ${f.label}: ${secs.toFixed(1)} s`);
      }
      return { values: obj(v), note: `tapegrad native: ${threads} thread(s), instruction set ${st.isa} (kernels it lacks run on the wasm backend, else the js reference)` };
    }
    case 'tfjs-cpu':
    case 'tfjs-wasm': {
      const t = loadTfjs(log);
      if ('error' in t) return { values: {}, error: t.error };
      const v = await runTfjs(t.tf, name === 'tfjs-cpu' ? 'cpu' : 'wasm', figs, log);
      return { values: obj(v), note: `tfjs ${t.tf.version?.tfjs ?? '4'}: cpu (pure JS) and wasm (XNNPACK, SIMD; one thread on Node) backends` };
    }
    case 'torch': {
      const r = runTorch(figs, threads, log);
      if ('error' in r) return { values: {}, error: r.error };
      return { values: obj(r.figures), note: `pytorch: ${r.info}` };
    }
    case 'c':
    case 'c-cold': {
      const r = runC(figs, log, name === 'c-cold');
      if ('error' in r) return { values: {}, error: r.error };
      return { values: obj(r.figures), note: r.info };
    }
  }
  return { values: {}, error: `unknown column ${name}` };
}

const column = opt('column');
if (column) {
  // child: print the result as the last line of stdout
  console.log(JSON.stringify(await runColumn(column)));
} else {
  // parent: one child per column, then the table
  const names = [
    ...(flag('no-js') ? [] : ['tg-js']), 'tg-wasm',
    ...(flag('no-native') ? [] : ['tg-native']),
    ...(flag('no-tfjs') ? [] : ['tfjs-cpu', 'tfjs-wasm']),
    ...(flag('no-torch') ? [] : ['torch']),
    ...(flag('no-c') || !figs.some((f) => C_FIGURES.includes(f.id)) ? [] : ['c', 'c-cold']),
  ];
  console.error(`tapegrad bench: ${figs.length} figures, wasm kernels on ${threads} thread(s); progress below, table at the end`);
  const script = fileURLToPath(import.meta.url);
  const passthrough = args.filter((a) => a.startsWith('--only=') || a.startsWith('--threads='));
  const columns: Array<{ name: string; values: Values }> = [];
  const notes = new Set<string>();
  const child = (name: string, extra: string[]): ColumnResult => {
    const r = spawnSync(process.execPath, [...process.execArgv, script, `--column=${name}`, ...passthrough, ...extra], {
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    try {
      return JSON.parse(r.stdout.toString().trim().split('\n').pop()!) as ColumnResult;
    } catch {
      return { values: {}, error: `the ${name} run failed (exit ${r.status})` };
    }
  };
  for (const name of names) {
    const res = child(name, []);
    if (res.error) notes.add(`${name}: not run (${res.error})`);
    else columns.push({ name, values: new Map(Object.entries(res.values)) });
    if (res.note) notes.add(res.note);
  }
  // The epochs: EPOCH_RUNS rounds, each running one epoch per column in turn (tapegrad wasm,
  // native, PyTorch), so that a slower or faster stretch of this shared machine falls on every
  // column alike; each column's median is reported.
  const epochFigs = figs.filter((f) => f.id.startsWith('epoch'));
  const epochCols = columns.filter((c) => ['tg-wasm', 'tg-native', 'torch'].includes(c.name));
  const runs = new Map<string, number[]>();
  for (let round = 0; round < (epochFigs.length > 0 ? EPOCH_RUNS : 0); round++)
    for (const c of epochCols) {
      const res = child(c.name, ['--epochs-only']);
      if (res.error) notes.add(`${c.name}: an epoch round failed (${res.error})`);
      for (const [id, v] of Object.entries(res.values)) if (typeof v === 'number') (runs.get(`${c.name} ${id}`) ?? runs.set(`${c.name} ${id}`, []).get(`${c.name} ${id}`)!).push(v);
    }
  for (const c of epochCols)
    for (const f of epochFigs) {
      const v = runs.get(`${c.name} ${f.id}`);
      if (v?.length) c.values.set(f.id, median(v));
    }
  printTable(figs, columns);
  for (const n of notes) console.log(n);
  console.log('Ratios are tg-wasm / peer: above 1 is better for GFLOP/s and samples/s, below 1 for ms and us.');
}

function fmt(v: number | string | undefined): string {
  if (v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (v >= 1000) return v.toFixed(0);
  if (v >= 100) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(3); // sub-millisecond times: three significant digits, not two decimals
}

function printTable(fs: Figure[], cols: Array<{ name: string; values: Values }>): void {
  const ours = cols.find((c) => c.name === 'tg-wasm');
  if (!ours) {
    console.log('tapegrad wasm did not run');
    return;
  }
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
