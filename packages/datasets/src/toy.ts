// Small two-dimensional classification sets for demos and tests. All are seeded: the same
// options give the same points on every run (default seed 0). Points are not shuffled.
import { Generator, Tensor, ValueError, checkOptions, defineOptions } from '@tapegrad/core';

/**
 * Options shared by the toy data sets.
 *
 * @example
 * const opts: ToyOptions = { n: 100, noise: 0.05, seed: 7 };
 * moons(opts).x.shape; // [100, 2]
 * moons(opts).x.sub(moons(opts).x).abs().max().item(); // 0 (same seed, same points)
 */
export interface ToyOptions {
  /** Number of points N. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default per set). */
  noise?: number;
  /** Seed of a fresh generator (default 0); ignored when `generator` is given. */
  seed?: number;
  /** Generator to draw from (advances it). */
  generator?: Generator;
}

/**
 * A toy data set: points and their classes.
 *
 * @example
 * const { x, y }: ToyData = xor();
 * x.toArray(); // [[0, 0], [0, 1], [1, 0], [1, 1]]
 * y.toArray(); // [0, 1, 1, 0]
 */
export interface ToyData {
  /** float32 `[N, 2]` points. */
  x: Tensor;
  /** int32 `[N]` classes 0..K-1. */
  y: Tensor;
}

const BASE = { n: 'number', noise: 'number', seed: 'number', generator: 'generator' } as const;
const SPECS = {
  xor: defineOptions('xor', BASE),
  moons: defineOptions('moons', BASE),
  circles: defineOptions('circles', { ...BASE, factor: 'number' }),
  spirals: defineOptions('spirals', { ...BASE, classes: 'number' }),
  blobs: defineOptions('blobs', { ...BASE, centers: 'number|array' }),
  linearlySeparable: defineOptions('linearlySeparable', { n: 'number', seed: 'number', generator: 'generator', margin: 'number' }),
};

