import { Tensor, ValueError, type Conv2dGeometry, type DType } from '@tapegrad/core';
import {
  BatchNorm1d, BatchNorm2d, ConvTranspose1d, ConvTranspose2d, Embedding, EmbeddingBag, Flatten, Heaviside, LayerNorm, Linear, MaxPool2d, MaxPool3d, MultiLabelMarginLoss,
  type AnyModule,
} from '@tapegrad/nn';
import type { GraphBuilder } from './graph.js';
import { elemTypeOf } from './proto.js';

/** Emits the ONNX nodes of one tapegrad primitive call (its arguments as the op passed them, its output). */
export type PrimitiveExporter = (b: GraphBuilder, args: readonly unknown[], out: Tensor) => void;

const t = (a: unknown) => a as Tensor;

const unary = (opType: string): PrimitiveExporter => (b, [x], out) => void b.node(opType, [b.in(t(x))], {}, out);
const binary = (opType: string): PrimitiveExporter => (b, [x, y], out) => void b.node(opType, [b.in(t(x)), b.in(t(y))], {}, out);

function convAttrs(kernel: readonly number[], g: Conv2dGeometry) {
  const [ph, pw] = g.padding;
  return { kernel_shape: [...kernel], strides: [...g.stride], pads: [ph, pw, ph, pw], dilations: [...g.dilation] };
}

/** ONNX's Reshape/Expand shape input for `target`, recorded so that dynamic axes can be fixed later. */
function shapeNode(b: GraphBuilder, kind: 'reshape' | 'expand', x: Tensor, target: number[], out: Tensor): void {
  const constName = b.ints(target);
  b.node(kind === 'reshape' ? 'Reshape' : 'Expand', [b.in(x), constName], {}, out);
  b.nodes[b.nodes.length - 1]!.shapeFix = { kind, constName, inShape: x.shape, target: [...target] };
}

/** x * 0.5 * (1 + erf(x / sqrt 2)), or its tanh approximation: ONNX has Gelu from opset 20 only. */
function gelu(b: GraphBuilder, x: Tensor, approximate: string, out: Tensor): void {
  const xs = b.in(x);
  const c = (v: number) => b.scalar(v, x.dtype);
  let inner: string;
  if (approximate === 'tanh') {
    const x3 = b.node('Mul', [b.node('Mul', [xs, xs])[0]!, xs])[0]!;
    const poly = b.node('Add', [xs, b.node('Mul', [x3, c(0.044715)])[0]!])[0]!;
    inner = b.node('Tanh', [b.node('Mul', [poly, c(Math.sqrt(2 / Math.PI))])[0]!])[0]!;
  } else inner = b.node('Erf', [b.node('Mul', [xs, c(Math.SQRT1_2)])[0]!])[0]!;
  const half = b.node('Mul', [xs, c(0.5)])[0]!;
  b.node('Mul', [half, b.node('Add', [inner, c(1)])[0]!], {}, out);
}

function reduce(opType: string): PrimitiveExporter {
  return (b, [x, dims, keepdim], out) => {
    const axes = dims as number[];
    const keep = keepdim ? 1 : 0;
    if (axes.length === 0) return void b.node('Identity', [b.in(t(x))], {}, out);
    // ReduceSum takes its axes as an input from opset 13, the others from opset 18.
    if (opType === 'ReduceSum') b.node(opType, [b.in(t(x)), b.ints(axes)], { keepdims: keep }, out);
    else b.node(opType, [b.in(t(x))], { axes: [...axes], keepdims: keep }, out);
  };
}

/** argmax/argmin: ONNX's ArgMax/ArgMin give int64, tapegrad int32; without a dim, over the flattened tensor. */
function argExtreme(opType: 'ArgMax' | 'ArgMin'): PrimitiveExporter {
  return (b, [, x, dim, keepdim], out) => {
    const xt = t(x);
    let src = b.in(xt);
    let axis = dim as number | undefined;
    if (axis === undefined) {
      src = b.node('Reshape', [src, b.ints([-1])])[0]!;
      axis = 0;
    }
    const idx = b.node(opType, [src], { axis, keepdims: keepdim && dim !== undefined ? 1 : 0 })[0]!;
    if (dim === undefined && keepdim) {
      const cast = b.node('Cast', [idx], { to: elemTypeOf('int32') })[0]!;
      b.node('Reshape', [cast, b.ints(xt.shape.map(() => 1))], {}, out);
    } else b.node('Cast', [idx], { to: elemTypeOf('int32') }, out);
  };
}

