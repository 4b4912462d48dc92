import { Tensor, ValueError, describeValue, fmtShape, noGrad } from '@tapegrad/core';
import { Module } from '@tapegrad/nn';
import { accuracy } from './metrics.js';
import { checkTrainOptions, custom, defineTrainOptions, isObject } from './options.js';

/** A loss function or a loss module. */
export const LOSS = custom('a function (output, target) => Tensor or a loss module', (v) => typeof v === 'function' || (isObject(v) && typeof v.call === 'function'));
const EVALUATE = defineTrainOptions('evaluate', { loss: LOSS, metrics: 'array' });
const EVALUATE_ASYNC = defineTrainOptions('evaluateAsync', { loss: LOSS, metrics: 'array' });

/** Throws unless `model` is a Module (of @tapegrad/nn). */
export function checkModel(op: string, model: unknown): void {
  if (!(model instanceof Module)) throw new ValueError(`${op}: model must be a Module (of @tapegrad/nn), got ${describeValue(model)}`);
}

/**
 * A loss: a function `(output, target) => scalar` (e.g. `F.crossEntropy`) or a loss module (e.g. `new MSELoss()`).
 *
 * @example
 * const losses: LossFn[] = [F.mseLoss, new MSELoss(), (o, t) => o.sub(t).square().sum().mul(0.5)];
 */
export type LossFn = ((output: Tensor, target: Tensor) => Tensor) | { call(output: Tensor, target: Tensor): Tensor };

/**
 * A metric computed per batch and averaged over samples (weighted by batch size): the built-in
 * `'accuracy'` (see {@link accuracy}) or a named function of the batch's outputs and targets.
 *
 * @example
 * const mae: Metric = { name: 'mae', fn: (o, t) => o.sub(t).abs().mean().item() };
 * evaluate(new Linear(2, 1), [[randn([4, 2]), randn([4, 1])]], { metrics: [mae] }).mae; // a number
 */
export type Metric = 'accuracy' | { name: string; fn: (output: Tensor, target: Tensor) => number };

/**
 * A batch: inputs and targets (further entries are ignored), as a `DataLoader` over a `TensorDataset` yields.
 *
 * @example
 * const batch: Batch = [randn([32, 784]), randint(0, 10, [32])];
 */
export type Batch = readonly Tensor[];

/**
 * Where batches come from: a `DataLoader`, an array of `[x, y]` pairs, a generator, or an async iterable.
 *
 * @example
 * const x = randn([100, 4]);
 * const y = randint(0, 3, [100]);
 * const loader: Loader = x.split(25).map((xb, i) => [xb, y.narrow(0, 25 * i, 25)]);
 */
export type Loader = Iterable<Batch> | AsyncIterable<Batch>;

/**
 * Options of {@link evaluate}.
 *
 * @example
 * const opts: EvaluateOptions = { loss: F.crossEntropy, metrics: ['accuracy'] };
 */
export interface EvaluateOptions {
  /** The loss to average over the samples (omitted: no `loss` in the result). */
  loss?: LossFn;
  /** Metrics to average over the samples (default none). */
  metrics?: ReadonlyArray<Metric>;
}

/**
 * What {@link evaluate} returns: the sample-weighted means of the loss and metrics, and the sample count.
 *
 * @example
 * const r: EvaluateResult = evaluate(new Linear(3, 2), [[randn([6, 3]), randint(0, 2, [6])]], { metrics: ['accuracy'] });
 * r.samples; // 6
 */
export interface EvaluateResult {
  /** Mean loss over the samples (when a loss was given). */
  loss?: number;
  /** Accuracy over the samples (when asked for). */
  accuracy?: number;
  /** Number of samples seen. */
  samples: number;
  /** Further metrics by name. */
  [metric: string]: number | undefined;
}

/**
 * The model type {@link fit} and {@link evaluate} take: a module from one tensor to one tensor.
 *
 * @example
 * const model: TrainableModule = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
 */
export type TrainableModule = Module<[Tensor], Tensor>;

/** Applies a loss function or loss module and checks that it gives one number. */
export function applyLoss(op: string, loss: LossFn, output: Tensor, target: Tensor): Tensor {
  const l = typeof loss === 'function' ? loss(output, target) : loss.call(output, target);
  if (!(l instanceof Tensor)) throw new ValueError(`${op}: the loss must return a Tensor, got ${l === null ? 'null' : typeof l}`);
  if (l.numel() !== 1)
    throw new ValueError(`${op}: the loss must be a single number, got shape ${fmtShape(l.shape)} (use reduction 'mean' or 'sum')`);
  return l;
}

/** Throws unless `loader` is iterable or async iterable. */
export function checkLoader(op: string, what: string, loader: unknown): void {
  const l = loader as Partial<Iterable<Batch> & AsyncIterable<Batch>> | null | undefined;
  if (l == null || (typeof l[Symbol.iterator] !== 'function' && typeof l[Symbol.asyncIterator] !== 'function'))
    throw new ValueError(`${op}: ${what} must be iterable or async iterable, got ${describeValue(loader)}`);
}

