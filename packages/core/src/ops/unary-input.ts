import { DTypeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * Throws unless `x` is a Tensor of this copy of @tapegrad/core: the unary math ops take no
 * numbers (as PyTorch's). A tensor from a second copy of the package is named as such. @internal
 */
export function requireTensorInput(op: string, x: unknown): asserts x is Tensor {
  if (x instanceof Tensor) return;
  const what = x === null ? 'null' : typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
  const tensorLike = typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
  const hint = tensorLike ? ' (a Tensor from another copy of @tapegrad/core? make sure only one copy is installed or bundled)' : '';
  throw new TypeError(`${op}: expected a Tensor, got ${what}${hint}`);
}

/** Throws for a bool tensor, which the rounding ops do not take (as PyTorch). @internal */
export function refuseBool(op: string, x: Tensor): void {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not defined for bool tensors (shape ${fmtShape(x.shape)}); convert with .to('int32') or .to('float32') first`);
}