/** max(x, dim) / min(x, dim): the values (the indices are argmax's). */
const alongDim = (opType: string): PrimitiveExporter => (b, [x, , dim, keepdim], out) =>
  void b.node(opType, [b.in(t(x))], { axes: [dim as number], keepdims: keepdim ? 1 : 0 }, out);

/**
 * layerNorm(x, weight, bias, k, eps) over the last k dims: ONNX's LayerNormalization from opset 17,
 * below it the decomposition (x - mean) / sqrt(var + eps) * weight + bias with biased variance.
 */
function layerNormPrimitive(b: GraphBuilder, [x, weight, bias, k, eps]: readonly unknown[], out: Tensor): void {
  const xt = t(x);
  const n = k as number;
  const xs = b.in(xt);
  if (b.opset >= 17) {
    const shape = xt.shape.slice(xt.ndim - n);
    const scale = weight ? b.in(t(weight)) : b.constant(Tensor.fromData(new Float32Array(shape.reduce((p, q) => p * q, 1)).fill(1), shape, 'float32').to(xt.dtype));
    const inputs = [xs, scale];
    if (bias) inputs.push(b.in(t(bias)));
    return void b.node('LayerNormalization', inputs, { axis: -n, epsilon: { float: eps as number } }, out);
  }
  const axes = Array.from({ length: n }, (_, i) => i - n);
  const centred = b.node('Sub', [xs, b.node('ReduceMean', [xs], { axes, keepdims: 1 })[0]!])[0]!;
  const variance = b.node('ReduceMean', [b.node('Mul', [centred, centred])[0]!], { axes, keepdims: 1 })[0]!;
  const std = b.node('Sqrt', [b.node('Add', [variance, b.scalar(eps as number, xt.dtype)])[0]!])[0]!;
  let y = b.node('Div', [centred, std], {}, weight || bias ? null : out)[0]!;
  if (weight) y = b.node('Mul', [y, b.in(t(weight))], {}, bias ? null : out)[0]!;
  if (bias) b.node('Add', [y, b.in(t(bias))], {}, out);
}

/**
 * F.linear(x, weight [O, I], bias [O] | null), a composite: Gemm (transB) for 2-D x, else
 * MatMul(x, Transpose(weight)) and Add, as PyTorch's exporter writes it.
 */
function linearComposite(b: GraphBuilder, [x, weight, bias]: readonly unknown[], out: Tensor): void {
  const xt = t(x);
  const xs = b.in(xt), w = b.in(t(weight));
  const bs = bias instanceof Tensor ? b.in(bias) : null;
  if (xt.ndim === 2) return void b.node('Gemm', bs ? [xs, w, bs] : [xs, w], { transB: 1 }, out);
  const wT = b.node('Transpose', [w], { perm: [1, 0] })[0]!;
  const y = b.node('MatMul', [xs, wT], {}, bs ? null : out)[0]!;
  if (bs) b.node('Add', [y, bs], {}, out);
}

/**
 * resampleAlong(x, dim, { index [M, K], weights [M, K] }): out = sum over k of
 * weights[:, k] * Gather(x, index[:, k], axis dim), the weights broadcast along the dims after dim.
 */
function resampleAlongPrimitive(b: GraphBuilder, [x, dim, taps]: readonly unknown[], out: Tensor): void {
  const xt = t(x);
  const d = dim as number;
  const { index, weights } = taps as { index: Tensor; weights: Tensor };
  const [m, kTaps] = index.shape as [number, number];
  const idx = index.toArray() as number[][];
  const w = weights.to(xt.dtype).toArray() as number[][];
  const trailing = xt.ndim - d - 1;
  const xs = b.in(xt);
  let sum: string | null = null;
  for (let k = 0; k < kTaps; k++) {
    const gathered = b.node('Gather', [xs, b.ints(idx.map((row) => row[k]!))], { axis: d })[0]!;
    const col = Tensor.fromData(Float64Array.from(w, (row) => row[k]!), [m, ...new Array<number>(trailing).fill(1)], 'float64').to(xt.dtype);
    const last = k === kTaps - 1;
    const term: string = b.node('Mul', [gathered, b.constant(col)], {}, last && sum === null ? out : null)[0]!;
    sum = sum === null ? term : b.node('Add', [sum, term], {}, last ? out : null)[0]!;
  }
}

