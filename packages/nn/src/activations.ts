import {
  ShapeError, Tensor, ValueError, checkOptions, defineOptions, describeValue, fmtShape, parseDType, unsupported, zeros,
  type DTypeLike, type Generator,
} from '@tapegrad/core';
import { Parameter } from './parameter.js';
import { constant_ } from './init.js';
import { Module } from './module.js';
import { requireInteger, requireNumber } from './options.js';

const GELU_OPTS = defineOptions('GELU', { approximate: "'none'|'tanh'" });
const SOFTPLUS_OPTS = defineOptions('Softplus', { beta: 'number', threshold: 'number' });
const HEAVISIDE_OPTS = defineOptions('Heaviside', { value: 'number' });
import * as A from './functional/activations.js';
import { checkRReLUBounds } from './functional/activations.js';

/**
 * Logistic sigmoid `1 / (1 + e^-x)`, element-wise (PyTorch's `nn.Sigmoid`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Sigmoid().call(tensor([0])).item(); // 0.5
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return A.sigmoid(x);
  }
}

/**
 * Hyperbolic tangent, element-wise (PyTorch's `nn.Tanh`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Tanh().call(tensor([0])).item(); // 0
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return A.tanh(x);
  }
}

/**
 * Rectified linear unit `max(x, 0)`, element-wise (PyTorch's `nn.ReLU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new ReLU().call(tensor([-1, 2])).toArray(); // [0, 2]
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return A.relu(x);
  }
}

/**
 * Leaky ReLU: `x` for x > 0, `negativeSlope * x` otherwise (PyTorch's `nn.LeakyReLU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new LeakyReLU(0.1).call(tensor([-1, 2])).toArray(); // [-0.1, 2]
 */
export class LeakyReLU extends Module {
  /** Slope for negative inputs (default 0.01). */
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    requireNumber('LeakyReLU', 'negativeSlope', negativeSlope);
    this.negativeSlope = negativeSlope;
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
  forward(x: Tensor): Tensor {
    return A.leakyRelu(x, this.negativeSlope);
  }
}

/**
 * Exponential linear unit: `x` for x > 0, `alpha (e^x - 1)` otherwise (PyTorch's `nn.ELU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new ELU().call(tensor([-1, 1])).toArray(); // [-0.6321206, 1]
 */
export class ELU extends Module {
  /** Scale of the negative part (default 1). */
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    requireNumber('ELU', 'alpha', alpha);
    this.alpha = alpha;
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
  forward(x: Tensor): Tensor {
    return A.elu(x, this.alpha);
  }
}

/**
 * Gaussian error linear unit `x Φ(x)` (or its tanh approximation) (PyTorch's `nn.GELU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new GELU().call(tensor([1])).item(); // 0.841345
 * new GELU({ approximate: 'tanh' }).call(tensor([1])).item(); // 0.841192
 */
