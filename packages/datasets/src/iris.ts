import { Tensor, ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { IRIS_ROWS } from './iris-data.js';

const IRIS = defineOptions('loadIris', { classes: 'array', features: 'array' });

/**
 * The three Iris species, in label order.
 *
 * @example
 * IRIS_CLASS_NAMES; // ['setosa', 'versicolor', 'virginica']
 * IRIS_CLASS_NAMES[loadIris().labels.data[100]!]; // 'virginica'
 */
export const IRIS_CLASS_NAMES = ['setosa', 'versicolor', 'virginica'] as const;

/**
 * The four Iris measurements (cm), in column order (scikit-learn's names).
 *
 * @example
 * IRIS_FEATURE_NAMES; // ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']
 */
export const IRIS_FEATURE_NAMES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'] as const;

/**
 * Options of {@link loadIris}.
 *
 * @example
 * const opts: IrisOptions = { classes: ['versicolor', 'virginica'], features: ['petal length', 3] };
 * const { features, labels, featureNames } = loadIris(opts);
 * features.shape; // [100, 2]
 * labels.slice([48, 52]).toArray(); // [0, 0, 1, 1] (renumbered in the order given)
 * featureNames; // ['petal length (cm)', 'petal width (cm)']
 */
export interface IrisOptions {
  /**
   * Keep only these classes, by name (`'setosa'`, `'Iris-setosa'`) or index (0..2); labels are
   * renumbered 0..K-1 in the order given. Default: all three.
   */
  classes?: readonly (string | number)[];
  /**
   * Keep only these features, in this order, by index (0..3) or name: `'sepal length'`,
   * `'sepal length (cm)'`, `'sepal_length'` and `'sepalLength'` all name column 0.
   * Default: all four.
   */
  features?: readonly (string | number)[];
}

/**
 * What {@link loadIris} returns.
 *
 * @example
 * const iris: Iris = loadIris();
 * iris.features.select(0, 0).toArray(); // [5.1, 3.5, 1.4, 0.2]
 * iris.classNames; // ['setosa', 'versicolor', 'virginica']
 */
export interface Iris {
  /** float32 `[N, D]` measurements in cm (`[150, 4]` by default). */
  features: Tensor;
  /** int32 `[N]` class indices into `classNames`. */
  labels: Tensor;
  /** Species of each label. */
  classNames: string[];
  /** Name of each feature column. */
  featureNames: string[];
}

const normalize = (s: string) => s.toLowerCase().replace(/\(cm\)/g, '').replace(/^iris-/, '').replace(/[^a-z]/g, '');

function resolve(op: string, what: string, wanted: readonly (string | number)[], names: readonly string[]): number[] {
  const keys = names.map(normalize);
  const out = wanted.map((w) => {
    const k = typeof w === 'number' ? (Number.isInteger(w) && w >= 0 && w < names.length ? w : -1) : keys.indexOf(normalize(w));
    if (k < 0) throw new ValueError(`${op}: unknown ${what} ${JSON.stringify(w)}; expected one of ${names.join(', ')} or an index 0..${names.length - 1}`);
    return k;
  });
  const dup = out.find((k, i) => out.indexOf(k) !== i);
  if (dup !== undefined) throw new ValueError(`${op}: ${what} ${names[dup]} is listed twice`);
  if (out.length === 0) throw new ValueError(`${op}: no ${what}s selected`);
  return out;
}

/**
 * The Iris data set (Fisher, 1936), bundled: 150 flowers, 4 measurements, 3 species, in the usual
 * row order (50 setosa, then 50 versicolor, then 50 virginica). The values are scikit-learn's
 * (`load_iris`), which correct two errata of the UCI file to Fisher's paper.
 *
 * - returns `{ features: [N, D] float32, labels: [N] int32, classNames, featureNames }`,
 *   `[150, 4]` and `[150]` by default
 *
 * @throws ValueError for an unknown or repeated class or feature
 * @example
 * const { features, labels } = loadIris();
 * [features.shape, labels.shape]; // [[150, 4], [150]]
 * // The lectures' two-class problem: setosa (0) vs. versicolor (1), two features.
 * const two = loadIris({ classes: ['setosa', 'versicolor'], features: ['sepal length', 'petal length'] });
 * two.features.shape; // [100, 2]
 */
export function loadIris(opts?: IrisOptions): Iris {
  opts = checkOptions(IRIS, opts);
  const classes = opts.classes ? resolve('loadIris', 'class', opts.classes, IRIS_CLASS_NAMES) : [0, 1, 2];
  const cols = opts.features ? resolve('loadIris', 'feature', opts.features, IRIS_FEATURE_NAMES) : [0, 1, 2, 3];
  const rows: number[] = [];
  const labels: number[] = [];
  // Keep the file's row order; rows i belong to class floor(i / 50).
  IRIS_ROWS.forEach((_, i) => {
    const k = classes.indexOf(Math.floor(i / 50));
    if (k >= 0) {
      rows.push(i);
      labels.push(k);
    }
  });
  const x = new Float32Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (x[i * cols.length + j] = IRIS_ROWS[r]![c]!)));
  return {
    features: Tensor.fromData(x, [rows.length, cols.length], 'float32'),
    labels: Tensor.fromData(Int32Array.from(labels), [rows.length], 'int32'),
    classNames: classes.map((k) => IRIS_CLASS_NAMES[k]!),
    featureNames: cols.map((c) => IRIS_FEATURE_NAMES[c]!),
  };
}
