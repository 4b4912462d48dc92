import { primitive } from '../autograd/primitive.js';
import { isFloating, type DType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

const castPrimitive = primitive('cast', {
  forward: (x: Tensor, dtype: DType) => {
    // The copy kernel converts: truncation toward zero for int32, non-zero -> 1 for bool.
    return { out: Tensor.fromView(K().unary('copy', x.nd, dtype), dtype), ctx: x.dtype };
  },
  // Gradients flow between float dtypes only; a cast to int or bool cuts the tape.
  backward: (g, _s, from) => [isFloating(g.dtype) && isFloating(from) ? g.to(from) : null],
});

/**
 * Casts to `dtype`; returns `x` itself when the dtype already matches. Float-to-int truncates
 * toward zero; anything non-zero becomes `true` as bool. Differentiable between float dtypes.
 *
 * @throws ValueError `to: unknown dtype "int64"; expected one of float32, float64, int32, bool`
 * @example
 * toDType(tensor([1.7, -1.7]), 'int32').toArray(); // [1, -1]
 */
export function toDType(x: Tensor, dtype: DType): Tensor {
  if (!DTYPES.includes(dtype))
    throw new ValueError(`to: unknown dtype "${String(dtype)}"; expected one of ${DTYPES.join(', ')}`);
  if (x.dtype === dtype) return x;
  return castPrimitive(x, dtype);
}
