import { allocate, isFloating } from './dtype.js';
import { DTypeError, ValueError, fmtShape } from './errors.js';
import { checkWritable, copy_ } from './inplace.js';
import { checkOptions, defineOptions, describeValue } from './options.js';
import { defaultGenerator, type Generator } from './random.js';
import { Tensor } from './tensor.js';
import { checkProbabilities } from './ops/random-sampling.js';
import { requireTensor } from './ops/operands.js';

// In-place random fills behind Tensor's `exponential_`, `bernoulli_`, `cauchy_`, `geometric_`,
// `logNormal_` and `random_` (uniform_ and normal_ are in inplace-ops.ts). Like those they write
// through the tensor's view, bump its version and are not recorded on the tape. The draws are not
// PyTorch's for the same seed (different generators).

/** Options of the in-place random fills. */
interface FillOptions {
  /** The generator to draw from (default: the global one seeded by {@link manualSeed}). */
  generator?: Generator;
}

const spec = (fn: string) => defineOptions(fn, { generator: 'generator' });
const EXPONENTIAL = spec('exponential_');
const BERNOULLI = spec('bernoulli_');
const CAUCHY = spec('cauchy_');
const GEOMETRIC = spec('geometric_');
const LOG_NORMAL = spec('logNormal_');
const RANDOM = spec('random_');

function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v === 'number') return v;
  throw new ValueError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
}

/** Writes `draw(i)` for each element of `t` (row-major over its view) into `t`, cast to its dtype. */
function fill<T extends Tensor>(op: string, t: T, floatOnly: boolean, draw: (i: number) => number): T {
  checkWritable(op, t);
  if (floatOnly && !isFloating(t.dtype))
    throw new DTypeError(`${op}: expected a floating point tensor, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
  const data = allocate(t.dtype, t.numel());
  for (let i = 0; i < data.length; i++) data[i] = draw(i);
  return copy_(t, Tensor.fromData(data, t.shape, t.dtype));
}

/** A uniform draw in (0, 1): never 0, so its logarithm is finite. */
function openUniform(g: Generator): number {
  let u = 0;
  while (u === 0) u = g.random();
  return u;
}

/** Fills `t` with samples of Exp(lambd): `-ln(U) / lambd`. @internal */
export function exponential_<T extends Tensor>(t: T, lambd: number, opts?: FillOptions): T {
  const { generator: g = defaultGenerator } = checkOptions(EXPONENTIAL, opts);
  checkNumber('exponential_', 'lambd', lambd);
  if (!(lambd > 0)) throw new ValueError(`exponential_: expected lambd > 0, got ${lambd}`);
  return fill('exponential_', t, true, () => -Math.log(openUniform(g)) / lambd);
}

/** Fills `t` with 0/1 draws, 1 with probability `p` (a number, or a tensor broadcast to t's shape). @internal */
export function bernoulli_<T extends Tensor>(t: T, p: number | Tensor, opts?: FillOptions): T {
  const { generator: g = defaultGenerator } = checkOptions(BERNOULLI, opts);
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new ValueError(`bernoulli_: p must be in [0, 1], got ${p}`);
    return fill('bernoulli_', t, false, () => (g.random() < p ? 1 : 0));
  }
  requireTensor('bernoulli_', 'p', p);
  let probs: ArrayLike<number>;
  try {
    probs = p.detach().expand([...t.shape]).data;
  } catch {
    throw new ValueError(`bernoulli_: p of shape ${fmtShape(p.shape)} does not broadcast to the tensor's shape ${fmtShape(t.shape)}`);
  }
  checkProbabilities('bernoulli_', probs);
  return fill('bernoulli_', t, false, (i) => (g.random() < probs[i]! ? 1 : 0));
}

/** Fills `t` with samples of Cauchy(median, sigma): `median + sigma tan(pi (U - 1/2))`. @internal */
export function cauchy_<T extends Tensor>(t: T, median: number, sigma: number, opts?: FillOptions): T {
  const { generator: g = defaultGenerator } = checkOptions(CAUCHY, opts);
  checkNumber('cauchy_', 'median', median);
  checkNumber('cauchy_', 'sigma', sigma);
  if (!(sigma > 0)) throw new ValueError(`cauchy_: expected sigma > 0, got ${sigma}`);
  return fill('cauchy_', t, true, () => median + sigma * Math.tan(Math.PI * (openUniform(g) - 0.5)));
}

/** Fills `t` with Geometric(p) counts (trials up to the first success, >= 1): `ceil(ln U / ln(1 - p))`. @internal */
export function geometric_<T extends Tensor>(t: T, p: number, opts?: FillOptions): T {
  const { generator: g = defaultGenerator } = checkOptions(GEOMETRIC, opts);
  checkNumber('geometric_', 'p', p);
  if (!(p > 0 && p < 1)) throw new ValueError(`geometric_: expected 0 < p < 1, got ${p}`);
  const logq = Math.log1p(-p);
  return fill('geometric_', t, false, () => Math.max(1, Math.ceil(Math.log(openUniform(g)) / logq)));
}

/** Fills `t` with samples of exp(N(mean, std²)). @internal */
export function logNormal_<T extends Tensor>(t: T, mean: number, std: number, opts?: FillOptions): T {
  const { generator: g = defaultGenerator } = checkOptions(LOG_NORMAL, opts);
  checkNumber('logNormal_', 'mean', mean);
  checkNumber('logNormal_', 'std', std);
  if (!(std > 0)) throw new ValueError(`logNormal_: expected std > 0, got ${std}`);
  return fill('logNormal_', t, true, () => Math.exp(mean + std * g.normal()));
}

/** The largest integer every value of a dtype up to it holds exactly (PyTorch's default `to` of random_, minus one). */
const RANDOM_MAX = { float32: 2 ** 24, float64: 2 ** 53, int32: 2 ** 31 - 1, bool: 1 } as const;

/**
 * Fills `t` with uniform integers in [from, to): `random_()` draws from [0, M] where M is the
 * largest integer t's dtype holds exactly (2^24 for float32, 2^53 for float64, 2^31 - 1 for
 * int32, 1 for bool), `random_(to)` from [0, to). @internal
 */
export function random_<T extends Tensor>(t: T, from?: number | FillOptions, to?: number | FillOptions, opts?: FillOptions): T {
  // random_(opts) and random_(to, opts): the options come after the numbers given.
  if (typeof from === 'object' && from !== null && to === undefined && opts === undefined) [from, opts] = [undefined, from];
  else if (typeof to === 'object' && to !== null && opts === undefined) [to, opts] = [undefined, to];
  const { generator: g = defaultGenerator } = checkOptions(RANDOM, opts);
  let lo: number, hi: number;
  if (from === undefined && to === undefined) [lo, hi] = [0, RANDOM_MAX[t.dtype] + 1];
  else if (to === undefined) [lo, hi] = [0, checkNumber('random_', 'to', from)];
  else [lo, hi] = [from === undefined ? 0 : checkNumber('random_', 'from', from), checkNumber('random_', 'to', to)];
  if (!Number.isInteger(lo) || !Number.isInteger(hi))
    throw new ValueError(`random_: from and to must be integers, got from=${lo}, to=${hi}`);
  if (!(lo < hi)) throw new ValueError(`random_: expected from < to, got from=${lo}, to=${hi}`);
  const max = RANDOM_MAX[t.dtype];
  if (lo < -max - 1 || hi - 1 > max)
    throw new ValueError(`random_: [${lo}, ${hi}) does not fit in ${t.dtype} (shape ${fmtShape(t.shape)})`);
  return fill('random_', t, false, () => lo + Math.floor(g.random() * (hi - lo)));
}