export class GELU extends Module {
  /** `'none'` (exact, default) or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';
  constructor(opts?: { approximate?: 'none' | 'tanh' }) {
    super();
    opts = checkOptions(GELU_OPTS, opts);
    this.approximate = opts.approximate ?? 'none';
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
  forward(x: Tensor): Tensor {
    return A.gelu(x, { approximate: this.approximate });
  }
}

/**
 * Softplus `log(1 + e^(beta x)) / beta`, linear where `beta x > threshold` (PyTorch's `nn.Softplus`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Softplus().call(tensor([0])).item(); // 0.693147
 */
export class Softplus extends Module {
  /** The sharpness β (default 1). */
  readonly beta: number;
  /** Above `beta x > threshold` the output is `x` itself (default 20). */
  readonly threshold: number;
  constructor(opts?: { beta?: number; threshold?: number }) {
    super();
    opts = checkOptions(SOFTPLUS_OPTS, opts);
    this.beta = opts.beta ?? 1;
    this.threshold = opts.threshold ?? 20;
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
  forward(x: Tensor): Tensor {
    return A.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
}

/**
 * Softmax along `dim` (PyTorch's `nn.Softmax`): the values along `dim` become positive and sum to 1.
 *
 * Shape: input [*] -> output [*].
 *
 * @param dim - the dim to normalise (default -1; PyTorch users usually pass 1 for [N, C])
 * @example
 * new Softmax(1).call(tensor([[1, 1]])).toArray(); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
  /** The dim that sums to 1. */
  readonly dim: number;
  constructor(dim = -1) {
    super();
    requireInteger('Softmax', 'dim', dim);
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
  forward(x: Tensor): Tensor {
    return A.softmax(x, this.dim);
  }
}

/**
 * Log-softmax along `dim`, computed stably (PyTorch's `nn.LogSoftmax`); pair with {@link NLLLoss}.
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new LogSoftmax(1).call(tensor([[0, 0]])).toArray(); // [[-0.693147, -0.693147]]
 */
export class LogSoftmax extends Module {
  /** The dim normalised over. */
  readonly dim: number;
  constructor(dim = -1) {
    super();
    requireInteger('LogSoftmax', 'dim', dim);
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
  forward(x: Tensor): Tensor {
    return A.logSoftmax(x, this.dim);
  }
}

/**
 * Unit step for perceptrons: 1 where x > 0, 0 where x < 0, `value` at 0 (default 1).
 * It has **no useful gradient** (zero everywhere): backward passes zeros. See {@link F.heaviside}.
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Heaviside().call(tensor([-0.5, 0, 2])).toArray(); // [0, 1, 1]
 */
export class Heaviside extends Module {
  /** The output where the input is exactly 0. */
  readonly value: number;
  constructor(opts?: { value?: number }) {
    super();
    opts = checkOptions(HEAVISIDE_OPTS, opts);
    this.value = opts.value ?? 1;
  }
  override extraRepr(): string {
    return `value=${this.value}`;
  }
  forward(x: Tensor): Tensor {
    return A.heaviside(x, { value: this.value });
  }
}

/**
 * Another name for {@link Heaviside}, the unit step of a perceptron.
 *
 * @example
 * const perceptron = new Sequential(new Linear(2, 1), new Step());
 * new Step().call(tensor([-3, 0, 2])).toArray(); // [0, 1, 1]
 */
export const Step = Heaviside;
/** Another name for {@link Heaviside}. */
export type Step = Heaviside;

// ---------------------------------------------------------------- issue 18: more activations

const HARDTANH_OPTS = defineOptions('Hardtanh', { minVal: 'number', maxVal: 'number', inplace: unsupported('inplace is not supported', false) });
const PRELU_OPTS = defineOptions('PReLU', { numParameters: 'integer', init: 'number', dtype: 'string' });
const RRELU_OPTS = defineOptions('RReLU', {
  lower: 'number', upper: 'number', generator: 'generator', inplace: unsupported('inplace is not supported', false),
});

/**
 * ReLU capped at 6, `min(max(x, 0), 6)` (PyTorch's `nn.ReLU6`); the gradient is 0 at 0 and 6.
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new ReLU6().call(tensor([-1, 3, 8])).toArray(); // [0, 3, 6]
 */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return A.relu6(x);
  }
}

/**
 * Hard tanh, `min(max(x, minVal), maxVal)` (PyTorch's `nn.Hardtanh`, defaults -1 and 1).
 *
 * Shape: input [*] -> output [*].
 *
 * @throws ValueError unless minVal < maxVal
 * @example
 * new Hardtanh().call(tensor([-2, 0.5, 2])).toArray(); // [-1, 0.5, 1]
 * new Hardtanh({ minVal: 0, maxVal: 1 }).call(tensor([-2, 0.5, 2])).toArray(); // [0, 0.5, 1]
 */
export class Hardtanh extends Module {
  /** The lower bound. */
  readonly minVal: number;
  /** The upper bound. */
  readonly maxVal: number;
  constructor(opts?: { minVal?: number; maxVal?: number }) {
    super();
    opts = checkOptions(HARDTANH_OPTS, opts);
    this.minVal = opts.minVal ?? -1;
    this.maxVal = opts.maxVal ?? 1;
    if (!(this.minVal < this.maxVal))
      throw new ValueError(`Hardtanh: minVal must be less than maxVal, got minVal=${this.minVal}, maxVal=${this.maxVal}`);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
  forward(x: Tensor): Tensor {
    return A.hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal });
  }
}

/**
 * Hard sigmoid, `min(max(x + 3, 0), 6) / 6` (PyTorch's `nn.Hardsigmoid`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Hardsigmoid().call(tensor([-4, 0, 4])).toArray(); // [0, 0.5, 1]
 */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return A.hardsigmoid(x);
  }
}

