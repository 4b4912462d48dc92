import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmShape, transposes, type Figure } from './figures.js';
import { timeMs, timeUs } from './timing.js';

// TensorFlow.js 4.x as a peer, installed on demand into bench/.peers (never by the main
// install): the pure-JS `cpu` backend and the `wasm` backend (XNNPACK, SIMD).

const peers = join(dirname(fileURLToPath(import.meta.url)), '..', '.peers');

/* eslint-disable @typescript-eslint/no-explicit-any */
type TF = any;

/** Loads tfjs from bench/.peers, installing it first if missing; null (with a reason) if that fails. */
export function loadTfjs(log: (s: string) => void): { tf: TF } | { error: string } {
  const marker = join(peers, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'package.json');
  if (!existsSync(marker)) {
    log('installing @tensorflow/tfjs@4 and @tensorflow/tfjs-backend-wasm@4 into bench/.peers ...');
    try {
      mkdirSync(peers, { recursive: true });
      execFileSync('npm', ['install', '--prefix', peers, '--no-audit', '--no-fund', '--loglevel=error', '@tensorflow/tfjs@4', '@tensorflow/tfjs-backend-wasm@4'], { stdio: 'inherit' });
    } catch (e) {
      return { error: `npm install failed: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  try {
    const req = createRequire(join(peers, 'package.json'));
    const tf = req('@tensorflow/tfjs');
    req('@tensorflow/tfjs-backend-wasm');
    return { tf };
  } catch (e) {
    return { error: `cannot load tfjs: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** tfjs on one backend: every figure it can run, keyed by id; failures are logged and skipped. */
export async function runTfjs(tf: TF, backend: 'cpu' | 'wasm', figs: Figure[], log: (s: string) => void): Promise<Map<string, number | string>> {
  const out = new Map<string, number | string>();
  try {
    await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    log(`tfjs-${backend}: unavailable (${(e as Error).message})`);
    return out;
  }
  for (const f of figs) {
    try {
      const v = await measure(tf, backend, f);
      if (v !== undefined) {
        out.set(f.id, v);
        log(`tfjs-${backend} ${f.label}: ${v.toFixed(2)} ${f.unit}`);
      }
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0]!.slice(0, 80);
      out.set(f.id, 'error');
      log(`tfjs-${backend} ${f.label}: failed (${msg})`);
    }
  }
  return out;
}

async function measure(tf: TF, backend: string, f: Figure): Promise<number | undefined> {
  if (f.id.startsWith('gemm')) {
    const [M, K, N] = gemmShape(f.id);
    const [ta, tb] = transposes(f.id.slice(-2));
    const a = tf.randomNormal(ta ? [K, M] : [M, K]);
    const b = tf.randomNormal(tb ? [N, K] : [K, N]);
    // (tidy must not return the data: it would walk the typed array looking for tensors)
    const ms = timeMs(() => tf.tidy(() => void tf.matMul(a, b, ta, tb).dataSync()), { budgetMs: backend === 'cpu' ? 1500 : 800 });
    tf.dispose([a, b]);
    return (2 * M * N * K) / ms / 1e6;
  }
  if (f.id === 'add-1e6' || f.id === 'exp-1e6' || f.id === 'sum-1e6') {
    const a = tf.randomUniform([1_000_000]);
    const b = tf.randomUniform([1_000_000]);
    const op = f.id === 'add-1e6' ? () => tf.add(a, b) : f.id === 'exp-1e6' ? () => tf.exp(a) : () => tf.sum(a);
    const ms = timeMs(() => tf.tidy(() => void op().dataSync()), { budgetMs: 800 });
    tf.dispose([a, b]);
    return ms;
  }
  if (f.id.startsWith('op-')) {
    // tfjs's nearest ops: sort is topk with k = n; scatterAdd into zeros is unsortedSegmentSum;
    // tril is linalg.bandPart(x, -1, 0)
    const x = tf.randomNormal([1024, 1024]);
    const held = [x];
    let op: () => unknown;
    if (f.id === 'op-cumsum') op = () => tf.cumsum(x, 1);
    else if (f.id === 'op-sort') op = () => tf.topk(x, 1024, true);
    else if (f.id === 'op-topk') op = () => tf.topk(x, 10, true);
    else if (f.id === 'op-tril') op = () => tf.linalg.bandPart(x, -1, 0);
    else if (f.id === 'op-scatteradd') {
      // the cpu backend's unsortedSegmentSum compares every value with every segment (1e10 steps)
      if (backend === 'cpu') return undefined;
      const src = tf.randomUniform([1_000_000]);
      const idx = tf.randomUniform([1_000_000], 0, 10_000, 'int32');
      held.push(src, idx);
      op = () => tf.unsortedSegmentSum(src, idx, 10_000);
    } else if (f.id === 'op-einsum') {
      const a = tf.randomNormal([32, 128, 64]);
      const b = tf.randomNormal([32, 64, 128]);
      held.push(a, b);
      op = () => tf.einsum('bij,bjk->bik', a, b);
    } else return undefined;
    const sync = (r: TF) => { for (const t of Array.isArray(r) ? r : r.values ? [r.values, r.indices] : [r]) t.dataSync(); };
    const ms = timeMs(() => tf.tidy(() => void sync(op())), { budgetMs: 800 });
    tf.dispose(held);
    return ms;
  }
  if (f.id === 'small-op') {
    // tfjs records ops on its tape only inside a gradient computation: time an add of two [8]
    // variables there, minus the same computation without the add
    const a = tf.variable(tf.randomNormal([8]));
    const b = tf.variable(tf.randomNormal([8]));
    const ADDS = 50;
    const chain = (adds: number) => () =>
      tf.tidy(() => {
        tf.variableGrads(() => {
          let s = tf.mul(a, 1);
          for (let i = 0; i < adds; i++) s = tf.add(s, b);
          return tf.sum(s);
        });
      });
    const withAdds = timeUs(chain(ADDS), 20);
    const without = timeUs(chain(0), 20);
    tf.dispose([a, b]);
    // per recorded add (its forward and its share of the backward)
    return Math.max(0, (withAdds - without) / ADDS);
  }
  if (f.id === 'mlp') {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu' }),
      tf.layers.dense({ units: 512, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    return await trainRate(tf, model, 128, [784], 'class');
  }
  if (f.id === 'sigmoid') {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [784], units: 100, activation: 'sigmoid' }),
      tf.layers.dense({ units: 10, activation: 'sigmoid' }),
    ] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    return await trainRate(tf, model, 1000, [784], 'onehot');
  }
  if (f.id === 'convnet') {
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    return await trainRate(tf, model, 64, [28, 28, 1], 'class');
  }
  return undefined;
}

/** Samples per second of `trainOnBatch` on one fixed random batch (median step, time-capped). */
async function trainRate(tf: TF, model: TF, batch: number, inShape: number[], target: 'class' | 'onehot'): Promise<number> {
  const x = tf.randomUniform([batch, ...inShape]);
  const y = target === 'class' ? tf.randomUniform([batch, 1], 0, 10, 'int32').toFloat() : tf.randomUniform([batch, 10]);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await model.trainOnBatch(x, y);
    times.push(performance.now() - t);
    // the first step is warm-up; stop after 3 s, or after that first step alone when it took
    // over 10 s (tfjs-cpu on the convnet: its time is then the figure)
    if (times.length === 1 && times[0]! > 10_000) break;
    if (performance.now() - start > 3000 && times.length >= 2) break;
  }
  const measured = times.length > 1 ? times.slice(1) : times;
  measured.sort((a, b) => a - b);
  tf.dispose([x, y]);
  model.dispose();
  return (batch * 1000) / measured[measured.length >> 1]!;
}
