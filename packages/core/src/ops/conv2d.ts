import { primitive } from '../autograd/primitive.js';
import { isFloating, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { K, type Conv2dGeometry } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import type { Conv2dOptions } from './types.js';
import { checkOptions, defineOptions, describeValue } from '../options.js';
import { requireTensor } from './operands.js';

const CONV2D = defineOptions('conv2d', {
  stride: 'integer|integer[]',
  padding: 'integer|integer[]',
  dilation: 'integer|integer[]',
  groups: 'integer',
});

/**
 * A size option as a `[height, width]` pair, checked to be integers `>= min`. @internal
 *
 * @throws ValueError `conv2d: stride must be integers >= 1, got [0,1]`
 */
export function convPair(op: string, name: string, v: number | readonly number[], min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < min))
    throw new ValueError(`${op}: ${name} must be ${typeof v === 'number' ? 'an integer' : 'two integers'} >= ${min}, got ${JSON.stringify(v)}`);
  return p as [number, number];
}

/** Output size along one axis: `floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1`. @internal */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

const conv2dPrimitive: (x: Tensor, w: Tensor, geom: Conv2dGeometry) => Tensor = primitive('conv2d', {
  forward: (x: Tensor, w: Tensor, geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().conv2d(x.nd, w.nd, geom), x.dtype),
    saved: [x, w],
    ctx: geom,
  }),
  // out is bilinear in (x, w): each gradient is the adjoint map of one argument applied to g.
  backward: (g, [x, w], geom, [needX, needW]) => [
    needX ? conv2dBackwardInput(g, w!, x!.shape, geom) : null,
    needW ? conv2dBackwardWeight(x!, g, w!.shape, geom) : null,
  ],
});

/** conv2d with a bias `[O]` added per output channel inside the kernel (no separate add). */
const conv2dBiasPrimitive: (x: Tensor, w: Tensor, b: Tensor, geom: Conv2dGeometry) => Tensor = primitive('conv2dBias', {
  forward: (x: Tensor, w: Tensor, b: Tensor, geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().conv2d(x.nd, w.nd, geom, b.nd), x.dtype),
    saved: [x, w],
    ctx: geom,
  }),
  backward: (g, [x, w], geom, [needX, needW, needB]) => [
    needX ? conv2dBackwardInput(g, w!, x!.shape, geom) : null,
    needW ? conv2dBackwardWeight(x!, g, w!.shape, geom) : null,
    needB ? g.sum([0, 2, 3]) : null,
  ],
});

/** `dx = conv2d_x^T(grad; w)`, a transposed convolution (behind convTranspose2d). Bilinear in (grad, w). @internal */
export const conv2dBackwardInput: (grad: Tensor, w: Tensor, inputShape: number[], geom: Conv2dGeometry) => Tensor = primitive('conv2dBackwardInput', {
  forward: (grad: Tensor, w: Tensor, inputShape: number[], geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().conv2dBackwardInput(grad.nd, w.nd, inputShape, geom), grad.dtype),
    saved: [grad, w],
    ctx: geom,
  }),
  // <gg, dx(grad, w)> = <conv2d(gg, w), grad> = <dw(gg, grad), w>: the adjoints are a forward
  // convolution (for grad) and the weight gradient with gg in the input's place (for w).
  backward: (gg, [grad, w], geom, [needGrad, needW]) => [
    needGrad ? conv2dPrimitive(gg, w!, geom) : null,
    needW ? conv2dBackwardWeight(gg, grad!, w!.shape, geom) : null,
  ],
});

/** `dw = conv2d_w^T(grad; x)`, correlating the input with the output gradient. Bilinear in (x, grad). */
const conv2dBackwardWeight: (x: Tensor, grad: Tensor, weightShape: number[], geom: Conv2dGeometry) => Tensor = primitive('conv2dBackwardWeight', {
  forward: (x: Tensor, grad: Tensor, weightShape: number[], geom: Conv2dGeometry) => ({
    out: Tensor.fromView(K().conv2dBackwardWeight(x.nd, grad.nd, weightShape, geom), x.dtype),
    saved: [x, grad],
    ctx: geom,
  }),
  // <gw, dw(x, grad)> = <dx(grad, gw), x> = <conv2d(x, gw), grad>.
  backward: (gw, [x, grad], geom, [needX, needGrad]) => [
    needX ? conv2dBackwardInput(grad!, gw, x!.shape, geom) : null,
    needGrad ? conv2dPrimitive(x!, gw, geom) : null,
  ],
});

