// A character-level LSTM on the lines of Shakespeare (issue 18): each batch is a set of lines of
// different lengths, padded to the longest (padSequence), packed (packPaddedSequence, so the LSTM
// skips the padding) and unpacked again (padPackedSequence) for the output layer; the
// next-character cross-entropy ignores the padded positions (ignoreIndex). Embedding 65 -> 32,
// one LSTM layer of 128 units, Linear 128 -> 65; Adam (lr 3e-3) with gradient-norm clipping at 1.
//
// A line "ab" is read as input "\nab" and target "ab\n": the newline both starts a line and ends
// it, so the model learns where lines end and the vocabulary stays the text's 65 characters.
// The last tenth of the lines (the end of the play text) is the validation set.
import { readFileSync } from 'node:fs';
import { manualSeed, multinomial, noGrad, randperm, tensor, type Tensor } from '@tapegrad/core';
import { Embedding, F, LSTM, Linear, Module, padPackedSequence, packPaddedSequence, padSequence } from '@tapegrad/nn';
import { Adam, clipGradNorm_ } from '@tapegrad/optim';
import { fmt, logger, secondsSince, type ExampleArgs } from './util.js';

/** Padded targets hold this where there is no character; the loss skips it (PyTorch's default ignore_index). */
export const IGNORE = -100;

/** The text's characters in code-point order, and each character's index. */
export interface Vocabulary {
  chars: string[];
  index: Map<string, number>;
}

/** The bundled text, examples/data/tinyshakespeare.txt. */
export function shakespeare(): string {
  return readFileSync(new URL('../data/tinyshakespeare.txt', import.meta.url), 'utf8');
}

/** The distinct characters of `text`, sorted, with their indices. */
export function vocabulary(text: string): Vocabulary {
  const chars = [...new Set(text)].sort();
  return { chars, index: new Map(chars.map((c, i) => [c, i])) };
}

/** The non-empty lines of `text`: the first 90 % for training, the rest for validation. */
export function splitLines(text: string): { train: string[]; val: string[] } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const n = Math.floor(lines.length * 0.9);
  return { train: lines.slice(0, n), val: lines.slice(n) };
}

/** A padded batch of lines: inputs x [T, B] ("\n" + line), targets y [T, B] (line + "\n", IGNORE past the end), lengths [B]. */
export interface Batch {
  x: Tensor;
  y: Tensor;
  lengths: number[];
  /** Number of real (non-padding) target characters. */
  chars: number;
}

/** Encodes `lines` (each one sequence) as a padded batch, T = the longest line + 1. */
export function makeBatch(lines: string[], vocab: Vocabulary): Batch {
  const ids = (s: string) => tensor(Array.from(s, (c) => vocab.index.get(c)!), { dtype: 'int32' });
  const x = padSequence(lines.map((l) => ids('\n' + l)));
  const y = padSequence(lines.map((l) => ids(l + '\n')), { paddingValue: IGNORE });
  const lengths = lines.map((l) => l.length + 1);
  return { x, y, lengths, chars: lengths.reduce((a, b) => a + b, 0) };
}

/** Embedding, LSTM, Linear: logits for the next character at every step. */
export class CharLSTM extends Module<[x: Tensor, lengths?: number[] | null, hx?: readonly [Tensor, Tensor] | null], [Tensor, readonly [Tensor, Tensor]]> {
  embed: Embedding;
  lstm: LSTM;
  head: Linear;
  constructor(readonly vocabSize: number, embedDim: number, hiddenSize: number) {
    super();
    this.embed = new Embedding(vocabSize, embedDim);
    this.lstm = new LSTM(embedDim, hiddenSize);
    this.head = new Linear(hiddenSize, vocabSize);
  }

  /**
   * x [T, B] int32 -> logits [T, B, V] and the final state. With `lengths`, the embedded batch is
   * packed so that the LSTM stops each sequence at its length (the logits past it are those of
   * zero outputs, and the loss ignores them); without, the LSTM also runs over the padding.
   */
  forward(x: Tensor, lengths?: number[] | null, hx?: readonly [Tensor, Tensor] | null): [Tensor, readonly [Tensor, Tensor]] {
    const e = this.embed.call(x);
    if (!lengths) {
      const [out, state] = this.lstm.call(e, hx);
      return [this.head.call(out), state];
    }
    const [packed, state] = this.lstm.call(packPaddedSequence(e, lengths, { enforceSorted: false }), hx);
    const [out] = padPackedSequence(packed, { totalLength: x.shape[0] });
    return [this.head.call(out), state];
  }
}

