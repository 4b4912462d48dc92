import cliProgress from 'cli-progress';
import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { checkTrainOptions, custom, defineTrainOptions, isObject, requireInteger, requireNumber } from './options.js';

/** A stream: an object with a write method (process.stderr, a file stream, ...). */
export const STREAM = custom('a stream with a write() method', (v) => isObject(v) && typeof v.write === 'function');
const PROGRESS_BAR = defineTrainOptions('ProgressBar', { total: 'integer', label: 'string', stream: STREAM, unit: 'string', barSize: 'integer' });
const LOG_EPOCH = defineOptions('logEpoch', { samples: 'number', write: 'function' });
const FORMAT_EPOCH = defineOptions('formatEpoch', { samples: 'number', write: 'function' });

/**
 * A stream the progress bar can draw on (`process.stderr`, `process.stdout`, a file stream, ...).
 *
 * @example
 * const quiet: ProgressStream = { write: () => true, isTTY: false };
 * new ProgressBar({ total: 10, stream: quiet }).active; // false
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** True on a terminal; the bar draws only then. */
  isTTY?: boolean;
}

/**
 * Options of {@link ProgressBar}.
 *
 * @example
 * const opts: ProgressBarOptions = { total: 469, label: 'epoch 1/10', unit: 'batch', barSize: 20 };
 */
export interface ProgressBarOptions {
  /** Number of steps (batches) when complete; 0 or undefined if unknown (the bar then shows a count only). */
  total?: number;
  /** Text before the bar, e.g. `epoch 3/10`. */
  label?: string;
  /** Where to draw (default `process.stderr`, as most command-line tools do). */
  stream?: ProgressStream;
  /** Unit of a step for the speed, e.g. `batch` (default `it`). */
  unit?: string;
  /** Width of the bar in characters (default 30). */
  barSize?: number;
}

/**
 * Formats a metric value: 4 decimals for ordinary magnitudes, exponent notation for tiny or huge ones.
 *
 * @example
 * formatValue(0.96512); // '0.9651'
 * formatValue(2.5e-5); // '2.500e-5'
 */
