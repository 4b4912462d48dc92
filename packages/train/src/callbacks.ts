import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ValueError, checkOptions, defineOptions, describeValue, noGrad } from '@tapegrad/core';
import { saveSafetensors, type AnyModule, type StateDict } from '@tapegrad/nn';
import type { FitOptimizer } from './fit-optimizer.js';
import type { History } from './history.js';

const MODE = "'min'|'max'|'auto'";
const EARLY_STOPPING = defineOptions('EarlyStopping', {
  monitor: 'string', patience: 'integer', minDelta: 'number', mode: MODE, restoreBestWeights: 'boolean', verbose: 'boolean',
});
const MODEL_CHECKPOINT = defineOptions('ModelCheckpoint', { path: 'string', monitor: 'string', mode: MODE, saveBestOnly: 'boolean', verbose: 'boolean' });
const CSV_LOGGER = defineOptions('CsvLogger', { append: 'boolean' });
const JSONL_LOGGER = defineOptions('JsonlLogger', { append: 'boolean' });

function checkPath(op: string, path: unknown): void {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${op}: a path is required (a non-empty string), got ${describeValue(path)}`);
}

/**
 * What {@link fit} passes to every callback: the model, the optimizer, the history so far, and
 * the `stop` flag. A callback sets `ctx.stop = true` to end training: set in `onEpochEnd` (or
 * earlier in the epoch) it ends training after the current epoch; set in `onBatchEnd`, the epoch
 * also ends after that batch (its logs, validation and callbacks still run).
 *
 * @example
 * // driving callbacks from a hand-written loop
 * const model = new Linear(2, 1);
 * const ctx: TrainContext = { model, history: new History(), epochs: 10, stop: false };
 * const stopper = new EarlyStopping({ monitor: 'loss' });
 * stopper.onEpochEnd(0, { loss: 0.3 }, ctx);
 * stopper.onEpochEnd(1, { loss: 0.4 }, ctx);
 * ctx.stop; // true: the loss did not improve
 */
export interface TrainContext {
  /** The model being trained. */
  readonly model: AnyModule;
  /** The optimizer (absent when callbacks are driven by a hand-written loop that has none to share). */
  readonly optimizer?: FitOptimizer;
  /** The epochs finished so far. */
  readonly history: History;
  /** The number of epochs asked for. */
  readonly epochs: number;
  /** Set to true to stop training (see above for when it takes effect). */
  stop: boolean;
}

/**
 * What a callback method may return: nothing, or a promise that {@link fit} awaits.
 *
 * @example
 * const slow: Callback = { onEpochEnd: async () => { await new Promise((r) => setTimeout(r, 1)); } };
 */
export type MaybePromise = void | Promise<void>;

/**
 * Hooks {@link fit} calls during training (Keras' callbacks). Every method is optional and may
 * be async; `epoch` and `batch` are 0-based indices; `logs` are the epoch's values (`loss`,
 * `accuracy`, `val_loss`, `val_accuracy`, `lr`, `seconds`) or the batch's (`loss`, `accuracy`, `size`).
 *
 * {@link fit} refuses an object literal with a key like a misspelt hook (`onEpochEnds`), which
 * would never be called. In a hand-written loop, call the hooks yourself with a {@link TrainContext} you keep.
 *
 * @example
 * const x = randn([16, 2]);
 * const y = x.select(1, 0).gt(0).int();
 * const model = new Linear(2, 2);
 * const goodEnough: Callback = {
 *   onEpochEnd(epoch, logs, ctx) {
 *     if (logs.loss! < 0.3) ctx.stop = true;
 *   },
 * };
 * await fit(model, {
 *   optimizer: new SGD(model.parameters(), { lr: 0.5 }), loss: F.crossEntropy,
 *   trainLoader: [[x, y]], epochs: 100, callbacks: [goodEnough], verbose: 0,
 * });
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(ctx: TrainContext): MaybePromise;
  /** Before each epoch. */
  onEpochBegin?(epoch: number, ctx: TrainContext): MaybePromise;
  /** After each training batch (after the optimizer step). */
  onBatchEnd?(batch: number, logs: Record<string, number>, ctx: TrainContext): MaybePromise;
  /** After each epoch, once its logs (with validation) are complete and recorded in the history. */
  onEpochEnd?(epoch: number, logs: Record<string, number>, ctx: TrainContext): MaybePromise;
  /** After the last epoch (or the one a callback stopped at). */
  onTrainEnd?(history: History, ctx: TrainContext): MaybePromise;
}

/**
 * `'min'` when smaller is better (losses), `'max'` when larger is (accuracies).
 *
 * @example
 * new EarlyStopping({ monitor: 'val_accuracy' }).mode; // 'max'
 */
export type MonitorMode = 'min' | 'max';

function modeFor(monitor: string, mode: MonitorMode | 'auto' | undefined, op: string): MonitorMode {
  if (mode === undefined || mode === 'auto') return monitor.includes('acc') ? 'max' : 'min';
  if (mode !== 'min' && mode !== 'max') throw new ValueError(`${op}: mode must be 'min', 'max' or 'auto', got ${String(mode)}`);
  return mode;
}

function monitored(op: string, monitor: string, logs: Record<string, number>): number {
  const v = logs[monitor];
  if (typeof v !== 'number')
    throw new ValueError(
      `${op}: the monitored value "${monitor}" is not in the logs (keys: ${Object.keys(logs).join(', ') || 'none'})` +
        (monitor.startsWith('val_') ? '; pass a valLoader to fit, or monitor a training value' : ''),
    );
  return v;
}

/** A copy of a model's state dict (tensors cloned, so later training does not change it). */
function snapshot(model: AnyModule): StateDict {
  return noGrad(() => {
    const out: StateDict = {};
    for (const [k, t] of Object.entries(model.stateDict())) out[k] = t.clone();
    return out;
  });
}

/**
 * Options of {@link EarlyStopping}.
 *
 * @example
 * const opts: EarlyStoppingOptions = { monitor: 'val_loss', patience: 5, minDelta: 1e-4, restoreBestWeights: true };
 */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default `val_loss`). */
  monitor?: string;
  /** Epochs without improvement to wait before stopping (default 0: stop at the first). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Whether smaller or larger is better (default `auto`: `max` if the name contains `acc`, else `min`). */
  mode?: MonitorMode | 'auto';
  /** At the end of training, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Print a line when stopping and when restoring (default false). */
  verbose?: boolean;
}

/**
 * Stops training when a monitored value has stopped improving (Keras' `EarlyStopping`).
 *
 * After each epoch: if `value` improves on the best so far by more than `minDelta`
 * (`value < best - minDelta` in `min` mode, `value > best + minDelta` in `max` mode) it becomes
 * the best and the wait count resets; otherwise the wait count grows, and when it reaches
 * `patience` (at least 1 for patience 0) training stops. With `restoreBestWeights`, the model gets the
 * weights of the best epoch back when training ends.
 *
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values), a negative patience or minDelta, or when the monitored value is missing from the logs
 * @example
 * const x = randn([32, 2]);
 * const y = x.select(1, 0).gt(0).int();
 * const model = new Linear(2, 2);
 * const stopper = new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
 * await fit(model, {
 *   optimizer: new SGD(model.parameters(), { lr: 0.5 }), loss: F.crossEntropy,
 *   trainLoader: [[x.narrow(0, 0, 24), y.narrow(0, 0, 24)]], valLoader: [[x.narrow(0, 24, 8), y.narrow(0, 24, 8)]],
 *   epochs: 100, callbacks: [stopper], verbose: 0,
 * });
 * console.log(`best val_loss ${stopper.best} at epoch ${stopper.bestEpoch + 1}`);
 */
export class EarlyStopping implements Callback {
  /** The watched key. */
  readonly monitor: string;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** Direction of improvement. */
  readonly mode: MonitorMode;
  /** Whether the best weights are restored at the end. */
  readonly restoreBestWeights: boolean;
  /** The best value seen (Infinity / -Infinity before the first epoch). */
  best = 0;
  /** 0-based index of the best epoch (-1 before the first epoch). */
  bestEpoch = -1;
  /** 0-based index of the epoch at which training was stopped (-1 if it was not). */
  stoppedEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;
  #bestWeights: StateDict | null = null;
  readonly #verbose: boolean;

  constructor(opts?: EarlyStoppingOptions) {
    const op = 'EarlyStopping';
    opts = checkOptions(EARLY_STOPPING, opts);
    this.monitor = opts.monitor ?? 'val_loss';
    this.patience = opts.patience ?? 0;
    this.minDelta = opts.minDelta ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new ValueError(`${op}: patience must be a non-negative integer, got ${this.patience}`);
    if (!(this.minDelta >= 0)) throw new ValueError(`${op}: minDelta must be >= 0, got ${this.minDelta}`);
    this.mode = modeFor(this.monitor, opts.mode, op);
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.#verbose = opts.verbose ?? false;
    this.reset();
  }

  /** Forgets the previous run (called at the start of training). */
  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.#bestWeights = null;
  }

  /** True if `value` improves on the best so far by more than `minDelta`. */
  isImprovement(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Resets the state. */
  onTrainBegin(): void {
    this.reset();
  }

  /** Updates the best value and the wait count; sets `ctx.stop` when patience runs out. */
  onEpochEnd(epoch: number, logs: Record<string, number>, ctx: TrainContext): void {
    const value = monitored('EarlyStopping', this.monitor, logs);
    if (this.isImprovement(value)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.#bestWeights = snapshot(ctx.model);
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(1, this.patience)) {
      this.stoppedEpoch = epoch;
      ctx.stop = true;
      if (this.#verbose)
        console.log(`early stopping at epoch ${epoch + 1}: ${this.monitor} has not improved for ${this.wait} epoch(s); best ${this.best} at epoch ${this.bestEpoch + 1}`);
    }
  }

  /** Restores the best weights when asked to and the last epoch was not the best. */
  onTrainEnd(history: History, ctx: TrainContext): void {
    if (!this.restoreBestWeights || this.#bestWeights === null) return;
    if (this.bestEpoch === history.length - 1) return;
    ctx.model.loadStateDict(this.#bestWeights);
    if (this.#verbose) console.log(`restored the weights of epoch ${this.bestEpoch + 1} (${this.monitor} ${this.best})`);
  }
}

/**
 * Options of {@link ModelCheckpoint}.
 *
 * @example
 * const opts: ModelCheckpointOptions = { path: 'ckpt/epoch-{epoch}.safetensors', saveBestOnly: false };
 */
export interface ModelCheckpointOptions {
  /** The file to write; `{epoch}` in it is replaced by the 1-based epoch number (e.g. `ckpt/model-{epoch}.safetensors`). */
  path: string;
  /** The logged value that decides which epoch is best (default `val_loss`). */
  monitor?: string;
  /** Whether smaller or larger is better (default `auto`: `max` if the name contains `acc`, else `min`). */
  mode?: MonitorMode | 'auto';
  /** Write only when the monitored value improves (default true); false writes after every epoch. */
  saveBestOnly?: boolean;
  /** Print a line for each file written (default false). */
  verbose?: boolean;
}

/**
 * Saves the model's `stateDict()` to a safetensors file after an epoch (Keras' `ModelCheckpoint`),
 * by default only when the monitored value is the best so far. Folders are created as needed.
 * The file's metadata holds the epoch (1-based) and the monitored value.
 * Load it back with `model.loadStateDict(await loadSafetensors(path))`.
 *
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values), a missing path, or (with saveBestOnly) when the monitored value is missing from the logs
 * @example
 * import { tmpdir } from 'node:os';
 * const { x, y } = linearlySeparable({ n: 32, seed: 0 });
 * const trainLoader = new DataLoader(new TensorDataset(x, y), { batchSize: 8 });
 * const model = new Linear(2, 2);
 * const optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const path = `${tmpdir()}/tapegrad-best.safetensors`;
 * const ckpt = new ModelCheckpoint({ path, monitor: 'val_accuracy', mode: 'max' });
 * await fit(model, { optimizer, loss: F.crossEntropy, trainLoader, valLoader: trainLoader, epochs: 3, metrics: ['accuracy'], callbacks: [ckpt], verbose: 0 });
 * model.loadStateDict(await loadSafetensors(path));
 */
export class ModelCheckpoint implements Callback {
  /** The file pattern. */
  readonly path: string;
  /** The watched key. */
  readonly monitor: string;
  /** Direction of improvement. */
  readonly mode: MonitorMode;
  /** Whether only improvements are saved. */
  readonly saveBestOnly: boolean;
  /** The best monitored value so far. */
  best = 0;
  /** The files written, in order. */
  readonly saved: string[] = [];
  readonly #verbose: boolean;

  constructor(opts: ModelCheckpointOptions) {
    const op = 'ModelCheckpoint';
    if (opts === undefined) throw new ValueError(`${op}: expected options such as { path: 'ckpt/best.safetensors' }, got undefined`);
    checkOptions(MODEL_CHECKPOINT, opts);
    if (opts.path === undefined) throw new ValueError(`${op}: option path is required`);
    checkPath(op, opts.path);
    this.path = opts.path;
    this.monitor = opts.monitor ?? 'val_loss';
    this.mode = modeFor(this.monitor, opts.mode, op);
    this.saveBestOnly = opts.saveBestOnly ?? true;
    this.#verbose = opts.verbose ?? false;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Resets the best value. */
  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Writes the checkpoint if the epoch is an improvement (or always without saveBestOnly). */
  async onEpochEnd(epoch: number, logs: Record<string, number>, ctx: TrainContext): Promise<void> {
    const file = this.path.replace(/\{epoch\}/g, String(epoch + 1));
    const metadata: Record<string, string> = { epoch: String(epoch + 1) };
    if (this.saveBestOnly) {
      const v = monitored('ModelCheckpoint', this.monitor, logs);
      if (!(this.mode === 'min' ? v < this.best : v > this.best)) return;
      this.best = v;
    }
    if (typeof logs[this.monitor] === 'number') metadata[this.monitor] = String(logs[this.monitor]);
    mkdirSync(dirname(file), { recursive: true });
    await saveSafetensors(ctx.model.stateDict(), file, { metadata });
    this.saved.push(file);
    if (this.#verbose) console.log(`saved ${file} (epoch ${epoch + 1}${metadata[this.monitor] ? `, ${this.monitor} ${metadata[this.monitor]}` : ''})`);
  }
}

function cell(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

/**
 * Options of {@link CsvLogger} and {@link JsonlLogger}.
 *
 * @example
 * const resumed = new CsvLogger('out/log.csv', { append: true });
 */
export interface LoggerOptions {
  /** Add to an existing file instead of starting it anew (default false). */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch (Keras' `CSVLogger`): a header `epoch,<keys of the first epoch>`,
 * then `epoch` (1-based) and the values, with full precision. A key missing in a later epoch
 * leaves its cell empty. The file is written synchronously, so it is complete even if training
 * is interrupted.
 *
 * @example
 * import { tmpdir } from 'node:os';
 * const { x, y } = linearlySeparable({ n: 32, seed: 0 });
 * const trainLoader = new DataLoader(new TensorDataset(x, y), { batchSize: 8 });
 * const model = new Linear(2, 2);
 * const optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const path = `${tmpdir()}/tapegrad-log.csv`;
 * await fit(model, { optimizer, loss: F.crossEntropy, trainLoader, epochs: 2, callbacks: [new CsvLogger(path)], verbose: 0 });
 * // the file now reads:
 * // epoch,loss,lr,seconds
 * // 1,0.6931...,0.1,0.01
 * // 2,...
 */
export class CsvLogger implements Callback {
  #keys: string[] | null = null;

  constructor(
    /** The file to write. */
    readonly path: string,
    private readonly opts: LoggerOptions = {},
  ) {
    checkPath('CsvLogger', path);
    checkOptions(CSV_LOGGER, opts);
  }

  /** Starts the file (empties it unless `append`). */
  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.#keys = null;
    if (!this.opts.append) writeFileSync(this.path, '');
  }

  /** Writes the header (first epoch) and the epoch's row. */
  onEpochEnd(epoch: number, logs: Record<string, number>): void {
    let text = '';
    if (this.#keys === null) {
      this.#keys = Object.keys(logs).filter((k) => k !== 'epoch');
      text += ['epoch', ...this.#keys].map(csvField).join(',') + '\n';
    }
    text += [String(epoch + 1), ...this.#keys.map((k) => cell(logs[k]))].join(',') + '\n';
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, text);
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes one JSON object per line and epoch: `{"epoch":1,"loss":0.69,...}` (epoch 1-based;
 * NaN and infinities are written as null, as JSON has no such numbers).
 *
 * @example
 * import { tmpdir } from 'node:os';
 * const { x, y } = linearlySeparable({ n: 32, seed: 0 });
 * const trainLoader = new DataLoader(new TensorDataset(x, y), { batchSize: 8 });
 * const model = new Linear(2, 2);
 * const optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const log = new JsonlLogger(`${tmpdir()}/tapegrad-log.jsonl`);
 * await fit(model, { optimizer, loss: F.crossEntropy, trainLoader, epochs: 2, callbacks: [log], verbose: 0 });
 */
export class JsonlLogger implements Callback {
  constructor(
    /** The file to write. */
    readonly path: string,
    private readonly opts: LoggerOptions = {},
  ) {
    checkPath('JsonlLogger', path);
    checkOptions(JSONL_LOGGER, opts);
  }

  /** Starts the file (empties it unless `append`). */
  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (!this.opts.append) writeFileSync(this.path, '');
  }

  /** Appends the epoch's line. */
  onEpochEnd(epoch: number, logs: Record<string, number>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, JSON.stringify({ epoch: epoch + 1, ...withoutEpoch(logs) }) + '\n');
  }
}

/**
 * Stops training as soon as a batch loss is NaN or infinite (Keras' `TerminateOnNaN`), instead of
 * training on with broken weights: {@link fit} ends the epoch after that batch and stops.
 *
 * @example
 * const model = new Linear(1, 1);
 * const guard = new TerminateOnNaN();
 * const history = await fit(model, {
 *   optimizer: new SGD(model.parameters(), { lr: 1e30 }), // far too large: the loss overflows
 *   loss: F.mseLoss, trainLoader: [[tensor([[1e10]]), tensor([[0]])]], epochs: 10, callbacks: [guard], verbose: 0,
 * });
 * history.length < 10; // true
 */
export class TerminateOnNaN implements Callback {
  /** 0-based index of the batch whose loss was not finite (-1 if none). */
  badBatch = -1;

  /** Sets `ctx.stop` when the batch loss is not finite. */
  onBatchEnd(batch: number, logs: Record<string, number>, ctx: TrainContext): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.badBatch = batch;
      ctx.stop = true;
    }
  }
}

function withoutEpoch(logs: Record<string, number>): Record<string, number> {
  const { epoch: _ignored, ...rest } = logs;
  return rest;
}
