import { primitive } from '../autograd/primitive.js';
import { isFloating, parseDType, type DType, type DTypeLike } from '../dtype.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

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
 * PyTorch's dtype aliases are accepted (`'long'` and `'int64'` are int32, `'double'` float64:
 * see {@link DTypeLike}).
 *
 * @throws ValueError `to: unknown dtype 'float16'; tapegrad has float32, float64, int32, bool (int64/long are accepted as int32)`
 * @example
 * toDType(tensor([1.7, -1.7]), 'int32').toArray(); // [1, -1]
 * toDType(tensor([1, 2]), 'long').dtype; // 'int32'
 */
export function toDType(x: Tensor, dtype: DTypeLike): Tensor {
  requireTensor('to', 'x', x);
  const d = parseDType('to', dtype);
  if (x.dtype === d) return x;
  return castPrimitive(x, d);
}
