import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { exactIntReduce } from './int-reduce.js';
import { K } from '../kernels/index.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reducedResult, requireTensor } from './operands.js';
import { checkOptions } from '../options.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';

const SUM = reduceOptions('sum');

interface SumCtx {
  inShape: number[];
  keptShape: number[];
}

const sumPrimitive = primitive('sum', {
  forward: (x: Tensor, dims: number[], keepdim: boolean) => {
    const kept = isFloating(x.dtype) ? Tensor.fromView(K().reduce('sum', x.nd, dims, x.dtype), x.dtype) : exactIntReduce('sum', x, dims);
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
 * Integer and bool inputs sum to int32, exactly: a sum that does not fit int32 throws rather
 * than wrap around (PyTorch sums to int64; convert to float64 first for such sums).
 *
 * @throws ValueError `sum: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @throws ValueError `sum: the int32 result 3000000000 overflows int32 (input shape [2]); convert first, e.g. x.double().sum()`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * sum(x).item();                 // 21
 * sum(x, 1).toArray();           // [6, 15]
 * sum(x, 0, { keepdim: true }).shape; // [1, 3]
 */
export function sum(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('sum', 'x', x);
  const { keepdim = false } = checkOptions(SUM, opts);
  const dims = normalizeDims('sum', dim, x.shape);
  return sumPrimitive(x, dims, keepdim);
}
