import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastView, operands, scalarTensor, requireTensor } from './operands.js';
import type { TensorLike } from './types.js';

const wherePrimitive = primitive('where', {
  forward: (cond: Tensor, a: Tensor, b: Tensor) => {
    const shape = broadcastShapes('where', cond.shape, a.shape, b.shape);
    const v = (t: Tensor) => broadcastView(t, shape);
    const out = Tensor.fromView(K().where(v(cond), v(a), v(b), a.dtype), a.dtype);
    return { out, saved: [cond] };
  },
  // Each branch gets the gradient where it was chosen and 0 elsewhere; the condition gets none.
  backward: (g, [cond], _ctx, [, needA, needB]) => [
    null,
    needA ? where(cond!, g, 0) : null,
    needB ? where(cond!, 0, g) : null,
  ],
});

/**
 * `condition ? a : b` elementwise: picks from `a` where `condition` is true, from `b` elsewhere.
 *
 * condition - bool, shape [...C]; a - shape [...A]; b - shape [...B] (numbers act as scalars);
 * returns the broadcast shape of all three, in the promoted dtype of `a` and `b`.
 * Differentiable in `a` and `b`.
 *
 * @throws DTypeError `where: condition must be a bool tensor, got float32 (shape [3])`
 * @throws ShapeError `where: cannot broadcast shapes [3] and [2] and [] ...`
 * @example
 * const x = tensor([-1, 2, -3]);
 * where(x.gt(0), x, 0).toArray(); // [0, 2, 0]
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  requireTensor('where', 'condition', condition);
  if (condition.dtype !== 'bool')
    throw new DTypeError(
      `where: condition must be a bool tensor, got ${condition.dtype} (shape ${fmtShape(condition.shape)}); compare first, e.g. x.gt(0)`,
    );
  const [x, y] = operands(a, b, undefined, 'where');
  return wherePrimitive(condition, x, y);
}

/**
 * `where(mask, value, x)`: `x` with the elements where `mask` is true set to `value`
 * (PyTorch's `masked_fill`), a number or a 0-d tensor (cast to x's dtype). Keeps `x`'s shape
 * and dtype; differentiable in `x` (0 gradient at the filled places) and in a tensor `value`
 * (the sum of the gradient at the filled places).
 *
 * x - shape [...S]; mask - bool, broadcastable to S; value - a number or shape []; returns [...S].
 *
 * @throws DTypeError `maskedFill: mask must be a bool tensor, got int32 (shape [3])`
 * @throws ShapeError `maskedFill: mask of shape [2,3] cannot be broadcast to x of shape [3]`
 * @throws ShapeError `maskedFill: value must be a number or a 0-d tensor, got a tensor of shape [3]`
 * @example
 * const x = tensor([1, 2, 3]);
 * maskedFill(x, x.gt(1), -1).toArray(); // [1, -1, -1]
 * maskedFill(x, x.gt(1), tensor(0.5)).toArray(); // [1, 0.5, 0.5]
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  requireTensor('maskedFill', 'x', x);
  requireTensor('maskedFill', 'mask', mask);
  if (mask.dtype !== 'bool')
    throw new DTypeError(`maskedFill: mask must be a bool tensor, got ${mask.dtype} (shape ${fmtShape(mask.shape)})`);
  const shape = broadcastShapes('maskedFill', x.shape, mask.shape);
  if (!shapesEqual(shape, x.shape))
    throw new ShapeError(
      `maskedFill: mask of shape ${fmtShape(mask.shape)} cannot be broadcast to x of shape ${fmtShape(x.shape)}`,
    );
  if (value instanceof Tensor && value.ndim !== 0)
    throw new ShapeError(`maskedFill: value must be a number or a 0-d tensor, got a tensor of shape ${fmtShape(value.shape)}`);
  // A 0-d value of x's dtype promotes to x's dtype, so the result keeps it.
  return where(mask, value instanceof Tensor ? value.to(x.dtype) : scalarTensor(value, x.dtype), x);
}
