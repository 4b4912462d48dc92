import { primitive } from '../autograd/primitive.js';
import { DTypeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { unaryOut } from './out.js';
import { outOptions, type OutOptions } from './types.js';
import { checkOptions } from '../options.js';
import { requireTensor } from './operands.js';

const NEG = outOptions('neg');

const negPrimitive = primitive('neg', {
  forward: (x: Tensor) => ({ out: Tensor.fromView(K().unary('neg', x.nd, x.dtype), x.dtype) }),
  backward: (g) => [neg(g)],
});

/**
 * `-x` elementwise. Keeps the dtype (int32 stays int32).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws DTypeError `neg: negation of a bool tensor is not supported ...`
 * @example
 * neg(tensor([1, -2])).toArray(); // [-1, 2]
 */
export function neg(x: Tensor, opts?: OutOptions): Tensor {
  requireTensor('neg', 'x', x);
  const { out } = checkOptions(NEG, opts);
  if (x.dtype === 'bool')
    throw new DTypeError(`neg: negation of a bool tensor is not supported (shape ${fmtShape(x.shape)}); cast it first`);
  return out !== undefined ? unaryOut('neg', x, x.dtype, out) : negPrimitive(x);
}