/**
 * 2-D convolution (cross-correlation, as in PyTorch):
 * `out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q] * x[n, g(o) * C/groups + c, i*sH - pH + p*dH, j*sW - pW + q*dW]`
 * with zero padding, where `g(o)` is the group of output channel `o`.
 *
 * x - input, shape [N, C, H, W] (or unbatched [C, H, W]); weight - shape [O, C/groups, kH, kW];
 * bias - shape [O] or null; returns [N, O, Ho, Wo] (or [O, Ho, Wo]) with
 * `Ho = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1`, likewise Wo.
 * Options: `stride` (default 1), `padding` (0), `dilation` (1), each a number or `[h, w]`; `groups` (1).
 * Float inputs only; float32 and float64 mixed compute in float64.
 *
 * @throws ShapeError `conv2d: input has 3 channels but weight expects 6 (groups=1), x.shape=[1,3,5,5], weight.shape=[2,6,3,3]`
 * @throws ShapeError for a non-4-D weight, a 1-D/2-D/5-D input, channels not divisible by groups,
 *   a bias not of shape [O], or an output smaller than 1x1
 * @throws ValueError for a stride or dilation < 1, a padding < 0, or groups < 1
 * @throws DTypeError for integer or bool tensors
 * @example
 * const x = randn([8, 3, 32, 32]);
 * const w = randn([16, 3, 3, 3]);
 * conv2d(x, w, randn([16]), { padding: 1 }).shape;  // [8, 16, 32, 32]
 * conv2d(x, w, null, { stride: 2 }).shape;          // [8, 16, 15, 15]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  requireTensor('conv2d', 'x', x);
  requireTensor('conv2d', 'weight', weight);
  checkOptions(CONV2D, opts);
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor))
    throw new ValueError(`conv2d: bias must be a Tensor or null, got ${describeValue(bias)}; options come fourth: conv2d(x, weight, null, { stride })`);
  const shapes = `x.shape=${fmtShape(x.shape)}, weight.shape=${fmtShape(weight.shape)}`;
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new ShapeError(`conv2d: expected a 3-D [C,H,W] or 4-D [N,C,H,W] input, got ${shapes}`);
  if (weight.ndim !== 4) throw new ShapeError(`conv2d: expected a 4-D weight [O,C/groups,kH,kW], got ${shapes}`);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`conv2d: groups must be an integer >= 1, got ${groups}`);
  const geom: Conv2dGeometry = {
    stride: convPair('conv2d', 'stride', opts.stride ?? 1, 1),
    padding: convPair('conv2d', 'padding', opts.padding ?? 0, 0),
    dilation: convPair('conv2d', 'dilation', opts.dilation ?? 1, 1),
    groups,
  };
  const x4 = x.ndim === 3 ? x.reshape([1, ...x.shape]) : x;
  const [, C, H, W] = x4.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = weight.shape as [number, number, number, number];
  if (C !== Cg * groups)
    throw new ShapeError(`conv2d: input has ${C} channels but weight expects ${Cg * groups} (groups=${groups}), ${shapes}`);
  if (O % groups !== 0)
    throw new ShapeError(`conv2d: ${O} output channels are not divisible by groups=${groups}, ${shapes}`);
  const Ho = convOutputSize(H, kH, geom.stride[0], geom.padding[0], geom.dilation[0]);
  const Wo = convOutputSize(W, kW, geom.stride[1], geom.padding[1], geom.dilation[1]);
  if (Ho < 1 || Wo < 1)
    throw new ShapeError(
      `conv2d: output size [${Ho},${Wo}] is too small: input [${H},${W}], padding ${fmtShape(geom.padding)}, ` +
        `kernel [${kH},${kW}], dilation ${fmtShape(geom.dilation)}, stride ${fmtShape(geom.stride)}; ${shapes}`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    throw new ShapeError(`conv2d: bias must have shape [${O}] (one per output channel), got bias.shape=${fmtShape(bias.shape)}, ${shapes}`);
  const operands = bias ? [x4, weight, bias] : [x4, weight];
  const bad = operands.find((t) => !isFloating(t.dtype));
  if (bad)
    throw new DTypeError(
      `conv2d: expected floating point tensors, got x ${x.dtype}, weight ${weight.dtype}${bias ? `, bias ${bias.dtype}` : ''}`,
    );
  const dtype = operands.map((t) => t.dtype).reduce(promoteTypes);
  const out = bias
    ? conv2dBiasPrimitive(x4.to(dtype), weight.to(dtype), bias.to(dtype), geom)
    : conv2dPrimitive(x4.to(dtype), weight.to(dtype), geom);
  return x.ndim === 3 ? out.reshape(out.shape.slice(1)) : out;
}
