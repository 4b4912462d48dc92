import {
  Tensor, ValueError, DTypeError, defaultGenerator, defineOptions, noGrad, fmtShape, isFloating, allocate, type Generator, checkOptions,
} from '@tapegrad/core';
import { requireNumber, requireTensor } from './options.js';

const spec = (fn: string, extra: Record<string, string> = {}) => defineOptions(fn, { ...extra, generator: 'generator' });
const UNIFORM = spec('uniform_');
const NORMAL = spec('normal_');
const TRUNC_NORMAL = spec('truncNormal_');
const XAVIER_UNIFORM = spec('xavierUniform_', { gain: 'number' });
const XAVIER_NORMAL = spec('xavierNormal_', { gain: 'number' });
const KAIMING_TYPES = { a: 'number', mode: "'fanIn'|'fanOut'", nonlinearity: 'string' };
const KAIMING_UNIFORM = spec('kaimingUniform_', KAIMING_TYPES);
const KAIMING_NORMAL = spec('kaimingNormal_', KAIMING_TYPES);

/*
 * Parameter initialisation, PyTorch's `torch.nn.init`: each function fills a tensor in place
 * (without recording on the tape, so it works on parameters) and returns it. Random ones draw from
 * `generator` or, by default, the global generator seeded by `manualSeed`.
 *
 * @example
 * const w = new Parameter(zeros([128, 784]));
 * init.kaimingUniform_(w, { nonlinearity: 'relu' });
 * init.zeros_(layer.bias!);
 */

/**
 * Nonlinearities known to {@link calculateGain} (PyTorch's names; `leaky_relu` is also accepted).
 *
 * @example
 * const nl: init.Nonlinearity = 'tanh';
 * init.calculateGain(nl); // 1.6666667
 */
export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d'
  | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'leaky_relu' | 'selu';

/**
 * Options of the random initialisers.
 *
 * @example
 * const opts: init.InitOptions = { generator: new Generator(0) };
 * const a = init.normal_(zeros([3]), 0, 1, opts);
 * const b = init.normal_(zeros([3]), 0, 1, { generator: new Generator(0) });
 * b.sub(a).abs().max().item(); // 0 (same generator seed, same values)
 */
export interface InitOptions {
  /** The generator to draw from (default: the global one). */
  generator?: Generator;
}

/**
 * Options of {@link kaimingUniform_} and {@link kaimingNormal_}.
 *
 * @example
 * const opts: init.KaimingOptions = { a: 0.1, mode: 'fanIn', nonlinearity: 'leakyRelu' };
 * const w = init.kaimingUniform_(zeros([64, 100]), opts);
 * w.abs().max().item() <= init.calculateGain('leakyRelu', 0.1) * Math.sqrt(3 / 100); // true
 */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass (`'fanIn'`, default) or of the backward pass (`'fanOut'`). */
  mode?: 'fanIn' | 'fanOut';
  /** The nonlinearity that follows (default `'leakyRelu'`, with slope `a`). */
  nonlinearity?: Nonlinearity;
}

/** Writes `draw(i)` into every element of `t` in place, under noGrad (nothing for an empty `t`). */
function fill(op: string, t: Tensor, draw: (i: number) => number): Tensor {
  requireTensor(op, 'tensor', t);
  if (t.numel() === 0) return t;
  const data = allocate(t.dtype, t.numel());
  for (let i = 0; i < data.length; i++) data[i] = draw(i);
  const src = Tensor.fromData(data, t.shape, t.dtype);
  noGrad(() => t.copy_(src));
  return t;
}