/**
 * scatterReduce(x, dim, index, src, reduce, includeSelf): ONNX's ScatterElements (src has index's
 * shape). A plain write ('assign') from opset 11; 'sum' and 'prod' as reduction add/mul from opset
 * 16; 'amax'/'amin' need opset 18 and 'mean' or includeSelf false have no ONNX form.
 */
function scatterReduce(b: GraphBuilder, [x, dim, index, src, reduce, includeSelf]: readonly unknown[], out: Tensor): void {
  const r = reduce as string;
  const reduction = r === 'assign' ? 'none' : r === 'sum' ? 'add' : r === 'prod' ? 'mul' : null;
  if (reduction === null || (r !== 'assign' && includeSelf === false))
    throw new ValueError(`exportOnnx: a scatter with reduce '${r}'${includeSelf === false ? ' and includeSelf false' : ''} has no ONNX form below opset 18, ${b.where()}`);
  if (reduction !== 'none' && b.opset < 16)
    throw new ValueError(`exportOnnx: a scatter with reduce '${r}' needs opset 16 (ScatterElements reduction), the export writes ${b.opset}, ${b.where()}`);
  const attrs: Record<string, number | string> = { axis: dim as number };
  if (reduction !== 'none') attrs.reduction = reduction;
  b.node('ScatterElements', [b.in(t(x)), b.in(t(index)), b.in(t(src))], attrs, out);
}

/**
 * conv2dBackwardInput(grad [N, O, Ho, Wo], w [O, C/g, kh, kw], inputShape, geometry): conv2d's
 * input gradient, which is ConvTranspose with conv2d's weight as is; output_padding restores the
 * rows and columns that conv2d's striding dropped (F.convTranspose2d, fold).
 */
function convBackwardInput(b: GraphBuilder, [grad, w, inputShape, g]: readonly unknown[], out: Tensor): void {
  const geom = g as Conv2dGeometry;
  const kernel = t(w).shape.slice(2);
  const gradShape = t(grad).shape;
  const outputPadding = [0, 1].map((i) => {
    const full = (gradShape[2 + i]! - 1) * geom.stride[i]! - 2 * geom.padding[i]! + geom.dilation[i]! * (kernel[i]! - 1) + 1;
    return (inputShape as number[])[2 + i]! - full;
  });
  const attrs = { ...convAttrs(kernel, geom), group: geom.groups, ...(outputPadding.some((p) => p !== 0) ? { output_padding: outputPadding } : {}) };
  b.node('ConvTranspose', [b.in(t(grad)), b.in(t(w))], attrs, out);
}

/** cumsum(x, dim, reverse): CumSum with its axis as a 0-d int32 input. */
function cumsum(b: GraphBuilder, [x, dim, reverse]: readonly unknown[], out: Tensor): void {
  const axis = b.constant(Tensor.fromData(Int32Array.of(dim as number), [], 'int32'));
  b.node('CumSum', [b.in(t(x)), axis], reverse ? { reverse: 1 } : {}, out);
}

/**
 * The ONNX form of each tapegrad primitive (and of the composites taken as one op). A primitive
 * missing here fails the export with its name and where it was called.
 */
