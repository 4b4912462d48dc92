import {
  Tensor, ShapeError, ValueError, cat, conv2d as coreConv2d, convTranspose2d as coreConvTranspose2d, fmtShape, full, tensor,
  checkOptions, defineOptions, type ConvTranspose2dOptions as CoreConvTranspose2dOptions,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';

const SIZE2 = 'integer|integer[]';
const PAD = defineOptions('pad', { mode: "'constant'|'reflect'|'replicate'|'circular'", value: 'number|null' });
const CONV_TRANSPOSE2D = defineOptions('convTranspose2d', {
  stride: SIZE2, padding: SIZE2, outputPadding: SIZE2, dilation: SIZE2, groups: 'integer',
});
const CONV_TRANSPOSE1D = defineOptions('convTranspose1d', {
  stride: SIZE2, padding: SIZE2, outputPadding: SIZE2, dilation: SIZE2, groups: 'integer',
});
const CONV1D = defineOptions('conv1d', {
  stride: SIZE2, padding: "integer|integer[]|'valid'|'same'", dilation: SIZE2, groups: 'integer',
});

/**
 * The padding modes of {@link pad}.
 *
 * @example
 * const mode: F.PadMode = 'replicate';
 * F.pad(tensor([1, 2]), [0, 2], { mode }).toArray(); // [1, 2, 2, 2]
 */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Options of {@link pad}.
 *
 * @example
 * const opts: F.PadOptions = { mode: 'constant', value: 1 };
 * F.pad(zeros([2]), [1, 1], opts).toArray(); // [1, 0, 0, 1]
 */
export interface PadOptions {
  /** `'constant'` (default), `'reflect'` (mirror without the edge), `'replicate'` (repeat the edge) or `'circular'` (wrap around). */
  mode?: PadMode;
  /** The fill value of `'constant'` padding (default 0). */
  value?: number | null;
}

/**
 * Pads (or, with negative amounts, crops) the trailing dims of a tensor (PyTorch's `F.pad`).
 * `padding` lists `[left, right]` pairs from the last dim backwards:
 * `[l_last, r_last, l_second_last, r_second_last, ...]`.
 *
 * Modes: `'constant'` fills with `value`; `'reflect'` mirrors about the edge element
 * (`[1, 2, 3]` padded by 2 on the left gives `[3, 2, 1, 2, 3]`); `'replicate'` repeats the edge;
 * `'circular'` wraps around (what is left after cropping, as PyTorch). Differentiable in the input.
 *
 * @param x - any shape [*, D_1, ..., D_k] with k = padding.length / 2
 * @param padding - an even number of integers, at most 2 * x.ndim
 * @returns [*, D_1 + l_1 + r_1, ..., D_k + l_k + r_k]
 * @throws ValueError for an odd or too long padding, a reflect padding not below the dim size,
 *   a circular padding above it, or an output dim below 0
 * @example
 * F.pad(tensor([1, 2, 3]), [2, 1], { mode: 'reflect' }).toArray();    // [3, 2, 1, 2, 3, 2]
 * F.pad(tensor([1, 2, 3]), [1, 2], { mode: 'replicate' }).toArray();  // [1, 1, 2, 3, 3, 3]
 * F.pad(tensor([1, 2, 3]), [1, -1], { mode: 'circular' }).toArray();  // [2, 1, 2]
 * F.pad(ones([1, 2, 2]), [1, 1, 0, 1]).shape;                         // [1, 3, 4]
 */
export function pad(x: Tensor, padding: readonly number[], opts?: PadOptions): Tensor {
  opts = checkOptions(PAD, opts);
  requireTensor('pad', 'input', x);
  const mode = opts.mode ?? 'constant';
  if (!Array.isArray(padding) || padding.length % 2 !== 0 || padding.some((p) => !Number.isInteger(p)))
    throw new ValueError(`pad: padding must be an even number of integers, got ${JSON.stringify(padding)}`);
  if (padding.length / 2 > x.ndim)
    throw new ValueError(`pad: padding ${JSON.stringify(padding)} pads ${padding.length / 2} dims but input.shape=${fmtShape(x.shape)} has ${x.ndim}`);
  if (mode !== 'constant' && opts.value != null && opts.value !== 0)
    throw new ValueError(`pad: value is only used by mode 'constant', got value=${opts.value} with mode '${mode}'`);
  let y = x;
  for (let k = 0; k < padding.length / 2; k++) {
    const dim = x.ndim - 1 - k;
    const lo = padding[2 * k]!, hi = padding[2 * k + 1]!;
    const L = x.shape[dim]!;
    if (L + lo + hi < 0)
      throw new ValueError(`pad: padding ${JSON.stringify(padding)} makes dim ${dim} of input.shape=${fmtShape(x.shape)} negative (${L + lo + hi})`);
    if (lo === 0 && hi === 0) continue;
    if (mode === 'constant') y = padConstant(y, dim, lo, hi, opts.value ?? 0);
    else if (mode === 'circular' && (lo < 0 || hi < 0)) {
      // PyTorch crops first and wraps around what is left.
      const start = Math.max(-lo, 0);
      y = y.narrow(dim, start, L - start - Math.max(-hi, 0));
      y = padIndexed(y, dim, Math.max(lo, 0), Math.max(hi, 0), mode, padding);
    } else y = padIndexed(y, dim, lo, hi, mode, padding);
  }
  return y;
}

function padConstant(x: Tensor, dim: number, lo: number, hi: number, value: number): Tensor {
  const L = x.shape[dim]!;
  // Crop first (negative amounts), then add the filled borders.
  const start = Math.max(-lo, 0);
  let y = lo < 0 || hi < 0 ? x.narrow(dim, start, Math.max(L - start - Math.max(-hi, 0), 0)) : x;
  const border = (n: number) => full(y.shape.map((d, i) => (i === dim ? n : d)), value, { dtype: y.dtype });
  const parts = [...(lo > 0 ? [border(lo)] : []), y, ...(hi > 0 ? [border(hi)] : [])];
  if (parts.length > 1) y = cat(parts, dim);
  return y;
}

function padIndexed(x: Tensor, dim: number, lo: number, hi: number, mode: Exclude<PadMode, 'constant'>, padding: readonly number[]): Tensor {
  const L = x.shape[dim]!;
  const worst = Math.max(lo, hi);
  if (mode === 'reflect' && worst >= L)
    throw new ValueError(`pad: reflect padding ${JSON.stringify(padding)} must be below the size ${L} of dim ${dim} (input.shape=${fmtShape(x.shape)})`);
  if (mode === 'circular' && worst > L)
    throw new ValueError(`pad: circular padding ${JSON.stringify(padding)} must be at most the size ${L} of dim ${dim} (input.shape=${fmtShape(x.shape)})`);
  if (mode === 'replicate' && L === 0 && worst > 0)
    throw new ValueError(`pad: cannot replicate-pad the empty dim ${dim} of input.shape=${fmtShape(x.shape)}`);
  const idx: number[] = [];
  for (let i = 0; i < L + lo + hi; i++) {
    const j = i - lo;
    if (j >= 0 && j < L) idx.push(j);
    else if (mode === 'reflect') idx.push(j < 0 ? -j : 2 * (L - 1) - j);
    else if (mode === 'replicate') idx.push(j < 0 ? 0 : L - 1);
    else idx.push(((j % L) + L) % L);
  }
  return x.indexSelect(dim, tensor(idx, { dtype: 'int32' }));
}

/**
 * Options of {@link convTranspose2d}: core's (each size a number or `[height, width]`).
 *
 * @example
 * const opts: F.ConvTranspose2dOptions = { stride: 2, padding: 1, outputPadding: 1 };
 * F.convTranspose2d(randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), null, opts).shape; // [1, 2, 10, 10]
 */
export type ConvTranspose2dOptions = CoreConvTranspose2dOptions;

function pairOf(op: string, name: string, v: number | readonly number[], min: number, n = 2): number[] {
  const p = typeof v === 'number' ? Array<number>(n).fill(v) : [...v];
  if (p.length !== n || p.some((k) => !Number.isInteger(k) || k < min))
    throw new ValueError(`${op}: ${name} must be ${n === 2 ? 'an integer or two' : 'an integer or one'} integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

/**
 * 2-D transposed convolution (PyTorch's `F.conv_transpose2d`), the gradient of `conv2d` with
 * respect to its input: each input pixel scatters `x[n, c, i, j] * weight[c, o]` into the output
 * at `(i sH - pH + p dH, j sW - pW + q dW)`.
 *
 * Core's `convTranspose2d` (conv2d's input-gradient kernel, no zero-stuffed copy of the input),
 * so every gradient (of any order) comes from core's conv2d rules.
 *
 * @param x - input, shape [N, C_in, H_in, W_in] (or unbatched [C_in, H_in, W_in])
 * @param weight - shape [C_in, C_out / groups, kH, kW]
 * @param bias - shape [C_out], optional
 * @returns [N, C_out, H_out, W_out] with
 *   `H_out = (H_in - 1) sH - 2 pH + dH (kH - 1) + outputPadding[0] + 1` (W alike)
 * @throws ShapeError for a weight that is not 4-D or does not match C_in, a bias not [C_out], or an empty output
 * @throws ValueError for bad sizes, or an outputPadding not below max(stride, dilation)
 * @example
 * F.convTranspose2d(randn([1, 3, 4, 4]), randn([3, 8, 2, 2]), null, { stride: 2 }).shape; // [1, 8, 8, 8]
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTranspose2dOptions): Tensor {
  opts = checkOptions(CONV_TRANSPOSE2D, opts);
  return convTransposeNd('convTranspose2d', 2, x, weight, bias, opts);
}

function convTransposeNd(op: string, nd: 1 | 2, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvTranspose2dOptions): Tensor {
  requireTensor(op, 'input', x);
  requireTensor(op, 'weight', weight);
  if (bias != null) requireTensor(op, 'bias', bias);
  const shapes = `input.shape=${fmtShape(x.shape)}, weight.shape=${fmtShape(weight.shape)}`;
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2)
    throw new ShapeError(`${op}: expected a ${nd + 1}-D or ${nd + 2}-D input, got ${shapes}`);
  if (weight.ndim !== nd + 2) throw new ShapeError(`${op}: expected a ${nd + 2}-D weight [C_in, C_out/groups, k...], got ${shapes}`);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be an integer >= 1, got ${groups}`);
  const stride = pairOf(op, 'stride', opts.stride ?? 1, 1, nd);
  const padding = pairOf(op, 'padding', opts.padding ?? 0, 0, nd);
  const outputPadding = pairOf(op, 'outputPadding', opts.outputPadding ?? 0, 0, nd);
  const dilation = pairOf(op, 'dilation', opts.dilation ?? 1, 1, nd);
  for (let i = 0; i < nd; i++)
    if (outputPadding[i]! >= Math.max(stride[i]!, dilation[i]!))
      throw new ValueError(
        `${op}: outputPadding ${JSON.stringify(outputPadding)} must be smaller than either stride ${JSON.stringify(stride)} or dilation ${JSON.stringify(dilation)}`,
      );
  const batched = x.ndim === nd + 2;
  let xb = batched ? x : x.unsqueeze(0);
  let w = weight;
  if (nd === 1) {
    xb = xb.unsqueeze(2);
    w = w.unsqueeze(2);
    stride.unshift(1); padding.unshift(0); outputPadding.unshift(0); dilation.unshift(1);
  }
  const [, C] = xb.shape as [number, number];
  const [Cw, Og, kH, kW] = w.shape as [number, number, number, number];
  if (C !== Cw) throw new ShapeError(`${op}: input has ${C} channels but weight has ${Cw} (weight is [C_in, C_out/groups, k...]), ${shapes}`);
  if (C % groups !== 0) throw new ShapeError(`${op}: ${C} input channels are not divisible by groups=${groups}, ${shapes}`);
  const O = Og * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    throw new ShapeError(`${op}: bias must have shape [${O}] (one per output channel), got bias.shape=${fmtShape(bias.shape)}, ${shapes}`);
  const k = [kH, kW];
  const outSize = [0, 1].map((i) => (xb.shape[2 + i]! - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (k[i]! - 1) + outputPadding[i]! + 1);
  if (outSize.some((s) => s < 1))
    throw new ShapeError(`${op}: output size ${fmtShape(nd === 1 ? outSize.slice(1) : outSize)} is too small, ${shapes}`);
  let y = coreConvTranspose2d(xb, w, bias ?? null, {
    stride: [stride[0]!, stride[1]!], padding: [padding[0]!, padding[1]!],
    outputPadding: [outputPadding[0]!, outputPadding[1]!], dilation: [dilation[0]!, dilation[1]!], groups,
  });
  if (nd === 1) y = y.squeeze(2);
  return batched ? y : y.squeeze(0);
}

/**
 * Options of {@link convTranspose1d}: as {@link ConvTranspose2dOptions}, each size a number.
 *
 * @example
 * const opts: F.ConvTranspose1dOptions = { stride: 2 };
 * F.convTranspose1d(randn([1, 4, 5]), randn([4, 2, 3]), null, opts).shape; // [1, 2, 11]
 */
export interface ConvTranspose1dOptions {
  /** The stride of the convolution this one transposes (default 1). */
  stride?: number | readonly number[];
  /** `dilation * (kernelSize - 1) - padding` zeros are added on each side of the input (default 0). */
  padding?: number | readonly number[];
  /** Extra size added at the end of the output, below max(stride, dilation) (default 0). */
  outputPadding?: number | readonly number[];
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

/**
 * 1-D transposed convolution (PyTorch's `F.conv_transpose1d`), {@link convTranspose2d} over a
 * size-1 height.
 *
 * @param x - input, shape [N, C_in, L_in] (or unbatched [C_in, L_in])
 * @param weight - shape [C_in, C_out / groups, k]
 * @param bias - shape [C_out], optional
 * @returns [N, C_out, L_out], `L_out = (L_in - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1`
 * @throws ShapeError and ValueError as {@link convTranspose2d}
 * @example
 * F.convTranspose1d(randn([2, 3, 6]), randn([3, 5, 3])).shape; // [2, 5, 8]
 */
export function convTranspose1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTranspose1dOptions): Tensor {
  opts = checkOptions(CONV_TRANSPOSE1D, opts);
  return convTransposeNd('convTranspose1d', 1, x, weight, bias, opts);
}

/**
 * Options of {@link conv1d}.
 *
 * @example
 * const opts: F.Conv1dOptions = { padding: 'same' };
 * F.conv1d(randn([1, 2, 7]), randn([4, 2, 3]), null, opts).shape; // [1, 4, 7]
 */
export interface Conv1dOptions {
  /** Step of the window (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on each side (default 0); `'valid'` is 0, `'same'` keeps the length (stride 1 only). */
  padding?: number | readonly number[] | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

/**
 * 1-D convolution (cross-correlation, PyTorch's `F.conv1d`):
 * `out[n, o, i] = b[o] + sum_{c, p} x[n, g*C/groups + c, i s + p d - pad] * w[o, c, p]`,
 * computed as a 2-D convolution over a size-1 height.
 *
 * @param x - input, shape [N, C_in, L] (or unbatched [C_in, L])
 * @param weight - shape [C_out, C_in / groups, k]
 * @param bias - shape [C_out], optional
 * @returns [N, C_out, L_out], `L_out = floor((L + 2 pad - d (k - 1) - 1) / s) + 1`; with `'same'`
 *   L_out = L (an odd total padding puts the extra zero at the end, as PyTorch)
 * @throws ShapeError for a weight that is not 3-D or an input that is not 2-D/3-D (and as core's conv2d)
 * @throws ValueError for bad sizes, or `'same'` with a stride above 1
 * @example
 * F.conv1d(randn([2, 3, 10]), randn([6, 3, 3]), null, { stride: 2 }).shape; // [2, 6, 4]
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: Conv1dOptions): Tensor {
  opts = checkOptions(CONV1D, opts);
  const op = 'conv1d';
  requireTensor(op, 'input', x);
  requireTensor(op, 'weight', weight);
  if (bias != null) requireTensor(op, 'bias', bias);
  const shapes = `input.shape=${fmtShape(x.shape)}, weight.shape=${fmtShape(weight.shape)}`;
  if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${op}: expected a 2-D [C, L] or 3-D [N, C, L] input, got ${shapes}`);
  if (weight.ndim !== 3) throw new ShapeError(`${op}: expected a 3-D weight [C_out, C_in/groups, k], got ${shapes}`);
  const stride = pairOf(op, 'stride', opts.stride ?? 1, 1, 1)[0]!;
  const dilation = pairOf(op, 'dilation', opts.dilation ?? 1, 1, 1)[0]!;
  let xb = x.unsqueeze(-2);
  let padding: number;
  if (opts.padding === 'valid') padding = 0;
  else if (opts.padding === 'same') {
    if (stride !== 1) throw new ValueError(`${op}: padding='same' needs stride 1, got stride=${stride}`);
    const total = dilation * (weight.shape[2]! - 1);
    padding = Math.floor(total / 2);
    if (total % 2) xb = pad(xb, [0, 1]);
  } else padding = pairOf(op, 'padding', opts.padding ?? 0, 0, 1)[0]!;
  const y = coreConv2d(xb, weight.unsqueeze(2), bias ?? null, {
    stride: [1, stride], padding: [0, padding], dilation: [1, dilation], groups: opts.groups ?? 1,
  });
  return y.squeeze(-2);
}
