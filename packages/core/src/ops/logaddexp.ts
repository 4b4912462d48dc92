import { primitive } from '../autograd/primitive.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireFloatResult } from './math-helpers.js';
import { broadcastPair, operands, resultType } from './operands.js';
import { exp } from './exp.js';
import { pow } from './pow.js';
import type { TensorLike } from './types.js';

const logaddexpPrimitive = primitive('logaddexp', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('logaddexp', a, b);
    return { out: Tensor.fromView(K().binary('logaddexp', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d/da = 1 / (1 + e^(b - a)) (the softmax weight of a), and symmetrically for b.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g.div(exp(b!.sub(a!)).add(1)) : null,
    needB ? g.div(exp(a!.sub(b!)).add(1)) : null,
  ],
});

const logaddexp2Primitive = primitive('logaddexp2', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('logaddexp2', a, b);
    return { out: Tensor.fromView(K().binary('logaddexp2', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d/da = 1 / (1 + 2^(b - a)), and symmetrically for b.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g.div(pow(2, b!.sub(a!)).add(1)) : null,
    needB ? g.div(pow(2, a!.sub(b!)).add(1)) : null,
  ],
});

/**
 * `log(e^a + e^b)` elementwise with broadcasting, computed stably as
 * `max(a, b) + log1p(e^-|a - b|)` (finite for inputs of ±1000); numbers act as scalars.
 * `logaddexp(-Infinity, -Infinity)` is -Infinity; NaN propagates.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Defined
 * for floating point results only, as PyTorch's. The gradient of `a` is `1 / (1 + e^(b - a))`.
 *
 * @throws DTypeError `logaddexp: expected floating point inputs, got int32 (shape [2]) and int32 (shape [2]); ...`
 * @throws ShapeError `logaddexp: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * logaddexp(tensor([0, 1000, -Infinity]), tensor([0, 1000, -Infinity])).toArray(); // [0.6931472, 1000.6931, -Infinity]
 */
export function logaddexp(a: TensorLike, b: TensorLike): Tensor {
  const dt = resultType(a, b);
  const [x, y] = operands(a, b, dt, 'logaddexp');
  requireFloatResult('logaddexp', dt, a, b);
  return logaddexpPrimitive(x, y);
}

/**
 * `log2(2^a + 2^b)` elementwise with broadcasting, computed stably as
 * `max(a, b) + log2(1 + 2^-|a - b|)`; numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape. Defined
 * for floating point results only, as PyTorch's. The gradient of `a` is `1 / (1 + 2^(b - a))`.
 *
 * @throws DTypeError `logaddexp2: expected floating point inputs, got int32 (shape [2]) and int32 (shape [2]); ...`
 * @throws ShapeError `logaddexp2: cannot broadcast shapes [2,3] and [4] ...`
 * @example
 * logaddexp2(tensor([1, 3]), tensor([1, 2])).toArray(); // [2, 3.5849625]
 */
export function logaddexp2(a: TensorLike, b: TensorLike): Tensor {
  const dt = resultType(a, b);
  const [x, y] = operands(a, b, dt, 'logaddexp2');
  requireFloatResult('logaddexp2', dt, a, b);
  return logaddexp2Primitive(x, y);
}