/** Mean next-character cross-entropy over the real characters of a batch (the padding ignored). */
export function batchLoss(model: CharLSTM, b: Batch, packed = true): Tensor {
  const [logits] = model.call(b.x, packed ? b.lengths : null);
  return F.crossEntropy(logits.reshape([-1, model.vocabSize]), b.y.reshape([-1]), { ignoreIndex: IGNORE });
}

/** Mean loss per character over `lines`, in batches of `batchSize`, in eval mode without gradients. */
export function evaluate(model: CharLSTM, lines: string[], vocab: Vocabulary, batchSize: number): number {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let sum = 0, chars = 0;
      for (let i = 0; i < lines.length; i += batchSize) {
        const b = makeBatch(lines.slice(i, i + batchSize), vocab);
        sum += batchLoss(model, b).item() * b.chars;
        chars += b.chars;
      }
      return sum / chars;
    });
  } finally {
    model.train(was);
  }
}

/**
 * `n` characters sampled one at a time from the model at `temperature`. Each line starts from
 * "\n" and a zero state, as every training line did, so after each sampled newline the state
 * is dropped and a new line begins.
 */
export function sample(model: CharLSTM, vocab: Vocabulary, n: number, temperature: number): string {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let c = vocab.index.get('\n')!;
      let state: readonly [Tensor, Tensor] | null = null;
      let s = '';
      for (let k = 0; k < n; k++) {
        const [logits, next] = model.call(tensor([[c]], { dtype: 'int32' }), null, state);
        c = multinomial(logits.reshape([-1]).div(temperature).softmax(0), 1).item();
        s += vocab.chars[c]!;
        state = vocab.chars[c] === '\n' ? null : next;
      }
      return s;
    });
  } finally {
    model.train(was);
  }
}

interface Config {
  embed: number;
  hidden: number;
  batch: number;
  epochs: number;
  lr: number;
  clip: number;
  /** Print the train loss (mean since the last print) and the loss on the validation probe every this many steps. */
  every: number;
  /** Lines used for training and validation (undefined: all). */
  trainLines?: number;
  valLines?: number;
  /** Validation lines scored at every print (the full validation set at each epoch's end). */
  probeLines: number;
  sampleChars: number;
}

const FULL: Config = { embed: 32, hidden: 128, batch: 64, epochs: 1, lr: 3e-3, clip: 1, every: 50, probeLines: 256, sampleChars: 400 };
const QUICK: Config = { embed: 16, hidden: 64, batch: 16, epochs: 1, lr: 1e-2, clip: 1, every: 10, trainLines: 640, valLines: 64, probeLines: 64, sampleChars: 120 };

/** What the example returns. */
export interface LstmResult extends Record<string, unknown> {
  vocabSize: number;
  params: number;
  /** Validation loss (nats per character) before training. */
  initialValLoss: number;
  /** Per print: the step, the mean train loss since the last print, the validation-probe loss. */
  intervals: Array<{ step: number; trainLoss: number; valLoss: number }>;
  /** Per epoch: the mean train loss and the loss on the whole validation set. */
  epochs: Array<{ trainLoss: number; valLoss: number; seconds: number }>;
  /** The validation lines (all of the last tenth, or its first lines with --quick). */
  valLines: string[];
  /** The first validation batch scored packed and unpacked (the LSTM running over the padding too). */
  packedLoss: number;
  paddedLoss: number;
  sample: string;
  charsPerSecond: number;
  model: CharLSTM;
  vocab: Vocabulary;
}