export const PRIMITIVES: Record<string, PrimitiveExporter> = {
  relu: unary('Relu'),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  exp: unary('Exp'),
  log: unary('Log'),
  neg: unary('Neg'),
  sqrt: unary('Sqrt'),
  abs: unary('Abs'),
  reciprocal: unary('Reciprocal'),
  erf: unary('Erf'),
  sin: unary('Sin'),
  cos: unary('Cos'),
  floor: unary('Floor'),
  ceil: unary('Ceil'),
  sign: unary('Sign'),
  clone: unary('Identity'),
  log1p: (b, [x], out) => void b.node('Log', [b.node('Add', [b.in(t(x)), b.scalar(1, t(x).dtype)])[0]!], {}, out),
  rsqrt: (b, [x], out) => void b.node('Reciprocal', [b.node('Sqrt', [b.in(t(x))])[0]!], {}, out),
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  bmm: binary('MatMul'),
  matmul: binary('MatMul'),
  eq: binary('Equal'),
  ne: (b, [x, y], out) => void b.node('Not', [b.node('Equal', [b.in(t(x)), b.in(t(y))])[0]!], {}, out),
  lt: binary('Less'),
  le: binary('LessOrEqual'),
  gt: binary('Greater'),
  ge: binary('GreaterOrEqual'),
  logicalAnd: binary('And'),
  logicalOr: binary('Or'),
  logicalXor: binary('Xor'),
  pow: (b, [x, y], out) => void b.node('Pow', [b.in(t(x)), b.in(t(y))], {}, out),
  where: (b, [c, x, y], out) => void b.node('Where', [b.in(t(c)), b.in(t(x)), b.in(t(y))], {}, out),
  softmax: (b, [x, dim], out) => void b.node('Softmax', [b.in(t(x))], { axis: dim as number }, out),
  logSoftmax: (b, [x, dim], out) => void b.node('LogSoftmax', [b.in(t(x))], { axis: dim as number }, out),
  layerNorm: layerNormPrimitive,
  linear: linearComposite,
  resampleAlong: resampleAlongPrimitive,
  leakyRelu: (b, [x, slope], out) => void b.node('LeakyRelu', [b.in(t(x))], { alpha: { float: slope as number } }, out),
  elu: (b, [x, alpha], out) => void b.node('Elu', [b.in(t(x))], { alpha: { float: alpha as number } }, out),
  gelu: (b, [x, approximate], out) => gelu(b, t(x), approximate as string, out),
  softplus: (b, [x, beta], out) => {
    // ONNX's Softplus has no beta and no threshold (PyTorch's switch to x above 20 is within 2e-9).
    if (beta === 1) return void b.node('Softplus', [b.in(t(x))], {}, out);
    const s = b.scalar(beta as number, t(x).dtype);
    b.node('Div', [b.node('Softplus', [b.node('Mul', [b.in(t(x)), s])[0]!])[0]!, s], {}, out);
  },
  clamp: (b, [x, lo, hi], out) => {
    const d = t(x).dtype;
    b.node('Clip', [b.in(t(x)), b.scalar(lo as number, d), b.scalar(hi as number, d)], {}, out);
  },
  cast: (b, [x, dtype], out) => void b.node('Cast', [b.in(t(x))], { to: elemTypeOf(dtype as DType) }, out),
  reshape: (b, [x, shape], out) => shapeNode(b, 'reshape', t(x), shape as number[], out),
  expand: (b, [x, shape], out) => shapeNode(b, 'expand', t(x), shape as number[], out),
  permute: (b, [x, dims], out) => void b.node('Transpose', [b.in(t(x))], { perm: [...(dims as number[])] }, out),
  cat: (b, [xs, dim], out) => void b.node('Concat', (xs as Tensor[]).map((x) => b.in(x)), { axis: dim as number }, out),
  sum: reduce('ReduceSum'),
  amax: reduce('ReduceMax'),
  amin: reduce('ReduceMin'),
  logsumexp: reduce('ReduceLogSumExp'),
  cumsum,
  gather: (b, [x, dim, index], out) => void b.node('GatherElements', [b.in(t(x)), b.in(t(index))], { axis: dim as number }, out),
  scatterReduce,
  scatterAdd: (b, [x, dim, index, src], out) => scatterReduce(b, [x, dim, index, src, 'sum', true], out),
  argmax: argExtreme('ArgMax'),
  argmin: argExtreme('ArgMin'),
  maxDim: alongDim('ReduceMax'),
  minDim: alongDim('ReduceMin'),
  indexSelect: (b, [x, dim, index], out) => void b.node('Gather', [b.in(t(x)), b.in(t(index))], { axis: dim as number }, out),
  slice: (b, [x, w], out) => {
    const { inShape, starts, steps, sizes } = w as { inShape: number[]; starts: number[]; steps: number[]; sizes: number[] };
    const axes: number[] = [], s: number[] = [], e: number[] = [], st: number[] = [];
    for (let i = 0; i < inShape.length; i++) {
      if (starts[i] === 0 && steps[i] === 1 && sizes[i] === inShape[i]) continue;
      if (steps[i]! <= 0) throw new ValueError(`exportOnnx: slice with step ${steps[i]} is not supported, ${b.where()}`);
      axes.push(i);
      s.push(starts[i]!);
      e.push(starts[i]! + (sizes[i]! - 1) * steps[i]! + 1);
      st.push(steps[i]!);
    }
    if (axes.length === 0) return void b.node('Identity', [b.in(t(x))], {}, out);
    b.node('Slice', [b.in(t(x)), b.ints(s), b.ints(e), b.ints(axes), b.ints(st)], {}, out);
  },
  conv2d: (b, [x, w, g], out) =>
    void b.node('Conv', [b.in(t(x)), b.in(t(w))], { ...convAttrs(t(w).shape.slice(2), g as Conv2dGeometry), group: (g as Conv2dGeometry).groups }, out),
  conv2dBias: (b, [x, w, bias, g], out) =>
    void b.node('Conv', [b.in(t(x)), b.in(t(w)), b.in(t(bias))], { ...convAttrs(t(w).shape.slice(2), g as Conv2dGeometry), group: (g as Conv2dGeometry).groups }, out),
  conv2dBackwardInput: convBackwardInput,
  maxPool2d: (b, [x, kernel, g], out) => void b.node('MaxPool', [b.in(t(x))], convAttrs(kernel as number[], g as Conv2dGeometry), out),
  avgPool2d: (b, [x, kernel, g], out) => {
    const geom = g as Conv2dGeometry;
    if (geom.dilation.some((d) => d !== 1)) throw new ValueError(`exportOnnx: avgPool2d with dilation ${geom.dilation} has no ONNX form below opset 19, ${b.where()}`);
    const { kernel_shape, strides, pads } = convAttrs(kernel as number[], geom);
    b.node('AveragePool', [b.in(t(x))], { kernel_shape, strides, pads, count_include_pad: 1 }, out);
  },
};

