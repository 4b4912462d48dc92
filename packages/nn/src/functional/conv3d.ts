import { ShapeError, ValueError, checkOptions, defineOptions, fmtShape, tensor, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { conv2d } from './layers.js';
import { pad } from './conv.js';

const CONV3D = defineOptions('conv3d', {
  stride: 'integer|integer[]', padding: "integer|integer[]|'valid'|'same'", dilation: 'integer|integer[]', groups: 'integer',
});

/**
 * Options of {@link conv3d}.
 *
 * @example
 * const opts: F.Conv3dOptions = { padding: 'same' };
 * F.conv3d(randn([1, 2, 4, 4, 4]), randn([3, 2, 3, 3, 3]), null, opts).shape; // [1, 3, 4, 4, 4]
 */
export interface Conv3dOptions {
  /** Step of the window, one number or [sD, sH, sW] (default 1). */
  stride?: number | number[];
  /** Zero padding on each side, one number or [pD, pH, pW] (default 0); `'valid'` is 0, `'same'` keeps the size (stride 1 only; an odd total pads one more at the end). */
  padding?: number | number[] | 'valid' | 'same';
  /** Spacing between kernel elements, one number or [dD, dH, dW] (default 1). */
  dilation?: number | number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

/** @internal */
export function tripleOf(op: string, name: string, v: number | readonly number[], min: number): [number, number, number] {
  const p = typeof v === 'number' ? [v, v, v] : [...v];
  if (p.length !== 3 || p.some((k) => !Number.isInteger(k) || k < min))
    throw new ValueError(`${op}: ${name} must be an integer or three integers >= ${min}, got ${JSON.stringify(v)}`);
  return p as [number, number, number];
}

/**
 * 3-D convolution (cross-correlation, PyTorch's `F.conv3d`):
 * `out[n, o, i, j, k] = b[o] + sum_{c,p,q,r} x[n, g*C/groups + c, i*sd + p*dd - pd, j*sh + q*dh - ph, k*sw + r*dw - pw] * w[o, c, p, q, r]`.
 * Computed as one 2-D convolution per kernel depth tap over the depth windows folded into the batch.
 *
 * @param x - input, shape [N, C_in, D, H, W] or [C_in, D, H, W]
 * @param weight - shape [C_out, C_in / groups, kD, kH, kW]
 * @param bias - shape [C_out], optional
 * @returns shape [N, C_out, D_out, H_out, W_out] with `D_out = floor((D + 2 pd - dd (kD - 1) - 1) / sd) + 1` (and so for H, W)
 * @throws ShapeError for bad ranks or channel counts; ValueError for bad stride/padding/dilation/groups or 'same' with stride > 1
 * @example
 * F.conv3d(randn([2, 3, 5, 6, 7]), randn([4, 3, 3, 3, 3]), null, { stride: 2 }).shape; // [2, 4, 2, 2, 3]
 */
export function conv3d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: Conv3dOptions): Tensor {
  opts = checkOptions(CONV3D, opts);
  const op = 'conv3d';
  requireTensor(op, 'input', x);
  requireTensor(op, 'weight', weight);
  if (bias != null) requireTensor(op, 'bias', bias);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`${op}: expected a 4-D or 5-D input, got input.shape=${fmtShape(x.shape)}`);
  if (weight.ndim !== 5) throw new ShapeError(`${op}: weight must be 5-D [C_out, C_in/groups, kD, kH, kW], got weight.shape=${fmtShape(weight.shape)}`);
  if (x.ndim === 4) return conv3d(x.unsqueeze(0), weight, bias, opts).squeeze(0);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  const [N, C, D, H, W] = x.shape as [number, number, number, number, number];
  const [O, Cg, kD, kH, kW] = weight.shape as [number, number, number, number, number];
  if (Cg * groups !== C || O % groups)
    throw new ShapeError(`${op}: input.shape=${fmtShape(x.shape)} and weight.shape=${fmtShape(weight.shape)} do not fit groups=${groups} (C_in ${C} != ${Cg} * ${groups}, or C_out ${O} not divisible)`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    throw new ShapeError(`${op}: bias.shape=${fmtShape(bias.shape)} does not match weight.shape=${fmtShape(weight.shape)} (expected [${O}])`);
  if (kD < 1 || kH < 1 || kW < 1) throw new ShapeError(`${op}: weight.shape=${fmtShape(weight.shape)} has an empty kernel`);
  const stride = tripleOf(op, 'stride', opts.stride ?? 1, 1);
  const dilation = tripleOf(op, 'dilation', opts.dilation ?? 1, 1);
  const k = [kD, kH, kW];
  let pads: [number, number][];
  const padding = opts.padding ?? 0;
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ValueError(`${op}: padding='same' needs stride 1, got stride=${JSON.stringify(stride)}`);
    pads = k.map((kk, i) => {
      const total = dilation[i]! * (kk - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  } else {
    const p = padding === 'valid' ? [0, 0, 0] : tripleOf(op, 'padding', padding, 0);
    pads = p.map((v) => [v, v]);
  }
  const xp = pads.some(([l, r]) => l || r) ? pad(x, [...pads[2]!, ...pads[1]!, ...pads[0]!]) : x;
  const Dp = D + pads[0]![0] + pads[0]![1];
  const Do = Math.floor((Dp - dilation[0] * (kD - 1) - 1) / stride[0]) + 1;
  const Hs = [H + pads[1]![0] + pads[1]![1] - dilation[1] * (kH - 1), W + pads[2]![0] + pads[2]![1] - dilation[2] * (kW - 1)];
  if (Do < 1 || Hs.some((s) => s < 1))
    throw new ShapeError(`${op}: input.shape=${fmtShape(x.shape)} (padded) is smaller than the dilated kernel ${fmtShape(weight.shape.slice(2))}`);
  let out: Tensor | null = null;
  for (let t = 0; t < kD; t++) {
    const idx = tensor(Array.from({ length: Do }, (_, o) => o * stride[0] + t * dilation[0]), { dtype: 'int32' });
    // [N, C, Do, H', W'] -> [N * Do, C, H', W']: every output depth is a 2-D problem of its own.
    const slab = xp.indexSelect(2, idx).permute([0, 2, 1, 3, 4]);
    const s2 = slab.reshape([N * Do, C, slab.shape[3]!, slab.shape[4]!]);
    const y = conv2d(s2, weight.select(2, t), null, { stride: [stride[1], stride[2]], dilation: [dilation[1], dilation[2]], groups });
    out = out ? out.add(y) : y;
  }
  const y = out!.reshape([N, Do, O, out!.shape[2]!, out!.shape[3]!]).permute([0, 2, 1, 3, 4]);
  return bias ? y.add(bias.reshape([O, 1, 1, 1])) : y;
}