/**
 * Hard swish, `x min(max(x + 3, 0), 6) / 6` (PyTorch's `nn.Hardswish`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Hardswish().call(tensor([-4, 0, 4])).toArray(); // [-0, 0, 4]
 */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return A.hardswish(x);
  }
}

/**
 * Hard shrinkage: 0 where `|x| <= lambd`, `x` elsewhere (PyTorch's `nn.Hardshrink`).
 *
 * Shape: input [*] -> output [*].
 *
 * @param lambd - the half-width of the zeroed band (default 0.5, must be >= 0)
 * @throws ValueError for a negative lambd
 * @example
 * new Hardshrink().call(tensor([-1, 0.3, 2])).toArray(); // [-1, 0, 2]
 */
export class Hardshrink extends Module {
  /** The half-width of the zeroed band. */
  readonly lambd: number;
  constructor(lambd = 0.5) {
    super();
    requireNumber('Hardshrink', 'lambd', lambd);
    if (!(lambd >= 0)) throw new ValueError(`Hardshrink: lambd must be non-negative, got ${lambd}`);
    this.lambd = lambd;
  }
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
  forward(x: Tensor): Tensor {
    return A.hardshrink(x, this.lambd);
  }
}

/**
 * Soft shrinkage: `x - lambd` above lambd, `x + lambd` below -lambd, 0 between (PyTorch's `nn.Softshrink`).
 *
 * Shape: input [*] -> output [*].
 *
 * @param lambd - the half-width of the zeroed band (default 0.5, must be >= 0)
 * @throws ValueError for a negative lambd
 * @example
 * new Softshrink().call(tensor([-1, 0.3, 2])).toArray(); // [-0.5, 0, 1.5]
 */
export class Softshrink extends Module {
  /** The half-width of the zeroed band. */
  readonly lambd: number;
  constructor(lambd = 0.5) {
    super();
    requireNumber('Softshrink', 'lambd', lambd);
    if (!(lambd >= 0)) throw new ValueError(`Softshrink: lambd must be non-negative, got ${lambd}`);
    this.lambd = lambd;
  }
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
  forward(x: Tensor): Tensor {
    return A.softshrink(x, this.lambd);
  }
}

/**
 * Threshold: `x` where `x > threshold`, `value` elsewhere (PyTorch's `nn.Threshold`).
 *
 * Shape: input [*] -> output [*].
 *
 * @param threshold - the value to exceed
 * @param value - the output where the input does not exceed it
 * @example
 * new Threshold(0.5, -9).call(tensor([-1, 0.5, 2])).toArray(); // [-9, -9, 2]
 */