/**
 * The ONNX operators each tapegrad op or layer is written as (for the docs' table; the test
 * docs.test.ts checks it against PRIMITIVES and MODULES).
 */
export const EXPORTED_AS: Record<string, string[]> = {
  relu: ['Relu'], sigmoid: ['Sigmoid'], tanh: ['Tanh'], exp: ['Exp'], log: ['Log'], neg: ['Neg'], sqrt: ['Sqrt'], abs: ['Abs'],
  reciprocal: ['Reciprocal'], erf: ['Erf'], sin: ['Sin'], cos: ['Cos'], floor: ['Floor'], ceil: ['Ceil'], sign: ['Sign'],
  clone: ['Identity'], rsqrt: ['Sqrt', 'Reciprocal'], add: ['Add'], sub: ['Sub'], mul: ['Mul'], div: ['Div'], maximum: ['Max'],
  minimum: ['Min'], eq: ['Equal'], ne: ['Equal', 'Not'], lt: ['Less'], le: ['LessOrEqual'], gt: ['Greater'], ge: ['GreaterOrEqual'],
  logicalAnd: ['And'], logicalOr: ['Or'], logicalXor: ['Xor'], bmm: ['MatMul'], argmax: ['ArgMax', 'Cast', 'Reshape'],
  argmin: ['ArgMin', 'Cast', 'Reshape'], maxDim: ['ReduceMax'], minDim: ['ReduceMin'], matmul: ['MatMul'], pow: ['Pow'], where: ['Where'], softmax: ['Softmax'],
  logSoftmax: ['LogSoftmax'], leakyRelu: ['LeakyRelu'], elu: ['Elu'], gelu: ['Erf', 'Tanh', 'Mul', 'Add'], softplus: ['Softplus', 'Mul', 'Div'],
  clamp: ['Clip'], cast: ['Cast'], reshape: ['Reshape'], expand: ['Expand'], permute: ['Transpose'], cat: ['Concat'],
  sum: ['ReduceSum', 'Identity'], amax: ['ReduceMax', 'Identity'], amin: ['ReduceMin', 'Identity'], indexSelect: ['Gather'],
  slice: ['Slice', 'Identity'], conv2d: ['Conv'], conv2dBias: ['Conv'], maxPool2d: ['MaxPool'], avgPool2d: ['AveragePool'],
  Linear: ['Gemm'], BatchNorm1d: ['BatchNormalization'], BatchNorm2d: ['BatchNormalization'], LayerNorm: ['LayerNormalization'], Flatten: ['Flatten'],
  ConvTranspose2d: ['ConvTranspose'], ConvTranspose1d: ['ConvTranspose'],
  layerNorm: ['LayerNormalization', 'ReduceMean', 'Sub', 'Mul', 'Add', 'Sqrt', 'Div'], resampleAlong: ['Gather', 'Mul', 'Add'],
  linear: ['Gemm', 'Transpose', 'MatMul', 'Add'],
  log1p: ['Add', 'Log'], logsumexp: ['ReduceLogSumExp', 'Identity'], cumsum: ['CumSum'], gather: ['GatherElements'],
  scatterReduce: ['ScatterElements'], scatterAdd: ['ScatterElements'], conv2dBackwardInput: ['ConvTranspose'],
  Heaviside: ['Where', 'Equal', 'Greater', 'Less'], MaxPool3d: ['MaxPool', 'Mod', 'Cast'], MaxPool2d: ['MaxPool', 'Mod', 'Cast'], Embedding: ['Gather'],
  EmbeddingBag: ['Gather', 'ReduceSum', 'ReduceMean', 'ReduceMax'],
  MultiLabelMarginLoss: ['Equal', 'Cast', 'CumSum', 'Unsqueeze', 'Mul', 'ReduceSum', 'Sub', 'Add', 'Relu', 'Div', 'ReduceMean', 'Identity'],
};

