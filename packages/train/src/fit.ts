import { ValueError, describeValue } from '@tapegrad/core';
import { ReduceLROnPlateau } from '@tapegrad/optim';
import type { Callback, TrainContext } from './callbacks.js';
import type { FitOptimizer } from './fit-optimizer.js';
import {
  LOSS, Running, applyLoss, batchSizeOf, checkLoader, checkMetrics, checkModel, evaluateAsync, metricName, metricValue, splitBatch,
  type Loader, type LossFn, type Metric, type TrainableModule,
} from './evaluate.js';
import { History } from './history.js';
import { checkTrainOptions, custom, defineTrainOptions, isObject } from './options.js';
import { ProgressBar, STREAM, logEpoch, type ProgressStream } from './progress.js';

const LOADER = custom(
  'an iterable or async iterable of [inputs, targets] batches (a DataLoader, an array, a generator)',
  (v) => typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v),
);
const FIT = defineTrainOptions('fit', {
  optimizer: custom(
    'an optimizer with zeroGrad(), step() and paramGroups (e.g. an Optimizer of @tapegrad/optim)',
    (v) => isObject(v) && typeof v.zeroGrad === 'function' && typeof v.step === 'function' && Array.isArray(v.paramGroups),
  ),
  loss: LOSS,
  trainLoader: LOADER,
  valLoader: LOADER,
  epochs: 'integer',
  metrics: 'array',
  callbacks: 'array',
  verbose: 'integer',
  scheduler: custom('a learning-rate scheduler with step() (e.g. an LRScheduler of @tapegrad/optim)', (v) => isObject(v) && typeof v.step === 'function'),
  schedulerMonitor: 'string',
  progressStream: STREAM,
  log: 'function',
});
const REQUIRED = ['optimizer', 'loss', 'trainLoader', 'epochs'] as const;
const HOOKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

function checkCallbacks(op: string, callbacks: ReadonlyArray<unknown>): void {
  callbacks.forEach((cb, i) => {
    if (!isObject(cb))
      throw new ValueError(`${op}: callback ${i} must be an object with hooks such as onEpochEnd (e.g. new EarlyStopping()), got ${describeValue(cb)}`);
    for (const hook of HOOKS)
      if (cb[hook] !== undefined && typeof cb[hook] !== 'function')
        throw new ValueError(`${op}: callback ${i}'s ${hook} must be a function, got ${describeValue(cb[hook])}`);
    // A misspelt hook of an object literal would never be called: refuse it as an unknown option.
    if (Object.getPrototypeOf(cb) !== Object.prototype) return;
    for (const key of Object.keys(cb))
      if (/^on[A-Z]/.test(key) && !(HOOKS as readonly string[]).includes(key)) {
        const near = HOOKS.find((h) => editDistance(key, h) <= 2);
        throw new ValueError(
          `${op}: callback ${i} has an unknown hook '${key}'${near ? ` (did you mean '${near}'?)` : ''}; the hooks are ${HOOKS.join(', ')}`,
        );
      }
  });
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * What {@link fit} needs of a learning-rate scheduler: `step()` once per epoch (every
 * `LRScheduler`), or `step(metric)` for `ReduceLROnPlateau`, which gets the monitored value.
 *
 * @example
 * const optimizer = new SGD(new Linear(2, 1).parameters(), { lr: 0.1 });
 * const scheduler: FitScheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.5 });
 */
export type FitScheduler = { step(): void } | ReduceLROnPlateau;

/**
 * Options of {@link fit}.
 *
 * @example
 * const model = new Linear(2, 2);
 * const optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const opts: FitOptions = {
 *   optimizer, loss: F.crossEntropy, trainLoader: [[randn([8, 2]), randint(0, 2, [8])]], epochs: 3,
 *   metrics: ['accuracy'], verbose: 2, scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.9 }),
 * };
 * await fit(model, opts);
 */