export function formatValue(v: number): string {
  requireNumber('formatValue', 'v', v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}

function formatValues(values: Record<string, number | string> | undefined): string {
  if (!values) return '';
  return Object.entries(values)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? formatValue(v) : v}`)
    .join('  ');
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A terminal progress bar for the batches of an epoch (drawn by the `cli-progress` library):
 * label, bar, `value/total`, the running metrics, speed and time left.
 *
 * `epoch 3/10 [=============-----------------] 210/469  loss 0.1234  accuracy 0.9650  52.1 batch/s  ETA 5s`
 *
 * On a stream that is not a terminal (CI logs, files, pipes) it prints nothing at all; print
 * one line per epoch there instead (see {@link logEpoch}). The bar is removed by {@link stop}.
 *
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values) or a negative total
 * @example
 * const w = tensor([0.5], { requiresGrad: true });
 * const batches = [1, 2, 3, 4].map((v) => tensor([v]));
 * const bar = new ProgressBar({ total: batches.length, label: 'epoch 1/1', unit: 'batch' });
 * let i = 0;
 * for (const b of batches) {
 *   const loss = w.mul(b).sub(1).square().sum();
 *   loss.backward();
 *   bar.update(++i, { loss: loss.item() });
 * }
 * bar.stop();
 */
export class ProgressBar {
  /** True when the bar draws (the stream is a terminal). */
  readonly active: boolean;
  readonly #bar: cliProgress.SingleBar | null = null;
  readonly #start = Date.now();

  constructor(opts?: ProgressBarOptions) {
    opts = checkTrainOptions(PROGRESS_BAR, opts);
    const total = opts.total ?? 0;
    if (total < 0) throw new ValueError(`ProgressBar: total must be a non-negative integer, got ${total}`);
    if (opts.barSize !== undefined && opts.barSize < 1) throw new ValueError(`ProgressBar: barSize must be a positive integer, got ${opts.barSize}`);
    const stream = opts.stream ?? (typeof process !== 'undefined' ? process.stderr : undefined);
    this.active = stream?.isTTY === true;
    if (!this.active) return;
    const label = opts.label ? `${opts.label} ` : '';
    const unit = opts.unit ?? 'it';
    const start = this.#start;
    const format: cliProgress.GenericFormatter = (options, params, payload: { values?: Record<string, number | string> }) => {
      const elapsed = (Date.now() - start) / 1000;
      const rate = elapsed > 0 ? params.value / elapsed : 0;
      const counts = params.total > 0 ? `${params.value}/${params.total}` : `${params.value}`;
      const bar = params.total > 0 ? `[${cliProgress.Format.BarFormat(params.progress, options)}] ` : '';
      const eta = params.total > 0 && rate > 0 && params.value < params.total ? `  ETA ${formatDuration((params.total - params.value) / rate)}` : '';
      const vals = formatValues(payload.values);
      return `${label}${bar}${counts}${vals ? `  ${vals}` : ''}  ${rate.toFixed(1)} ${unit}/s${eta}`;
    };
    this.#bar = new cliProgress.SingleBar({
      stream: stream as NodeJS.WritableStream,
      format,
      barsize: opts.barSize ?? 30,
      barCompleteChar: '=',
      barIncompleteChar: '-',
      hideCursor: false,
      clearOnComplete: true,
      linewrap: true, // cut at the terminal width instead of wrapping onto new lines
      gracefulExit: false, // its SIGINT handler would keep Ctrl-C from ending the program
      fps: 10,
    });
    this.#bar.start(total, 0, { values: {} });
  }

  /**
   * Sets the number of steps done and the values shown after the bar (e.g. the running loss).
   *
   * @example
   * const bar = new ProgressBar({ total: 20 });
   * bar.update(12, { loss: 0.4213, accuracy: 0.87 });
   * bar.stop();
   */
  update(n: number, values?: Record<string, number | string>): void {
    if (typeof n !== 'number') throw new ValueError(`ProgressBar.update: n must be a number, got ${describeValue(n)}`);
    if (values !== undefined && !isObject(values)) throw new ValueError(`ProgressBar.update: values must be an object of numbers or strings, got ${describeValue(values)}`);
    this.#bar?.update(n, { values: values ?? {} });
  }

  /**
   * Removes the bar from the terminal (call it before printing the epoch's line).
   *
   * @example
   * const bar = new ProgressBar({ total: 3 });
   * bar.stop();
   */
  stop(): void {
    this.#bar?.stop();
  }
}

/**
 * Options of {@link logEpoch} and {@link formatEpoch}.
 *
 * @example
 * const lines: string[] = [];
 * logEpoch(1, 5, { loss: 0.7 }, 2, { samples: 1000, write: (l) => lines.push(l) });
 * lines[0]; // 'epoch 1/5  loss 0.7000  2.0s (500 samples/s)'
 */
export interface LogEpochOptions {
  /** Training samples seen in the epoch, for the speed (`4,870 samples/s`); default `logs.samples`. */
  samples?: number;
  /** Where the line goes (default `console.log`). */
  write?: (line: string) => void;
}

// Keys that are shown at the end of the line (or not at all) rather than as `key value`.
const TAIL_KEYS = new Set(['seconds', 'samples', 'epoch']);

/**
 * The line {@link logEpoch} prints: `epoch 3/10  loss 0.1234  accuracy 0.9650  val_loss 0.2000  12.3s (4,870 samples/s)`.
 *
 * @example
 * formatEpoch(3, 10, { loss: 0.12345, accuracy: 0.965 }, 12.3, { samples: 59_901 });
 * // 'epoch 3/10  loss 0.1235  accuracy 0.9650  12.3s (4,870 samples/s)'
 */
export function formatEpoch(epoch: number, epochs: number, logs: Record<string, number>, seconds: number, opts?: LogEpochOptions): string {
  opts = checkOptions(FORMAT_EPOCH, opts);
  checkEpochArgs('formatEpoch', epoch, epochs, logs, seconds);
  return epochLine(epoch, epochs, logs, seconds, opts);
}

function checkEpochArgs(op: string, epoch: unknown, epochs: unknown, logs: unknown, seconds: unknown): void {
  requireInteger(op, 'epoch', epoch);
  requireInteger(op, 'epochs', epochs);
  if (!isObject(logs)) throw new ValueError(`${op}: logs must be an object of numbers, got ${describeValue(logs)}`);
  requireNumber(op, 'seconds', seconds);
}

function epochLine(epoch: number, epochs: number, logs: Record<string, number>, seconds: number, opts: LogEpochOptions): string {
  const parts = [`epoch ${epoch}/${epochs}`];
  for (const [k, v] of Object.entries(logs)) {
    if (TAIL_KEYS.has(k)) continue;
    parts.push(k === 'lr' ? `lr ${Number(v.toPrecision(4))}` : `${k} ${formatValue(v)}`);
  }
  let tail = `${seconds.toFixed(seconds < 1 ? 2 : 1)}s`;
  const samples = opts.samples ?? logs.samples;
  if (samples !== undefined && seconds > 0)
    tail += ` (${Math.round(samples / seconds).toLocaleString('en-US')} samples/s)`;
  parts.push(tail);
  return parts.join('  ');
}

/**
 * Prints one plain line for a finished epoch (works on terminals, in CI logs and in files):
 * `epoch 3/10  loss 0.1234  accuracy 0.9650  val_loss 0.2000  12.3s (4,870 samples/s)`.
 * Values print with 4 decimals; `lr` with 4 significant digits; `seconds` (2 decimals below 1 s, else 1)
 * and `samples` make the tail.
 *
 * @param epoch - the epoch number as printed, 1-based
 * @param epochs - the number of epochs
 * @param logs - the values to show, in order
 * @param seconds - the epoch's duration
 * @example
 * logEpoch(3, 10, { loss: 0.1234, accuracy: 0.965 }, 12.3, { samples: 60_000 });
 * // epoch 3/10  loss 0.1234  accuracy 0.9650  12.3s (4,878 samples/s)
 */
export function logEpoch(epoch: number, epochs: number, logs: Record<string, number>, seconds: number, opts?: LogEpochOptions): void {
  opts = checkOptions(LOG_EPOCH, opts);
  checkEpochArgs('logEpoch', epoch, epochs, logs, seconds);
  (opts.write ?? console.log)(epochLine(epoch, epochs, logs, seconds, opts));
}
