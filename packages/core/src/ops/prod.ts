import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { exactIntReduce } from './int-reduce.js';
import { K } from '../kernels/index.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reducedResult, requireTensor } from './operands.js';
import { where } from './where.js';
import { eye } from '../creation.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';
import { checkOptions } from '../options.js';

const PROD = reduceOptions('prod');

/** Slices up to this many elements get exact second derivatives through zeros (n^2 work). */
const EXPLICIT_LIMIT = 1024;

/** For every element, the product of the other elements of its slice over `dims` (x's shape). */
function productOfOthers(x: Tensor, dims: number[]): Tensor {
  const keep = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...keep, ...dims];
  const moved = x.permute(perm);
  const outer = keep.map((i) => x.nd.shape[i]!);
  const n = dims.reduce((a, d) => a * x.nd.shape[d]!, 1);
  const rows = moved.reshape([...outer, 1, n]).expand([...outer, n, n]);
  const others = prod(where(eye(n, n, { dtype: 'bool' }), 1, rows), -1); // [...outer, n]
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return others.reshape(moved.shape).permute(inverse);
}

interface ProdCtx {
  dims: number[];
  keptShape: number[];
}

const prodPrimitive = primitive('prod', {
  forward: (x: Tensor, dims: number[], keepdim: boolean) => {
    const kept = isFloating(x.dtype) ? Tensor.fromView(K().reduce('prod', x.nd, dims, x.dtype), x.dtype) : exactIntReduce('prod', x, dims);
    const out = reducedResult(kept, x.nd.shape, dims, keepdim);
    return { out, saved: [x, out], ctx: { dims, keptShape: kept.shape } as ProdCtx };
  },
  // d prod / d x_i is the product of the other elements of x_i's slice. Without zeros that is
  // prod / x_i, from the saved output. With zeros, the products of the others are formed
  // explicitly: each slice of n elements is laid out n times with the diagonal set to 1, and
  // multiplied out. Both forms are tensor ops, so second derivatives are exact too (through
  // zeros as well). The explicit form costs n^2 per slice: beyond EXPLICIT_LIMIT elements it
  // falls back to masking, exact to first order only.
  backward: (g, [x, out], { dims, keptShape }) => {
    const gk = g.reshape(keptShape);
    const isZero = x!.eq(0);
    if (!isZero.data.some((v) => v !== 0)) return [gk.mul(out!.reshape(keptShape).div(x!))];
    const n = dims.reduce((a, d) => a * x!.nd.shape[d]!, 1);
    if (n <= EXPLICIT_LIMIT) return [gk.mul(productOfOthers(x!, dims))];
    const nonzero = where(isZero, 1, x!);
    const others = prod(nonzero, dims, { keepdim: true }).div(nonzero);
    const alone = isZero.sum(dims, { keepdim: true }).sub(isZero).eq(0);
    return [gk.mul(others).mul(alone)];
  },
});

/**
 * Product of elements over `dim` (every dim if omitted).
 *
 * x - shape [...S]; returns S without the reduced dims (size 1 there with `keepdim`). Integer
 * and bool inputs multiply to int32, exactly: a product that does not fit int32 throws rather
 * than wrap around (PyTorch multiplies to int64; convert to float64 first for such products).
 * The product of zero elements is 1.
 *
 * Gradient: the product of the other elements of the slice, exact also when the slice holds
 * zeros (one zero: that element gets the product of the others, the rest 0; two or more: all 0).
 * Twice differentiable, also through zeros for slices of up to 1024 elements (beyond that,
 * second derivatives through zeros are not computed).
 *
 * @throws ValueError `prod: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @throws ValueError `prod: the int32 result 4294967296 overflows int32 (input shape [2]); convert first, e.g. x.double().prod()`
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * prod(x).item();        // 720
 * prod(x, 1).toArray();  // [6, 120]
 */
export function prod(x: Tensor, dim?: Dims, opts: ReduceOptions = {}): Tensor {
  requireTensor('prod', 'x', x);
  checkOptions(PROD, opts);
  const dims = normalizeDims('prod', dim, x.shape);
  return prodPrimitive(x, dims, opts.keepdim ?? false);
}
