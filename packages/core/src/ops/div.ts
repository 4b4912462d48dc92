import { primitive } from '../autograd/primitive.js';
import { zerosLike } from '../creation.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands, resultType } from './operands.js';
import type { OutOptions, TensorLike } from './types.js';
import { binaryOut } from './out.js';
import { checkOptions, defineOptions } from '../options.js';
import { checkRoundedDivision, roundedQuotient } from './math-helpers.js';

const DIV = defineOptions('div', { out: 'tensor', roundingMode: "'floor'|'trunc'|null" });

/**
 * Options of {@link div}: PyTorch's `rounding_mode` and the `out` tensor (see {@link OutOptions}).
 *
 * @example
 * const opts: DivOptions = { roundingMode: 'floor' };
 * div(tensor([7, -7], { dtype: 'int32' }), 2, opts).toArray(); // [3, -4]
 */
export interface DivOptions extends OutOptions {
  /**
   * `'floor'` rounds the quotient down (Python's `//`), `'trunc'` toward zero (C's integer
   * division); integer operands then stay integer. Null or omitted: true division.
   */
  roundingMode?: 'floor' | 'trunc' | null;
}

const divPrimitive = primitive('div', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('div', a, b);
    return { out: Tensor.fromView(K().binary('div', va, vb, a.dtype), a.dtype), saved: [a, b] };
  },
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2. A constant divisor (x / 2) skips the second term.
  backward: (g, [a, b], _ctx, [needA, needB]) => [
    needA ? g.div(b!) : null,
    needB ? g.neg().mul(a!).div(b!.mul(b!)) : null,
  ],
});

const divRoundedPrimitive = primitive('divRounded', {
  forward: (a: Tensor, b: Tensor, mode: 'floor' | 'trunc') => ({ out: roundedQuotient('div', a, b, mode), saved: [a, b] }),
  // A step function: the gradient is 0 for both inputs, as PyTorch's.
  backward: (_g, [a, b], _ctx, [needA, needB]) => [needA ? zerosLike(a!) : null, needB ? zerosLike(b!) : null],
});

/**
 * `a / b` elementwise with broadcasting, true division or, with `roundingMode`, rounded down
 * (`'floor'`, Python's `//`) or toward zero (`'trunc'`). Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * Without a rounding mode, integer and bool operands divide in float32 (`int32 / int32 -> float32`),
 * as PyTorch's `torch.div`, and division by zero gives `Infinity` or `NaN`. With one, the
 * promoted dtype is kept (int32 stays int32; bool is refused), an integer division by zero
 * throws (PyTorch's ZeroDivisionError), and the gradient is 0.
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws ShapeError `div: cannot broadcast shapes [2,3] and [4] ...`
 * @throws ValueError `div: integer division by zero (the int32 divisor of shape [] holds 0; PyTorch raises ZeroDivisionError)`
 * @example
 * div(tensor([1, 2, 3], { dtype: 'int32' }), 2).toArray(); // [0.5, 1, 1.5]
 * div(tensor([7, -7], { dtype: 'int32' }), 2, { roundingMode: 'floor' }).toArray(); // [3, -4]
 * div(tensor([7.5, -7.5]), 2, { roundingMode: 'trunc' }).toArray(); // [3, -3]
 */
export function div(a: TensorLike, b: TensorLike, opts?: DivOptions): Tensor {
  const { out, roundingMode } = checkOptions(DIV, opts);
  const dt = resultType(a, b);
  if (roundingMode === undefined || roundingMode === null) {
    const [x, y] = operands(a, b, isFloating(dt) ? dt : 'float32', 'div');
    return out !== undefined ? binaryOut('div', x, y, out) : divPrimitive(x, y);
  }
  const [x, y] = operands(a, b, dt, 'div');
  checkRoundedDivision('div', x, y);
  if (out !== undefined) return binaryOut(roundingMode === 'floor' ? 'divFloor' : 'divTrunc', x, y, out);
  return divRoundedPrimitive(x, y, roundingMode);
}
