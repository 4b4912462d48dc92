import { ValueError, checkOptions, defineOptions, randperm, type Generator } from '@tapegrad/core';
import { defaultCollate, type Collated } from './collate.js';
import { isBatchSource, type Dataset } from './dataset.js';
import { arangeInt32 } from './rows.js';

/**
 * Options of {@link DataLoader}.
 *
 * @example
 * const ds = new TensorDataset(arange(10));
 * const loader = new DataLoader(ds, { batchSize: 4, shuffle: false, dropLast: true });
 * [...loader].map(([b]) => b.toArray()); // [[0, 1, 2, 3], [4, 5, 6, 7]]
 */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it has fewer than `batchSize` samples (default false). */
  dropLast?: boolean;
  /**
   * The generator that draws each epoch's permutation (default: core's global generator, seeded
   * by `manualSeed`). Two loaders given generators with the same seed yield the same batches.
   */
  generator?: Generator;
  /** Merges a list of samples into a batch (default {@link defaultCollate}). */
  collate?: (samples: T[]) => B;
}

const LOADER = defineOptions('DataLoader', {
  batchSize: 'number', shuffle: 'boolean', dropLast: 'boolean', generator: 'generator', collate: 'function',
});

/**
 * Iterates over a data set in batches (PyTorch's `DataLoader`), with `for...of` or `for await`.
 * Each iteration is one epoch; with `shuffle`, each epoch draws a new permutation from
 * `generator` (`randperm`), so the same seed gives the same sequence of batches.
 *
 * Fast path: when no `collate` is given and the data set has a `getBatch` (a
 * {@link TensorDataset}, or a {@link Subset} of one), each batch is one gather of rows from
 * the tensors' contiguous storage instead of `batchSize` calls to `get`.
 *
 * - dataset - `N` samples
 * - `length` - number of batches per epoch: `ceil(N / batchSize)`, or `floor(N / batchSize)` with `dropLast`
 *
 * @throws ValueError `DataLoader: batchSize must be a positive integer, got 0`
 * @example
 * const x = randn([100, 3]), y = randint(0, 2, [100]);
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, generator: new Generator(0) });
 * loader.length; // 4 (batches per epoch; the last one has 4 samples)
 * for (const [xb, yb] of loader) {
 *   // xb: [32, 3], yb: [32]
 * }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  /** The data set read from. */
  readonly dataset: Dataset<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch visits the samples in a new random order. */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;
  /** The generator of the shuffling permutations (undefined: the global one). */
  readonly generator: Generator | undefined;
  private readonly collate: ((samples: T[]) => B) | undefined;

  constructor(dataset: Dataset<T>, opts?: DataLoaderOptions<T, B>) {
    opts = checkOptions(LOADER, opts);
    const batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (opts.collate !== undefined && typeof opts.collate !== 'function')
      throw new ValueError(`DataLoader: collate must be a function, got ${typeof opts.collate}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    this.collate = opts.collate;
  }

  /**
   * Number of batches in one epoch.
   *
   * @example
   * new DataLoader(new TensorDataset(zeros([10, 1])), { batchSize: 4 }).length; // 3
   * new DataLoader(new TensorDataset(zeros([10, 1])), { batchSize: 4, dropLast: true }).length; // 2
   */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches. */
  *[Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    const order = this.shuffle
      ? (randperm(n, this.generator ? { generator: this.generator } : {}).data as Int32Array)
      : arangeInt32(n);
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize));
      yield this.fetch(indices);
    }
  }

  /** One epoch of batches, for `for await` (the same batches as the synchronous iterator). */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const batch of this) yield batch;
  }

  private fetch(indices: Int32Array): B {
    const ds = this.dataset;
    if (this.collate === undefined && isBatchSource(ds)) return ds.getBatch(indices) as B;
    const samples: T[] = new Array(indices.length);
    for (let j = 0; j < indices.length; j++) samples[j] = ds.get(indices[j]!);
    return this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
  }
}
