import { primitive } from '../autograd/primitive.js';
import { isFloating, type DType } from '../dtype.js';
import { K } from '../kernels/index.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reducedResult } from './operands.js';
import { checkOptions } from '../options.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';

const SUM = reduceOptions('sum');

interface SumCtx {
  inShape: number[];
  keptShape: number[];
}

const sumPrimitive = primitive('sum', {
  forward: (x: Tensor, dims: number[], keepdim: boolean) => {
    const dt: DType = isFloating(x.dtype) ? x.dtype : 'int32';
    const kept = Tensor.fromView(K().reduce('sum', x.nd, dims, dt), dt);
    const out = reducedResult(kept, x.nd.shape, dims, keepdim);
    return { out, ctx: { inShape: x.shape, keptShape: kept.shape } as SumCtx };
  },
  // Every input element contributes once: the gradient is broadcast back over the reduced dims.
  backward: (g, _s, { inShape, keptShape }) => [g.reshape(keptShape).expand(inShape)],
});

/**
 * Sum of elements over `dim` (every dim if omitted).
 *
 * x - shape [...S]; returns S without the reduced dims (or with size 1 there, `keepdim`).
 * Integer and bool inputs sum to int32.
 *
 * @throws ValueError `sum: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * sum(x).item();                 // 21
 * sum(x, 1).toArray();           // [6, 15]
 * sum(x, 0, { keepdim: true }).shape; // [1, 3]
 */
export function sum(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  const { keepdim = false } = checkOptions(SUM, opts);
  const dims = normalizeDims('sum', dim, x.shape);
  return sumPrimitive(x, dims, keepdim);
}
