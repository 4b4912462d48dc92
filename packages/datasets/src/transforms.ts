// Preprocessing of whole data tensors. These are data preparation steps: they return new leaf
// tensors computed with typed-array loops and are not recorded on the autograd tape.
import {
  ShapeError, Tensor, ValueError, allocate, checkOptions, defineOptions, fmtShape, shapesEqual, sizeOf, type DType, type TypedArray,
} from '@tapegrad/core';

const MIN_MAX_SCALER = defineOptions('MinMaxScaler', { featureRange: 'number[]' });
const MIN_MAX_SCALE = defineOptions('minMaxScale', { featureRange: 'number[]' });
const ONE_HOT = defineOptions('oneHot', { dtype: "'float32'|'float64'|'int32'|'bool'" });

function floatDType(t: Tensor): 'float32' | 'float64' {
  return t.dtype === 'float64' ? 'float64' : 'float32';
}

function checkFitInput(op: string, x: Tensor): { n: number; d: number; featureShape: number[] } {
  if (x.ndim < 1 || x.shape[0] === 0)
    throw new ShapeError(`${op}: expected at least one sample along dim 0, got shape ${fmtShape(x.shape)}`);
  const featureShape = x.shape.slice(1);
  return { n: x.shape[0]!, d: sizeOf(featureShape), featureShape };
}

function checkFeatures(op: string, x: Tensor, featureShape: readonly number[] | null): void {
  if (featureShape === null) throw new ValueError(`${op}: call fit() first`);
  if (x.ndim < 1 || !shapesEqual(x.shape.slice(1), featureShape))
    throw new ShapeError(
      `${op}: expected samples of shape ${fmtShape(featureShape)} (input [N,${featureShape.join(',')}]), got input of shape ${fmtShape(x.shape)}`,
    );
}

/**
 * Standardizes features with statistics fitted on training data (scikit-learn's
 * `StandardScaler`): `x' = (x - μ) / σ` per feature, where `μ` and `σ` are the mean and the
 * population standard deviation (divisor N) over dim 0 of the data passed to `fit`. Fit on the
 * training set and apply the same `μ`, `σ` to the test set. A feature with `σ = 0` gets `σ = 1`,
 * so it maps to 0 instead of NaN.
 *
 * - x - samples, shape `[N, ...F]` (usually `[N, D]`); `μ` and `σ` have shape `[...F]`
 * - returns `[N, ...F]`, float32 (float64 for float64 input)
 *
 * @throws ValueError when `transform` is called before `fit`
 * @throws ShapeError when the feature shape differs from the fitted one
 * @example
 * const { xTrain, xTest } = trainTestSplit(loadIris().features, loadIris().labels, { seed: 0 });
 * const scaler = new Standardizer().fit(xTrain);
 * const xTrainS = scaler.transform(xTrain);
 * const xTestS = scaler.transform(xTest); // uses the training mean and std
 * xTrainS.mean(0).abs().max().item(); // 0
 * scaler.inverseTransform(xTestS).sub(xTest).abs().max().item(); // 0
 */
export class Standardizer {
  /** Per-feature mean `μ` (shape `[...F]`), null before `fit`. */
  mean: Tensor | null = null;
  /** Per-feature population standard deviation `σ`, with 0 replaced by 1; null before `fit`. */
  std: Tensor | null = null;
  private featureShape: number[] | null = null;

  /**
   * Computes `μ` and `σ` over dim 0 of `x` (`[N, ...F]`, N >= 1).
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * const s = new Standardizer().fit(x);
   * s.mean!.toArray(); // [2, 20]
   * s.std!.toArray(); // [1, 10]
   */
  fit(x: Tensor): this {
    const { n, d, featureShape } = checkFitInput('Standardizer.fit', x);
    const src = x.data;
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += src[i * d + j]!;
    for (let j = 0; j < d; j++) mean[j]! /= n;
    // Two passes: the mean first, then squared deviations (stable for large offsets).
    const m2 = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        const e = src[i * d + j]! - mean[j]!;
        m2[j]! += e * e;
      }
    const dtype = floatDType(x);
    const meanOut = allocate(dtype, d);
    const stdOut = allocate(dtype, d);
    for (let j = 0; j < d; j++) {
      meanOut[j] = mean[j]!;
      const s = Math.sqrt(m2[j]! / n);
      stdOut[j] = s > 0 ? s : 1;
    }
    this.mean = Tensor.fromData(meanOut, featureShape, dtype);
    this.std = Tensor.fromData(stdOut, featureShape, dtype);
    this.featureShape = featureShape;
    return this;
  }

  /**
   * `(x - μ) / σ` with the fitted statistics.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * new Standardizer().fit(x).transform(tensor([[2, 40]])).toArray(); // [[0, 2]]
   */
  transform(x: Tensor): Tensor {
    checkFeatures('Standardizer.transform', x, this.featureShape);
    return affine(x, this.mean!.data, this.std!.data, (v, m, s) => (v - m) / s);
  }

  /**
   * `fit(x)` then `transform(x)`.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * new Standardizer().fitTransform(x).toArray(); // [[-1, -1], [1, 1]]
   */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /**
   * `x' * σ + μ`: undoes `transform`.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * const s = new Standardizer().fit(x);
   * s.inverseTransform(tensor([[0, 1]])).toArray(); // [[2, 30]]
   */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures('Standardizer.inverseTransform', x, this.featureShape);
    return affine(x, this.mean!.data, this.std!.data, (v, m, s) => v * s + m);
  }
}