function setup(op: keyof typeof SPECS, opts: ToyOptions, defaults: { n: number; noise: number }): { n: number; noise: number; g: Generator } {
  if (op !== 'linearlySeparable') checkOptions(SPECS[op], opts);
  const n = opts.n ?? defaults.n;
  const noise = opts.noise ?? defaults.noise;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${op}: n must be a positive integer, got ${n}`);
  if (!(noise >= 0)) throw new ValueError(`${op}: noise must be >= 0, got ${noise}`);
  return { n, noise, g: opts.generator ?? new Generator(opts.seed ?? 0) };
}

function finish(xs: Float64Array, ys: Int32Array, noise: number, g: Generator): ToyData {
  if (noise > 0) for (let i = 0; i < xs.length; i++) xs[i]! += noise * g.normal();
  const n = ys.length;
  return { x: Tensor.fromData(Float32Array.from(xs), [n, 2], 'float32'), y: Tensor.fromData(ys, [n], 'int32') };
}

/** Sizes of `k` nearly equal groups of `n` (the first `n % k` get one more). */
function groupSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/**
 * The XOR problem: the corners `(a, b)` of the unit square, `a, b ∈ {0, 1}`, with class `a XOR b`,
 * visited in the order (0,0), (0,1), (1,0), (1,1), (0,0), ...; plus Gaussian noise.
 * `xor()` (n = 4, noise = 0) is the truth table.
 *
 * - returns `{ x: [N, 2], y: [N] }` with classes 0 and 1
 *
 * @example
 * xor().y.toArray(); // [0, 1, 1, 0]
 * xor({ n: 200, noise: 0.1, seed: 1 }).x.shape; // [200, 2] (a noisy cloud around each corner)
 */
export function xor(opts: ToyOptions = {}): ToyData {
  const { n, noise, g } = setup('xor', opts, { n: 4, noise: 0 });
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = (i >> 1) & 1;
    const b = i & 1;
    xs[2 * i] = a;
    xs[2 * i + 1] = b;
    ys[i] = a ^ b;
  }
  return finish(xs, ys, noise, g);
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): `floor(N/2)` points of class 0 on
 * `(cos t, sin t)` and the rest of class 1 on `(1 - cos t, 0.5 - sin t)`, `t` evenly spaced in
 * `[0, π]`, plus Gaussian noise (default 0.1).
 *
 * @example
 * const { x, y } = moons({ n: 200, noise: 0.1, seed: 0 });
 * x.shape; // [200, 2]
 * y.sum().item(); // 100 (two moons of 100 points)
 */
export function moons(opts: ToyOptions = {}): ToyData {
  const { n, noise, g } = setup('moons', opts, { n: 100, noise: 0.1 });
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  const step = (m: number) => (m > 1 ? Math.PI / (m - 1) : 0);
  for (let i = 0; i < nOut; i++) {
    const t = i * step(nOut);
    xs[2 * i] = Math.cos(t);
    xs[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = i * step(nIn);
    const k = nOut + i;
    xs[2 * k] = 1 - Math.cos(t);
    xs[2 * k + 1] = 0.5 - Math.sin(t);
    ys[k] = 1;
  }
  return finish(xs, ys, noise, g);
}

/**
 * Two concentric circles (scikit-learn's `make_circles`): `floor(N/2)` points of class 0 on the
 * unit circle and the rest of class 1 on the circle of radius `factor` (default 0.5), at evenly
 * spaced angles, plus Gaussian noise (default 0.05).
 *
 * @throws ValueError when `factor` is not in (0, 1)
 * @example
 * const { x, y } = circles({ n: 200, factor: 0.3, seed: 2 });
 * x.shape; // [200, 2]
 * y.sum().item(); // 100 (the inner circle is class 1)
 */
export function circles(opts: ToyOptions & { factor?: number } = {}): ToyData {
  const { n, noise, g } = setup('circles', opts, { n: 100, noise: 0.05 });
  const factor = opts.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new ValueError(`circles: factor must be in (0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2);
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= nOut;
    const m = inner ? n - nOut : nOut;
    const t = (2 * Math.PI * (inner ? i - nOut : i)) / m;
    const r = inner ? factor : 1;
    xs[2 * i] = r * Math.cos(t);
    xs[2 * i + 1] = r * Math.sin(t);
    ys[i] = inner ? 1 : 0;
  }
  return finish(xs, ys, noise, g);
}

/**
 * Interleaved spiral arms, one per class (`classes`, default 2; the CS231n spirals): point `j`
 * of the `m` points of arm `c` has radius `r = j / (m - 1)` and angle `θ = 4 (c + r) + noise * ε`,
 * `ε ~ N(0, 1)` (noise default 0.2, in radians), giving `(r sin θ, r cos θ)`.
 *
 * @throws ValueError when `classes` is not an integer >= 2
 * @example
 * const { x, y } = spirals({ n: 300, classes: 3, seed: 0 });
 * x.shape; // [300, 2]
 * y.max().item(); // 2 (classes 0, 1, 2)
 */
export function spirals(opts: ToyOptions & { classes?: number } = {}): ToyData {
  const { n, noise, g } = setup('spirals', opts, { n: 100, noise: 0.2 });
  const k = opts.classes ?? 2;
  if (!Number.isInteger(k) || k < 2) throw new ValueError(`spirals: classes must be an integer >= 2, got ${k}`);
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  let i = 0;
  groupSizes(n, k).forEach((m, c) => {
    for (let j = 0; j < m; j++, i++) {
      const r = m > 1 ? j / (m - 1) : 0;
      const theta = 4 * (c + r) + noise * g.normal();
      xs[2 * i] = r * Math.sin(theta);
      xs[2 * i + 1] = r * Math.cos(theta);
      ys[i] = c;
    }
  });
  // The noise is in the angle, not added to the coordinates.
  return finish(xs, ys, 0, g);
}

