import { ValueError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor.js';

/**
 * Throws a ValueError naming the op and the argument unless `x` is a Tensor, e.g.
 * `sort: x must be a Tensor, got array [1,2]`. The issue 17 scans, sorting and reduction ops
 * check their tensor arguments with it (the same message as operands.ts' requireTensor on main,
 * which should replace it on merge). @internal
 */
export function requireTensorArg(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor, got ${describeValue(x)}`);
}
