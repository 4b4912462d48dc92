import { Tensor, ShapeError, ValueError, fmtShape, zeros, checkOptions, defineOptions, conv2d as coreConv2d, noGrad } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { convTranspose2d, pad } from './conv.js';

const SIZE2 = 'integer|integer[]';
const UNFOLD = defineOptions('unfold', { dilation: SIZE2, padding: SIZE2, stride: SIZE2 });
const FOLD = defineOptions('fold', { dilation: SIZE2, padding: SIZE2, stride: SIZE2 });

/**
 * Options of {@link unfold} and {@link fold}: each a number or `[height, width]`.
 *
 * @example
 * const o: F.FoldOptions = { stride: 2 };
 */
export interface FoldOptions {
  /** Spacing between block elements (default 1). */
  dilation?: number | readonly number[];
  /** Zero padding on each side of the image (default 0). */
  padding?: number | readonly number[];
  /** Step between blocks (default 1). */
  stride?: number | readonly number[];
}

function pair2(op: string, name: string, v: number | readonly number[], min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < min))
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} or two of them, got ${JSON.stringify(v)}`);
  return p as [number, number];
}

/** The one-hot weight [C kH kW, 1, kH, kW] that copies each block element into its own channel. */
function selector(C: number, kH: number, kW: number, dtype: Tensor['dtype']): Tensor {
  const k = kH * kW;
  const w = zeros([C * k, 1, kH, kW], { dtype });
  noGrad(() => {
    const d = w.data as Float32Array | Float64Array;
    for (let c = 0; c < C; c++) for (let p = 0; p < k; p++) d[(c * k + p) * k + p] = 1;
  });
  return w;
}

/**
 * Extracts sliding blocks (PyTorch's `F.unfold`, im2col): column `l` holds the `C kH kW` values of
 * block `l` (channel-major, then kernel row, then kernel column).
 *
 * @param x - shape [N, C, H, W] (or [C, H, W])
 * @param kernelSize - [kH, kW] or one number
 * @returns [N, C kH kW, L] with L = H_out W_out, `H_out = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1`
 * @throws ShapeError for another rank; ValueError for bad sizes
 * @example
 * F.unfold(arange(4, { dtype: 'float32' }).reshape([1, 1, 2, 2]), 1).toArray(); // [[[0, 1, 2, 3]]]
 */
export function unfold(x: Tensor, kernelSize: number | readonly number[], opts?: FoldOptions): Tensor {
  opts = checkOptions(UNFOLD, opts);
  requireTensor('unfold', 'input', x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`unfold: expected a 3-D or 4-D input, got input.shape=${fmtShape(x.shape)}`);
  const [kH, kW] = pair2('unfold', 'kernelSize', kernelSize, 1);
  const C = x.shape[x.ndim - 3]!;
  const y = coreConv2d(x, selector(C, kH, kW, x.dtype), null, {
    stride: pair2('unfold', 'stride', opts.stride ?? 1, 1), padding: pair2('unfold', 'padding', opts.padding ?? 0, 0),
    dilation: pair2('unfold', 'dilation', opts.dilation ?? 1, 1), groups: C,
  });
  return y.flatten(-2);
}

/**
 * Sums sliding blocks back into an image (PyTorch's `F.fold`, col2im), the adjoint of {@link unfold}:
 * overlapping block elements add up.
 *
 * @param x - shape [N, C kH kW, L] (or [C kH kW, L]) with L the number of blocks that fit outputSize
 * @param outputSize - [H, W] or one number
 * @param kernelSize - [kH, kW] or one number
 * @returns [N, C, H, W]
 * @throws ShapeError when the channels are not divisible by kH kW or L does not match the blocks; ValueError for bad sizes
 * @example
 * F.fold(ones([1, 4, 4]), 3, 2).toArray(); // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 */
export function fold(x: Tensor, outputSize: number | readonly number[], kernelSize: number | readonly number[], opts?: FoldOptions): Tensor {
  opts = checkOptions(FOLD, opts);
  const op = 'fold';
  requireTensor(op, 'input', x);
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${op}: expected a 2-D or 3-D input, got input.shape=${fmtShape(x.shape)}`);
  const [H, W] = pair2(op, 'outputSize', outputSize, 1);
  const [kH, kW] = pair2(op, 'kernelSize', kernelSize, 1);
  const s = pair2(op, 'stride', opts.stride ?? 1, 1), p = pair2(op, 'padding', opts.padding ?? 0, 0), d = pair2(op, 'dilation', opts.dilation ?? 1, 1);
  const Ck = x.shape[x.ndim - 2]!, L = x.shape[x.ndim - 1]!;
  const blocks = [0, 1].map((i) => Math.floor(([H, W][i]! + 2 * p[i]! - d[i]! * ([kH, kW][i]! - 1) - 1) / s[i]!) + 1) as [number, number];
  if (Ck % (kH * kW) !== 0 || blocks[0] < 1 || blocks[1] < 1 || L !== blocks[0] * blocks[1])
    throw new ShapeError(
      `${op}: input.shape=${fmtShape(x.shape)} must be [N, C*${kH * kW}, ${Math.max(blocks[0], 0) * Math.max(blocks[1], 0)}] for outputSize [${H},${W}], kernelSize [${kH},${kW}]`,
    );
  const C = Ck / (kH * kW);
  const img = x.reshape([...x.shape.slice(0, -1), blocks[0], blocks[1]]);
  // Unpadded, the transposed convolution covers G = (blocks - 1) s + d (k - 1) + 1 <= H + 2 p rows of the
  // padded image; the rest is zero. Then drop the padding: [p, p + H).
  const y = convTranspose2d(img, selector(C, kH, kW, x.dtype), null, { stride: s, dilation: d, groups: C });
  const [G0, G1] = y.shape.slice(-2) as [number, number];
  return pad(y, [-p[1], W + p[1] - G1, -p[0], H + p[0] - G0]);
}
