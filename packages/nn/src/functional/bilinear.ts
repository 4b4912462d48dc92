import { ShapeError, fmtShape, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';

/**
 * Bilinear transform (PyTorch's `F.bilinear`): `y[..., o] = sum_{i,j} x1[..., i] A[o, i, j] x2[..., j] + b[o]`.
 *
 * @param x1 - shape (N, *, H_in1)
 * @param x2 - shape (N, *, H_in2), the same leading dims as x1
 * @param weight - A, shape [H_out, H_in1, H_in2]
 * @param bias - b, shape [H_out], optional
 * @returns shape (N, *, H_out)
 * @throws ShapeError for mismatched shapes
 * @example
 * (F.bilinear(ones([2, 3]), ones([2, 4]), ones([5, 3, 4])).toArray() as number[][])[0]; // [12, 12, 12, 12, 12]
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  requireTensor('bilinear', 'input1', x1);
  requireTensor('bilinear', 'input2', x2);
  requireTensor('bilinear', 'weight', weight);
  if (bias != null) requireTensor('bilinear', 'bias', bias);
  if (weight.ndim !== 3) throw new ShapeError(`bilinear: weight must be 3-D [outFeatures, in1Features, in2Features], got weight.shape=${fmtShape(weight.shape)}`);
  const [O, I, J] = weight.shape as [number, number, number];
  const lead = x1.shape.slice(0, -1);
  if (x1.ndim < 1 || x2.ndim !== x1.ndim || x1.shape[x1.ndim - 1] !== I || x2.shape[x2.ndim - 1] !== J || lead.some((d, k) => d !== x2.shape[k]))
    throw new ShapeError(
      `bilinear: input1.shape=${fmtShape(x1.shape)} and input2.shape=${fmtShape(x2.shape)} do not fit weight.shape=${fmtShape(weight.shape)} ` +
        `(expected (*, ${I}) and (*, ${J}) with the same leading dims)`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    throw new ShapeError(`bilinear: bias.shape=${fmtShape(bias.shape)} does not match weight.shape=${fmtShape(weight.shape)} (expected [${O}])`);
  const M = lead.reduce((a, b) => a * b, 1);
  // [M, I] @ [I, O*J] -> [M, O, J], times x2 broadcast over O, summed over J.
  const t = x1.reshape([M, I]).matmul(weight.permute([1, 0, 2]).reshape([I, O * J])).reshape([M, O, J]);
  const y = t.mul(x2.reshape([M, 1, J])).sum(-1).reshape([...lead, O]);
  return bias ? y.add(bias) : y;
}