export interface FitOptions {
  /** Updates the parameters after each batch. */
  optimizer: FitOptimizer;
  /** The training objective: `(output, target) => scalar` or a loss module. */
  loss: LossFn;
  /** Training batches `[x, y]`, visited once per epoch (a `DataLoader` reshuffles each time). */
  trainLoader: Loader;
  /** Validation batches, evaluated after each epoch under `noGrad` and `eval()`: adds `val_loss` and `val_<metric>`. */
  valLoader?: Loader;
  /** Number of epochs. */
  epochs: number;
  /** Metrics to log besides the loss, e.g. `['accuracy']`. */
  metrics?: ReadonlyArray<Metric>;
  /** Hooks called during training (early stopping, checkpoints, loggers, your own). */
  callbacks?: ReadonlyArray<Callback>;
  /**
   * 0: silent; 1 (default): a progress bar per epoch on a terminal, and one line per epoch;
   * 2: one line per epoch only.
   */
  verbose?: 0 | 1 | 2;
  /** Stepped once per epoch, after validation (a `ReduceLROnPlateau` gets `schedulerMonitor`'s value). */
  scheduler?: FitScheduler;
  /** The value given to a `ReduceLROnPlateau` (default `val_loss` when validating, else `loss`). */
  schedulerMonitor?: string;
  /** Where the progress bar draws (default `process.stderr`; nothing is drawn unless it is a terminal). */
  progressStream?: ProgressStream;
  /** Where the epoch lines go (default `console.log`). */
  log?: (line: string) => void;
}

function hasLength(x: unknown): number {
  const n = (x as { length?: unknown }).length;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * Trains a model for some epochs (Keras' `fit`), the plain PyTorch loop with bookkeeping:
 *
 * ```text
 * for each epoch:
 *   model.train()
 *   for each batch [x, y]:  optimizer.zeroGrad(); out = model(x); l = loss(out, y); l.backward(); optimizer.step()
 *   loss = sum of l * batchSize / samples   (likewise each metric, on the batch outputs)
 *   with valLoader: val_loss, val_<metric> under noGrad and model.eval()
 *   scheduler.step()
 * ```
 *
 * Each epoch's logs hold `loss`, the metrics (e.g. `accuracy`), `val_loss` and `val_<metric>`
 * with a valLoader, `lr` (the first group's learning rate during the epoch) and `seconds`; they
 * go to the returned {@link History}, the callbacks and, unless `verbose` is 0, one printed line
 * per epoch (with a progress bar on terminals). The model's train/eval mode is restored at the end.
 * Writing the loop by hand remains first-class: see {@link ProgressBar}, {@link logEpoch} and
 * {@link History} to get the same output from your own loop.
 *
 * @param model - maps a batch of inputs to outputs, e.g. `[B, 784]` to `[B, 10]`
 * @returns the per-epoch history
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values), a missing optimizer, loss, trainLoader or epochs, a model that is not a Module, a callback with a misspelt hook, a bad `epochs`, an empty or malformed loader, or a loss that is not a single number
 * @example
 * manualSeed(0);
 * const x = randn([64, 2]);
 * const y = x.select(1, 0).mul(x.select(1, 1)).gt(0).int(); // quadrants: not linearly separable
 * const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
 * const batches = x.split(16).map((xb, i) => [xb, y.narrow(0, 16 * i, 16)]);
 * const history = await fit(model, {
 *   optimizer: new Adam(model.parameters(), { lr: 0.05 }),
 *   loss: F.crossEntropy,
 *   trainLoader: batches, // or a DataLoader
 *   valLoader: [[x, y]],
 *   epochs: 20,
 *   metrics: ['accuracy'],
 *   callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3 })],
 * });
 * const svg = lineChart([{ name: 'train', values: history.get('loss') }, { name: 'val', values: history.get('val_loss') }]);
 */
