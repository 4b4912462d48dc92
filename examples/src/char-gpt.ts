// char-gpt: a character-level GPT (decoder-only transformer, ./gpt-model.ts) trained on
// tinyshakespeare (examples/data, 1.1 MB, 65 characters), as nanoGPT's shakespeare_char: AdamW
// with weight decay on the matrices only, linear warm-up then cosine decay, gradient clipping at
// norm 1, random windows of the first 90% of the text, validation on the last 10%. Prints the
// train and validation loss every few steps (and draws them), samples text with temperature and
// top-k, saves a safetensors checkpoint and checks that a fresh model loaded from it gives the
// same logits.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, Tensor, manualSeed, noGrad, randint, getNumThreads, getBackend } from '@tapegrad/core';
import { loadSafetensorsWithMetadata, saveSafetensors } from '@tapegrad/nn';
import { AdamW, CosineAnnealingLR, LinearLR, SequentialLR, clipGradNorm_ } from '@tapegrad/optim';
import { ProgressBar, lineChart } from '@tapegrad/train';
import { GPT, countParameters, type GPTConfig } from './gpt-model.js';
import { fmt, logger, outDir, savePicture, type ExampleArgs } from './util.js';

/** char-gpt's arguments: the common ones and its flags (listed in registry.ts; `--eval-every` is evalEvery). */
export interface CharGptArgs extends ExampleArgs {
  steps?: number;
  layers?: number;
  heads?: number;
  dim?: number;
  context?: number;
  batch?: number;
  lr?: number;
  evalEvery?: number;
  seed?: number;
}

/** One row of the loss curve. */
export interface LossPoint {
  step: number;
  train: number;
  val: number;
  lr: number;
}

/** What main returns (the tests check it). */
export interface CharGptResult extends Record<string, unknown> {
  vocab: string;
  config: GPTConfig;
  parameters: number;
  /** Loss of the first training batch, before any step. */
  initialLoss: number;
  /** Training-batch loss of every step. */
  batchLosses: number[];
  history: LossPoint[];
  finalTrain: number;
  finalVal: number;
  /** Cross-entropy on the validation text of the character frequencies of the training text. */
  unigramVal: number;
  tokensPerSecond: number;
  sample: string;
  checkpoint: string;
  /** Largest |logit difference| between the trained model and a fresh one loaded from the checkpoint. */
  reloadMaxDiff: number;
}

/** The bundled text, examples/data/tinyshakespeare.txt. */
export function loadText(): string {
  return readFileSync(fileURLToPath(new URL('../data/tinyshakespeare.txt', import.meta.url)), 'utf8');
}

/** The sorted characters of `text` and the encoder / decoder between them and ids. */
export function charVocab(text: string): { chars: string; encode: (s: string) => Int32Array; decode: (ids: ArrayLike<number>) => string } {
  const chars = [...new Set(text)].sort().join('');
  const id = new Map([...chars].map((c, i) => [c, i]));
  return {
    chars,
    encode: (s) => Int32Array.from(s, (c) => id.get(c)!),
    decode: (ids) => Array.from(ids, (i) => chars[i]!).join(''),
  };
}

/** A batch of `batch` random windows of `data`: inputs x and next characters y, both [batch, T] int32. */
function getBatch(data: Int32Array, batch: number, T: number, g: Generator): [Tensor, Tensor] {
  const starts = randint(0, data.length - T, [batch], { generator: g }).data;
  const x = new Int32Array(batch * T);
  const y = new Int32Array(batch * T);
  for (let b = 0; b < batch; b++) {
    x.set(data.subarray(starts[b]!, starts[b]! + T), b * T);
    y.set(data.subarray(starts[b]! + 1, starts[b]! + T + 1), b * T);
  }
  return [Tensor.fromData(x, [batch, T], 'int32'), Tensor.fromData(y, [batch, T], 'int32')];
}

/** Mean loss of the model on `iters` random batches of `data`, in evaluation mode, not recorded. */
function estimateLoss(model: GPT, data: Int32Array, iters: number, batch: number, T: number, g: Generator): number {
  model.eval();
  let sum = 0;
  noGrad(() => {
    for (let i = 0; i < iters; i++) sum += model.loss(...getBatch(data, batch, T, g)).item();
  });
  model.train();
  return sum / iters;
}