/**
 * Exports one call of a module as ONNX nodes of its own (Linear as Gemm, BatchNorm as
 * BatchNormalization, ...), after `run()` computed its output with tracing off; returns false
 * (before running anything) to trace the module's ops instead.
 */
export type ModuleExporter = (b: GraphBuilder, m: AnyModule, args: unknown[], run: () => Tensor) => boolean;

function channelOnes(b: GraphBuilder, n: number, dtype: DType, value: number): string {
  const data = dtype === 'float64' ? new Float64Array(n).fill(value) : new Float32Array(n).fill(value);
  return b.constant(Tensor.fromData(data, [n], dtype === 'float64' ? 'float64' : 'float32'));
}

const linear: ModuleExporter = (b, m, [x], run) => {
  const lin = m as Linear;
  if (!(x instanceof Tensor) || x.ndim !== 2 || !b.has(x)) return false;
  const xs = b.in(x);
  const out = run();
  const inputs = [xs, b.in(lin.weight)];
  if (lin.bias) inputs.push(b.in(lin.bias));
  b.node('Gemm', inputs, { transB: 1 }, out);
  return true;
};

const batchNorm: ModuleExporter = (b, m, [x], run) => {
  const bn = m as BatchNorm2d;
  const mean = bn.runningMean, variance = bn.runningVar;
  if (bn.training || !mean || !variance || !(x instanceof Tensor)) return false;
  const xs = b.in(x);
  const out = run();
  const scale = bn.weight ? b.in(bn.weight) : channelOnes(b, bn.numFeatures, x.dtype, 1);
  const shift = bn.bias ? b.in(bn.bias) : channelOnes(b, bn.numFeatures, x.dtype, 0);
  b.node('BatchNormalization', [xs, scale, shift, b.in(mean), b.in(variance)], { epsilon: { float: bn.eps } }, out);
  return true;
};

const layerNorm: ModuleExporter = (b, m, [x], run) => {
  const ln = m as LayerNorm;
  if (b.opset < 17 || !(x instanceof Tensor)) return false;
  const xs = b.in(x);
  const out = run();
  const n = ln.normalizedShape;
  const scale = ln.weight ? b.in(ln.weight) : b.constant(Tensor.fromData(new Float32Array(n.reduce((p, q) => p * q, 1)).fill(1), n, 'float32').to(x.dtype));
  const inputs = [xs, scale];
  if (ln.bias) inputs.push(b.in(ln.bias));
  b.node('LayerNormalization', inputs, { axis: -n.length, epsilon: { float: ln.eps } }, out);
  return true;
};

const flatten: ModuleExporter = (b, m, [x], run) => {
  const f = m as Flatten;
  if (!(x instanceof Tensor) || x.ndim < 2 || f.startDim !== 1 || (f.endDim !== -1 && f.endDim !== x.ndim - 1)) return false;
  const xs = b.in(x);
  b.node('Flatten', [xs], { axis: 1 }, run());
  return true;
};