export async function fit(model: TrainableModule, opts: FitOptions): Promise<History> {
  const op = 'fit';
  if (opts === undefined) throw new ValueError(`${op}: expected options { optimizer, loss, trainLoader, epochs, ... }, got undefined`);
  checkTrainOptions(FIT, opts);
  checkModel(op, model);
  for (const key of REQUIRED) if (opts[key] === undefined) throw new ValueError(`${op}: option ${key} is required`);
  const { optimizer, loss, trainLoader, valLoader, epochs } = opts;
  if (epochs < 0) throw new ValueError(`${op}: epochs must be a non-negative integer, got ${epochs}`);
  checkLoader(op, 'trainLoader', trainLoader);
  if (valLoader !== undefined) checkLoader(op, 'valLoader', valLoader);
  const metrics = opts.metrics ?? [];
  checkMetrics(op, metrics);
  const callbacks = opts.callbacks ?? [];
  checkCallbacks(op, callbacks);
  const verbose = opts.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${op}: verbose must be 0, 1 or 2, got ${describeValue(verbose)}`);
  const history = new History();
  const ctx: TrainContext = { model, optimizer, history, epochs, stop: false };
  const wasTraining = model.training;

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
    for (let epoch = 0; epoch < epochs && !ctx.stop; epoch++) {
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
      const t0 = performance.now();
      const lr = optimizer.paramGroups[0]?.lr;
      model.train();
      const bar = verbose === 1
        ? new ProgressBar({ total: hasLength(trainLoader), label: `epoch ${epoch + 1}/${epochs}`, unit: 'batch', ...(opts.progressStream ? { stream: opts.progressStream } : {}) })
        : null;
      const run = new Running();
      let batch = 0;
      try {
        for await (const b of trainLoader) {
          const [x, y] = splitBatch(op, b, batch);
          const n = batchSizeOf(x);
          optimizer.zeroGrad();
          const out = model.call(x);
          const l = applyLoss(op, loss, out, y);
          l.backward();
          optimizer.step();
          const batchLogs: Record<string, number> = { loss: l.item() };
          for (const m of metrics) batchLogs[metricName(m)] = metricValue(m, out, y);
          for (const [k, v] of Object.entries(batchLogs)) run.add(k, v, n);
          run.samples += n;
          batchLogs.size = n;
          for (const cb of callbacks) await cb.onBatchEnd?.(batch, batchLogs, ctx);
          batch++;
          bar?.update(batch, run.means());
          if (ctx.stop) break;
        }
      } finally {
        bar?.stop();
      }
      if (batch === 0) throw new ValueError(`${op}: trainLoader yielded no batches in epoch ${epoch + 1}`);

      const logs: Record<string, number> = run.means();
      if (valLoader !== undefined) {
        const v = await evaluateAsync(model, valLoader, { loss, metrics });
        for (const [k, val] of Object.entries(v)) if (k !== 'samples' && val !== undefined) logs[`val_${k}`] = val;
      }
      if (lr !== undefined) logs.lr = lr;
      if (opts.scheduler) {
        if (opts.scheduler instanceof ReduceLROnPlateau) {
          const key = opts.schedulerMonitor ?? (valLoader !== undefined ? 'val_loss' : 'loss');
          const value = logs[key];
          if (value === undefined) throw new ValueError(`${op}: schedulerMonitor "${key}" is not in the logs (keys: ${Object.keys(logs).join(', ')})`);
          opts.scheduler.step(value);
        } else opts.scheduler.step();
      }
      const seconds = (performance.now() - t0) / 1000;
      logs.seconds = seconds;
      history.push(logs);
      if (verbose > 0) logEpoch(epoch + 1, epochs, logs, seconds, { samples: run.samples, ...(opts.log ? { write: opts.log } : {}) });
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, ctx);
    }
    for (const cb of callbacks) await cb.onTrainEnd?.(history, ctx);
  } finally {
    model.train(wasTraining);
  }
  return history;
}
