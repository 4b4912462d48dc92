// What scripts/browser-check.ts runs in a real browser page (bundled with esbuild): the
// default backend, the thread count, the wasm kernels (on Web Workers where the page is
// cross-origin isolated) against the JS reference kernels, forward and backward, and a short
// training run. The result goes to `globalThis.__tapegrad` for the script to read.
import {
  add, conv2d, exp, getBackend, getCpuCapability, getNumThreads, manualSeed, maxPool2d, logSoftmax, randn, randint, setBackend, type Tensor,
} from '@tapegrad/core';
import {
  Conv2d, CrossEntropyLoss, Flatten, Linear, MaxPool2d, ReLU, Sequential, parseSafetensors, saveSafetensors, serializeSafetensors,
} from '@tapegrad/nn';
import { Adam } from '@tapegrad/optim';
import { startThreads, threadStats } from '../../packages/core/src/kernels/wasm/threads.js';
import { wasmRuntime } from '../../packages/core/src/kernels/wasm/module.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Flat copies of the outputs and input gradients of a few ops, on the backend in use. */
function opResults(): Map<string, Float32Array> {
  manualSeed(7);
  const out = new Map<string, Float32Array>();
  const keep = (name: string, t: Tensor | null) => out.set(name, Float32Array.from(t!.data as Float32Array));
  // large enough to be split across the worker pool
  const a = randn([256, 384], { requiresGrad: true });
  const b = randn([384, 320], { requiresGrad: true });
  const m = a.matmul(b);
  m.mul(m).sum().backward();
  keep('matmul', m);
  keep('matmul.gradA', a.grad);
  keep('matmul.gradB', b.grad);
  const x = randn([16, 8, 30, 30], { requiresGrad: true });
  const w = randn([32, 8, 3, 3], { requiresGrad: true });
  const bias = randn([32], { requiresGrad: true });
  const y = maxPool2d(conv2d(x, w, bias, { padding: 1 }).relu(), 2);
  y.mul(y).sum().backward();
  keep('conv+relu+pool', y);
  keep('conv.gradX', x.grad);
  keep('conv.gradW', w.grad);
  keep('conv.gradBias', bias.grad);
  // element-wise past the chunk size, with broadcasting, and a softmax
  const u = randn([600, 400], { requiresGrad: true });
  const v = randn([1, 400], { requiresGrad: true });
  const s = logSoftmax(u.add(v).exp().mul(0.1), 1);
  s.sum().backward();
  keep('logSoftmax(exp(u+v))', s);
  keep('u.grad', u.grad);
  keep('v.grad', v.grad);
  return out;
}

/** The largest |a - b| / (1 + |b|) over all elements. */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!));
    if (!(d <= worst)) worst = d; // NaN makes it NaN
  }
  return worst;
}

/** Trains a small convnet on a fixed batch; returns the first and last losses. */
function train(): [number, number] {
  manualSeed(3);
  const model = new Sequential(
    new Conv2d(1, 8, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 13 * 13, 10),
  );
  const opt = new Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new CrossEntropyLoss();
  const x = randn([32, 1, 28, 28]);
  const t = randint(0, 10, [32]);
  const losses: number[] = [];
  for (let i = 0; i < 40; i++) {
    opt.zeroGrad();
    const loss = lossFn.call(model.call(x), t);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return [losses[0]!, losses[losses.length - 1]!];
}

async function main(): Promise<unknown> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = navigator.hardwareConcurrency;

  check('default backend is wasm', getBackend() === 'wasm', `getBackend() = ${getBackend()}`);
  const rt = wasmRuntime();
  check('wasm memory is shared exactly when the page is isolated', rt !== null && rt.shared === isolated, `shared = ${rt?.shared}, crossOriginIsolated = ${isolated}`);
  // Chromium has had relaxed SIMD since 114: the fused multiply-add build should load
  check('kernels use relaxed SIMD', getCpuCapability() === 'relaxed-simd128', `getCpuCapability() = ${getCpuCapability()}`);
  const wantThreads = isolated ? cores : 1;
  check('getNumThreads()', getNumThreads() === wantThreads, `getNumThreads() = ${getNumThreads()}, expected ${wantThreads} (hardwareConcurrency ${cores})`);
  if (isolated && rt) {
    const n = await startThreads(rt);
    check('worker pool starts', n === cores, `${n} threads ready`);
  }

  setBackend('js');
  const ref = opResults();
  setBackend('wasm');
  const parallelBefore = threadStats.parallel;
  const got = opResults();
  const parallelJobs = threadStats.parallel - parallelBefore;
  check(
    'large jobs split across threads exactly when isolated',
    isolated ? parallelJobs > 0 : parallelJobs === 0,
    `${parallelJobs} parallel jobs`,
  );
  for (const [name, r] of ref) {
    const d = maxRelDiff(got.get(name)!, r);
    check(`wasm matches js: ${name}`, d < 1e-3, `max relative difference ${d.toExponential(2)} over ${r.length} elements`);
  }

  // results written into pinned tensors (out=): split across the workers when isolated
  {
    const n = 3_000_000;
    const u = randn([n]).pinMemory();
    const v = randn([n]).pinMemory();
    const out = randn([n], { pinMemory: true });
    const before = threadStats.parallel;
    exp(u, { out });
    const jobs = threadStats.parallel - before;
    const d = maxRelDiff(out.data as Float32Array, u.exp().data as Float32Array);
    add(u, v, { out });
    const e = maxRelDiff(out.data as Float32Array, u.add(v).data as Float32Array);
    check(
      'exp and add into a pinned out= tensor equal the new results',
      out.isPinned() === isolated && d === 0 && e === 0 && (isolated ? jobs === 1 : jobs === 0),
      `pinned ${out.isPinned()}, max differences ${d} and ${e}, ${jobs} parallel jobs`,
    );
  }

  for (const backend of ['wasm', 'js']) {
    setBackend(backend);
    const [first, last] = train();
    check(`${backend}: a convnet trains`, last < first * 0.5, `loss ${first.toFixed(3)} -> ${last.toFixed(3)} in 40 Adam steps`);
  }
  setBackend('wasm');

  // safetensors: bytes work anywhere; the file functions say they need Node
  const model = new Sequential(new Linear(3, 2));
  const back = parseSafetensors(serializeSafetensors(model.stateDict())).tensors;
  const w = model.stateDict()['0.weight']!;
  check('safetensors bytes round trip', maxRelDiff(back['0.weight']!.data as Float32Array, w.data as Float32Array) === 0, Object.keys(back).join(', '));
  const msg = await saveSafetensors(model.stateDict(), 'model.safetensors').then(() => 'no error', (e: Error) => e.message);
  check('saveSafetensors outside Node rejects with a clear error', /need Node/.test(msg), msg);
  return { isolated, cores, userAgent: navigator.userAgent, checks };
}

const g = globalThis as { __tapegrad?: unknown };
main().then(
  (r) => (g.__tapegrad = r),
  (e: unknown) => (g.__tapegrad = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }),
);