const convTranspose: ModuleExporter = (b, m, [x], run) => {
  const c = m as ConvTranspose2d | ConvTranspose1d;
  const oneD = c instanceof ConvTranspose1d;
  if (!(x instanceof Tensor) || x.ndim !== (oneD ? 3 : 4)) return false;
  const xs = b.in(x);
  const out = run();
  const pair = (v: number | [number, number]) => (typeof v === 'number' ? [v] : [...v]);
  const pads = pair(c.padding);
  const inputs = [xs, b.in(c.weight)];
  if (c.bias) inputs.push(b.in(c.bias));
  b.node('ConvTranspose', inputs, {
    kernel_shape: c.weight.shape.slice(2), strides: pair(c.stride), pads: [...pads, ...pads], dilations: pair(c.dilation),
    output_padding: pair(c.outputPadding), group: c.groups,
  }, out);
  return true;
};

/**
 * Heaviside (and Step): 0 below 0, 1 above, `value` at 0 and NaN at NaN, as Where nodes (the
 * layer computes it in a custom function the tracer does not see). Float inputs only.
 */
const heaviside: ModuleExporter = (b, m, [x], run) => {
  if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) return false;
  const xs = b.in(x);
  const out = run();
  const c = (v: number) => b.scalar(v, x.dtype);
  const zero = c(0);
  const atZero = b.node('Where', [b.node('Equal', [xs, zero])[0]!, c((m as Heaviside).value), xs])[0]!;
  const above = b.node('Where', [b.node('Greater', [xs, zero])[0]!, c(1), atZero])[0]!;
  b.node('Where', [b.node('Less', [xs, zero])[0]!, zero, above], {}, out);
  return true;
};

/**
 * MaxPool2d on [N, C, H, W] and MaxPool3d on [N, C, D, H, W] as one MaxPool, ceilMode written as
 * end pads that make ONNX's floor rule give tapegrad's sizes (PyTorch drops a last window that
 * starts in the padding; ONNX's ceil_mode did not before opset 19). F.maxPool2d with ceilMode
 * and F.maxPool3d find their maxima on a detached input, which the tracer refuses. With
 * returnIndices, MaxPool's second output taken modulo the plane size; unbatched input is traced.
 */
const maxPoolNd: ModuleExporter = (b, m, [x], run) => {
  const p = m as MaxPool3d<boolean> | MaxPool2d<boolean>;
  const nd = p instanceof MaxPool3d ? 3 : 2;
  if (!(x instanceof Tensor) || x.ndim !== nd + 2) return false;
  const tuple = (v: number | readonly number[]) => (typeof v === 'number' ? new Array<number>(nd).fill(v) : [...v]);
  const [k, st, pad, dil] = [p.kernelSize, p.stride, p.padding, p.dilation].map(tuple) as [number[], number[], number[], number[]];
  const xs = b.in(x);
  const res = run() as unknown as Tensor | [Tensor, Tensor];
  const [out, indices] = res instanceof Tensor ? [res, null] : res;
  const end = pad.map((q, i) => Math.max(q, (out.shape[2 + i]! - 1) * st[i]! + dil[i]! * (k[i]! - 1) + 1 - x.shape[2 + i]! - q));
  const attrs = { kernel_shape: k, strides: st, pads: [...pad, ...end], dilations: dil };
  if (!indices) return void b.node('MaxPool', [xs], attrs, out), true;
  // ONNX's indices count over the whole [N, C, ...] tensor, tapegrad's within each (n, c) plane.
  const [, flat] = b.node('MaxPool', [xs], attrs, out, 2);
  const plane = b.ints([x.shape.slice(2).reduce((q, r) => q * r, 1)]);
  b.node('Cast', [b.node('Mod', [flat!, plane])[0]!], { to: elemTypeOf('int32') }, indices);
  return true;
};

/** Embedding as Gather of the weight rows (paddingIdx only changes the gradient); maxNorm, which renormalizes rows in place, is traced (and refused). */
const embedding: ModuleExporter = (b, m, [x], run) => {
  const e = m as Embedding;
  if (!(x instanceof Tensor) || (e.maxNorm !== null && e.maxNorm !== undefined)) return false;
  const xs = b.in(x);
  const out = run();
  b.node('Gather', [b.in(e.weight), xs], { axis: 0 }, out);
  return true;
};

/**
 * EmbeddingBag on 2-D input [B, L] (bags of one length, no offsets, no per-sample weights, no
 * paddingIdx, no maxNorm) as Gather and ReduceSum/ReduceMean/ReduceMax over the bag axis; its ops
 * reduce bag by bag, so tracing them would tie the graph to the batch size.
 */