/** Cross-entropy (nats) on `val` of the character frequencies of `train` (add-one smoothed). */
function unigramCrossEntropy(train: Int32Array, val: Int32Array, V: number): number {
  const counts = new Float64Array(V).fill(1);
  for (const c of train) counts[c]!++;
  const total = train.length + V;
  let s = 0;
  for (const c of val) s -= Math.log(counts[c]! / total);
  return s / val.length;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`char-gpt: --${name} must be a positive integer, got ${v}`);
  return n;
}

export async function main(args: CharGptArgs = {}): Promise<CharGptResult> {
  const log = logger(args);
  const quick = args.quick ?? false;
  const seed = args.seed ?? 1337;
  const steps = positiveInt('steps', args.steps, quick ? 200 : 1000);
  const T = positiveInt('context', args.context, quick ? 16 : 64);
  const batch = positiveInt('batch', args.batch, quick ? 16 : 32);
  const config: GPTConfig = {
    vocabSize: 0,
    blockSize: T,
    nLayer: positiveInt('layers', args.layers, quick ? 2 : 4),
    nHead: positiveInt('heads', args.heads, quick ? 2 : 4),
    nEmbd: positiveInt('dim', args.dim, quick ? 32 : 128),
    dropout: 0,
  };
  const lr = args.lr ?? (quick ? 1e-2 : 3e-3);
  const evalEvery = positiveInt('eval-every', args.evalEvery, quick ? 50 : 100);
  // batches per loss estimate (each split), four times as many for the final one
  const evalIters = quick ? 4 : 10;
  const warmup = Math.min(100, Math.max(1, Math.floor(steps / 10)));

  // Data: the characters as ids, 90% for training, 10% for validation.
  const text = loadText();
  const vocab = charVocab(text);
  config.vocabSize = vocab.chars.length;
  const data = vocab.encode(text);
  const n = Math.floor(0.9 * data.length);
  const train = data.subarray(0, n);
  const val = data.subarray(n);
  log(`tinyshakespeare: ${text.length.toLocaleString('en-US')} characters, vocabulary of ${config.vocabSize}: ${JSON.stringify(vocab.chars)}`);
  log(`train ${train.length.toLocaleString('en-US')} / val ${val.length.toLocaleString('en-US')} characters`);
  const unigramVal = unigramCrossEntropy(train, val, config.vocabSize);
  log(`reference: uniform guess ln(${config.vocabSize}) = ${fmt(Math.log(config.vocabSize))}, character frequencies (unigram) on val = ${fmt(unigramVal)} nats`);

  // Model and optimiser.
  manualSeed(seed);
  const g = new Generator(seed);
  const model = new GPT(config);
  const params = countParameters(model);
  log(
    `GPT: ${config.nLayer} layers, ${config.nHead} heads, d=${config.nEmbd}, context ${T}, ${params.toLocaleString('en-US')} parameters; ` +
      `batch ${batch} (${batch * T} tokens), ${steps} steps, AdamW lr ${lr} (warm-up ${warmup}, cosine to ${+(lr / 10).toPrecision(3)}), clip 1.0; ` +
      `${getBackend()} backend, ${getNumThreads()} thread(s)`,
  );
  const optimizer = new AdamW(model.paramGroups(0.1), { lr, betas: [0.9, 0.99] });
  const scheduler = new SequentialLR(optimizer, {
    schedulers: [
      new LinearLR(optimizer, { startFactor: 1 / warmup, endFactor: 1, totalIters: warmup }),
      new CosineAnnealingLR(optimizer, { tMax: Math.max(1, steps - warmup), etaMin: lr / 10 }),
    ],
    milestones: [warmup],
  });

  const history: LossPoint[] = [];
  const batchLosses: number[] = [];
  const evaluate = (step: number) => {
    const iters = step === steps ? 4 * evalIters : evalIters;
    const point = { step, train: estimateLoss(model, train, iters, batch, T, g), val: estimateLoss(model, val, iters, batch, T, g), lr: optimizer.paramGroups[0]!.lr };
    history.push(point);
    return point;
  };
  const first = evaluate(0);
  log(`step ${'0'.padStart(5)}: train ${fmt(first.train)}, val ${fmt(first.val)}`);

  let trainMs = 0;
  let bar = new ProgressBar({ total: evalEvery, label: 'steps', unit: 'step' });
  let initialLoss = NaN;
  for (let step = 1; step <= steps; step++) {
    const t0 = performance.now();
    const [x, y] = getBatch(train, batch, T, g);
    const loss = model.loss(x, y);
    optimizer.zeroGrad();
    loss.backward();
    clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    scheduler.step();
    const l = loss.item();
    trainMs += performance.now() - t0;
    if (step === 1) initialLoss = l;
    batchLosses.push(l);
    bar.update(((step - 1) % evalEvery) + 1, { loss: l });
    if (step % evalEvery === 0 || step === steps) {
      bar.stop();
      const p = evaluate(step);
      const tps = (step * batch * T) / (trainMs / 1000);
      log(`step ${String(step).padStart(5)}: train ${fmt(p.train)}, val ${fmt(p.val)}, lr ${p.lr.toExponential(2)}, ${Math.round(tps)} tokens/s`);
      if (step < steps) bar = new ProgressBar({ total: evalEvery, label: 'steps', unit: 'step' });
    }
  }
  const tokensPerSecond = (steps * batch * T) / (trainMs / 1000);
  const last = history[history.length - 1]!;
  log(`final: train ${fmt(last.train)}, val ${fmt(last.val)} (unigram ${fmt(unigramVal)}); training ${Math.round(tokensPerSecond)} tokens/s, ${(trainMs / 1000).toFixed(1)} s`);

  savePicture(
    args, 'char-gpt', 'loss',
    lineChart(
      [
        { name: 'train (batch)', values: batchLosses, x: batchLosses.map((_, i) => i + 1), color: '#bbbbbb' },
        { name: 'train', values: history.map((h) => h.train), x: history.map((h) => h.step) },
        { name: 'validation', values: history.map((h) => h.val), x: history.map((h) => h.step), dashed: true },
      ],
      { title: `char-gpt on tinyshakespeare (${params.toLocaleString('en-US')} parameters)`, xLabel: 'step', yLabel: 'cross-entropy (nats)', markers: false },
    ),
  );

  // Sampling: temperature 0.8, top-k 20, from a newline.
  model.eval();
  const start = Tensor.fromData(vocab.encode('\n'), [1, 1], 'int32');
  const sampleLen = quick ? 100 : 500;
  const sample = vocab.decode(model.generate(start, sampleLen, { temperature: 0.8, topK: 20, generator: g }).data).slice(1);
  log(`\nsample (temperature 0.8, top-k 20, ${sampleLen} characters):\n${sample}\n`);

  // Checkpoint: the state dict as safetensors, with the config and vocabulary as metadata.
  mkdirSync(outDir(args), { recursive: true });
  const checkpoint = join(outDir(args), 'char-gpt.safetensors');
  await saveSafetensors(model.stateDict(), checkpoint, { metadata: { config: JSON.stringify(config), vocab: vocab.chars } });
  const saved = await loadSafetensorsWithMetadata(checkpoint);
  const restored = new GPT(JSON.parse(saved.metadata.config!) as GPTConfig);
  restored.loadStateDict(saved.tensors);
  restored.eval();
  const probe = getBatch(val, 4, T, new Generator(0))[0];
  const reloadMaxDiff = noGrad(() => model.call(probe).sub(restored.call(probe)).abs().max().item());
  log(`checkpoint: ${checkpoint} (${Object.keys(saved.tensors).length} tensors); a fresh model loaded from it: max |logit difference| = ${reloadMaxDiff}`);

  return {
    vocab: vocab.chars, config, parameters: params, initialLoss, batchLosses, history,
    finalTrain: last.train, finalVal: last.val, unigramVal, tokensPerSecond, sample, checkpoint, reloadMaxDiff,
  };
}
