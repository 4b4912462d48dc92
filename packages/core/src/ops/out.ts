import { isGradEnabled } from '../autograd/grad-mode.js';
import type { DType } from '../dtype.js';
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { checkWritable } from '../inplace.js';
import { K, type BinaryOp, type UnaryOp } from '../kernels/index.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastPair, requireTensor } from './operands.js';

// The `out` option of element-wise ops (see OutOptions): the result is written into a tensor
// the caller already has, through the kernels' unaryInto/binaryInto, and that tensor returned.
// `out` may share memory with an input in any way: the kernels compute the result from the
// inputs as they were (streaming only when `out` is the very input view, else aside first).

/** Checks the `out` tensor of `op`, whose result has `shape` and `dtype`, against its inputs. */
function checkOut(op: string, out: unknown, shape: readonly number[], dtype: DType, inputs: Tensor[]): asserts out is Tensor {
  requireTensor(op, 'out', out);
  if (isGradEnabled()) {
    const needs = inputs.find((t) => t.requiresGrad);
    if (needs)
      throw new AutogradError(
        `${op}: an input (shape ${fmtShape(needs.shape)}) requires grad, and a result written into out is not recorded on the tape; ` +
          'call it inside noGrad(() => ...) or leave out unset',
      );
  }
  checkWritable(op, out);
  if (!shapesEqual(out.shape, shape))
    throw new ShapeError(`${op}: out has shape ${fmtShape(out.shape)} but the result has shape ${fmtShape(shape)}`);
  if (out.dtype !== dtype) throw new DTypeError(`${op}: out has dtype ${out.dtype} but the result has dtype ${dtype}`);
}

/** Writes `op(x)` (of dtype `dtype`) into `out` and returns it. @internal */
export function unaryOut(op: UnaryOp, x: Tensor, dtype: DType, out: unknown, p0?: number, p1?: number): Tensor {
  checkOut(op, out, x.shape, dtype, [x]);
  K().unaryInto(op, x.nd, out.nd, p0, p1);
  out.storage.version++;
  return out;
}

/** Writes `op(a, b)` (a and b of one dtype, broadcast) into `out` and returns it. @internal */
export function binaryOut(op: BinaryOp, a: Tensor, b: Tensor, out: unknown): Tensor {
  const { shape, va, vb } = broadcastPair(op, a, b);
  checkOut(op, out, shape, a.dtype, [a, b]);
  K().binaryInto(op, va, vb, out.nd);
  out.storage.version++;
  return out;
}