function affine(x: Tensor, a: TypedArray, b: TypedArray, f: (v: number, a: number, b: number) => number): Tensor {
  const src = x.data;
  const d = a.length;
  const dtype = floatDType(x);
  const out = allocate(dtype, src.length);
  for (let i = 0; i < src.length; i += d) for (let j = 0; j < d; j++) out[i + j] = f(src[i + j]!, a[j]!, b[j]!);
  return Tensor.fromData(out, x.shape, dtype);
}

/**
 * Standardizes `x` with its own per-feature mean and population standard deviation over dim 0:
 * `x' = (x - μ) / σ`. For train/test data use a {@link Standardizer} fitted on the training set.
 *
 * - x - shape `[N, ...F]`; returns `[N, ...F]` float32 (float64 for float64 input)
 *
 * @example
 * standardize(tensor([[1, 10], [3, 30]])).toArray(); // [[-1, -1], [1, 1]]
 */
export function standardize(x: Tensor): Tensor {
  return new Standardizer().fitTransform(x);
}

/**
 * Rescales each feature to `[min, max]` (default `[0, 1]`) with the minimum and maximum over dim 0
 * of the data passed to `fit` (scikit-learn's `MinMaxScaler`):
 * `x' = (x - lo) / (hi - lo) * (max - min) + min`. A constant feature (`hi = lo`) uses
 * `hi - lo = 1`, so it maps to `min`.
 *
 * - x - samples, shape `[N, ...F]`; returns `[N, ...F]` float32 (float64 for float64 input)
 *
 * @throws ValueError for a `featureRange` with `min >= max`, or `transform` before `fit`
 * @throws ShapeError when the feature shape differs from the fitted one
 * @example
 * const xTrain = tensor([[0, 10], [4, 20]]), xTest = tensor([[2, 30]]);
 * const scaler = new MinMaxScaler().fit(xTrain);
 * scaler.transform(xTest).toArray(); // [[0.5, 2]] (may fall outside [0, 1])
 * new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform(xTrain).toArray(); // [[-1, -1], [1, 1]]
 */
export class MinMaxScaler {
  /** Per-feature minimum over the fitted data, null before `fit`. */
  dataMin: Tensor | null = null;
  /** Per-feature maximum over the fitted data, null before `fit`. */
  dataMax: Tensor | null = null;
  /** The target range `[min, max]`. */
  readonly featureRange: readonly [number, number];
  private featureShape: number[] | null = null;
  private scale: Float64Array | null = null;
  private shift: Float64Array | null = null;

  constructor(opts?: { featureRange?: readonly [number, number] }) {
    opts = checkOptions(MIN_MAX_SCALER, opts);
    const [lo, hi] = opts.featureRange ?? [0, 1];
    if (!(lo < hi)) throw new ValueError(`MinMaxScaler: featureRange must have min < max, got [${lo}, ${hi}]`);
    this.featureRange = [lo, hi];
  }

  /**
   * Computes the per-feature minimum and maximum over dim 0 of `x` (`[N, ...F]`, N >= 1).
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * const m = new MinMaxScaler().fit(x);
   * [m.dataMin!.toArray(), m.dataMax!.toArray()]; // [[1, 10], [3, 30]]
   */
  fit(x: Tensor): this {
    const { n, d, featureShape } = checkFitInput('MinMaxScaler.fit', x);
    const src = x.data;
    const mins = new Float64Array(d).fill(Infinity);
    const maxs = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        const v = src[i * d + j]!;
        if (v < mins[j]!) mins[j] = v;
        if (v > maxs[j]!) maxs[j] = v;
      }
    const [lo, hi] = this.featureRange;
    this.scale = new Float64Array(d);
    this.shift = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const range = maxs[j]! - mins[j]! || 1;
      this.scale[j] = (hi - lo) / range;
      this.shift[j] = lo - mins[j]! * this.scale[j]!;
    }
    const dtype = floatDType(x);
    this.dataMin = Tensor.fromData(allocate(dtype, d).map((_, j) => mins[j]!), featureShape, dtype);
    this.dataMax = Tensor.fromData(allocate(dtype, d).map((_, j) => maxs[j]!), featureShape, dtype);
    this.featureShape = featureShape;
    return this;
  }

  /**
   * Rescales with the fitted minimum and maximum.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * new MinMaxScaler().fit(x).transform(tensor([[2, 20]])).toArray(); // [[0.5, 0.5]]
   */
  transform(x: Tensor): Tensor {
    checkFeatures('MinMaxScaler.transform', x, this.featureShape);
    return affine(x, this.scale!, this.shift!, (v, s, t) => v * s + t);
  }

  /**
   * `fit(x)` then `transform(x)`.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform(x).toArray(); // [[-1, -1], [1, 1]]
   */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /**
   * Undoes `transform`.
   *
   * @example
   * const x = tensor([[1, 10], [3, 30]]);
   * new MinMaxScaler().fit(x).inverseTransform(tensor([[0.5, 1]])).toArray(); // [[2, 30]]
   */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures('MinMaxScaler.inverseTransform', x, this.featureShape);
    return affine(x, this.scale!, this.shift!, (v, s, t) => (v - t) / s);
  }
}

