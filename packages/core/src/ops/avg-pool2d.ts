import { primitive } from '../autograd/primitive.js';
import { ValueError } from '../errors.js';
import { K, type Conv2dGeometry } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../creation.js';
import { padBottomRight, poolGeometry } from './max-pool2d.js';
import { requireFloat, requireTensor } from './operands.js';
import type { AvgPool2dOptions } from './types.js';
import { checkOptions, defineOptions } from '../options.js';
import { poolDivisors } from '../pool-windows.js';

const AVG_POOL2D = defineOptions('avgPool2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  ceilMode: 'boolean',
  countIncludePad: 'boolean',
  divisorOverride: 'integer|null',
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
 * The factor [Ho, Wo] that turns the kernels' means over `kH kW` into PyTorch's divisors, or
 * null where every divisor is `kH kW` (floor mode, padding counted, no override).
 */
function divisorScale(x: Tensor, kernel: [number, number], geom: Conv2dGeometry, out: [number, number], opts: AvgPool2dOptions): Tensor | null {
  const area = kernel[0] * kernel[1];
  const [H, W] = x.shape.slice(-2) as [number, number];
  if (opts.divisorOverride != null) return tensor(area / opts.divisorOverride, { dtype: x.dtype });
  const rows = poolDivisors(H, kernel[0], geom.stride[0], geom.padding[0], out[0]);
  const cols = poolDivisors(W, kernel[1], geom.stride[1], geom.padding[1], out[1]);
  const [dr, dc] = opts.countIncludePad === false ? [rows.count, cols.count] : [rows.size, cols.size];
  const scale = dr.flatMap((a) => dc.map((b) => area / (a * b)));
  return scale.every((v) => v === 1) ? null : tensor(scale, { dtype: x.dtype }).reshape(out);
}

/**
 * 2-D average pooling: `out[n, c, i, j] = (1 / (kH kW)) sum_{p < kH, q < kW} x[n, c, i*sH - pH + p, j*sW - pW + q]`,
 * zero padding counted in the divisor (PyTorch's default `count_include_pad=True`).
 *
 * x - input, shape [N, C, H, W] (or unbatched [C, H, W]); returns [N, C, Ho, Wo] (or [C, Ho, Wo]),
 * `Ho = floor((H + 2 pH - kH) / sH) + 1`, likewise Wo.
 * Options: `stride` (default: the kernel size), `padding` (0, at most half the kernel).
 * `dilation` must be 1 (as PyTorch's `avg_pool2d`, which has none). `ceilMode` (false; true rounds
 * Ho, Wo up as PyTorch's `ceil_mode`, dropping a last window that would start past the input and
 * its left padding), `countIncludePad` (true; false divides each window by the number of input
 * elements it covers) and `divisorOverride` (null; a non-zero integer divides every window by it)
 * follow PyTorch's divisor rules exactly: a ceil-mode window that hangs past the right padding is
 * divided by its size clipped to the input and padding even when padding counts.
 *
 * @throws ValueError `avgPool2d: padding [2,2] must be at most half the kernel size [3,3], x.shape=[1,1,5,5]`
 * @throws ValueError for a kernel or stride < 1, a padding < 0, a dilation other than 1, or `divisorOverride: 0`
 * @throws ShapeError for an input that is not 3-D or 4-D, or an output smaller than 1x1
 * @throws DTypeError for integer or bool inputs
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * avgPool2d(x, 2).toArray();                  // [[[[2.5]]]]
 * avgPool2d(randn([8, 3, 32, 32]), 2).shape;  // [8, 3, 16, 16]
 * avgPool2d(arange(9, { dtype: 'float32' }).reshape([1, 1, 3, 3]), 2, { ceilMode: true }).toArray(); // [[[[2, 3.5], [6.5, 8]]]]
 * avgPool2d(ones([1, 1, 3, 3]), 3, { padding: 1, countIncludePad: false }).toArray(); // [[[[1]]]]
 */
export function avgPool2d(x: Tensor, kernelSize: number | [number, number], opts: AvgPool2dOptions = {}): Tensor {
  requireTensor('avgPool2d', 'x', x);
  checkOptions(AVG_POOL2D, opts);
  if (opts.divisorOverride === 0) throw new ValueError('avgPool2d: divisorOverride must not be 0, got 0');
  const { kernel, geom, extra } = poolGeometry('avgPool2d', x, kernelSize, opts);
  if (geom.dilation[0] !== 1 || geom.dilation[1] !== 1)
    throw new ValueError(`avgPool2d: dilation must be 1 (average pooling has no dilation), got ${JSON.stringify(opts.dilation)}`);
  requireFloat('avgPool2d', x);
  let x4 = x.ndim === 3 ? x.reshape([1, ...x.shape]) : x;
  // ceil mode's windows past the right padding cover zeros: they add nothing to the sums
  if (extra[0] || extra[1]) x4 = padBottomRight(x4, extra[0], extra[1], 0);
  let out = avgPool2dPrimitive(x4, kernel, geom);
  const scale = divisorScale(x, kernel, geom, out.shape.slice(2) as [number, number], opts);
  if (scale) out = out.mul(scale);
  return x.ndim === 3 ? out.reshape(out.shape.slice(1)) : out;
}
