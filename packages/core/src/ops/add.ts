import { primitive } from '../autograd/primitive.js';
import { isFloating } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, operands } from './operands.js';
import { mul } from './mul.js';
import type { OutOptions, TensorLike } from './types.js';
import { binaryOut } from './out.js';
import { checkOptions, defineOptions } from '../options.js';

const ADD = defineOptions('add', { alpha: 'number', out: 'tensor' });

/**
 * The operands of `a ± alpha * b` (add, sub): both promoted to one dtype, `b` scaled by alpha.
 * As PyTorch, integer operands take only an integer alpha and bool operands only 1, so the
 * scaled `b` keeps the common dtype. @internal
 */
export function alphaOperands(op: string, a: TensorLike, b: TensorLike, alpha: number): [Tensor, Tensor] {
  const [x, y] = operands(a, b, undefined, op);
  if (alpha === 1) return [x, y];
  if (x.dtype === 'bool' || (!isFloating(x.dtype) && !Number.isInteger(alpha)))
    throw new ValueError(
      `${op}: alpha must be ${x.dtype === 'bool' ? '1 for bool' : 'an integer for int32'} operands, got ${alpha} ` +
        `(shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)})`,
    );
  return [x, mul(y, alpha)];
}

const addPrimitive = primitive('add', {
  forward: (a: Tensor, b: Tensor) => {
    const { va, vb } = broadcastPair('add', a, b);
    return { out: Tensor.fromView(K().binary('add', va, vb, a.dtype), a.dtype) };
  },
  // Broadcast inputs get the output-shaped gradient; the engine sums it down to their shape.
  backward: (g) => [g, g],
});

/**
 * `a + alpha * b`, elementwise with broadcasting. Numbers act as scalars.
 *
 * a - shape [...A], b - shape [...B] broadcastable with A; returns the broadcast shape.
 * The result dtype follows PyTorch's promotion (`int32 + float32 -> float32`).
 *
 * With `{ out }`, writes the result into an existing tensor and returns it (see {@link OutOptions}).
 *
 * @throws ShapeError `add: cannot broadcast shapes [2,3] and [4] ...`
 * @throws ValueError `add: alpha must be an integer for int32 operands, got 0.5 ...` (a float alpha needs a float operand)
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]]
 * add(tensor([1, 2]), 1, { alpha: 2 }).toArray();            // [3, 4]
 * const c = zeros([2]);
 * add(tensor([1, 2]), tensor([3, 4]), { out: c }) === c;      // true; c holds [4, 6]
 */
export function add(a: TensorLike, b: TensorLike, opts?: { alpha?: number } & OutOptions): Tensor {
  const { alpha = 1, out } = checkOptions(ADD, opts);
  const [x, y] = alphaOperands('add', a, b, alpha);
  return out !== undefined ? binaryOut('add', x, y, out) : addPrimitive(x, y);
}
