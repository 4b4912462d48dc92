import { ShapeError, Tensor, ValueError, checkOptions, defineOptions, describeValue, fmtShape, isFloating } from '@tapegrad/core';
import { requireTensor } from './options.js';

const ACCURACY = defineOptions('accuracy', { threshold: 'number' });
const CONFUSION_MATRIX = defineOptions('confusionMatrix', { threshold: 'number' });

/**
 * Options of {@link accuracy} and {@link confusionMatrix}.
 *
 * @example
 * accuracy(tensor([0.3, 0.8]), tensor([1, 1]), { threshold: 0.25 }); // 1
 */
export interface ClassifyOptions {
  /** Threshold for binary probabilities `[N]` / `[N, 1]` (default 0.5: a value `> threshold` is class 1). */
  threshold?: number;
}

/**
 * Class labels from a classifier's output, one per row (internal helper of the metrics and pictures):
 * - `[N, C]` with C > 1, any dtype: the argmax of each row (the first on ties), as PyTorch's `argmax(1)`;
 * - `[N]` or `[N, 1]` int32/bool: the labels themselves;
 * - `[N]` or `[N, 1]` float: binary probabilities, 1 where `p > threshold`, else 0.
 */
export function labelsOf(op: string, what: string, t: Tensor, opts: ClassifyOptions = {}): Int32Array {
  requireTensor(op, what, t);
  const shape = t.shape;
  const data = t.data;
  if (shape.length === 2 && shape[1]! > 1) {
    const [n, c] = shape as [number, number];
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestV = data[i * c]!;
      for (let j = 1; j < c; j++) {
        const v = data[i * c + j]!;
        // NaN never wins, as with a NaN-free argmax; a row of NaNs gives class 0.
        if (v > bestV || (Number.isNaN(bestV) && !Number.isNaN(v))) {
          best = j;
          bestV = v;
        }
      }
      out[i] = best;
    }
    return out;
  }
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1) || shape.length === 0) {
    const n = data.length;
    const out = new Int32Array(n);
    if (isFloating(t.dtype)) {
      const th = opts.threshold ?? 0.5;
      for (let i = 0; i < n; i++) out[i] = data[i]! > th ? 1 : 0;
    } else for (let i = 0; i < n; i++) out[i] = data[i]!;
    return out;
  }
  throw new ShapeError(`${op}: ${what} must have shape [N, C], [N, 1] or [N], got ${fmtShape(shape)}`);
}

/**
 * Target labels: int32 `[N]` (class ids), float `[N]` / `[N, 1]` holding 0/1 (or other whole
 * numbers) for binary problems, or one-hot / probability rows `[N, C]` (argmax per row).
 */
