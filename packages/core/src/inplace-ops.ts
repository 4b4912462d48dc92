import { allocate, isFloating } from './dtype.js';
import { DTypeError, ValueError, fmtShape } from './errors.js';
import { checkWritable, copy_ } from './inplace.js';
import { checkOptions, defineOptions, describeValue, type OptionSpec } from './options.js';
import { Generator, defaultGenerator } from './random.js';
import { Tensor } from './tensor.js';
import type { OutOptions } from './ops/types.js';

// In-place element-wise maps and random fills behind Tensor's `exp_`, `uniform_`, ... methods.
// Like inplace.ts they write through the tensor's view, bump its version (so backward notices a
// changed saved tensor) and are not recorded on the tape.

/**
 * Writes `f(t)` into `t` through `f`'s `out` option. `float` marks maps whose result is a float
 * (exp, log, ...), which an integer tensor cannot hold. @internal
 */
export function mapInPlace<T extends Tensor>(op: string, t: T, f: (x: Tensor, opts: OutOptions) => Tensor, float: boolean): T {
  checkWritable(op, t);
  if (float && !isFloating(t.dtype))
    throw new DTypeError(`${op}: the result is a float and cannot be written into a tensor of dtype ${t.dtype} (shape ${fmtShape(t.shape)}); cast it first`);
  f(t, { out: t });
  return t;
}

/** Options of {@link Tensor.uniform_} and {@link Tensor.normal_}. */
interface FillRandomOptions {
  /** The generator to draw from (default: the global one seeded by {@link manualSeed}). */
  generator?: Generator;
}

const UNIFORM = defineOptions('uniform_', { generator: 'object' });
const NORMAL = defineOptions('normal_', { generator: 'object' });

/**
 * Checks options whose `generator` is a {@link Generator} (a class instance, which the option
 * notation's `object` does not accept): the generator here, the rest by {@link checkOptions}.
 */
function checkGeneratorOptions(spec: OptionSpec, opts: FillRandomOptions | undefined): Generator {
  const g: unknown = typeof opts === 'object' && opts !== null ? opts.generator : undefined;
  if (g === undefined) {
    checkOptions(spec, opts);
    return defaultGenerator;
  }
  if (!(g instanceof Generator)) throw new ValueError(`${spec.fn}: option generator must be a Generator, got ${describeValue(g)}`);
  // The rest, as a same-prototype copy without the generator (a non-plain options object is still refused).
  checkOptions(spec, Object.assign(Object.create(Object.getPrototypeOf(opts) as object | null) as object, opts, { generator: undefined }));
  return g;
}

function checkNumbers(op: string, args: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(args))
    if (typeof v !== 'number') throw new ValueError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
}

function fillFrom<T extends Tensor>(op: string, t: T, draw: (out: Float32Array | Float64Array) => void): T {
  checkWritable(op, t);
  if (!isFloating(t.dtype)) throw new DTypeError(`${op}: expected a floating point tensor, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
  const data = allocate(t.dtype, t.numel()) as Float32Array | Float64Array;
  draw(data);
  return copy_(t, Tensor.fromData(data, t.shape, t.dtype));
}

/** Fills `t` with samples of U(from, to). @internal */
export function uniform_<T extends Tensor>(t: T, from: number, to: number, opts?: FillRandomOptions): T {
  const g = checkGeneratorOptions(UNIFORM, opts);
  checkNumbers('uniform_', { from, to });
  if (!(from <= to)) throw new ValueError(`uniform_: expected from <= to, got from=${from}, to=${to}`);
  return fillFrom('uniform_', t, (out) => {
    g.fillRandom(out);
    for (let i = 0; i < out.length; i++) out[i] = from + (to - from) * out[i]!;
  });
}

/** Fills `t` with samples of N(mean, std²). @internal */
export function normal_<T extends Tensor>(t: T, mean: number, std: number, opts?: FillRandomOptions): T {
  const g = checkGeneratorOptions(NORMAL, opts);
  checkNumbers('normal_', { mean, std });
  if (!(std >= 0)) throw new ValueError(`normal_: expected std >= 0, got ${std}`);
  return fillFrom('normal_', t, (out) => {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * g.normal();
  });
}
