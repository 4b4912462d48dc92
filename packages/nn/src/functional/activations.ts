import { Tensor, allocate, checkOptions, defineFunction, defineOptions, zerosLike } from '@tapegrad/core';
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
