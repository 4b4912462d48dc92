import { noGrad } from '../autograd/grad-mode.js';
import { primitive } from '../autograd/primitive.js';
import { full, tensor, zeros } from '../creation.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { K, type Conv2dGeometry } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { convPair } from './conv2d.js';
import { gatherPrimitive } from './gather.js';
import { scatterAddPrimitive } from './scatter-add.js';
import { where } from './where.js';
import type { MaxPool2dOptions, Pool2dOptions } from './types.js';
import { checkOptions, defineOptions } from '../options.js';
import { requireTensor } from './operands.js';
import { poolFirstPositions, poolOutputSize } from '../pool-windows.js';

const MAX_POOL2D = defineOptions('maxPool2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  ceilMode: 'boolean',
  returnIndices: 'boolean',
});


/** The checked geometry of a pooling op on a 4-D shape. @internal */
export function poolGeometry(
  op: string, x: Tensor, kernelSize: number | [number, number], opts: Pool2dOptions,
): { kernel: [number, number]; geom: Conv2dGeometry; extra: [number, number]; out: [number, number] } {
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
  const ceil = opts.ceilMode === true;
  const Ho = poolOutputSize(H, kernel[0], geom.stride[0], pH, geom.dilation[0], ceil);
  const Wo = poolOutputSize(W, kernel[1], geom.stride[1], pW, geom.dilation[1], ceil);
  if (Ho < 1 || Wo < 1)
    throw new ShapeError(
      `${op}: output size [${Ho},${Wo}] is too small: input [${H},${W}], kernel ${fmtShape(kernel)}, ` +
        `stride ${fmtShape(geom.stride)}, padding ${fmtShape(geom.padding)}, dilation ${fmtShape(geom.dilation)}`,
    );
  if (x.dtype === 'bool') throw new DTypeError(`${op}: bool tensors are not supported (x.shape=${fmtShape(x.shape)})`);
  // Rows and columns past the right padding that ceil mode's last window reaches: the kernels
  // (floor mode) see them as extra input appended below and to the right.
  const beyond = (n: number, o: number, i: 0 | 1) =>
    Math.max(0, (o - 1) * geom.stride[i] + geom.dilation[i] * (kernel[i] - 1) + 1 - (n + 2 * geom.padding[i]));
  return { kernel, geom, extra: [beyond(H, Ho, 0), beyond(W, Wo, 1)], out: [Ho, Wo] };
}

