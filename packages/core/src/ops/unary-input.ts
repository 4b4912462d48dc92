import { DTypeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { requireTensor } from './operands.js';

/** Throws unless `x` is a Tensor: the unary math ops take no numbers (as PyTorch's). @internal */
export function requireTensorInput(op: string, x: unknown): asserts x is Tensor {
  requireTensor(op, 'x', x);
}

/** Throws for a bool tensor, which the rounding ops do not take (as PyTorch). @internal */
export function refuseBool(op: string, x: Tensor): void {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not defined for bool tensors (shape ${fmtShape(x.shape)}); convert with .to('int32') or .to('float32') first`);
}
