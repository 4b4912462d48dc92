import {
  DTypeError, ShapeError, Tensor, ValueError, allocate, checkOptions, defineFunction, defineOptions, fmtShape, isFloating, rand,
  unsupported, where, zerosLike, type Generator,
} from '@tapegrad/core';
import { requireInteger, requireNumber, requireTensor } from '../options.js';

const GELU = defineOptions('gelu', { approximate: "'none'|'tanh'" });
const SOFTPLUS = defineOptions('softplus', { beta: 'number', threshold: 'number' });
const HEAVISIDE = defineOptions('heaviside', { value: 'number' });

/**
 * Rectified linear unit, `relu(x) = max(x, 0)`, element-wise (gradient 0 at x = 0).
 *
 * @example
 * F.relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  requireTensor('relu', 'input', x);
  return x.relu();
}

/**
 * Logistic sigmoid, `sigmoid(x) = 1 / (1 + e^-x)`, element-wise.
 *
 * @example
 * F.sigmoid(tensor([0])).item(); // 0.5
 */
export function sigmoid(x: Tensor): Tensor {
  requireTensor('sigmoid', 'input', x);
  return x.sigmoid();
}

/**
 * Hyperbolic tangent, element-wise.
 *
 * @example
 * F.tanh(tensor([0])).item(); // 0
 */
export function tanh(x: Tensor): Tensor {
  requireTensor('tanh', 'input', x);
  return x.tanh();
}

/**
 * Leaky ReLU, `x` for x > 0 and `negativeSlope * x` otherwise, element-wise.
 *
 * @example
 * F.leakyRelu(tensor([-2, 3]), 0.1).toArray(); // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  requireTensor('leakyRelu', 'input', x);
  requireNumber('leakyRelu', 'negativeSlope', negativeSlope);
  return x.leakyRelu(negativeSlope);
}

/**
 * Exponential linear unit, `x` for x > 0 and `alpha * (e^x - 1)` otherwise, element-wise.
 *
 * @example
 * F.elu(tensor([-1, 1])).toArray(); // [-0.632..., 1]
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  requireTensor('elu', 'input', x);
  requireNumber('elu', 'alpha', alpha);
  return x.elu(alpha);
}

/**
 * Gaussian error linear unit, `gelu(x) = x * Φ(x)` with Φ the standard normal CDF, or its tanh
 * approximation with `approximate: 'tanh'`.
 *
 * @example
 * F.gelu(tensor([1])).item(); // 0.8413...
 */
