// Where one training step's time goes, kernel by kernel: `pnpm bench:profile -- --model=convnet`
// times every Backend kernel call of a bench model's step (bench/src/tapegrad.ts) on one backend
// and prints each kernel's share of the step, its calls per step, and which backend's code ran
// it (a native kernel, or the base it hands over to). What is left of the step after the kernels
// is autograd, tensor bookkeeping and JavaScript.
//
// Options: --model=mlp|sigmoid|convnet|char-gpt (default mlp)  --backend=native|wasm|js (default:
// the default backend)  --steps=N (timed steps after 3 warm-up steps; default 20)  --threads=N
// --by-shape (a row per kernel and shapes of its first two operands, e.g. one row per conv layer)
import { getBackend, getRegisteredBackend, manualSeed, registerBackend, setBackend, setNumThreads, getNumThreads, type Backend } from '@tapegrad/core';
import { trainingStep, type TrainingModel } from './tapegrad.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const model = (opt('model') ?? 'mlp') as TrainingModel;
if (!['mlp', 'sigmoid', 'convnet', 'char-gpt'].includes(model)) throw new Error(`profile: unknown --model=${model}; expected mlp, sigmoid, convnet or char-gpt`);
const backendName = opt('backend') ?? getBackend();
const steps = Number(opt('steps') ?? 20);
const byShape = args.includes('--by-shape');
if (opt('threads')) setNumThreads(Number(opt('threads')));

const base = getRegisteredBackend(backendName);
if (!base) throw new Error(`profile: backend "${backendName}" is not available here`);
const others = ['wasm', 'js'].filter((n) => n !== backendName).map((n) => [n, getRegisteredBackend(n)] as const);

/** Which backend's code a kernel of `base` is: its own, or one it took over from another backend. */
function owner(name: string): string {
  const f = (base as unknown as Record<string, unknown>)[name];
  for (const [n, b] of others) if (b && (b as unknown as Record<string, unknown>)[name] === f) return n;
  return backendName;
}

const totals = new Map<string, { ms: number; calls: number }>();
let timing = false;
const timed: Record<string, unknown> = { name: 'profiled' };
for (const [name, f] of Object.entries(base)) {
  if (name === 'name') continue;
  if (typeof f !== 'function' || name === 'activate' || name === 'allocPinned' || name === 'isPinned') {
    timed[name] = f;
    continue;
  }
  // for unary/binary/reduce, the op too: 'unary exp'
  const keyed = name === 'unary' || name === 'binary' || name === 'reduce' || name === 'unaryInto' || name === 'binaryInto';
  timed[name] = (...a: unknown[]) => {
    if (!timing) return (f as (...x: unknown[]) => unknown).apply(base, a);
    const t = performance.now();
    const r = (f as (...x: unknown[]) => unknown).apply(base, a);
    let key = keyed ? `${name} ${String(a[0])}` : name;
    if (byShape) key += ' ' + a.filter((v) => Array.isArray((v as { shape?: unknown } | null)?.shape)).slice(0, 2).map((v) => `[${(v as { shape: number[] }).shape.join(',')}]`).join(' ');
    const e = totals.get(key) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t;
    e.calls++;
    totals.set(key, e);
    return r;
  };
}
registerBackend(timed as unknown as Backend);
setBackend('profiled');
manualSeed(0);
const { step, samples } = trainingStep(model);
for (let i = 0; i < 3; i++) step();
timing = true;
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const stepMs = (performance.now() - t0) / steps;
timing = false;

const rows = [...totals].map(([k, v]) => ({ k, ms: v.ms / steps, calls: v.calls / steps })).sort((a, b) => b.ms - a.ms);
const kernelMs = rows.reduce((s, r) => s + r.ms, 0);
const pct = (ms: number) => `${((100 * ms) / stepMs).toFixed(1)}%`.padStart(6);
console.log(`${model} on ${backendName}, ${getNumThreads()} thread(s): ${stepMs.toFixed(2)} ms a step (${((samples * 1000) / stepMs).toFixed(0)} samples/s), the mean of ${steps} steps`);
console.log(`${'kernel'.padEnd(30)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'calls'.padStart(6)}  runs on`);
for (const r of rows) {
  const name = r.k.split(' ')[0]!;
  console.log(`${r.k.padEnd(byShape ? 56 : 30)} ${r.ms.toFixed(3).padStart(8)} ${pct(r.ms)} ${r.calls.toFixed(0).padStart(6)}  ${owner(name)}`);
}
console.log(`${'(all kernels)'.padEnd(30)} ${kernelMs.toFixed(3).padStart(8)} ${pct(kernelMs)}`);
console.log(`${'(outside kernels: autograd, JS)'.padEnd(30)} ${(stepMs - kernelMs).toFixed(3).padStart(8)} ${pct(stepMs - kernelMs)}`);
