import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from './module.js';
import { requireInteger, requireNumber } from './options.js';

const GELU_OPTS = defineOptions('GELU', { approximate: "'none'|'tanh'" });
const SOFTPLUS_OPTS = defineOptions('Softplus', { beta: 'number', threshold: 'number' });
const HEAVISIDE_OPTS = defineOptions('Heaviside', { value: 'number' });
import * as A from './functional/activations.js';

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
