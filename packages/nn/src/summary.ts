import { Tensor, ValueError, checkOptions, defineOptions, describeValue, noGrad, parseDType, zeros, type DTypeLike } from '@tapegrad/core';

const OPTS = defineOptions('summary', { print: 'boolean', dtype: 'string' });
import { Module, type AnyModule } from './module.js';
import { Embedding } from './layers/embedding.js';

/**
 * One layer of a {@link ModelSummary}.
 *
 * @example
 * const row: SummaryRow = summary(new Sequential(new Linear(2, 3)), [1, 2]).rows[0]!;
 * row; // { name: '0', type: 'Linear', outputShape: [1, 3], params: 9 }
 */
export interface SummaryRow {
  /** Dotted name of the module in the model (`'0'`, `'features.conv1'`). */
  name: string;
  /** Its class name (`'Conv2d'`). */
  type: string;
  /** The shape of its output in the summary's forward pass (several for several outputs). */
  outputShape: number[] | number[][];
  /** The number of parameter elements held directly by the module. */
  params: number;
}

/**
 * Parameter totals of a {@link ModelSummary}.
 *
 * @example
 * const model = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
 * const totals: SummaryTotals = summary(model, [4, 2]).totals;
 * totals; // { total: 15, trainable: 15, nonTrainable: 0 }
 * summary(model.requiresGrad_(false), [4, 2]).totals.trainable; // 0
 */
export interface SummaryTotals {
  /** All parameter elements (shared parameters counted once). */
  total: number;
  /** Those that require grad. */
  trainable: number;
  /** Those that do not. */
  nonTrainable: number;
}

const fmtInt = (n: number) => n.toLocaleString('en-US');
const fmtShapeList = (s: number[] | number[][]) =>
  Array.isArray(s[0]) ? (s as number[][]).map((x) => `[${x.join(', ')}]`).join(', ') : `[${(s as number[]).join(', ')}]`;

/**
 * The result of {@link summary}: per-layer rows, totals, and a Keras-style table from `toString()`.
 *
 * @example
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * const s = summary(model, [1, 784]);
 * s.rows.map((r) => r.params); // [100480, 0, 1290]
 * s.totals.total; // 101770
 * console.log(s.toString()); // Layer (type) | Output Shape | Param #, then the totals
 */
export class ModelSummary {
  constructor(
    readonly rows: SummaryRow[],
    readonly totals: SummaryTotals,
  ) {}

  /**
   * The table, Keras-style: layer (type), output shape, parameter count, then the totals.
   *
   * @example
   * const s = summary(new Sequential(new Linear(2, 3)), [1, 2]);
   * s.toString().split('\n').at(-3); // 'Trainable params: 9'
   */
  toString(): string {
    const head = ['Layer (type)', 'Output Shape', 'Param #'];
    const body = this.rows.map((r) => [`${r.name} (${r.type})`, fmtShapeList(r.outputShape), fmtInt(r.params)]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)) + 4);
    const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('').trimEnd();
    const width = widths.reduce((a, b) => a + b, 0);
    return [
      '_'.repeat(width),
      line(head),
      '='.repeat(width),
      ...body.map(line),
      '='.repeat(width),
      `Total params: ${fmtInt(this.totals.total)}`,
      `Trainable params: ${fmtInt(this.totals.trainable)}`,
      `Non-trainable params: ${fmtInt(this.totals.nonTrainable)}`,
      '_'.repeat(width),
    ].join('\n');
  }
}

function shapeOf(out: unknown): number[] | number[][] {
  if (out instanceof Tensor) return out.shape;
  if (Array.isArray(out)) return out.filter((o): o is Tensor => o instanceof Tensor).map((t) => t.shape);
  return [];
}

/**
 * Summarises a model like Keras's `model.summary()`: each layer's name, type, output shape and
 * parameter count, and the totals of all, trainable and non-trainable parameters.
 *
 * It runs one forward pass on zeros of `inputShape` (the full shape, batch dim included; several
 * shapes for several inputs) in evaluation mode without recording the tape, recording the output of
 * every leaf module (and of every module that holds parameters itself) through forward hooks.
 * The model's training flags are restored and the hooks removed afterwards, so running statistics
 * and random generators are untouched.
 *
 * @param opts.print - also print the table with `console.log`
 * @param opts.dtype - dtype of the zeros (default: that of the model's first parameter, or float32; int32 for an Embedding first)
 * @throws ValueError for a bad input shape; whatever the model's forward throws
 * @example
 * const model = new Sequential( // the Keras MNIST convnet
 *   new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
 *   new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
 *   new Conv2d(64, 64, 3), new ReLU(), new Flatten(),
 *   new Linear(576, 64), new ReLU(), new Linear(64, 10));
 * summary(model, [1, 1, 28, 28]).totals.total; // 93322 ({ print: true } also prints the table)
 */
export function summary(
  model: AnyModule,
  inputShape: readonly number[] | ReadonlyArray<readonly number[]>,
  opts?: { print?: boolean; dtype?: DTypeLike },
): ModelSummary {
  opts = checkOptions(OPTS, opts);
  if (!(model instanceof Module)) throw new ValueError(`summary: model must be a Module, got ${describeValue(model)}`);
  if (!Array.isArray(inputShape))
    throw new ValueError(`summary: inputShape must be an array of non-negative integers (or several), got ${describeValue(inputShape)}`);
  const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as ReadonlyArray<readonly number[]>;
  for (const s of shapes)
    if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0))
      throw new ValueError(`summary: inputShape must be an array of non-negative integers (or several), got ${JSON.stringify(inputShape)}`);
  const firstLeaf = model.modules().find((m) => m.children().length === 0);
  const dtype = opts.dtype !== undefined ? parseDType('summary', opts.dtype) : (firstLeaf instanceof Embedding ? 'int32' : model.parameters()[0]?.dtype ?? 'float32');

  const rows: SummaryRow[] = [];
  const removers: Array<() => void> = [];
  const modes = new Map<AnyModule, boolean>();
  for (const [name, m] of model.namedModules()) {
    modes.set(m, m.training);
    const own = m.namedOwnParameters().reduce((n, [, p]) => n + p.numel(), 0);
    if (m.children().length > 0 && own === 0) continue;
    removers.push(
      m.registerForwardHook((mod, _args, out) => {
        rows.push({ name: name || mod.typeName(), type: mod.typeName(), outputShape: shapeOf(out), params: own });
      }),
    );
  }
  try {
    model.eval();
    const inputs = shapes.map((s) => zeros(s, { dtype }));
    noGrad(() => model.call(...inputs));
  } finally {
    for (const r of removers) r();
    for (const [m, mode] of modes) m.training = mode;
  }

  let total = 0;
  let trainable = 0;
  for (const p of model.parameters()) {
    total += p.numel();
    if (p.requiresGrad) trainable += p.numel();
  }
  const result = new ModelSummary(rows, { total, trainable, nonTrainable: total - trainable });
  if (opts.print) console.log(result.toString());
  return result;
}