/** `x` [N, C, H, W] with `rows` rows below and `cols` columns to the right filled with `value`. @internal */
export function padBottomRight(x: Tensor, rows: number, cols: number, value: number): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const fill = (shape: number[]) => full(shape, value, { dtype: x.dtype });
  const wide = cols ? cat([x, fill([N, C, H, cols])], 3) : x;
  return rows ? cat([wide, fill([N, C, rows, W + cols])], 2) : wide;
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
 * Max pooling that also returns the argmax (flat `h * W + w` in x's planes). Ceil mode's extra
 * rows and columns are -Infinity (the int32 minimum for int32), which never wins: each window
 * with an input element reaches one before any extra one in window order. The values are gathered
 * from x at the indices, so the gradient (gather's: a scatter-add) is the same as the primitive's.
 * A window that sees only padding (possible with dilation) gives -Infinity and, as PyTorch, the
 * index of its first position at or past 0 (outside the plane); it gets no gradient.
 */
function maxPool2dWithIndices(x: Tensor, kernel: [number, number], geom: Conv2dGeometry, [rows, cols]: [number, number]): [Tensor, Tensor] {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const lowest = x.dtype === 'int32' ? -2147483648 : -Infinity;
  let indices = noGrad(() => {
    const xp = padBottomRight(x.detach(), rows, cols, lowest);
    const at = Tensor.fromView(K().maxPool2d(xp.nd, kernel, geom).argmax, 'int32');
    // a row of the padded plane is W + cols long: move each index back by cols per row above it
    return cols ? at.sub(at.floorDivide(W + cols).mul(cols)) : at;
  });
  const [Ho, Wo] = indices.shape.slice(2) as [number, number];
  const geo = (i: 0 | 1, n: number, out: number) =>
    poolFirstPositions(n, kernel[i], geom.stride[i], geom.padding[i], geom.dilation[i], out);
  const r = geo(0, H, Ho);
  const c = geo(1, W, Wo);
  const empty = r.inside.includes(false) || c.inside.includes(false);
  let seen: Tensor | null = null;
  if (empty) {
    seen = tensor(r.inside.flatMap((a) => c.inside.map((b) => a && b)), { dtype: 'bool' }).reshape([Ho, Wo]);
    const firstIndex = tensor(r.first.flatMap((h) => c.first.map((w) => h * W + w)), { dtype: 'int32' }).reshape([Ho, Wo]);
    indices = where(seen, indices, firstIndex);
  }
  const safe = seen ? where(seen, indices, 0) : indices;
  const values = gatherPrimitive(x.reshape([N, C, H * W]), 2, safe.reshape([N, C, Ho * Wo])).reshape([N, C, Ho, Wo]);
  return [seen ? where(seen, values, lowest) : values, indices];
}

/** True when some window of the geometry sees only padding (it needs {@link maxPool2dWithIndices}). */
function hasEmptyWindow(H: number, W: number, kernel: [number, number], geom: Conv2dGeometry, [Ho, Wo]: [number, number]): boolean {
  const empty = (i: 0 | 1, n: number, out: number) =>
    poolFirstPositions(n, kernel[i], geom.stride[i], geom.padding[i], geom.dilation[i], out).inside.includes(false);
  return empty(0, H, Ho) || empty(1, W, Wo);
}

/**
 * 2-D max pooling: `out[n, c, i, j] = max_{p < kH, q < kW} x[n, c, i*sH - pH + p*dH, j*sW - pW + q*dW]`,
 * padding never chosen. The gradient goes to the chosen element of each window (the first one
 * on ties); overlapping windows add up.
 *
 * x - input, shape [N, C, H, W] (or unbatched [C, H, W]); returns [N, C, Ho, Wo] (or [C, Ho, Wo]),
 * `Ho = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1`, likewise Wo.
 * Options: `stride` (default: the kernel size), `padding` (0, at most half the kernel), `dilation` (1),
 * `ceilMode` (false; true rounds Ho, Wo up as PyTorch's `ceil_mode`: windows may hang over the
 * bottom and right edges, but a last window that would start past the input and its left
 * padding is dropped), `returnIndices` (false; true returns `[values, indices]`: for each output
 * the flat index `h * W + w` of the chosen element in its (n, c) plane, as PyTorch's
 * `return_indices`, but int32 (tapegrad has no int64); {@link scatter} into zeros undoes it).
 *
 * @throws ValueError `maxPool2d: padding [2,2] must be at most half the kernel size [3,3], x.shape=[1,1,5,5]`
 * @throws ValueError for a kernel, stride or dilation < 1 or a padding < 0
 * @throws ShapeError for an input that is not 3-D or 4-D, or an output smaller than 1x1
 * @throws DTypeError for bool inputs
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * maxPool2d(x, 2).toArray();                    // [[[[4]]]]
 * maxPool2d(randn([8, 3, 32, 32]), 2).shape;    // [8, 3, 16, 16]
 * const [values, indices] = maxPool2d(arange(9, { dtype: 'float32' }).reshape([1, 1, 3, 3]), 2, { ceilMode: true, returnIndices: true });
 * values.toArray();   // [[[[4, 5], [7, 8]]]]
 * indices.toArray();  // [[[[4, 5], [7, 8]]]]
 */
export function maxPool2d(
  x: Tensor, kernelSize: number | [number, number], opts: MaxPool2dOptions<true> & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts?: MaxPool2dOptions): Tensor;
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts?: MaxPool2dOptions<boolean>): Tensor | [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], opts: MaxPool2dOptions<boolean> = {}): Tensor | [Tensor, Tensor] {
  requireTensor('maxPool2d', 'x', x);
  checkOptions(MAX_POOL2D, opts);
  const { kernel, geom, extra, out } = poolGeometry('maxPool2d', x, kernelSize, opts);
  const x4 = x.ndim === 3 ? x.reshape([1, ...x.shape]) : x;
  const unbatch = (t: Tensor) => (x.ndim === 3 ? t.reshape(t.shape.slice(1)) : t);
  const [H, W] = x.shape.slice(-2) as [number, number];
  if (!opts.returnIndices && !extra[0] && !extra[1] && !hasEmptyWindow(H, W, kernel, geom, out))
    return unbatch(maxPool2dPrimitive(x4, kernel, geom));
  const [values, indices] = maxPool2dWithIndices(x4, kernel, geom, extra);
  return opts.returnIndices ? [unbatch(values), unbatch(indices)] : unbatch(values);
}