function requireFloatInit(op: string, t: Tensor): void {
  requireTensor(op, 'tensor', t);
  if (!isFloating(t.dtype))
    throw new DTypeError(`${op}: expected a floating point tensor, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
}

/**
 * Fills `t` with samples of the uniform distribution U(a, b).
 *
 * @throws ValueError when `a > b`
 * @example
 * const w = init.uniform_(zeros([3, 3]), -0.1, 0.1);
 * w.abs().max().item() <= 0.1; // true
 */
export function uniform_(t: Tensor, a = 0, b = 1, opts?: InitOptions): Tensor {
  opts = checkOptions(UNIFORM, opts);
  requireFloatInit('uniform_', t);
  requireNumber('uniform_', 'a', a);
  requireNumber('uniform_', 'b', b);
  if (!(a <= b)) throw new ValueError(`uniform_: expected a <= b, got a=${a}, b=${b}`);
  const g = opts.generator ?? defaultGenerator;
  return fill('uniform_', t, () => a + (b - a) * g.random());
}

/**
 * Fills `t` with samples of the normal distribution N(mean, std²).
 *
 * @throws ValueError when `std < 0`
 * @example
 * const w = init.normal_(zeros([100, 100]), 0, 0.02);
 * w.std().item(); // about 0.02
 */
export function normal_(t: Tensor, mean = 0, std = 1, opts?: InitOptions): Tensor {
  opts = checkOptions(NORMAL, opts);
  requireFloatInit('normal_', t);
  requireNumber('normal_', 'mean', mean);
  requireNumber('normal_', 'std', std);
  if (!(std >= 0)) throw new ValueError(`normal_: expected std >= 0, got ${std}`);
  const g = opts.generator ?? defaultGenerator;
  return fill('normal_', t, () => mean + std * g.normal());
}

/**
 * Fills `t` with samples of N(mean, std²) truncated to [a, b] (redrawn until inside).
 *
 * @throws ValueError when `a >= b` or `std <= 0`
 * @example
 * const w = init.truncNormal_(zeros([3, 3]), 0, 0.02, -0.04, 0.04);
 * w.abs().max().item() <= 0.04; // true
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts?: InitOptions): Tensor {
  opts = checkOptions(TRUNC_NORMAL, opts);
  requireFloatInit('truncNormal_', t);
  for (const [k, v] of [['mean', mean], ['std', std], ['a', a], ['b', b]] as const) requireNumber('truncNormal_', k, v);
  if (!(a < b)) throw new ValueError(`truncNormal_: expected a < b, got a=${a}, b=${b}`);
  if (!(std > 0)) throw new ValueError(`truncNormal_: expected std > 0, got ${std}`);
  const g = opts.generator ?? defaultGenerator;
  return fill('truncNormal_', t, () => {
    for (let tries = 0; tries < 10000; tries++) {
      const v = mean + std * g.normal();
      if (v >= a && v <= b) return v;
    }
    throw new ValueError(`truncNormal_: [${a}, ${b}] is too far from N(${mean}, ${std}^2) to sample by rejection`);
  });
}

/**
 * Fills `t` with `value`.
 *
 * @example
 * init.constant_(zeros([3]), 0.1).toArray(); // [0.1, 0.1, 0.1]
 */
export function constant_(t: Tensor, value: number): Tensor {
  requireNumber('constant_', 'value', value);
  return fill('constant_', t, () => value);
}

/**
 * Fills `t` with zeros.
 *
 * @example
 * const layer = new Linear(3, 2);
 * init.zeros_(layer.bias!).toArray(); // [0, 0]
 */
export function zeros_(t: Tensor): Tensor {
  return fill('zeros_', t, () => 0);
}

/**
 * Fills `t` with ones.
 *
 * @example
 * const bn = new BatchNorm1d(3);
 * init.ones_(bn.weight!).toArray(); // [1, 1, 1]
 */
export function ones_(t: Tensor): Tensor {
  return fill('ones_', t, () => 1);
}

/**
 * Fills a 2-D tensor with the identity matrix (ones on the diagonal, zeros elsewhere).
 *
 * @throws ValueError unless `t` is 2-D
 * @example
 * init.eye_(zeros([2, 3])).toArray(); // [[1, 0, 0], [0, 1, 0]]
 */
export function eye_(t: Tensor): Tensor {
  requireTensor('eye_', 'tensor', t);
  if (t.ndim !== 2) throw new ValueError(`eye_: expected a 2-D tensor, got shape ${fmtShape(t.shape)}`);
  const cols = t.shape[1]!;
  return fill('eye_', t, (i) => (Math.floor(i / cols) === i % cols ? 1 : 0));
}

/**
 * The fan-in and fan-out of a weight: for shape `[out, in, *k]`, `fanIn = in * prod(k)` and
 * `fanOut = out * prod(k)` (PyTorch's convention for Linear and Conv weights).
 *
 * @throws ValueError for tensors with fewer than 2 dims
 * @example
 * init.calculateFanInAndFanOut(zeros([64, 32, 3, 3])); // { fanIn: 288, fanOut: 576 }
 * init.calculateFanInAndFanOut([10, 784]); // { fanIn: 784, fanOut: 10 }
 */
export function calculateFanInAndFanOut(t: Tensor | readonly number[]): { fanIn: number; fanOut: number } {
  const shape = t instanceof Tensor ? t.shape : t;
  if (shape.length < 2)
    throw new ValueError(`calculateFanInAndFanOut: fan in and fan out need a tensor of at least 2 dims, got shape ${fmtShape(shape)}`);
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear, conv and
 * sigmoid; 5/3 for tanh; √2 for relu; √(2 / (1 + slope²)) for leaky relu (`param` is the slope,
 * default 0.01); 3/4 for selu.
 *
 * @throws ValueError for an unknown nonlinearity or a non-numeric slope
 * @example
 * init.calculateGain('relu'); // 1.4142136
 * init.calculateGain('leakyRelu', 0.2); // 1.3867505
 * init.calculateGain('tanh'); // 1.6666667
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'convTranspose1d': case 'convTranspose2d': case 'convTranspose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope))
        throw new ValueError(`calculateGain: negative slope ${String(slope)} is not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unsupported nonlinearity "${String(nonlinearity)}"`);
  }
}

/**
 * Xavier/Glorot uniform: U(-a, a) with `a = gain * √(6 / (fanIn + fanOut))`.
 *
 * @throws ValueError for tensors with fewer than 2 dims
 * @example
 * const linear = new Linear(100, 50);
 * init.xavierUniform_(linear.weight, { gain: init.calculateGain('tanh') });
 * linear.weight.abs().max().item() <= (5 / 3) * Math.sqrt(6 / 150); // true
 */
export function xavierUniform_(t: Tensor, opts?: InitOptions & { gain?: number }): Tensor {
  opts = checkOptions(XAVIER_UNIFORM, opts);
  requireTensor('xavierUniform_', 'tensor', t);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, { generator: opts.generator });
}

/**
 * Xavier/Glorot normal: N(0, std²) with `std = gain * √(2 / (fanIn + fanOut))`.
 *
 * @throws ValueError for tensors with fewer than 2 dims
 * @example
 * const linear = new Linear(300, 200);
 * init.xavierNormal_(linear.weight);
 * linear.weight.std().item(); // about 0.0632 (sqrt(2 / (300 + 200)))
 */
export function xavierNormal_(t: Tensor, opts?: InitOptions & { gain?: number }): Tensor {
  opts = checkOptions(XAVIER_NORMAL, opts);
  requireTensor('xavierNormal_', 'tensor', t);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const std = (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(t, 0, std, { generator: opts.generator });
}

function kaimingStd(op: string, t: Tensor, opts: KaimingOptions): number {
  const mode = opts.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const fans = calculateFanInAndFanOut(t);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  // A zero fan means a zero-element tensor (e.g. Linear(0, n)): nothing to draw, as in PyTorch.
  if (fan === 0) return 0;
  return calculateGain(opts.nonlinearity ?? 'leakyRelu', opts.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(-bound, bound) with `bound = gain * √(3 / fan)`, `gain` from
 * {@link calculateGain}(nonlinearity, a) and `fan` the fan-in (default) or fan-out.
 * Linear and Conv2d use `a = √5`, which gives `bound = 1 / √fanIn`. A tensor with no
 * elements is left as it is.
 *
 * @throws ValueError for tensors with fewer than 2 dims or a bad `mode`
 * @example
 * const conv = new Conv2d(3, 16, 3);
 * init.kaimingUniform_(conv.weight, { mode: 'fanOut', nonlinearity: 'relu' });
 * conv.weight.abs().max().item() <= Math.sqrt(2) * Math.sqrt(3 / (16 * 9)); // true
 */
export function kaimingUniform_(t: Tensor, opts?: KaimingOptions): Tensor {
  opts = checkOptions(KAIMING_UNIFORM, opts);
  requireTensor('kaimingUniform_', 'tensor', t);
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -bound, bound, { generator: opts.generator });
}

/**
 * Kaiming/He normal: N(0, std²) with `std = gain / √fan`.
 *
 * @throws ValueError for tensors with fewer than 2 dims or a bad `mode`
 * @example
 * const linear = new Linear(784, 128);
 * init.kaimingNormal_(linear.weight, { nonlinearity: 'relu' });
 * linear.weight.std().item(); // about 0.0505 (sqrt(2 / 784))
 */
export function kaimingNormal_(t: Tensor, opts?: KaimingOptions): Tensor {
  opts = checkOptions(KAIMING_NORMAL, opts);
  requireTensor('kaimingNormal_', 'tensor', t);
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts), { generator: opts.generator });
}