export async function main(args: ExampleArgs = {}): Promise<LstmResult> {
  const log = logger(args);
  const cfg = { ...(args.quick ? QUICK : FULL) };
  if (args.epochs !== undefined) cfg.epochs = args.epochs;
  manualSeed(0);
  const text = shakespeare();
  const vocab = vocabulary(text);
  const split = splitLines(text);
  const trainLines = split.train.slice(0, cfg.trainLines);
  const valLines = split.val.slice(0, cfg.valLines);
  const probe = valLines.slice(0, cfg.probeLines);
  log(`tinyshakespeare: ${text.length} characters, ${vocab.chars.length} distinct; ${trainLines.length} training and ` +
    `${valLines.length} validation lines${args.quick ? ' (--quick: a subset)' : ''}`);

  const model = new CharLSTM(vocab.chars.length, cfg.embed, cfg.hidden);
  const params = model.numParameters();
  log(`model: Embedding(${vocab.chars.length}, ${cfg.embed}) -> LSTM(${cfg.embed}, ${cfg.hidden}) -> Linear(${cfg.hidden}, ${vocab.chars.length}); ${params} parameters`);
  const optimizer = new Adam(model.parameters(), { lr: cfg.lr });

  // Packing only skips steps: on the real characters the unpacked LSTM (which also runs over the
  // padding, after each line's end) computes the same outputs, so the same loss.
  const first = makeBatch(valLines.slice(0, cfg.batch), vocab);
  const [packedLoss, paddedLoss] = noGrad(() => [batchLoss(model, first, true).item(), batchLoss(model, first, false).item()]);
  log(`first validation batch (lengths ${Math.min(...first.lengths)}..${Math.max(...first.lengths)}, padded to ${first.x.shape[0]}): ` +
    `loss packed ${fmt(packedLoss, 6)}, unpacked ${fmt(paddedLoss, 6)}`);
  const initialValLoss = evaluate(model, valLines, vocab, cfg.batch);
  log(`before training: validation loss ${fmt(initialValLoss)} (ln ${vocab.chars.length} = ${fmt(Math.log(vocab.chars.length))})`);

  const intervals: LstmResult['intervals'] = [];
  const epochs: LstmResult['epochs'] = [];
  const steps = Math.ceil(trainLines.length / cfg.batch);
  let step = 0, chars = 0, trainSeconds = 0;
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    const start = performance.now();
    const order = randperm(trainLines.length).toArray() as number[];
    let sum = 0, count = 0, epochSum = 0, epochCount = 0;
    for (let s = 0; s < steps; s++) {
      const t0 = performance.now();
      const b = makeBatch(order.slice(s * cfg.batch, (s + 1) * cfg.batch).map((i) => trainLines[i]!), vocab);
      const loss = batchLoss(model, b);
      optimizer.zeroGrad();
      loss.backward();
      clipGradNorm_(model.parameters(), cfg.clip);
      optimizer.step();
      trainSeconds += secondsSince(t0);
      const l = loss.item() * b.chars;
      sum += l; count += b.chars; epochSum += l; epochCount += b.chars; chars += b.chars;
      if (++step % cfg.every === 0) {
        const valLoss = evaluate(model, probe, vocab, cfg.batch);
        intervals.push({ step, trainLoss: sum / count, valLoss });
        log(`step ${String(step).padStart(5)}  train loss ${fmt(sum / count)}  val loss ${fmt(valLoss)} (${probe.length} lines)  ${secondsSince(start).toFixed(1)} s`);
        sum = count = 0;
      }
    }
    const seconds = secondsSince(start);
    const valLoss = evaluate(model, valLines, vocab, cfg.batch);
    epochs.push({ trainLoss: epochSum / epochCount, valLoss, seconds });
    log(`epoch ${epoch}/${cfg.epochs}: train loss ${fmt(epochSum / epochCount)}, val loss ${fmt(valLoss)} ` +
      `(${fmt(valLoss / Math.LN2, 3)} bits per character), ${seconds.toFixed(1)} s`);
  }
  const charsPerSecond = chars / trainSeconds;
  log(`training: ${Math.round(charsPerSecond)} characters per second (the steps alone, without the evaluations)`);
  const text1 = sample(model, vocab, cfg.sampleChars, 0.8);
  log('');
  log('sample (temperature 0.8):');
  log(text1);
  return {
    vocabSize: vocab.chars.length, params, initialValLoss, intervals, epochs, valLines, packedLoss, paddedLoss,
    sample: text1, charsPerSecond, model, vocab,
  };
}
