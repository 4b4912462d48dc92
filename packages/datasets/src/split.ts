import { Generator, ShapeError, Tensor, ValueError, defaultGenerator, checkOptions, defineOptions, fmtShape, randperm } from '@tapegrad/core';
import { Subset, type Dataset } from './dataset.js';
import { takeRows } from './rows.js';

const RANDOM_SPLIT = defineOptions('randomSplit', { generator: 'generator' });
const TRAIN_TEST_SPLIT = defineOptions('trainTestSplit', {
  testSize: 'number', shuffle: 'boolean', stratify: 'boolean|tensor', seed: 'number', generator: 'generator',
});

/**
 * Splits a data set into non-overlapping random subsets (PyTorch's `random_split`).
 *
 * `lengths` are either sample counts summing to `N = dataset.length`, or fractions summing to 1:
 * then each part gets `floor(N * fraction)` samples and the remaining samples are handed out one
 * at a time to the parts in order (round-robin), so the counts always sum to `N`.
 *
 * @throws ValueError when the counts do not sum to `N`, or a length or fraction is negative
 * @example
 * const ds = new TensorDataset(arange(10));
 * const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 * [train!.length, val!.length]; // [8, 2]
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  opts?: { generator?: Generator },
): Subset<T>[] {
  opts = checkOptions(RANDOM_SPLIT, opts);
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  if (Math.abs(total - 1) < 1e-9 && total <= n) {
    for (const f of lengths)
      if (!(f >= 0 && f <= 1)) throw new ValueError(`randomSplit: fraction ${f} is not in [0, 1] (lengths [${lengths.join(', ')}])`);
    counts = lengths.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
  } else {
    for (const l of lengths)
      if (!Number.isInteger(l) || l < 0)
        throw new ValueError(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
    if (total !== n)
      throw new ValueError(`randomSplit: lengths [${lengths.join(', ')}] sum to ${total}, but the dataset has ${n} samples`);
    counts = [...lengths];
  }
  const perm = randperm(n, { generator: opts.generator ?? defaultGenerator }).data as Int32Array;
  let start = 0;
  return counts.map((c) => {
    const part = new Subset(dataset, perm.subarray(start, start + c));
    start += c;
    return part;
  });
}

/**
 * Options of {@link trainTestSplit}.
 *
 * @example
 * const { features, labels } = loadIris();
 * const opts: TrainTestSplitOptions = { testSize: 0.5, shuffle: false };
 * trainTestSplit(features, labels, opts).xTest.shape; // [75, 4]
 */
export interface TrainTestSplitOptions {
  /** Fraction of samples for the test set, in (0, 1), or a count >= 1 (default 0.25). The test count is `ceil(testSize * N)`. */
  testSize?: number;
  /** Shuffle before splitting (default true). Without shuffling, the last samples are the test set. */
  shuffle?: boolean;
  /**
   * Class labels `[N]` whose proportions both parts keep, or `true` to use `y`. Each class `c`
   * with `n_c` samples contributes about `nTest * n_c / N` test samples (largest remainders
   * decide the rounding). Requires `shuffle`.
   */
  stratify?: Tensor | boolean;
  /** Seed of the shuffling (default 0, so the split is reproducible); ignored with `generator`. */
  seed?: number;
  /** Generator for the shuffling (overrides `seed`). */
  generator?: Generator;
}

/**
 * The four parts {@link trainTestSplit} returns.
 *
 * @example
 * const { features, labels } = loadIris();
 * const parts: TrainTestSplit = trainTestSplit(features, labels, { testSize: 0.2, seed: 0 });
 * parts.xTrain.shape; // [120, 4]
 * parts.yTest.shape; // [30]
 */
export interface TrainTestSplit {
  /** Training features `[N - nTest, ...]`. */
  xTrain: Tensor;
  /** Test features `[nTest, ...]`. */
  xTest: Tensor;
  /** Training targets `[N - nTest, ...]`. */
  yTrain: Tensor;
  /** Test targets `[nTest, ...]`. */
  yTest: Tensor;
}