/**
 * Gaussian blobs (scikit-learn's `make_blobs`): the points are split evenly over the centers
 * (blob `c` gets class `c`) and drawn from `N(center, noise² I)` (noise default 1).
 * `centers` is a number of centers drawn uniformly from `[-10, 10]²` (default 3) or a list of
 * `[x, y]` centers.
 *
 * @throws ValueError for fewer than one center
 * @example
 * const { x, y } = blobs({ n: 150, centers: [[0, 0], [5, 5]], noise: 0.5 });
 * x.shape; // [150, 2]
 * y.sum().item(); // 75 (75 points per center)
 */
export function blobs(opts: ToyOptions & { centers?: number | readonly (readonly [number, number])[] } = {}): ToyData {
  const { n, noise, g } = setup('blobs', opts, { n: 100, noise: 1 });
  const spec = opts.centers ?? 3;
  let centers: (readonly [number, number])[];
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1) throw new ValueError(`blobs: centers must be a positive integer or a list of points, got ${spec}`);
    centers = Array.from({ length: spec }, () => [-10 + 20 * g.random(), -10 + 20 * g.random()] as const);
  } else {
    if (spec.length === 0) throw new ValueError('blobs: centers must not be empty');
    centers = [...spec];
  }
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  let i = 0;
  groupSizes(n, centers.length).forEach((m, c) => {
    for (let j = 0; j < m; j++, i++) {
      xs[2 * i] = centers[c]![0];
      xs[2 * i + 1] = centers[c]![1];
      ys[i] = c;
    }
  });
  return finish(xs, ys, noise, g);
}

/**
 * What {@link linearlySeparable} returns: the points and the separating line `w·x + b = 0`.
 *
 * @example
 * const { x, y, weight, bias }: SeparableData = linearlySeparable({ n: 50, seed: 1 });
 * const side = x.matmul(tensor(weight)).add(bias).gt(0).int();
 * side.sub(y).abs().sum().item(); // 0 (every point on its class's side)
 */
export interface SeparableData extends ToyData {
  /** The unit normal `w` of the line; class 1 is on the side it points to. */
  weight: [number, number];
  /** The offset `b`. */
  bias: number;
}

/**
 * Two classes split by a random line with a margin: points uniform in `[-1, 1]²`, class
 * `w·x + b > 0` for a random unit normal `w` and offset `b ∈ [-0.25, 0.25]`; points closer than
 * `margin` (default 0.1) to the line are redrawn, so the classes are separable with that margin.
 * Also returns the line. No noise option (noise would break separability).
 *
 * - returns `{ x: [N, 2], y: [N], weight: [w0, w1], bias: b }`
 *
 * @throws ValueError when `margin` is not in [0, 0.5)
 * @example
 * const { x, y, weight, bias } = linearlySeparable({ n: 100, seed: 3 });
 * const predicted = x.matmul(tensor(weight)).add(bias).gt(0).int();
 * predicted.sub(y).abs().sum().item(); // 0 (the returned line separates the classes)
 */
export function linearlySeparable(
  opts: Omit<ToyOptions, 'noise'> & { margin?: number } = {},
): SeparableData {
  checkOptions(SPECS.linearlySeparable, opts);
  const { n, g } = setup('linearlySeparable', { ...opts, noise: 0 }, { n: 100, noise: 0 });
  const margin = opts.margin ?? 0.1;
  if (!(margin >= 0 && margin < 0.5)) throw new ValueError(`linearlySeparable: margin must be in [0, 0.5), got ${margin}`);
  const angle = 2 * Math.PI * g.random();
  const w: [number, number] = [Math.cos(angle), Math.sin(angle)];
  const b = -0.25 + 0.5 * g.random();
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let p0: number;
    let p1: number;
    let s: number;
    do {
      p0 = -1 + 2 * g.random();
      p1 = -1 + 2 * g.random();
      s = w[0] * p0 + w[1] * p1 + b;
    } while (Math.abs(s) < margin);
    xs[2 * i] = p0;
    xs[2 * i + 1] = p1;
    ys[i] = s > 0 ? 1 : 0;
  }
  return { ...finish(xs, ys, 0, g), weight: w, bias: b };
}
