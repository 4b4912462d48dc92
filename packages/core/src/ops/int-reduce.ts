import { allocate } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';

/**
 * The int32 sum or product of an int32 or bool tensor over `dims` (keepdim shape), computed
 * exactly: accumulated in float64 (exact for sums below 2**53; a product's rounding cannot bring
 * a result back into int32 range), then checked to fit int32. @internal
 *
 * @throws ValueError `sum: the int32 result 3000000000 overflows int32 (input shape [2]); convert first, e.g. x.double().sum()`
 */
export function exactIntReduce(op: 'sum' | 'prod', x: Tensor, dims: readonly number[]): Tensor {
  const wide = K().reduce(op, x.nd, dims, 'float64');
  const w = wide.data;
  const out = allocate('int32', w.length);
  for (let i = 0; i < w.length; i++) {
    // NaN only comes from a product that overflowed float64 and then met a zero: exactly 0.
    const v = w[i]! === w[i]! ? w[i]! : 0;
    if (v > 2147483647 || v < -2147483648)
      throw new ValueError(
        `${op}: the int32 result ${Number.isFinite(v) ? v : `${v < 0 ? '-' : ''}beyond float64`} overflows int32 (input shape ${fmtShape(x.shape)}); ` +
          `convert first, e.g. x.double().${op}()`,
      );
    out[i] = v;
  }
  return Tensor.fromData(out, [...wide.shape], 'int32');
}
