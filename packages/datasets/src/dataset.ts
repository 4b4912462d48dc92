import { ShapeError, Tensor, ValueError, fmtShape, sizeOf, type TypedArray } from '@tapegrad/core';
import { checkIndex, gatherRows, rowView } from './rows.js';

/**
 * A map-style data set: `length` samples, sample `i` given by `get(i)` (PyTorch's
 * `torch.utils.data.Dataset`). Subclass it, or pass any object with `length` and `get`:
 * the type is structural.
 *
 * A data set may also implement {@link BatchSource.getBatch} to return a whole batch at once;
 * {@link DataLoader} then uses it instead of calling `get` once per sample.
 *
 * @example
 * class Squares extends Dataset<[number, number]> {
 *   get length() { return 10; }
 *   get(i: number): [number, number] { return [i, i * i]; }
 * }
 * const batches = [...new DataLoader(new Squares(), { batchSize: 4 })];
 * batches.length; // 3
 * batches[2]![1].toArray(); // [64, 81]
 */
export abstract class Dataset<T> {
  /**
   * Number of samples.
   *
   * @example
   * new TensorDataset(zeros([7, 2])).length; // 7
   */
  abstract readonly length: number;
  /**
   * Sample `index`, for `0 <= index < length`.
   *
   * @throws ValueError when `index` is out of range (in the built-in data sets)
   *
   * @example
   * const [x, y] = new TensorDataset(tensor([[1, 2], [3, 4]]), tensor([0, 1])).get(1);
   * [x.toArray(), y.item()]; // [[3, 4], 1]
   */
  abstract get(index: number): T;
}

/**
 * A data set that can also return a batch of samples in one call, already collated; the
 * {@link DataLoader} uses it when no custom `collate` is given.
 *
 * @example
 * class Rows extends Dataset<Tensor> implements BatchSource<Tensor> {
 *   readonly data = arange(12).reshape([6, 2]);
 *   get length() { return 6; }
 *   get(i: number) { return this.data.select(0, i); }
 *   getBatch(indices: ArrayLike<number>) { return this.data.indexSelect(0, tensor(Array.from(indices), { dtype: 'int32' })); }
 * }
 * [...new DataLoader(new Rows(), { batchSize: 4 })][0]!.toArray(); // [[0, 1], [2, 3], [4, 5], [6, 7]]
 */
export interface BatchSource<B> {
  /** Samples `indices`, collated as {@link defaultCollate} would collate them. */
  getBatch(indices: ArrayLike<number>): B;
}

/**
 * True if `d` has a {@link BatchSource.getBatch} method.
 *
 * @example
 * isBatchSource(new TensorDataset(zeros([4, 2]))); // true
 * isBatchSource({ length: 1, get: () => 0 }); // false
 */
export function isBatchSource(d: unknown): d is BatchSource<unknown> {
  return typeof (d as { getBatch?: unknown } | null)?.getBatch === 'function';
}