/**
 * Splits features and targets into random train and test parts (scikit-learn's
 * `train_test_split`), optionally stratified so that each part keeps the class proportions.
 *
 * - x - features, shape `[N, ...]`
 * - y - targets, shape `[N, ...]`
 * - returns `{ xTrain, xTest, yTrain, yTest }` with `nTest = ceil(testSize * N)` test rows
 *
 * @throws ShapeError when `x` and `y` differ in their first dim
 * @throws ValueError when the test or training part would be empty, or `stratify` is used without `shuffle`
 * @example
 * const { features, labels } = loadIris();
 * const { xTrain, xTest, yTrain, yTest } = trainTestSplit(features, labels, { testSize: 0.2, stratify: true, seed: 0 });
 * [xTrain.shape, xTest.shape]; // [[120, 4], [30, 4]]
 * yTest.eq(2).sum().item(); // 10 (stratified: each class in equal numbers)
 */
export function trainTestSplit(x: Tensor, y: Tensor, opts?: TrainTestSplitOptions): TrainTestSplit {
  opts = checkOptions(TRAIN_TEST_SPLIT, opts);
  if (x.ndim === 0 || y.ndim === 0 || x.shape[0] !== y.shape[0])
    throw new ShapeError(`trainTestSplit: x and y must have the same first dim, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  const n = x.shape[0]!;
  const testSize = opts.testSize ?? 0.25;
  let nTest: number;
  if (testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1) nTest = testSize;
  else throw new ValueError(`trainTestSplit: testSize must be a fraction in (0, 1) or a count >= 1, got ${testSize}`);
  if (nTest >= n)
    throw new ValueError(`trainTestSplit: testSize=${testSize} leaves no training samples out of ${n}`);
  const shuffle = opts.shuffle ?? true;
  const g = opts.generator ?? new Generator(opts.seed ?? 0);

  let trainIdx: Int32Array;
  let testIdx: Int32Array;
  if (opts.stratify !== undefined && opts.stratify !== false) {
    if (!shuffle) throw new ValueError('trainTestSplit: stratify requires shuffle=true');
    const labels = opts.stratify === true ? y : opts.stratify;
    if (labels.shape[0] !== n || labels.numel() !== n)
      throw new ShapeError(`trainTestSplit: stratify labels must have shape [${n}], got ${fmtShape(labels.shape)}`);
    ({ trainIdx, testIdx } = stratifiedIndices(labels, nTest, g));
  } else if (shuffle) {
    const perm = randperm(n, { generator: g }).data as Int32Array;
    testIdx = perm.slice(0, nTest);
    trainIdx = perm.slice(nTest);
  } else {
    trainIdx = Int32Array.from({ length: n - nTest }, (_, i) => i);
    testIdx = Int32Array.from({ length: nTest }, (_, i) => n - nTest + i);
  }
  return {
    xTrain: takeRows('trainTestSplit', x, trainIdx),
    xTest: takeRows('trainTestSplit', x, testIdx),
    yTrain: takeRows('trainTestSplit', y, trainIdx),
    yTest: takeRows('trainTestSplit', y, testIdx),
  };
}

// Per class, shuffle its indices and give its share of test samples; then shuffle each part
// so that the classes are interleaved.
function stratifiedIndices(labels: Tensor, nTest: number, g: Generator): { trainIdx: Int32Array; testIdx: Int32Array } {
  const data = labels.data;
  const n = data.length;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder apportionment of nTest over the classes.
  const exact = classes.map((c) => (nTest * byClass.get(c)!.length) / n);
  const share = exact.map(Math.floor);
  let rest = nTest - share.reduce((a, b) => a + b, 0);
  const order = classes.map((_, k) => k).sort((a, b) => exact[b]! - share[b]! - (exact[a]! - share[a]!) || a - b);
  for (const k of order) {
    if (rest === 0) break;
    share[k]!++;
    rest--;
  }
  const test: number[] = [];
  const train: number[] = [];
  classes.forEach((c, k) => {
    const members = byClass.get(c)!;
    const perm = randperm(members.length, { generator: g }).data;
    for (let j = 0; j < members.length; j++) (j < share[k]! ? test : train).push(members[perm[j]!]!);
  });
  const permute = (xs: number[]): Int32Array => {
    const p = randperm(xs.length, { generator: g }).data;
    return Int32Array.from(p, (j) => xs[j]!);
  };
  return { trainIdx: permute(train), testIdx: permute(test) };
}