/**
 * Rescales each feature of `x` to `[min, max]` (default `[0, 1]`) with its own minimum and
 * maximum over dim 0. See {@link MinMaxScaler} to apply training statistics to test data.
 *
 * @example
 * minMaxScale(tensor([[0, 5], [10, 15]])).toArray(); // [[0, 0], [1, 1]]
 */
export function minMaxScale(x: Tensor, opts?: { featureRange?: readonly [number, number] }): Tensor {
  checkOptions(MIN_MAX_SCALE, opts);
  return new MinMaxScaler(opts).fitTransform(x);
}

/**
 * One-hot encodes integer class labels: `out[..., k] = 1` if `labels[...] == k`, else 0.
 *
 * - labels - integers in `[0, numClasses)`, shape `[...S]` (usually `[N]`), any dtype
 * - numClasses - `K` (default: largest label + 1)
 * - returns `[...S, K]`, float32 by default (targets for MSE or soft-label losses)
 *
 * @throws ValueError naming the label and its position when a label is not an integer in `[0, K)`
 * @example
 * oneHot(tensor([0, 2, 1], { dtype: 'int32' }), 3).toArray(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * oneHot(tensor([1], { dtype: 'int32' })).toArray(); // [[0, 1]] (K = largest label + 1)
 */
export function oneHot(labels: Tensor, numClasses?: number, opts?: { dtype?: DType }): Tensor {
  opts = checkOptions(ONE_HOT, opts);
  const src = labels.data;
  let k = numClasses;
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < src.length; i++) k = Math.max(k, src[i]! + 1);
  }
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`oneHot: numClasses must be a positive integer, got ${k}`);
  const dtype = opts.dtype ?? 'float32';
  const out = allocate(dtype, src.length * k);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k)
      throw new ValueError(`oneHot: label ${c} at flat index ${i} is not an integer in [0, ${k}) (labels shape ${fmtShape(labels.shape)})`);
    out[i * k + c] = 1;
  }
  return Tensor.fromData(out, [...labels.shape, k], dtype);
}

/**
 * Flattens every sample to a vector: `[N, d1, d2, ...]` -> `[N, d1 * d2 * ...]` (a view when
 * `x` is contiguous), e.g. MNIST images `[N, 1, 28, 28]` -> `[N, 784]`.
 *
 * @throws ShapeError for a 0-d tensor
 * @example
 * flatten(zeros([8, 1, 28, 28])).shape; // [8, 784]
 */
export function flatten(x: Tensor): Tensor {
  if (x.ndim === 0) throw new ShapeError('flatten: expected a tensor with a batch dim, got shape []');
  return x.reshape([x.shape[0]!, sizeOf(x.shape.slice(1))]);
}

const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Scales bytes `0..255` to float32 `[0, 1]`: `x' = x / 255` (one table look-up per element).
 *
 * - x - a `Uint8Array` (with `shape`, default `[length]`), or a tensor of values in `[0, 255]`
 * - returns float32 of the same shape
 *
 * @throws ValueError when a tensor value is not an integer in `[0, 255]`, or `shape` does not match the length
 * @example
 * scaleBytes(new Uint8Array([0, 51, 255])).toArray(); // [0, 0.2, 1]
 * scaleBytes(new Uint8Array(784), [1, 28, 28]).shape; // [1, 28, 28]
 */
export function scaleBytes(x: Tensor | Uint8Array | Uint8ClampedArray, shape?: readonly number[]): Tensor {
  if (x instanceof Tensor) {
    const src = x.data;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (!(v >= 0 && v <= 255 && Number.isInteger(v)))
        throw new ValueError(`scaleBytes: value ${v} at flat index ${i} is not a byte (an integer in [0, 255])`);
      out[i] = BYTE_TO_UNIT[v]!;
    }
    return Tensor.fromData(out, x.shape, 'float32');
  }
  const s = shape ?? [x.length];
  if (sizeOf(s) !== x.length)
    throw new ValueError(`scaleBytes: ${x.length} bytes do not fill shape ${fmtShape(s)}`);
  return Tensor.fromData(bytesToUnitFloat(x), s, 'float32');
}

/** @internal `bytes[i] / 255` as float32, by table look-up. */
export function bytesToUnitFloat(bytes: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bytes.length);
  const lut = BYTE_TO_UNIT;
  for (let i = 0; i < bytes.length; i++) out[i] = lut[bytes[i]!]!;
  return out;
}