/** Checks a batch and returns its inputs and targets. */
export function splitBatch(op: string, batch: unknown, index: number): [Tensor, Tensor] {
  if (!Array.isArray(batch) || batch.length < 2 || !(batch[0] instanceof Tensor) || !(batch[1] instanceof Tensor))
    throw new ValueError(`${op}: batch ${index} must be [inputs, targets] (two Tensors), got ${describe(batch)}`);
  return [batch[0], batch[1]];
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of ${x.length} (${x.map((e) => (e instanceof Tensor ? `Tensor ${fmtShape(e.shape)}` : typeof e)).join(', ')})`;
  return x === null ? 'null' : x instanceof Tensor ? `a Tensor of shape ${fmtShape(x.shape)}` : typeof x;
}

/** Number of samples in a batch: the first dimension of its inputs (1 for a 0-d tensor). */
export function batchSizeOf(x: Tensor): number {
  return x.ndim === 0 ? 1 : x.shape[0]!;
}

/** The name under which a metric is logged. */
export function metricName(m: Metric): string {
  return m === 'accuracy' ? 'accuracy' : m.name;
}

/** Checks that every metric is `'accuracy'` or `{ name, fn }`. */
export function checkMetrics(op: string, metrics: ReadonlyArray<Metric>): void {
  for (const m of metrics)
    if (m !== 'accuracy' && !(m && typeof m.name === 'string' && typeof m.fn === 'function'))
      throw new ValueError(`${op}: a metric must be 'accuracy' or { name, fn }, got ${describeValue(m)}`);
}

/** Computes one metric on a batch. */
export function metricValue(m: Metric, output: Tensor, target: Tensor): number {
  return m === 'accuracy' ? accuracy(output, target) : m.fn(output, target);
}

/** Sums of sample-weighted values over batches (internal). */
export class Running {
  samples = 0;
  readonly sums = new Map<string, number>();

  add(name: string, value: number, weight: number): void {
    this.sums.set(name, (this.sums.get(name) ?? 0) + value * weight);
  }

  mean(name: string): number {
    return (this.sums.get(name) ?? NaN) / this.samples;
  }

  means(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of this.sums.keys()) out[prefix + k] = this.mean(k);
    return out;
  }
}

function evalBatch(op: string, model: TrainableModule, batch: unknown, index: number, opts: EvaluateOptions, run: Running): void {
  const [x, y] = splitBatch(op, batch, index);
  const n = batchSizeOf(x);
  noGrad(() => {
    const out = model.call(x);
    if (opts.loss) run.add('loss', applyLoss(op, opts.loss, out, y).item(), n);
    for (const m of opts.metrics ?? []) run.add(metricName(m), metricValue(m, out, y), n);
  });
  run.samples += n;
}

function result(run: Running): EvaluateResult {
  return { ...run.means(), samples: run.samples };
}

/** The evaluation of a synchronous loader, in eval mode (restored after). */
function evaluateSync(op: string, model: TrainableModule, loader: Iterable<Batch>, opts: EvaluateOptions): EvaluateResult {
  const was = model.training;
  model.eval();
  try {
    const run = new Running();
    let i = 0;
    for (const batch of loader) evalBatch(op, model, batch, i++, opts, run);
    return result(run);
  } finally {
    model.train(was);
  }
}

/**
 * Runs a model over every batch of a loader without recording (under `noGrad`, in `eval()` mode,
 * restoring the previous mode after), and returns the loss and metrics averaged over the samples
 * (each batch weighted by its size). For a loader that is only async, use {@link evaluateAsync}.
 *
 * @param model - maps inputs `[B, ...]` to outputs `[B, ...]`
 * @param loader - batches `[x, y]`, e.g. a `DataLoader` or `[[xTest, yTest]]`
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values), a model that is not a Module, a malformed batch, a loss that is not a single number, or an async-only loader
 * @example
 * const model = new Linear(4, 3);
 * const x = randn([10, 4]);
 * const y = randint(0, 3, [10]);
 * const batches = [[x.narrow(0, 0, 5), y.narrow(0, 0, 5)], [x.narrow(0, 5, 5), y.narrow(0, 5, 5)]];
 * const r = evaluate(model, batches, { loss: F.crossEntropy, metrics: ['accuracy'] });
 * console.log(`test loss ${r.loss!.toFixed(4)}, accuracy ${(100 * r.accuracy!).toFixed(2)}%`);
 */
export function evaluate(model: TrainableModule, loader: Iterable<Batch>, opts?: EvaluateOptions): EvaluateResult {
  const op = 'evaluate';
  opts = checkTrainOptions(EVALUATE, opts);
  checkModel(op, model);
  if (loader == null || typeof (loader as Iterable<Batch>)[Symbol.iterator] !== 'function')
    throw new ValueError(
      typeof loader === 'object' && loader !== null && Symbol.asyncIterator in loader
        ? 'evaluate: the loader must be iterable (it is async only: use evaluateAsync)'
        : `evaluate: the loader must be iterable, got ${describeValue(loader)}`,
    );
  checkMetrics(op, opts.metrics ?? []);
  return evaluateSync(op, model, loader, opts);
}

/**
 * {@link evaluate} for any loader, synchronous or async (`for await`); {@link fit} uses it for validation.
 *
 * @example
 * const model = new Linear(2, 1);
 * async function* batches() {
 *   yield [randn([4, 2]), randn([4, 1])];
 * }
 * const r = await evaluateAsync(model, batches(), { loss: F.mseLoss });
 * r.samples; // 4
 */
export async function evaluateAsync(model: TrainableModule, loader: Loader, opts?: EvaluateOptions): Promise<EvaluateResult> {
  const op = 'evaluateAsync';
  opts = checkTrainOptions(EVALUATE_ASYNC, opts);
  checkModel(op, model);
  checkMetrics(op, opts.metrics ?? []);
  checkLoader(op, 'the loader', loader);
  if (typeof (loader as Iterable<Batch>)[Symbol.iterator] === 'function') return evaluateSync(op, model, loader as Iterable<Batch>, opts);
  const was = model.training;
  model.eval();
  try {
    const run = new Running();
    let i = 0;
    for await (const batch of loader) evalBatch(op, model, batch, i++, opts, run);
    return result(run);
  } finally {
    model.train(was);
  }
}