const embeddingBag: ModuleExporter = (b, m, [x, opts], run) => {
  const e = m as EmbeddingBag;
  const o = opts as { offsets?: Tensor | null; perSampleWeights?: Tensor | null } | undefined;
  if (!(x instanceof Tensor) || x.ndim !== 2 || o?.offsets || o?.perSampleWeights || e.paddingIdx !== null || e.maxNorm !== null) return false;
  const xs = b.in(x);
  const out = run();
  const rows = b.node('Gather', [b.in(e.weight), xs], { axis: 0 })[0]!;
  if (e.mode === 'sum') b.node('ReduceSum', [rows, b.ints([1])], { keepdims: 0 }, out);
  else b.node(e.mode === 'mean' ? 'ReduceMean' : 'ReduceMax', [rows], { axes: [1], keepdims: 0 }, out);
  return true;
};

/**
 * MultiLabelMarginLoss on [N, C]: its pair weights, computed from the targets' values in plain
 * loops (which the tracer cannot follow), written with ONNX ops: a target list ends at its first
 * -1 (CumSum of the -1 marks), count[n, c] is how often class c is listed, and
 * loss[n] = sum over j, i of relu(1 - x[n, j] + x[n, i]) * count[n, j] * (count[n, i] == 0) / C.
 */
const multilabelMarginLoss: ModuleExporter = (b, m, [x, y], run) => {
  if (!(x instanceof Tensor) || !(y instanceof Tensor) || x.ndim !== 2 || y.dtype !== 'int32') return false;
  const xs = b.in(x), ys = b.in(y);
  const out = run();
  const c = x.shape[1]!;
  const float = { to: elemTypeOf(x.dtype) };
  const n = (op: string, inputs: string[], attrs = {}) => b.node(op, inputs, attrs)[0]!;
  const unsqueeze = (v: string, axis: number) => n('Unsqueeze', [v, b.ints([axis])]);
  const ended = n('CumSum', [n('Cast', [n('Equal', [ys, b.constant(Tensor.fromData(Int32Array.of(-1), [], 'int32'))])], { to: elemTypeOf('int32') }), b.constant(Tensor.fromData(Int32Array.of(1), [], 'int32'))]);
  const listed = n('Cast', [n('Equal', [ended, b.constant(Tensor.fromData(Int32Array.of(0), [], 'int32'))])], float); // [N, K]
  const classes = b.constant(Tensor.fromData(Int32Array.from({ length: c }, (_, i) => i), [1, 1, c], 'int32'));
  const oneHot = n('Cast', [n('Equal', [unsqueeze(ys, 2), classes])], float); // [N, K, C]
  const count = n('ReduceSum', [n('Mul', [oneHot, unsqueeze(listed, 2)]), b.ints([1])], { keepdims: 0 }); // [N, C]
  const absent = n('Cast', [n('Equal', [count, b.scalar(0, x.dtype)])], float);
  const weights = n('Mul', [unsqueeze(count, 2), unsqueeze(absent, 1)]); // [N, C(j), C(i)]
  const z = n('Add', [n('Sub', [unsqueeze(xs, 1), unsqueeze(xs, 2)]), b.scalar(1, x.dtype)]);
  const perSample = n('Div', [n('ReduceSum', [n('Mul', [n('Relu', [z]), weights]), b.ints([1, 2])], { keepdims: 0 }), b.scalar(c, x.dtype)]);
  const reduction = (m as MultiLabelMarginLoss).reduction;
  if (reduction === 'none') b.node('Identity', [perSample], {}, out);
  else if (reduction === 'sum') b.node('ReduceSum', [perSample, b.ints([0])], { keepdims: 0 }, out);
  else b.node('ReduceMean', [perSample], { axes: [0], keepdims: 0 }, out);
  return true;
};

/** Modules exported as nodes of their own rather than by their ops (first match wins). */
export const MODULES: Array<[abstract new (...args: never[]) => AnyModule, ModuleExporter]> = [
  [Linear, linear],
  [BatchNorm1d, batchNorm],
  [BatchNorm2d, batchNorm],
  [LayerNorm, layerNorm],
  [Flatten, flatten],
  [ConvTranspose2d, convTranspose],
  [ConvTranspose1d, convTranspose],
  [Heaviside, heaviside],
  [MaxPool3d, maxPoolNd],
  [MaxPool2d, maxPoolNd],
  [Embedding, embedding],
  [EmbeddingBag, embeddingBag],
  [MultiLabelMarginLoss, multilabelMarginLoss],
];
