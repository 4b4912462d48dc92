import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { zerosLike } from '../creation.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { log } from './log.js';
import { broadcastPair, operands } from './operands.js';
import type { TensorLike } from './types.js';
import { where } from './where.js';

const powPrimitive = primitive('pow', {
  // `scalarExp` is the exponent when it was given as a number (it gets no gradient), else null.
  forward: (a: Tensor, b: Tensor, scalarExp: number | null) => {
    const { va, vb } = broadcastPair('pow', a, b);
    const r = K().binary('pow', va, vb, a.dtype);
    const out = Tensor.fromView(r, a.dtype);
    return { out, saved: [a, b, out], ctx: scalarExp };
  },
  backward: (g, [a, b, out], scalarExp, [needBase, needExp]) => {
    let ga: Tensor | null = null;
    if (needBase) {
      // d(x^e)/dx = e x^(e-1); masked where e == 0, so that 0^0 has gradient 0 rather than 0 * Inf.
      if (scalarExp === 0) ga = zerosLike(g);
      else if (scalarExp !== null) ga = g.mul(pow(a!, scalarExp - 1)).mul(scalarExp);
      else ga = where(b!.eq(0), 0, g.mul(b!).mul(pow(a!, b!.sub(1))));
    }
    // d(x^e)/de = x^e log x; zero where x == 0 and e >= 0 (log 0 = -Inf would give NaN), as PyTorch.
    const gb = needExp ? g.mul(where(a!.eq(0).mul(b!.ge(0)), 0, out!.mul(log(a!)))) : null;
    return [ga, gb];
  },
});

/**
 * `a ** exponent` elementwise with broadcasting. Either may be a number.
 *
 * a - shape [...A], exponent - shape [...B] broadcastable with A; returns the broadcast shape.
 * The dtype follows PyTorch's promotion: an int32 tensor to an integer power stays int32, to a
 * fractional power gives float32. Special values follow C's pow, as PyTorch: `x ** 0` is 1 for
 * every x (NaN included), `1 ** y` is 1 for every y (NaN included), `(-1) ** ±Infinity` is 1.
 * The gradient reaches both the base and a tensor exponent
 * (`x^e log x`, taken as 0 where x = 0); a number exponent gets none.
 *
 * @throws ShapeError `pow: cannot broadcast shapes [2,3] and [4] ...`
 * @throws ValueError `pow: integers to negative integer powers are not allowed ...`
 * @example
 * pow(tensor([1, 2, 3]), 2).toArray();           // [1, 4, 9]
 * pow(2, tensor([0, 1, 3])).toArray();           // [1, 2, 8]
 * pow(tensor([4, 9]), tensor([0.5, 0.5])).toArray(); // [2, 3]
 * pow(tensor([1, NaN]), tensor([NaN, 0])).toArray(); // [1, 1]
 */
export function pow(a: TensorLike, exponent: TensorLike): Tensor {
  const [x, e] = operands(a, exponent, undefined, 'pow');
  const scalarExp = typeof exponent === 'number' ? exponent : null;
  // Integer results cannot hold x^-n; only integer (and bool) operands pay for the scan.
  if (!isFloating(x.dtype) && (scalarExp !== null ? scalarExp < 0 : e.data.some((v) => v < 0)))
    throw new ValueError(
      `pow: integers to negative integer powers are not allowed (${x.dtype} base of shape ${fmtShape(x.shape)}, ` +
        `exponent ${scalarExp ?? `of shape ${fmtShape(e.shape)}`})`,
    );
  return powPrimitive(x, e, scalarExp);
}
