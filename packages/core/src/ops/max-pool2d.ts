import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { K, type Conv2dGeometry } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { convOutputSize, convPair } from './conv2d.js';
import { scatterAddPrimitive } from './scatter-add.js';
import type { MaxPool2dOptions, Pool2dOptions } from './types.js';
import { checkOptions, defineOptions, unsupported } from '../options.js';
import { requireTensor } from './operands.js';

const MAX_POOL2D = defineOptions('maxPool2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  ceilMode: unsupported('ceilMode is not supported (only the default, false: output sizes round down)', false),
  returnIndices: unsupported('returnIndices is not supported (only the default, false)', false),
});

/** The checked geometry of a pooling op on a 4-D shape. @internal */
export function poolGeometry(
  op: string, x: Tensor, kernelSize: number | [number, number], opts: Pool2dOptions,
): { kernel: [number, number]; geom: Conv2dGeometry } {
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`${op}: expected a 3-D [C,H,W] or 4-D [N,C,H,W] input, got x.shape=${fmtShape(x.shape)}`);
  const kernel = convPair(op, 'kernelSize', kernelSize, 1);
  const geom: Conv2dGeometry = {
    stride: convPair(op, 'stride', opts.stride ?? kernel, 1),
    padding: convPair(op, 'padding', opts.padding ?? 0, 0),
    dilation: convPair(op, 'dilation', opts.dilation ?? 1, 1),
    groups: 1,
  };
  const [pH, pW] = geom.padding;
  if (pH > Math.floor(kernel[0] / 2) || pW > Math.floor(kernel[1] / 2))
    throw new ValueError(
      `${op}: padding ${fmtShape(geom.padding)} must be at most half the kernel size ${fmtShape(kernel)}, x.shape=${fmtShape(x.shape)}`,
    );
  const [H, W] = x.shape.slice(-2) as [number, number];
  const Ho = convOutputSize(H, kernel[0], geom.stride[0], pH, geom.dilation[0]);
  const Wo = convOutputSize(W, kernel[1], geom.stride[1], pW, geom.dilation[1]);
  if (Ho < 1 || Wo < 1)
    throw new ShapeError(
      `${op}: output size [${Ho},${Wo}] is too small: input [${H},${W}], kernel ${fmtShape(kernel)}, ` +
        `stride ${fmtShape(geom.stride)}, padding ${fmtShape(geom.padding)}, dilation ${fmtShape(geom.dilation)}`,
    );
  if (x.dtype === 'bool') throw new DTypeError(`${op}: bool tensors are not supported (x.shape=${fmtShape(x.shape)})`);
  return { kernel, geom };
}

const maxPool2dPrimitive = primitive('maxPool2d', {
  forward: (x: Tensor, kernel: [number, number], geom: Conv2dGeometry) => {
    const { out, argmax } = K().maxPool2d(x.nd, kernel, geom);
    const indices = Tensor.fromView(argmax, 'int32');
    return { out: Tensor.fromView(out, x.dtype), saved: [indices], ctx: x.shape };
  },
  // Each output took its value from the input element at argmax (a flat index h * W + w in its
  // (n, c) plane): route g back there, adding where windows overlap. scatterAdd's own rule
  // gathers at the same places, so this differentiates again. The kernel's indices are valid:
  // the primitive skips scatterAdd's checks, which scan the index on every call.
  backward: (g, [indices], inShape) => {
    const [N, C, H, W] = inShape as [number, number, number, number];
    const L = indices!.shape[2]! * indices!.shape[3]!;
    // zeros as one broadcast element: the kernels fill it instead of copying a zeroed array
    const planes = zeros([1, 1, 1], { dtype: g.dtype }).expand([N, C, H * W]);
    return [scatterAddPrimitive(planes, 2, indices!.reshape([N, C, L]), g.reshape([N, C, L])).reshape(inShape)];
  },
});

/**
 * 2-D max pooling: `out[n, c, i, j] = max_{p < kH, q < kW} x[n, c, i*sH - pH + p*dH, j*sW - pW + q*dW]`,
 * padding never chosen. The gradient goes to the chosen element of each window (the first one
 * on ties); overlapping windows add up.
 *
 * x - input, shape [N, C, H, W] (or unbatched [C, H, W]); returns [N, C, Ho, Wo] (or [C, Ho, Wo]),
 * `Ho = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1`, likewise Wo.
 * Options: `stride` (default: the kernel size), `padding` (0, at most half the kernel), `dilation` (1);
 * PyTorch's `ceilMode` and `returnIndices` are refused unless false.
 *
 * @throws ValueError `maxPool2d: padding [2,2] must be at most half the kernel size [3,3], x.shape=[1,1,5,5]`
 * @throws ValueError for a kernel, stride or dilation < 1 or a padding < 0
 * @throws ValueError `maxPool2d: ceilMode is not supported (only the default, false: output sizes round down)`
 * @throws ShapeError for an input that is not 3-D or 4-D, or an output smaller than 1x1
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * maxPool2d(x, 2).toArray();                    // [[[[4]]]]
 * maxPool2d(randn([8, 3, 32, 32]), 2).shape;    // [8, 3, 16, 16]
 */
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts: MaxPool2dOptions = {}): Tensor {
  requireTensor('maxPool2d', 'x', x);
  checkOptions(MAX_POOL2D, opts);
  const { kernel, geom } = poolGeometry('maxPool2d', x, kernelSize, opts);
  const out = maxPool2dPrimitive(x.ndim === 3 ? x.reshape([1, ...x.shape]) : x, kernel, geom);
  return x.ndim === 3 ? out.reshape(out.shape.slice(1)) : out;
}