export function targetLabelsOf(op: string, t: Tensor): Int32Array {
  requireTensor(op, 'targets', t);
  if (t.ndim === 2 && t.shape[1]! > 1) return labelsOf(op, 'targets', t);
  if (t.ndim > 2) throw new ShapeError(`${op}: targets must have shape [N], [N, 1] or [N, C], got ${fmtShape(t.shape)}`);
  const data = t.data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v)) throw new ValueError(`${op}: targets must be class ids (whole numbers), got ${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}

function rows(t: Tensor): number {
  return t.ndim === 0 ? 1 : t.shape[0]!;
}

function checkRows(op: string, outputs: Tensor, targets: Tensor): void {
  if (rows(outputs) !== rows(targets))
    throw new ShapeError(
      `${op}: outputs ${fmtShape(outputs.shape)} and targets ${fmtShape(targets.shape)} have different numbers of rows (${rows(outputs)} != ${rows(targets)})`,
    );
}

/**
 * Fraction of correct predictions: `mean(pred_i == target_i)`, in [0, 1].
 *
 * How `outputs` becomes predicted classes:
 * - `[N, C]` scores, logits or probabilities (C > 1): the argmax of each row;
 * - `[N]` or `[N, 1]` float: binary probabilities, class 1 where `p > threshold` (0.5);
 * - `[N]` or `[N, 1]` int32 or bool: predicted labels, compared as they are (so -1/+1 labels work).
 *
 * `targets` are class ids `[N]` (int32, or float 0/1 for binary problems), `[N, 1]`, or one-hot
 * rows `[N, C]`. Nothing is recorded on the tape.
 *
 * @param outputs - model outputs, shape [N, C], [N, 1] or [N]
 * @param targets - labels, shape [N], [N, 1] or [N, C]
 * @returns the accuracy; NaN for N = 0
 * @throws ShapeError when the row counts differ or a shape is not one of the above
 * @throws ValueError when outputs or targets are not Tensors, for bad options, or when targets are not whole numbers
 * @example
 * const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 0]]);
 * accuracy(logits, tensor([0, 1, 1, 0], { dtype: 'int32' })); // 0.75
 * accuracy(tensor([0.9, 0.2, 0.7]), tensor([1, 0, 0])); // 2/3
 */
export function accuracy(outputs: Tensor, targets: Tensor, opts?: ClassifyOptions): number {
  opts = checkOptions(ACCURACY, opts);
  const op = 'accuracy';
  const pred = labelsOf(op, 'outputs', outputs, opts);
  const tgt = targetLabelsOf(op, targets);
  checkRows(op, outputs, targets);
  if (pred.length !== tgt.length)
    throw new ShapeError(`${op}: outputs ${fmtShape(outputs.shape)} give ${pred.length} predictions, targets ${fmtShape(targets.shape)} give ${tgt.length} labels`);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === tgt[i]) correct++;
  return pred.length === 0 ? NaN : correct / pred.length;
}

/**
 * The confusion matrix `m[t][p]` = number of samples of true class `t` predicted as class `p`
 * (rows = true class, columns = predicted class), as scikit-learn's `confusion_matrix`.
 *
 * `predicted` is read as in {@link accuracy} (labels `[N]`, scores `[N, C]`, or binary
 * probabilities), `targets` as class ids in `[0, numClasses)`.
 *
 * @param numClasses - K, the matrix size (default: 1 + the largest class seen, at least C for scores `[N, C]`)
 * @returns a K x K array of counts
 * @throws ValueError for non-Tensor inputs, a bad numClasses or bad options, or a class id outside `[0, numClasses)`
 * @throws ShapeError when the row counts differ
 * @example
 * confusionMatrix(tensor([0, 1, 1, 2], { dtype: 'int32' }), tensor([0, 1, 2, 2], { dtype: 'int32' }));
 * // [[1, 0, 0],
 * //  [0, 1, 0],
 * //  [0, 1, 1]]
 */
export function confusionMatrix(predicted: Tensor, targets: Tensor, numClasses?: number, opts?: ClassifyOptions): number[][] {
  const op = 'confusionMatrix';
  opts = checkOptions(CONFUSION_MATRIX, opts);
  if (numClasses !== undefined && !Number.isInteger(numClasses))
    throw new ValueError(
      `${op}: numClasses must be a positive integer, got ${describeValue(numClasses)}` +
        (typeof numClasses === 'object' && numClasses !== null && !Array.isArray(numClasses) ? '; options go fourth: confusionMatrix(predicted, targets, undefined, { threshold })' : ''),
    );
  const pred = labelsOf(op, 'predicted', predicted, opts);
  const tgt = targetLabelsOf(op, targets);
  checkRows(op, predicted, targets);
  if (pred.length !== tgt.length)
    throw new ShapeError(`${op}: predicted ${fmtShape(predicted.shape)} gives ${pred.length} labels, targets ${fmtShape(targets.shape)} give ${tgt.length}`);
  let k = numClasses;
  if (k === undefined) {
    k = predicted.ndim === 2 && predicted.shape[1]! > 1 ? predicted.shape[1]! : 0;
    for (let i = 0; i < pred.length; i++) k = Math.max(k, pred[i]! + 1, tgt[i]! + 1);
  } else if (!Number.isInteger(k) || k < 1) throw new ValueError(`${op}: numClasses must be a positive integer, got ${k}`);
  const m: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < pred.length; i++) {
    const t = tgt[i]!;
    const p = pred[i]!;
    if (t < 0 || t >= k || p < 0 || p >= k)
      throw new ValueError(`${op}: class ids must be in [0, ${k}); got target ${t} and prediction ${p} at row ${i}`);
    m[t]![p]!++;
  }
  return m;
}

/**
 * Prints a confusion matrix as an aligned table, rows = true class, columns = predicted class,
 * with row totals and per-class recall.
 *
 * @param m - a K x K matrix from {@link confusionMatrix}
 * @param classNames - names of the K classes (default: 0 .. K-1)
 * @throws ValueError when `m` is not square or `classNames` has the wrong length
 * @example
 * console.log(formatConfusionMatrix([[5, 1], [0, 4]], ['cat', 'dog']));
 * // true \ pred  cat  dog  total  recall
 * //         cat    5    1      6  0.8333
 * //         dog    0    4      4  1.0000
 */
export function formatConfusionMatrix(m: ReadonlyArray<ReadonlyArray<number>>, classNames?: ReadonlyArray<string>): string {
  const op = 'formatConfusionMatrix';
  if (!Array.isArray(m) || !m.every((r) => Array.isArray(r)))
    throw new ValueError(`${op}: m must be an array of rows (from confusionMatrix), got ${describeValue(m)}`);
  if (classNames !== undefined && !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string')))
    throw new ValueError(`${op}: classNames must be an array of strings, got ${describeValue(classNames)}`);
  const k = m.length;
  if (!m.every((r) => r.length === k)) throw new ValueError(`${op}: expected a square matrix, got rows of lengths ${m.map((r) => r.length).join(', ')}`);
  if (classNames && classNames.length !== k) throw new ValueError(`${op}: ${classNames.length} class names for a ${k} x ${k} matrix`);
  const names = classNames ? [...classNames] : Array.from({ length: k }, (_, i) => String(i));
  const corner = 'true \\ pred';
  const header = [corner, ...names, 'total', 'recall'];
  const body = m.map((r, i) => {
    const total = r.reduce((a, b) => a + b, 0);
    return [names[i]!, ...r.map(String), String(total), total ? (r[i]! / total).toFixed(4) : '-'];
  });
  const table = [header, ...body];
  const widths = header.map((_, j) => Math.max(...table.map((row) => row[j]!.length)));
  return table.map((row) => row.map((c, j) => c.padStart(widths[j]!)).join('  ')).join('\n');
}
