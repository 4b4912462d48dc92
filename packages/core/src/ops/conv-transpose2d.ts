import { isFloating, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Conv2dGeometry } from '../kernels/index.js';
import { zeros } from '../creation.js';
import { Tensor } from '../tensor.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';
import { cat } from './cat.js';
import { conv2dBackwardInput, convOutputSize, convPair } from './conv2d.js';
import { requireTensor } from './operands.js';

const CONV_TRANSPOSE2D = defineOptions('convTranspose2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  outputPadding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  groups: 'integer',
});

/**
 * Options of {@link convTranspose2d}. A number means the same for height and width.
 *
 * @example
 * const opts: ConvTranspose2dOptions = { stride: 2, padding: 1, outputPadding: 1 };
 * convTranspose2d(ones([1, 4, 5, 5]), ones([4, 2, 3, 3]), null, opts).shape; // [1, 2, 10, 10]
 */
export interface ConvTranspose2dOptions {
  /** The stride of the convolution this one transposes (default 1). */
  stride?: number | readonly number[];
  /** The padding of the convolution this one transposes: cropped from each side of the output (default 0). */
  padding?: number | readonly number[];
  /** Extra size added at the bottom/right of the output, below max(stride, dilation) (default 0). */
  outputPadding?: number | readonly number[];
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

/**
 * 2-D transposed convolution (PyTorch's `conv_transpose2d`), the gradient of {@link conv2d} with
 * respect to its input: each input pixel scatters into the output,
 * `out[n, g*Og + o, i*sH - pH + p*dH, j*sW - pW + q*dW] += x[n, c, i, j] * weight[c, o, p, q]`
 * for `c` in group `g`, plus `bias[o]`.
 *
 * x - input, shape [N, C_in, H, W] (or unbatched [C_in, H, W]); weight - shape
 * [C_in, C_out/groups, kH, kW]; bias - shape [C_out] or null; returns [N, C_out, H_out, W_out] with
 * `H_out = (H - 1) sH - 2 pH + dH (kH - 1) + outputPadding[0] + 1`, likewise W_out.
 * Computed by conv2d's input-gradient kernel directly (no zero-stuffed copy of the input); its
 * gradients are conv2d and conv2d's weight gradient, to any order.
 *
 * @throws ShapeError `convTranspose2d: input has 3 channels but weight has 4 (weight is [C_in,C_out/groups,kH,kW]), x.shape=[1,3,4,4], weight.shape=[4,2,3,3]`
 * @throws ShapeError for a non-4-D weight, a 1-D/2-D/5-D input, channels not divisible by groups,
 *   a bias not of shape [C_out], or an output smaller than 1x1
 * @throws ValueError for a stride or dilation < 1, a padding or outputPadding < 0, groups < 1,
 *   or an outputPadding not below max(stride, dilation)
 * @throws DTypeError for integer or bool tensors
 * @example
 * const x = randn([8, 32, 14, 14]);
 * const w = randn([32, 16, 4, 4]);
 * convTranspose2d(x, w, randn([16]), { stride: 2, padding: 1 }).shape; // [8, 16, 28, 28]
 * convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), null, { stride: 2 }).sum().item(); // 16
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  requireTensor(op, 'x', x);
  requireTensor(op, 'weight', weight);
  checkOptions(CONV_TRANSPOSE2D, opts);
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor))
    throw new ValueError(`${op}: bias must be a Tensor or null, got ${describeValue(bias)}; options come fourth: ${op}(x, weight, null, { stride })`);
  const shapes = `x.shape=${fmtShape(x.shape)}, weight.shape=${fmtShape(weight.shape)}`;
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`${op}: expected a 3-D [C_in,H,W] or 4-D [N,C_in,H,W] input, got ${shapes}`);
  if (weight.ndim !== 4) throw new ShapeError(`${op}: expected a 4-D weight [C_in,C_out/groups,kH,kW], got ${shapes}`);
  const groups = opts.groups ?? 1;
  if (groups < 1) throw new ValueError(`${op}: groups must be an integer >= 1, got ${groups}`);
  const geom: Conv2dGeometry = {
    stride: convPair(op, 'stride', opts.stride ?? 1, 1),
    padding: convPair(op, 'padding', opts.padding ?? 0, 0),
    dilation: convPair(op, 'dilation', opts.dilation ?? 1, 1),
    groups,
  };
  const outputPadding = convPair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
  if (outputPadding.some((p, i) => p >= Math.max(geom.stride[i]!, geom.dilation[i]!)))
    throw new ValueError(
      `${op}: outputPadding ${fmtShape(outputPadding)} must be smaller than either stride ${fmtShape(geom.stride)} or dilation ${fmtShape(geom.dilation)}`,
    );
  let x4 = x.ndim === 3 ? x.reshape([1, ...x.shape]) : x;
  const [N, C, H, W] = x4.shape as [number, number, number, number];
  const [Cw, Og, kH, kW] = weight.shape as [number, number, number, number];
  if (C !== Cw)
    throw new ShapeError(`${op}: input has ${C} channels but weight has ${Cw} (weight is [C_in,C_out/groups,kH,kW]), ${shapes}`);
  if (C % groups !== 0) throw new ShapeError(`${op}: ${C} input channels are not divisible by groups=${groups}, ${shapes}`);
  const O = Og * groups;
  const k = [kH, kW];
  const inSize = [H, W];
  const outSize = [0, 1].map(
    (i) => (inSize[i]! - 1) * geom.stride[i]! - 2 * geom.padding[i]! + geom.dilation[i]! * (k[i]! - 1) + outputPadding[i]! + 1,
  ) as [number, number];
  if (outSize[0] < 1 || outSize[1] < 1)
    throw new ShapeError(`${op}: output size ${fmtShape(outSize)} is too small, ${shapes}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    throw new ShapeError(`${op}: bias must have shape [${O}] (one per output channel), got bias.shape=${fmtShape(bias.shape)}, ${shapes}`);
  const operands = bias ? [x4, weight, bias] : [x4, weight];
  if (operands.some((t) => !isFloating(t.dtype)))
    throw new DTypeError(
      `${op}: expected floating point tensors, got x ${x.dtype}, weight ${weight.dtype}${bias ? `, bias ${bias.dtype}` : ''}`,
    );
  const dtype = operands.map((t) => t.dtype).reduce(promoteTypes);
  // Out is the input gradient of conv2d(out-shaped input, weight) — weight's [C_in, C_out/groups]
  // is conv2d's [O, C/groups] — whose output is x. An outputPadding >= stride (allowed when
  // dilation > stride) makes that conv2d's output longer than x: x gets trailing zero rows.
  for (let i = 0; i < 2; i++) {
    const extra = convOutputSize(outSize[i]!, k[i]!, geom.stride[i]!, geom.padding[i]!, geom.dilation[i]!) - inSize[i]!;
    if (extra > 0) {
      const zshape = [...x4.shape];
      zshape[2 + i] = extra;
      x4 = cat([x4, zeros(zshape, { dtype: x4.dtype })], 2 + i);
    }
  }
  let out = conv2dBackwardInput(x4.to(dtype), weight.to(dtype), [N, O, ...outSize], geom);
  if (bias) out = out.add(bias.to(dtype).reshape([1, O, 1, 1]));
  return x.ndim === 3 ? out.reshape(out.shape.slice(1)) : out;
}