export function gelu(x: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor {
  const { approximate } = checkOptions(GELU, opts);
  requireTensor('gelu', 'input', x);
  return x.gelu({ approximate });
}

/**
 * Softplus, `log(1 + e^(beta x)) / beta`, a smooth ReLU; linear where `beta x > threshold`
 * (defaults beta = 1, threshold = 20).
 *
 * @example
 * F.softplus(tensor([0])).item(); // 0.6931...
 */
export function softplus(x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor {
  const { beta, threshold } = checkOptions(SOFTPLUS, opts);
  requireTensor('softplus', 'input', x);
  return x.softplus({ beta, threshold });
}

/**
 * Softmax along `dim`, `exp(x_i) / sum_j exp(x_j)`, computed stably.
 *
 * @param dim - the dim that sums to 1 (default -1, the last)
 * @example
 * F.softmax(tensor([[1, 1]]), 1).toArray(); // [[0.5, 0.5]]
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  requireTensor('softmax', 'input', x);
  requireInteger('softmax', 'dim', dim);
  return x.softmax(dim);
}

/**
 * Log-softmax along `dim`, `x_i - log(sum_j exp(x_j))`, computed stably (finite for logits of ±1000).
 *
 * @param dim - the dim to normalise (default -1, the last)
 * @example
 * F.logSoftmax(tensor([[0, 0]]), 1).toArray(); // [[-0.693..., -0.693...]]
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  requireTensor('logSoftmax', 'input', x);
  requireInteger('logSoftmax', 'dim', dim);
  return x.logSoftmax(dim);
}

/** The unit step as a tape function whose backward passes zeros. */
function stepFunction(at0: number): (x: Tensor) => Tensor {
  return defineFunction<[Tensor]>({
    name: 'heaviside',
    forward(_ctx, x) {
      const src = x.data;
      const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
      const out = allocate(dtype, src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i]!;
        out[i] = v > 0 ? 1 : v < 0 ? 0 : Number.isNaN(v) ? NaN : at0;
      }
      return Tensor.fromData(out, x.shape, dtype);
    },
    // The step is flat wherever it is differentiable: the gradient is zero everywhere.
    backward(_ctx, g) {
      return [zerosLike(g)];
    },
  });
}

/**
 * Unit step (Heaviside function): 1 where x > 0, 0 where x < 0, `value` where x = 0 (default 1,
 * so `heaviside(x) = [x >= 0]`), as in Rosenblatt's perceptron.
 *
 * It has **no useful gradient**: its derivative is zero everywhere (and undefined at 0), so the
 * result stays on the tape but backward passes zeros. Train perceptrons with the perceptron rule,
 * or use `sigmoid` when you need gradients.
 *
 * @example
 * F.heaviside(tensor([-1, 0, 2])).toArray(); // [0, 1, 1]
 */
export function heaviside(x: Tensor, opts?: { value?: number }): Tensor {
  const value = checkOptions(HEAVISIDE, opts).value ?? 1;
  requireTensor('heaviside', 'input', x);
  return stepFunction(value)(x);
}

// ---------------------------------------------------------------- issue 18: more activations

const HARDTANH = defineOptions('hardtanh', { minVal: 'number', maxVal: 'number', inplace: unsupported('inplace is not supported', false) });
const RRELU = defineOptions('rrelu', {
  lower: 'number', upper: 'number', training: 'boolean', generator: 'generator',
  inplace: unsupported('inplace is not supported', false),
});

/** SELU's α and λ, as PyTorch (Klambauer et al. 2017, to double precision). */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * Throws unless `x` is a floating point tensor (the piecewise activations below).
 *
 * @internal
 */
function requireFloat(fn: string, x: Tensor): void {
  requireTensor(fn, 'input', x);
  if (!isFloating(x.dtype))
    throw new DTypeError(`${fn}: input must be a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
}

/**
 * A piecewise element-wise function with PyTorch's gradient written out: `value(x)` forward and
 * `g -> grad(g, x)` backward, in tensor ops (so it differentiates again). The kinks get the
 * gradient PyTorch's backward kernel gives them, which a composition of `where`s would not always.
 */
function piecewise(name: string, value: (x: Tensor) => Tensor, grad: (g: Tensor, x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return defineFunction<[Tensor]>({
    name,
    forward(ctx, x) {
      ctx.saveForBackward(x);
      return value(x);
    },
    backward(_ctx, g, [x]) {
      return [grad(g, x!)];
    },
  });
}

function hardtanhFn(name: string, lo: number, hi: number): (x: Tensor) => Tensor {
  // The gradient passes strictly inside (lo, hi) (and at NaN), 0 at and beyond the bounds, as PyTorch.
  return piecewise(name, (x) => x.clamp(lo, hi), (g, x) => where(x.le(lo).logicalOr(x.ge(hi)), 0, g));
}

/**
 * ReLU capped at 6, `min(max(x, 0), 6)`, element-wise; the gradient is 0 at 0 and at 6 (as PyTorch).
 *
 * @throws DTypeError for a non-float input
 * @example
 * F.relu6(tensor([-1, 3, 8])).toArray(); // [0, 3, 6]
 */
export function relu6(x: Tensor): Tensor {
  requireFloat('relu6', x);
  return hardtanhFn('relu6', 0, 6)(x);
}

/**
 * Hard tanh, `min(max(x, minVal), maxVal)`, element-wise (defaults -1 and 1); the gradient is 1
 * strictly between the bounds and 0 at and beyond them (as PyTorch).
 *
 * @throws ValueError unless minVal < maxVal; DTypeError for a non-float input
 * @example
 * F.hardtanh(tensor([-2, 0.5, 2])).toArray(); // [-1, 0.5, 1]
 * F.hardtanh(tensor([-2, 0.5, 2]), { minVal: 0, maxVal: 1 }).toArray(); // [0, 0.5, 1]
 */
export function hardtanh(x: Tensor, opts?: { minVal?: number; maxVal?: number }): Tensor {
  const { minVal = -1, maxVal = 1 } = checkOptions(HARDTANH, opts);
  requireFloat('hardtanh', x);
  if (!(minVal < maxVal)) throw new ValueError(`hardtanh: minVal must be less than maxVal, got minVal=${minVal}, maxVal=${maxVal}`);
  return hardtanhFn('hardtanh', minVal, maxVal)(x);
}

const hardsigmoidFn = piecewise(
  'hardsigmoid',
  (x) => x.add(3).clamp(0, 6).div(6),
  // 1/6 strictly inside (-3, 3), 0 elsewhere (also at NaN), as PyTorch.
  (g, x) => where(x.gt(-3).logicalAnd(x.lt(3)), g.div(6), 0),
);

/**
 * Hard sigmoid, `min(max(x + 3, 0), 6) / 6`, element-wise: 0 below -3, 1 above 3.
 *
 * @throws DTypeError for a non-float input
 * @example
 * F.hardsigmoid(tensor([-4, 0, 1.5, 4])).toArray(); // [0, 0.5, 0.75, 1]
 */
export function hardsigmoid(x: Tensor): Tensor {
  requireFloat('hardsigmoid', x);
  return hardsigmoidFn(x);
}

const hardswishFn = piecewise(
  'hardswish',
  (x) => x.mul(x.add(3).clamp(0, 6)).div(6),
  // PyTorch's backward: 0 below -3, x/3 + 1/2 on [-3, 3] (both ends included), 1 above.
  (g, x) => where(x.lt(-3), 0, where(x.le(3), g.mul(x.div(3).add(0.5)), g)),
);

/**
 * Hard swish (MobileNetV3), `x * min(max(x + 3, 0), 6) / 6`, element-wise.
 *
 * @throws DTypeError for a non-float input
 * @example
 * F.hardswish(tensor([-4, 0, 1, 4])).toArray(); // [-0, 0, 0.666667, 4]
 */
export function hardswish(x: Tensor): Tensor {
  requireFloat('hardswish', x);
  return hardswishFn(x);
}

function checkLambd(fn: string, lambd: unknown): asserts lambd is number {
  requireNumber(fn, 'lambd', lambd);
  if (!(lambd >= 0)) throw new ValueError(`${fn}: lambd must be non-negative, got ${lambd}`);
}

/**
 * Hard shrinkage: 0 where `-lambd <= x <= lambd`, `x` elsewhere (default lambd 0.5).
 *
 * @throws ValueError for a negative lambd; DTypeError for a non-float input
 * @example
 * F.hardshrink(tensor([-1, 0.3, 0.5, 2])).toArray(); // [-1, 0, 0, 2]
 */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkLambd('hardshrink', lambd);
  requireFloat('hardshrink', x);
  const inside = (t: Tensor) => t.ge(-lambd).logicalAnd(t.le(lambd));
  return piecewise('hardshrink', (t) => where(inside(t), 0, t), (g, t) => where(inside(t), 0, g))(x);
}

/**
 * Soft shrinkage: `x - lambd` above lambd, `x + lambd` below -lambd, 0 in between (default
 * lambd 0.5). NaN stays NaN (PyTorch 1.13 gives 0).
 *
 * @throws ValueError for a negative lambd; DTypeError for a non-float input
 * @example
 * F.softshrink(tensor([-1, 0.3, 2])).toArray(); // [-0.5, 0, 1.5]
 */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkLambd('softshrink', lambd);
  requireFloat('softshrink', x);
  const inside = (t: Tensor) => t.ge(-lambd).logicalAnd(t.le(lambd));
  return piecewise(
    'softshrink',
    (t) => where(inside(t), 0, t.sub(t.sign().mul(lambd))),
    (g, t) => where(inside(t), 0, g),
  )(x);
}

/**
 * Threshold: `x` where `x > threshold`, `value` elsewhere, element-wise (PyTorch's `F.threshold`);
 * the gradient is 0 where `x <= threshold`.
 *
 * @throws DTypeError for a non-float input
 * @example
 * F.threshold(tensor([-1, 0.5, 2]), 0.5, -9).toArray(); // [-9, -9, 2]
 */
export function threshold(x: Tensor, threshold: number, value: number): Tensor {
  requireNumber('threshold', 'threshold', threshold);
  requireNumber('threshold', 'value', value);
  requireFloat('threshold', x);
  return piecewise('threshold', (t) => where(t.le(threshold), value, t), (g, t) => where(t.le(threshold), 0, g))(x);
}

/**
 * Continuously differentiable ELU, `max(0, x) + min(0, alpha (e^(x / alpha) - 1))` (default alpha 1).
 *
 * @throws ValueError for alpha = 0
 * @example
 * F.celu(tensor([-1, 2]), 2).toArray(); // [-0.786939, 2]
 */
export function celu(x: Tensor, alpha = 1): Tensor {
  requireTensor('celu', 'input', x);
  requireNumber('celu', 'alpha', alpha);
  if (alpha === 0) throw new ValueError('celu: alpha must be non-zero, got 0');
  return alpha === 1 ? x.elu(1) : x.mul(1 / alpha).elu(1).mul(alpha);
}

/**
 * Scaled ELU, `scale (max(0, x) + min(0, alpha (e^x - 1)))` with PyTorch's constants
 * alpha = 1.6732632423543772 and scale = 1.0507009873554805 (self-normalising networks).
 *
 * @example
 * F.selu(tensor([1])).item(); // 1.050701
 */
export function selu(x: Tensor): Tensor {
  requireTensor('selu', 'input', x);
  return x.elu(SELU_ALPHA).mul(SELU_SCALE);
}

/**
 * Sigmoid linear unit (swish), `x σ(x)`, element-wise.
 *
 * @example
 * F.silu(tensor([0, 1])).toArray(); // [0, 0.731059]
 */
export function silu(x: Tensor): Tensor {
  requireTensor('silu', 'input', x);
  return x.mul(x.sigmoid());
}

/**
 * Mish, `x tanh(softplus(x))`, element-wise (softplus computed stably, so ±1000 are fine).
 *
 * @example
 * F.mish(tensor([1])).item(); // 0.865098
 */
export function mish(x: Tensor): Tensor {
  requireTensor('mish', 'input', x);
  return x.mul(x.softplus({ threshold: Infinity }).tanh());
}

/**
 * Softsign, `x / (1 + |x|)`, element-wise.
 *
 * @example
 * F.softsign(tensor([-3, 1])).toArray(); // [-0.75, 0.5]
 */
export function softsign(x: Tensor): Tensor {
  requireTensor('softsign', 'input', x);
  return x.div(x.abs().add(1));
}

/**
 * Tanh shrinkage, `x - tanh(x)`, element-wise.
 *
 * @example
 * F.tanhshrink(tensor([0, 1])).toArray(); // [0, 0.238406]
 */
export function tanhshrink(x: Tensor): Tensor {
  requireTensor('tanhshrink', 'input', x);
  return x.sub(x.tanh());
}

/**
 * Log of the sigmoid, `log σ(x) = -softplus(-x)`, element-wise, computed stably: finite and
 * accurate for x = ±1000 (PyTorch's `F.logsigmoid`).
 *
 * @example
 * F.logsigmoid(tensor([0, -1000])).toArray(); // [-0.693147, -1000]
 */
export function logsigmoid(x: Tensor): Tensor {
  requireTensor('logsigmoid', 'input', x);
  // softplus without its linear cut-off is max(z, 0) + log1p(e^-|z|): no overflow, no rounding to z.
  return x.neg().softplus({ threshold: Infinity }).neg();
}

/**
 * Gated linear unit: splits `x` in halves `a`, `b` along `dim` and returns `a σ(b)`.
 *
 * Shape: input [*, 2M, *] -> output [*, M, *] (the halved dim is `dim`, default -1).
 *
 * @throws ShapeError for a 0-d input or an odd size along dim
 * @example
 * F.glu(tensor([[1, 2, 0, 0]])).toArray(); // [[0.5, 1]]
 */
export function glu(x: Tensor, dim = -1): Tensor {
  requireTensor('glu', 'input', x);
  requireInteger('glu', 'dim', dim);
  if (x.ndim === 0) throw new ShapeError('glu: input must have at least one dim (its halves are gated), got shape []');
  const d = dim < 0 ? dim + x.ndim : dim;
  if (d < 0 || d >= x.ndim) throw new ShapeError(`glu: dim ${dim} is out of range for input.shape=${fmtShape(x.shape)}`);
  const n = x.shape[d]!;
  if (n % 2 !== 0) throw new ShapeError(`glu: the size along dim ${dim} must be even to halve it, got input.shape=${fmtShape(x.shape)}`);
  const [a, b] = x.split(n / 2, d);
  return a!.mul(b!.sigmoid());
}

/**
 * Parametric ReLU, `x` for x > 0 and `weight * x` otherwise, with one learnable slope per channel
 * (dim 1) or one for all.
 *
 * Shape: input [N, C, *] (or [C] / [] with a single weight), weight [C] or [1] -> output like input.
 *
 * @throws ShapeError unless weight is 0-d or 1-d with 1 or C elements
 * @example
 * F.prelu(tensor([[-2, 3]]), tensor([0.25])).toArray(); // [[-0.5, 3]]
 * F.prelu(tensor([[-2, -2]]), tensor([0.1, 0.5])).toArray(); // [[-0.2, -1]]
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  requireTensor('prelu', 'input', x);
  requireTensor('prelu', 'weight', weight);
  if (weight.ndim > 1)
    throw new ShapeError(`prelu: weight must be 0-d or 1-d, got weight.shape=${fmtShape(weight.shape)}`);
  let w: Tensor;
  if (weight.numel() === 1) w = weight.reshape([]);
  else {
    const C = x.ndim >= 2 ? x.shape[1]! : 1;
    if (x.ndim === 0 || weight.numel() !== C)
      throw new ShapeError(
        `prelu: weight.shape=${fmtShape(weight.shape)} must have 1 element or one per channel (input.shape[1]), input.shape=${fmtShape(x.shape)}`,
      );
    w = weight.reshape([C, ...Array<number>(x.ndim - 2).fill(1)]);
  }
  return where(x.gt(0), x, x.mul(w));
}

/**
 * Options of {@link rrelu}.
 *
 * @example
 * const opts: F.RReLUOptions = { lower: 0.1, upper: 0.3, training: true, generator: new Generator(0) };
 * F.rrelu(tensor([2]), opts).toArray(); // [2]
 */
export interface RReLUOptions {
  /** Lower bound of the random slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random slope (default 1/3). */
  upper?: number;
  /** Random slopes when true; the mean slope `(lower + upper) / 2` when false (the default). */
  training?: boolean;
  /** Generator of the slopes (default: the global one). */
  generator?: Generator;
}

/**
 * @throws ValueError unless lower <= upper
 *
 * @internal
 */
export function checkRReLUBounds(fn: string, lower: number, upper: number): void {
  if (!(lower <= upper)) throw new ValueError(`${fn}: lower must be <= upper, got lower=${lower}, upper=${upper}`);
}

/**
 * Randomized leaky ReLU: `x` for x > 0, `a x` otherwise, with `a` drawn from U(lower, upper) per
 * element in training and `a = (lower + upper) / 2` otherwise (defaults 1/8 and 1/3).
 *
 * @throws ValueError unless lower <= upper
 * @example
 * F.rrelu(tensor([-1, 2])).toArray(); // [-0.229167, 2]
 * const y = F.rrelu(tensor([-1, -1]), { training: true, generator: new Generator(0) });
 * y.max().item() <= -1 / 8 && y.min().item() >= -1 / 3; // true
 */
export function rrelu(x: Tensor, opts?: RReLUOptions): Tensor {
  const { lower = 1 / 8, upper = 1 / 3, training = false, generator } = checkOptions(RRELU, opts);
  requireTensor('rrelu', 'input', x);
  checkRReLUBounds('rrelu', lower, upper);
  if (!training) return x.leakyRelu((lower + upper) / 2);
  const dtype = isFloating(x.dtype) ? x.dtype : 'float32';
  const slope = rand(x.shape, { dtype, generator }).mul(upper - lower).add(lower);
  return where(x.gt(0), x, x.mul(slope));
}

/**
 * Softmin along `dim`, `softmax(-x)`: the values along `dim` become positive and sum to 1, the
 * smallest getting the most.
 *
 * @param dim - the dim that sums to 1 (default -1, the last)
 * @example
 * F.softmin(tensor([[0, 0]]), 1).toArray(); // [[0.5, 0.5]]
 */
export function softmin(x: Tensor, dim = -1): Tensor {
  requireTensor('softmin', 'input', x);
  requireInteger('softmin', 'dim', dim);
  return x.neg().softmax(dim);
}