export class Threshold extends Module {
  /** The value to exceed. */
  readonly threshold: number;
  /** The replacement at or below the threshold. */
  readonly value: number;
  constructor(threshold: number, value: number) {
    super();
    requireNumber('Threshold', 'threshold', threshold);
    requireNumber('Threshold', 'value', value);
    this.threshold = threshold;
    this.value = value;
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
  forward(x: Tensor): Tensor {
    return A.threshold(x, this.threshold, this.value);
  }
}

/**
 * Continuously differentiable ELU, `max(0, x) + min(0, alpha (e^(x / alpha) - 1))` (PyTorch's `nn.CELU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @param alpha - the scale (default 1, non-zero)
 * @throws ValueError for alpha = 0
 * @example
 * new CELU(2).call(tensor([-1, 2])).toArray(); // [-0.786939, 2]
 */
export class CELU extends Module {
  /** The scale α. */
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    requireNumber('CELU', 'alpha', alpha);
    if (alpha === 0) throw new ValueError('CELU: alpha must be non-zero, got 0');
    this.alpha = alpha;
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
  forward(x: Tensor): Tensor {
    return A.celu(x, this.alpha);
  }
}

/**
 * Scaled ELU with PyTorch's constants (PyTorch's `nn.SELU`); see {@link F.selu}.
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new SELU().call(tensor([1])).item(); // 1.050701
 */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return A.selu(x);
  }
}

/**
 * Sigmoid linear unit (swish), `x σ(x)` (PyTorch's `nn.SiLU`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new SiLU().call(tensor([1])).item(); // 0.731059
 */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return A.silu(x);
  }
}

/**
 * Mish, `x tanh(softplus(x))` (PyTorch's `nn.Mish`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Mish().call(tensor([1])).item(); // 0.865098
 */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return A.mish(x);
  }
}

/**
 * Softsign, `x / (1 + |x|)` (PyTorch's `nn.Softsign`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Softsign().call(tensor([-3, 1])).toArray(); // [-0.75, 0.5]
 */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return A.softsign(x);
  }
}

/**
 * Tanh shrinkage, `x - tanh(x)` (PyTorch's `nn.Tanhshrink`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new Tanhshrink().call(tensor([1])).item(); // 0.238406
 */
export class Tanhshrink extends Module {
  forward(x: Tensor): Tensor {
    return A.tanhshrink(x);
  }
}

/**
 * Log of the sigmoid, `-softplus(-x)`, computed stably (PyTorch's `nn.LogSigmoid`).
 *
 * Shape: input [*] -> output [*].
 *
 * @example
 * new LogSigmoid().call(tensor([0, 1000, -1000])).toArray(); // [-0.693147, 0, -1000]
 */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return A.logsigmoid(x);
  }
}

/**
 * Gated linear unit: halves `a`, `b` of the input along `dim`, output `a σ(b)` (PyTorch's `nn.GLU`).
 *
 * Shape: input [*, 2M, *] -> output [*, M, *] (the halved dim is `dim`).
 *
 * @param dim - the dim to halve (default -1)
 * @example
 * new GLU().call(tensor([[1, 2, 0, 0]])).toArray(); // [[0.5, 1]]
 */
export class GLU extends Module {
  /** The dim halved. */
  readonly dim: number;
  constructor(dim = -1) {
    super();
    requireInteger('GLU', 'dim', dim);
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
  forward(x: Tensor): Tensor {
    return A.glu(x, this.dim);
  }
}

/**
 * Options of {@link PReLU}.
 *
 * @example
 * const opts: PReLUOptions = { numParameters: 3, init: 0.1 };
 * new PReLU(opts).weight.toArray(); // [0.1, 0.1, 0.1]
 */
export interface PReLUOptions {
  /** Number of slopes: 1 (shared, the default) or the number of input channels (dim 1). */
  numParameters?: number;
  /** The initial slope (default 0.25). */
  init?: number;
  /** Parameter dtype (default float32). */
  dtype?: DTypeLike;
}

/**
 * Parametric ReLU, `x` for x > 0 and `weight * x` otherwise, with learnable slopes (PyTorch's `nn.PReLU`).
 *
 * Shape: input [N, C, *] (or [*] with one parameter) -> output like input; with `numParameters`
 * C > 1 the input's dim 1 must have size C.
 *
 * Attributes: `weight` [numParameters], initialised to `init` (0.25).
 *
 * @throws ValueError for a numParameters below 1
 * @example
 * const act = new PReLU();
 * act.call(tensor([[-2, 3]])).toArray(); // [[-0.5, 3]]
 * act.namedParameters().map(([n]) => n); // ['weight']
 */
export class PReLU extends Module {
  /** The initial slope. */
  readonly init: number;
  /** The learnable slopes, shape [numParameters]. */
  weight: Parameter;
  constructor(opts?: PReLUOptions) {
    super();
    opts = checkOptions(PRELU_OPTS, opts);
    const n = opts.numParameters ?? 1;
    this.init = opts.init ?? 0.25;
    if (n < 1) throw new ValueError(`PReLU: numParameters must be at least 1, got ${n}`);
    const dtype = parseDType('PReLU', opts.dtype ?? 'float32');
    // (The count is weight.shape[0]: Module.numParameters() already names the parameter count.)
    this.weight = new Parameter(zeros([n], { dtype }));
    this.resetParameters();
  }
  /**
   * Sets every slope back to `init`.
   *
   * @example
   * const act = new PReLU({ init: 0.1 });
   * init.zeros_(act.weight);
   * act.resetParameters();
   * act.weight.toArray(); // [0.1]
   */
  resetParameters(): void {
    constant_(this.weight, this.init);
  }
  override extraRepr(): string {
    return `numParameters=${this.weight.shape[0]}`;
  }
  forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }
}