/**
 * A data set of tensors that share their first dimension: sample `i` is the tuple of row `i` of
 * each tensor (PyTorch's `TensorDataset`).
 *
 * - tensors - shapes `[N, ...]` each (for example features `[N, D]` and labels `[N]`)
 * - `get(i)` returns `[x[i], y[i], ...]`, views of the rows (no copy, cut from the tape)
 * - `getBatch(indices)` returns `[x[indices], y[indices], ...]`, each one gather of rows from
 *   the tensor's contiguous storage into a new tensor `[B, ...]`: the {@link DataLoader}'s fast path.
 *
 * @throws ShapeError when there is no tensor, a tensor is 0-d, or the first dims differ
 * @example
 * const { features, labels } = loadIris();
 * const ds = new TensorDataset(features, labels);
 * ds.length; // 150
 * const [x0, y0] = ds.get(0);
 * x0.toArray(); // [5.1, 3.5, 1.4, 0.2]
 * y0.item(); // 0
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> implements BatchSource<T> {
  /** The tensors, in the order given. */
  readonly tensors: T;
  private cache: { data: TypedArray; version: number }[] = [];

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new ShapeError('TensorDataset: expected at least one tensor');
    const shapes = tensors.map((t) => t.shape);
    for (const [k, t] of tensors.entries()) {
      if (!(t instanceof Tensor)) throw new ValueError(`TensorDataset: argument ${k} is not a Tensor`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${k} is 0-d (shape []); each tensor needs a first dim of samples`);
    }
    if (shapes.some((s) => s[0] !== shapes[0]![0]))
      throw new ShapeError(`TensorDataset: tensors must have the same size in dim 0, got shapes ${shapes.map(fmtShape).join(', ')}`);
    this.tensors = tensors;
  }

  /** Number of samples (the common first dim). */
  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** The tuple of row `index` of each tensor (views, no copy). */
  get(index: number): T {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => rowView(t, index)) as T;
  }

  /**
   * The tuple of rows `indices` of each tensor, each gathered into one new tensor `[B, ...]`.
   *
   * @example
   * const ds = new TensorDataset(arange(10).reshape([5, 2]), arange(5));
   * const [xb, yb] = ds.getBatch([4, 0]);
   * xb.toArray(); // [[8, 9], [0, 1]]
   * yb.toArray(); // [4, 0]
   */
  getBatch(indices: ArrayLike<number>): T {
    return this.tensors.map((t, k) => {
      const rowShape = t.shape.slice(1);
      const out = gatherRows('TensorDataset.getBatch', this.contiguousData(k), sizeOf(rowShape), indices, t.dtype);
      return Tensor.fromData(out, [indices.length, ...rowShape], t.dtype);
    }) as T;
  }

  // The contiguous elements of tensor k: a view when it is contiguous, else a copy kept until
  // the storage is written to in place.
  private contiguousData(k: number): TypedArray {
    const t = this.tensors[k]!;
    const hit = this.cache[k];
    if (hit && hit.version === t.version) return hit.data;
    const data = t.data;
    this.cache[k] = { data, version: t.version };
    return data;
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`); {@link randomSplit}
 * returns these. Batches come from the parent's `getBatch` when it has one.
 *
 * @throws ValueError when an index is not an integer in `[0, dataset.length)`
 * @example
 * const ds = new TensorDataset(arange(10));
 * const evens = new Subset(ds, [0, 2, 4, 6, 8]);
 * evens.length; // 5
 * evens.get(3)[0].item(); // 6
 */
export class Subset<T> extends Dataset<T> {
  /** Positions in the parent data set. */
  readonly indices: Int32Array;
  /**
   * Present when the parent has a `getBatch`: the batch of samples `indices` of this subset,
   * read from the parent in one call.
   */
  readonly getBatch?: (indices: ArrayLike<number>) => unknown;

  constructor(
    /** The parent data set. */
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    super();
    const n = dataset.length;
    this.indices = Int32Array.from(indices as ArrayLike<number>);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= n)
        throw new ValueError(`Subset: index ${v} (at position ${i}) is out of range for a dataset of length ${n}`);
    }
    if (isBatchSource(dataset)) {
      const parent = dataset;
      this.getBatch = (idx: ArrayLike<number>) => parent.getBatch(this.mapIndices(idx));
    }
  }

  /** Number of samples: `indices.length`. */
  get length(): number {
    return this.indices.length;
  }

  /** Sample `indices[index]` of the parent. */
  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }

  private mapIndices(idx: ArrayLike<number>): Int32Array {
    const out = new Int32Array(idx.length);
    const n = this.indices.length;
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      if (!(i >= 0 && i < n)) checkIndex('Subset.getBatch', i, n);
      out[j] = this.indices[i]!;
    }
    return out;
  }
}

/**
 * Several data sets one after the other (PyTorch's `ConcatDataset`): samples `0..len(a)-1`
 * come from `a`, the next ones from `b`, and so on.
 *
 * @example
 * const trainSet = new TensorDataset(zeros([100, 2])), extraSet = new TensorDataset(ones([20, 2]));
 * const all = new ConcatDataset([trainSet, extraSet]);
 * all.length; // 120
 * all.get(110)[0].toArray(); // [1, 1]
 */
export class ConcatDataset<T> extends Dataset<T> {
  /** The parts, in order. */
  readonly datasets: readonly Dataset<T>[];
  /** `cumulativeSizes[k]` = total length of parts `0..k`. */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: readonly Dataset<T>[]) {
    super();
    this.datasets = [...datasets];
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += d.length));
  }

  /** Total number of samples. */
  get length(): number {
    return this.cumulativeSizes.length ? this.cumulativeSizes[this.cumulativeSizes.length - 1]! : 0;
  }

  /** Sample `index` of the concatenation. */
  get(index: number): T {
    checkIndex('ConcatDataset.get', index, this.length);
    // First part whose cumulative size exceeds index (binary search).
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1]!;
    return this.datasets[lo]!.get(index - start);
  }
}
