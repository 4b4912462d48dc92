import { requireTensor } from './operands.js';
import { allocate, isFloating, parseDType, promoteTypes, type DType, type DTypeLike } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';
import { defaultGenerator, type Generator } from '../random.js';
import { broadcastShapes, checkShape, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { rand, randint, randn } from '../creation.js';

// Sampling ops (issue 17): multinomial, bernoulli, normal, poisson and the *Like random creators.
// All draw from a seeded Generator (the default one unless `generator` is given); none is
// differentiable (the results are detached samples). The draws are not PyTorch's draws for the
// same seed: the generators differ (xoshiro128** here, mt19937/Philox there).

/**
 * The generator option every sampling op takes.
 *
 * @example
 * const opts: GeneratorOptions = { generator: new Generator(0) };
 * bernoulli(full([3], 0.5), opts).shape; // [3]
 */
export interface GeneratorOptions {
  /** The generator to draw from (default: the global one seeded by {@link manualSeed}). */
  generator?: Generator;
}

/**
 * Options of {@link multinomial}.
 *
 * @example
 * const opts: MultinomialOptions = { replacement: true, generator: new Generator(0) };
 * multinomial(tensor([0, 1]), 3, opts).toArray(); // [1, 1, 1]
 */
export interface MultinomialOptions extends GeneratorOptions {
  /** Draw with replacement (default false: each category at most once per row). */
  replacement?: boolean;
}

/**
 * Options of the random creators that take a size ({@link normal} with numbers) or a template
 * tensor ({@link randLike}, ...).
 *
 * @example
 * const opts: RandomLikeOptions = { dtype: 'float64', generator: new Generator(1) };
 * randLike(zeros([2]), opts).dtype; // 'float64'
 */
export interface RandomLikeOptions extends GeneratorOptions {
  /** Element type of the result (default: the template's, or float32 for {@link normal}). */
  dtype?: DTypeLike;
  /** Record operations on the new tensor for autograd (float dtypes only). */
  requiresGrad?: boolean;
}

const GEN = { generator: 'generator' } as const;
const MULTINOMIAL = defineOptions('multinomial', { ...GEN, replacement: 'boolean' });
const BERNOULLI = defineOptions('bernoulli', GEN);
const POISSON = defineOptions('poisson', GEN);
const NORMAL = defineOptions('normal', GEN);
const CREATE = { ...GEN, dtype: 'string', requiresGrad: 'boolean' } as const;
const NORMAL_SIZE = defineOptions('normal', CREATE);
const RAND_LIKE = defineOptions('randLike', CREATE);
const RANDN_LIKE = defineOptions('randnLike', CREATE);
const RANDINT_LIKE = defineOptions('randintLike', CREATE);

/** Refuses an integer or bool tensor where a sampler needs float probabilities or rates. */
function requireFloat(op: string, name: string, x: Tensor): void {
  if (!isFloating(x.dtype))
    throw new DTypeError(`${op}: ${name} must be a float tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
}

/**
 * Samples category indices from the rows of `probs` (PyTorch's `torch.multinomial`): each row
 * holds non-negative weights, not necessarily normalised, and draw j of row i picks category c
 * with probability `probs[i, c] / sum(probs[i])`. Without replacement (the default) each
 * category is drawn at most once per row, in the order of sequential draws that renormalise
 * over what is left (the exponential race: the `numSamples` smallest `E_c / probs[c]`,
 * `E_c ~ Exp(1)`); with `replacement`, a binary search of the row's cumulative sums per sample.
 * No gradient. The draws are not PyTorch's for the same seed (different generators).
 *
 * probs - shape [C] or [N, C], float; returns int32 [numSamples] or [N, numSamples].
 *
 * @throws ValueError `multinomial: probs must be 1-D or 2-D, got shape [2,2,2]`
 * @throws ValueError `multinomial: cannot sample 3 > 2 non-zero categories of row 0 without replacement`
 * @throws ValueError `multinomial: probs must be finite and non-negative, got -1 at flat index 1`
 * @throws ValueError `multinomial: row 0 of probs sums to 0, not a distribution`
 * @example
 * const g = new Generator(0);
 * multinomial(tensor([0, 10, 0, 5]), 2, { generator: g }).sort().values.toArray(); // [1, 3]
 * multinomial(tensor([[1, 0], [0, 1]]), 4, { replacement: true }).toArray(); // [[0, 0, 0, 0], [1, 1, 1, 1]]
 */
export function multinomial(probs: Tensor, numSamples: number, opts?: MultinomialOptions): Tensor {
  requireTensor('multinomial', 'probs', probs);
  const { replacement = false, generator: g = defaultGenerator } = checkOptions(MULTINOMIAL, opts);
  requireFloat('multinomial', 'probs', probs);
  if (probs.dim() !== 1 && probs.dim() !== 2)
    throw new ValueError(`multinomial: probs must be 1-D or 2-D, got shape ${fmtShape(probs.shape)}`);
  if (!Number.isInteger(numSamples) || numSamples <= 0)
    throw new ValueError(`multinomial: numSamples must be a positive integer, got ${describeValue(numSamples)}`);
  const c = probs.shape[probs.dim() - 1]!;
  const rows = probs.dim() === 2 ? probs.shape[0]! : 1;
  if (c === 0) throw new ValueError(`multinomial: probs has no categories (shape ${fmtShape(probs.shape)})`);
  if (!replacement && numSamples > c)
    throw new ValueError(`multinomial: cannot sample ${numSamples} > ${c} categories without replacement (probs shape ${fmtShape(probs.shape)})`);
  const p = probs.detach().data;
  for (let i = 0; i < p.length; i++)
    if (!(p[i]! >= 0 && p[i]! < Infinity))
      throw new ValueError(`multinomial: probs must be finite and non-negative, got ${p[i]} at flat index ${i}`);
  const out = new Int32Array(rows * numSamples);
  const cdf = new Float64Array(c);
  for (let r = 0; r < rows; r++) {
    const base = r * c;
    let total = 0, nonzero = 0;
    for (let k = 0; k < c; k++) {
      const w = p[base + k]!;
      total += w;
      cdf[k] = total;
      if (w > 0) nonzero++;
    }
    if (!(total > 0)) throw new ValueError(`multinomial: row ${r} of probs sums to 0, not a distribution`);
    if (!replacement && numSamples > nonzero)
      throw new ValueError(`multinomial: cannot sample ${numSamples} > ${nonzero} non-zero categories of row ${r} without replacement`);
    const o = r * numSamples;
    if (replacement || numSamples === 1) {
      for (let j = 0; j < numSamples; j++) out[o + j] = searchCdf(cdf, g.random() * total, p, base);
    } else {
      raceWithoutReplacement(p, base, c, numSamples, g, out, o);
    }
  }
  return Tensor.fromData(out, probs.dim() === 2 ? [rows, numSamples] : [numSamples], 'int32');
}

/** The first category whose cumulative weight exceeds `u` (so never a zero-weight one). */
function searchCdf(cdf: Float64Array, u: number, p: ArrayLike<number>, base: number): number {
  let lo = 0, hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  if (lo < cdf.length) return lo;
  // u rounded up to the total: the last category with weight.
  let k = cdf.length - 1;
  while (p[base + k]! === 0) k--;
  return k;
}

/**
 * Writes the `k` categories with the smallest keys `E / w` (`E ~ Exp(1)`) in increasing key
 * order: the same distribution as `k` sequential draws without replacement. A max-heap of the
 * best `k` so far keeps this O(C log k) for few samples from many categories.
 */
function raceWithoutReplacement(
  p: ArrayLike<number>, base: number, c: number, k: number, g: Generator, out: Int32Array, o: number,
): void {
  const heapKey = new Float64Array(k);
  const heapIdx = new Int32Array(k);
  let size = 0;
  for (let j = 0; j < c; j++) {
    const w = p[base + j]!;
    if (!(w > 0)) continue;
    const key = -Math.log1p(-g.random()) / w;
    if (size < k) {
      // sift up
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapKey[parent]! >= key) break;
        heapKey[i] = heapKey[parent]!;
        heapIdx[i] = heapIdx[parent]!;
        i = parent;
      }
      heapKey[i] = key;
      heapIdx[i] = j;
    } else if (key < heapKey[0]!) {
      siftDown(heapKey, heapIdx, k, key, j);
    }
  }
  // pop the largest to the back: ascending keys
  for (let n = k; n > 0; n--) {
    out[o + n - 1] = heapIdx[0]!;
    if (n > 1) siftDown(heapKey, heapIdx, n - 1, heapKey[n - 1]!, heapIdx[n - 1]!);
  }
}

/** Replaces the root of the max-heap `heap[0..n)` by (key, idx) and restores the heap order. */
function siftDown(heapKey: Float64Array, heapIdx: Int32Array, n: number, key: number, idx: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heapKey[child + 1]! > heapKey[child]!) child++;
    if (heapKey[child]! <= key) break;
    heapKey[i] = heapKey[child]!;
    heapIdx[i] = heapIdx[child]!;
    i = child;
  }
  heapKey[i] = key;
  heapIdx[i] = idx;
}

/**
 * Draws 0 or 1 for each element of `p`, 1 with probability `p` (PyTorch's `torch.bernoulli`):
 * a tensor of p's shape and dtype. No gradient. The draws are not PyTorch's for the same seed.
 *
 * p - any shape, float, every value in [0, 1]; returns p's shape and dtype.
 *
 * @throws ValueError `bernoulli: p must be in [0, 1], got 1.5 at flat index 0`
 * @example
 * bernoulli(tensor([0, 1, 1, 0])).toArray(); // [0, 1, 1, 0] (p of 0 or 1 is certain)
 * bernoulli(fullLike(zeros([10000]), 0.3)).mean().item(); // about 0.3
 */
export function bernoulli(p: Tensor, opts?: GeneratorOptions): Tensor {
  requireTensor('bernoulli', 'p', p);
  const { generator: g = defaultGenerator } = checkOptions(BERNOULLI, opts);
  requireFloat('bernoulli', 'p', p);
  const src = p.detach().data;
  checkProbabilities('bernoulli', src);
  const out = allocate(p.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = g.random() < src[i]! ? 1 : 0;
  return Tensor.fromData(out, p.shape, p.dtype);
}

/** Refuses a probability outside [0, 1] (NaN too). @internal */
export function checkProbabilities(op: string, p: ArrayLike<number>): void {
  for (let i = 0; i < p.length; i++)
    if (!(p[i]! >= 0 && p[i]! <= 1)) throw new ValueError(`${op}: p must be in [0, 1], got ${p[i]} at flat index ${i}`);
}

/**
 * Samples of the normal distribution N(mean, std²) (PyTorch's `torch.normal`), in its forms:
 * `normal(meanTensor, stdTensor)` (broadcast together), `normal(meanTensor, std = 1)`,
 * `normal(mean, stdTensor)`, and `normal(mean, std, size)` (float32 unless `dtype` says
 * otherwise). A tensor result has the float dtype of its tensor arguments. No gradient. The
 * draws are not PyTorch's for the same seed.
 *
 * mean, std - tensors broadcast together (or numbers); returns the broadcast shape, or `size`.
 *
 * @throws ValueError `normal: std must be >= 0, got -1 at flat index 0`
 * @throws ValueError `normal: with a number mean and std, give the size: normal(0, 1, [2, 3])`
 * @example
 * normal(zeros([2, 3]), ones([3])).shape; // [2, 3]
 * normal(tensor([5, 10]), 0).toArray(); // [5, 10]
 * normal(0, tensor([0, 0])).toArray(); // [0, 0]
 * normal(2, 3, [10000], { generator: new Generator(0) }).mean().item(); // about 2
 */
export function normal(mean: Tensor, std?: Tensor | number, opts?: GeneratorOptions): Tensor;
export function normal(mean: Tensor, opts?: GeneratorOptions): Tensor;
export function normal(mean: number, std: Tensor, opts?: GeneratorOptions): Tensor;
export function normal(mean: number, std: number, size: Shape, opts?: RandomLikeOptions): Tensor;
export function normal(mean: unknown, std?: unknown, third?: unknown, fourth?: unknown): Tensor {
  if (typeof mean === 'number' && typeof std === 'number') {
    if (!Array.isArray(third))
      throw new ValueError(`normal: with a number mean and std, give the size: normal(${mean}, ${std}, [2, 3]), got ${describeValue(third)}`);
    const o = checkOptions(NORMAL_SIZE, fourth as RandomLikeOptions | undefined);
    if (!(std >= 0)) throw new ValueError(`normal: std must be >= 0, got ${std}`);
    const s = checkShape('normal', third as Shape);
    const dtype = o.dtype === undefined ? 'float32' : parseDType('normal', o.dtype);
    if (!isFloating(dtype)) throw new DTypeError(`normal: dtype must be float32 or float64, got ${dtype}`);
    const g = o.generator ?? defaultGenerator;
    const out = allocate(dtype, s.reduce((a, b) => a * b, 1));
    for (let i = 0; i < out.length; i++) out[i] = mean + std * g.normal();
    const t = Tensor.fromData(out, s, dtype);
    if (o.requiresGrad) t.requiresGrad = true;
    return t;
  }
  // normal(meanTensor, opts): std defaults to 1.
  if (mean instanceof Tensor && std !== null && typeof std === 'object' && !(std instanceof Tensor) && !Array.isArray(std) && third === undefined)
    [std, third] = [1, std];
  if (std === undefined) std = 1;
  if (fourth !== undefined) throw new ValueError(`normal: expected (mean, std, options) with a tensor, got a fourth argument ${describeValue(fourth)}`);
  if (!(mean instanceof Tensor) && typeof mean !== 'number') throw new ValueError(`normal: mean must be a Tensor or a number, got ${describeValue(mean)}`);
  if (!(std instanceof Tensor) && typeof std !== 'number') throw new ValueError(`normal: std must be a Tensor or a number, got ${describeValue(std)}`);
  const { generator: g = defaultGenerator } = checkOptions(NORMAL, third as GeneratorOptions | undefined);
  const m = mean as Tensor | number, sd = std as Tensor | number;
  if (m instanceof Tensor) requireFloat('normal', 'mean', m);
  if (sd instanceof Tensor) requireFloat('normal', 'std', sd);
  const dtype: DType = m instanceof Tensor && sd instanceof Tensor ? promoteTypes(m.dtype, sd.dtype) : m instanceof Tensor ? m.dtype : (sd as Tensor).dtype;
  const shape = broadcastShapes('normal', m instanceof Tensor ? m.shape : [], sd instanceof Tensor ? sd.shape : []);
  const values = (v: Tensor | number): ArrayLike<number> | number => (v instanceof Tensor ? v.detach().expand(shape).data : v);
  const mv = values(m), sv = values(sd);
  const n = shape.reduce((a, b) => a * b, 1);
  if (typeof sv === 'number') {
    if (!(sv >= 0)) throw new ValueError(`normal: std must be >= 0, got ${sv}`);
  } else {
    for (let i = 0; i < n; i++) if (!(sv[i]! >= 0)) throw new ValueError(`normal: std must be >= 0, got ${sv[i]} at flat index ${i}`);
  }
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const mu = typeof mv === 'number' ? mv : mv[i]!;
    const s = typeof sv === 'number' ? sv : sv[i]!;
    out[i] = mu + s * g.normal();
  }
  return Tensor.fromData(out, shape, dtype);
}

/**
 * Samples of the Poisson distribution with the given rates (PyTorch's `torch.poisson`): for each
 * element, a count k with probability `rate^k e^-rate / k!`, as a float of the rates' dtype.
 * Rates below 10 use Knuth's product of uniforms; larger ones Hörmann's transformed rejection
 * with squeeze (PTRS, 1993), O(1) per sample. No gradient. The draws are not PyTorch's for the
 * same seed.
 *
 * rates - any shape, float, non-negative and finite; returns rates' shape and dtype.
 *
 * @throws ValueError `poisson: rates must be finite and non-negative, got -1 at flat index 0`
 * @example
 * poisson(tensor([0, 0])).toArray(); // [0, 0]
 * poisson(fullLike(zeros([10000]), 4)).mean().item(); // about 4
 */
export function poisson(rates: Tensor, opts?: GeneratorOptions): Tensor {
  requireTensor('poisson', 'rates', rates);
  const { generator: g = defaultGenerator } = checkOptions(POISSON, opts);
  requireFloat('poisson', 'rates', rates);
  const src = rates.detach().data;
  for (let i = 0; i < src.length; i++)
    if (!(src[i]! >= 0 && src[i]! < Infinity))
      throw new ValueError(`poisson: rates must be finite and non-negative, got ${src[i]} at flat index ${i}`);
  const out = allocate(rates.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = samplePoisson(src[i]!, g);
  return Tensor.fromData(out, rates.shape, rates.dtype);
}

/** One Poisson(lam) count. @internal */
export function samplePoisson(lam: number, g: Generator): number {
  if (lam === 0) return 0;
  if (lam < 10) {
    // Knuth: count uniforms until their product drops below e^-lam.
    const limit = Math.exp(-lam);
    let k = 0;
    let prod = g.random();
    while (prod > limit) {
      k++;
      prod *= g.random();
    }
    return k;
  }
  // PTRS (Hörmann, "The transformed rejection method for generating Poisson random variables", 1993).
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = g.random() - 0.5;
    const v = g.random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) return k;
  }
}

const LOG_FACTORIAL_SMALL = (() => {
  const t = new Float64Array(16);
  for (let k = 1; k < 16; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

/** ln(k!) for an integer k >= 0: a table below 16, Stirling's series (error < 1e-14) above. */
function logFactorial(k: number): number {
  if (k < 16) return LOG_FACTORIAL_SMALL[k]!;
  const z = k + 1;
  const z2 = z * z;
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + (1 / 12 - (1 / 360 - 1 / (1260 * z2)) / z2) / z;
}

/** The options of a `*Like` creator, checked, with the template's dtype as the default. */
function likeOptions(spec: typeof RAND_LIKE, t: unknown, opts: RandomLikeOptions | undefined, float: boolean): RandomLikeOptions & { dtype: DType } {
  requireTensor(spec.fn, 'input', t);
  const o = checkOptions(spec, opts);
  const dtype = o.dtype === undefined ? t.dtype : parseDType(spec.fn, o.dtype);
  if (float && !isFloating(dtype))
    throw new DTypeError(`${spec.fn}: expected a float dtype, got ${dtype} (input shape ${fmtShape(t.shape)}); pass { dtype: 'float32' }`);
  return { ...o, dtype };
}

/**
 * Uniform samples from [0, 1) in the shape of `input` (PyTorch's `torch.rand_like`), of its
 * dtype unless `dtype` says otherwise. The draws are not PyTorch's for the same seed.
 *
 * input - any shape; returns input's shape.
 *
 * @throws DTypeError `randLike: expected a float dtype, got int32 (input shape [2]); pass { dtype: 'float32' }`
 * @example
 * randLike(zeros([2, 3], { dtype: 'float64' })).dtype; // 'float64'
 * randLike(zeros([2, 3])).shape; // [2, 3]
 */
export function randLike(input: Tensor, opts?: RandomLikeOptions): Tensor {
  const o = likeOptions(RAND_LIKE, input, opts, true);
  return rand([...input.shape], o);
}

/**
 * Standard normal samples in the shape of `input` (PyTorch's `torch.randn_like`), of its dtype
 * unless `dtype` says otherwise. The draws are not PyTorch's for the same seed.
 *
 * input - any shape; returns input's shape.
 *
 * @throws DTypeError `randnLike: expected a float dtype, got int32 (input shape [2]); pass { dtype: 'float32' }`
 * @example
 * randnLike(zeros([4])).shape; // [4]
 */
export function randnLike(input: Tensor, opts?: RandomLikeOptions): Tensor {
  const o = likeOptions(RANDN_LIKE, input, opts, true);
  return randn([...input.shape], o);
}

/**
 * Uniform integers in [low, high) in the shape of `input` (PyTorch's `torch.randint_like`), of
 * its dtype unless `dtype` says otherwise; `randintLike(input, high)` draws from [0, high). The
 * draws are not PyTorch's for the same seed.
 *
 * input - any shape; returns input's shape.
 *
 * @throws ValueError `randintLike: expected low < high, got low=3, high=3`
 * @example
 * randintLike(zeros([3], { dtype: 'int32' }), 1).toArray(); // [0, 0, 0]
 * randintLike(zeros([2]), 5, 6).toArray(); // [5, 5]
 */
export function randintLike(input: Tensor, high: number, opts?: RandomLikeOptions): Tensor;
export function randintLike(input: Tensor, low: number, high: number, opts?: RandomLikeOptions): Tensor;
export function randintLike(input: Tensor, first: number, second?: number | RandomLikeOptions, third?: RandomLikeOptions): Tensor {
  const twoBounds = typeof second === 'number';
  if (!twoBounds && third !== undefined)
    throw new ValueError(`randintLike: expected (input, high, options) or (input, low, high, options), got ${describeValue(second)} then ${describeValue(third)}`);
  const o = likeOptions(RANDINT_LIKE, input, twoBounds ? third : second, false);
  const [low, high] = twoBounds ? [first, second] : [0, first];
  for (const [name, b] of [['low', low], ['high', high]] as const)
    if (!Number.isInteger(b)) throw new ValueError(`randintLike: ${name} must be an integer, got ${describeValue(b)}`);
  if (!(high > low)) throw new ValueError(`randintLike: expected low < high, got low=${low}, high=${high}`);
  return randint(low, high, [...input.shape], o);
}