/**
 * Randomized leaky ReLU (PyTorch's `nn.RReLU`): negative inputs are scaled by a slope drawn from
 * U(lower, upper) per element in training mode, and by `(lower + upper) / 2` in evaluation mode.
 *
 * Shape: input [*] -> output [*].
 *
 * @throws ValueError unless lower <= upper
 * @example
 * const act = new RReLU({ lower: 0.1, upper: 0.3, generator: new Generator(0) });
 * const y = act.call(tensor([-1, -1, 2])); // random slopes in [0.1, 0.3]
 * (y.toArray() as number[])[2]; // 2
 * act.eval().call(tensor([-1, 2])).toArray(); // [-0.2, 2]
 */
export class RReLU extends Module {
  /** Lower bound of the slopes. */
  readonly lower: number;
  /** Upper bound of the slopes. */
  readonly upper: number;
  #generator: Generator | undefined;
  constructor(opts?: { lower?: number; upper?: number; generator?: Generator }) {
    super();
    opts = checkOptions(RRELU_OPTS, opts);
    this.lower = opts.lower ?? 1 / 8;
    this.upper = opts.upper ?? 1 / 3;
    checkRReLUBounds('RReLU', this.lower, this.upper);
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}`;
  }
  forward(x: Tensor): Tensor {
    return A.rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, generator: this.#generator });
  }
}

/**
 * Softmin along `dim`, `softmax(-x)` (PyTorch's `nn.Softmin`).
 *
 * Shape: input [*] -> output [*].
 *
 * @param dim - the dim that sums to 1 (default -1)
 * @example
 * new Softmin(1).call(tensor([[0, 0]])).toArray(); // [[0.5, 0.5]]
 */
export class Softmin extends Module {
  /** The dim that sums to 1. */
  readonly dim: number;
  constructor(dim = -1) {
    super();
    requireInteger('Softmin', 'dim', dim);
    this.dim = dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
  forward(x: Tensor): Tensor {
    return A.softmin(x, this.dim);
  }
}

/**
 * Softmax over the channels at each location (PyTorch's `nn.Softmax2d`): softmax along dim -3.
 *
 * Shape: input [N, C, H, W] or [C, H, W] -> output of the same shape.
 *
 * @throws ShapeError for an input that is not 3-d or 4-d
 * @example
 * new Softmax2d().call(zeros([1, 2, 1, 1])).flatten().toArray(); // [0.5, 0.5]
 */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new ValueError(`Softmax2d: input must be a Tensor, got ${describeValue(x)}`);
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new ShapeError(`Softmax2d: input must be [N, C, H, W] or [C, H, W], got input.shape=${fmtShape(x.shape)}`);
    return x.softmax(-3);
  }
}
