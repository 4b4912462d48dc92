import { primitive } from '../autograd/primitive.js';
import { ValueError } from '../errors.js';
import { K, type Conv2dGeometry } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { poolGeometry } from './max-pool2d.js';
import { requireFloat, requireTensor } from './operands.js';
import type { AvgPool2dOptions } from './types.js';
import { checkOptions, defineOptions, unsupported } from '../options.js';

const AVG_POOL2D = defineOptions('avgPool2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  ceilMode: unsupported('ceilMode is not supported (only the default, false: output sizes round down)', false),
  countIncludePad: unsupported('countIncludePad: false is not supported (zero padding always counts in the divisor)', true),
  divisorOverride: unsupported('divisorOverride is not supported (the divisor is the kernel area)', null),
});

interface AvgPoolCtx {
  kernel: [number, number];
  geom: Conv2dGeometry;
  inShape: number[];
}

const avgPool2dPrimitive: (x: Tensor, kernel: [number, number], geom: Conv2dGeometry) => Tensor = primitive('avgPool2d', {
  forward: (x: Tensor, kernel: [number, number], geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().avgPool2d(x.nd, kernel, geom), x.dtype),
    ctx: { kernel, geom, inShape: x.shape } as AvgPoolCtx,
  }),
  backward: (g, _s, { kernel, geom, inShape }) => [avgPool2dBackward(g, inShape, kernel, geom)],
});

/** The adjoint of avgPool2d: each output gradient spread evenly over its window. Linear in g. */
const avgPool2dBackward: (g: Tensor, inShape: number[], kernel: [number, number], geom: Conv2dGeometry) => Tensor = primitive('avgPool2dBackward', {
  forward: (g: Tensor, inShape: number[], kernel: [number, number], geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().avgPool2dBackward(g.nd, inShape, kernel, geom), g.dtype),
    ctx: { kernel, geom, inShape } as AvgPoolCtx,
  }),
  // The adjoint of the adjoint is average pooling itself.
  backward: (gg, _s, { kernel, geom }) => [avgPool2dPrimitive(gg, kernel, geom)],
});

/**
 * 2-D average pooling: `out[n, c, i, j] = (1 / (kH kW)) sum_{p < kH, q < kW} x[n, c, i*sH - pH + p, j*sW - pW + q]`,
 * zero padding counted in the divisor (PyTorch's default `count_include_pad=True`).
 *
 * x - input, shape [N, C, H, W] (or unbatched [C, H, W]); returns [N, C, Ho, Wo] (or [C, Ho, Wo]),
 * `Ho = floor((H + 2 pH - kH) / sH) + 1`, likewise Wo.
 * Options: `stride` (default: the kernel size), `padding` (0, at most half the kernel).
 * `dilation` must be 1 (as PyTorch's `avg_pool2d`, which has none). PyTorch's `ceilMode`,
 * `countIncludePad` and `divisorOverride` are accepted at their defaults (false, true, null) only.
 *
 * @throws ValueError `avgPool2d: padding [2,2] must be at most half the kernel size [3,3], x.shape=[1,1,5,5]`
 * @throws ValueError for a kernel or stride < 1, a padding < 0, or a dilation other than 1
 * @throws ValueError `avgPool2d: countIncludePad: false is not supported (zero padding always counts in the divisor)`
 * @throws ShapeError for an input that is not 3-D or 4-D, or an output smaller than 1x1
 * @throws DTypeError for integer or bool inputs
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * avgPool2d(x, 2).toArray();                  // [[[[2.5]]]]
 * avgPool2d(randn([8, 3, 32, 32]), 2).shape;  // [8, 3, 16, 16]
 */
export function avgPool2d(x: Tensor, kernelSize: number | [number, number], opts: AvgPool2dOptions = {}): Tensor {
  requireTensor('avgPool2d', 'x', x);
  checkOptions(AVG_POOL2D, opts);
  const { kernel, geom } = poolGeometry('avgPool2d', x, kernelSize, opts);
  if (geom.dilation[0] !== 1 || geom.dilation[1] !== 1)
    throw new ValueError(`avgPool2d: dilation must be 1 (average pooling has no dilation), got ${JSON.stringify(opts.dilation)}`);
  requireFloat('avgPool2d', x);
  const out = avgPool2dPrimitive(x.ndim === 3 ? x.reshape([1, ...x.shape]) : x, kernel, geom);
  return x.ndim === 3 ? out.reshape(out.shape.slice(1)) : out;
}
