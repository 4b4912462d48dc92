import {
  Tensor, ValueError, cat, full, slice, conv2d, convTranspose2d, maxPool2d, avgPool2d, clamp, where, maximum, minimum, tensor, type SliceSpec,
} from '@tapegrad/core';
import { F, Module, Parameter } from '@tapegrad/nn';
import { dtypeOfElem, num, onnx, tensorFromProto, type O } from './proto.js';

/** A node's attributes, decoded. */
type Attrs = Map<string, number | number[] | string | Tensor | string[]>;

interface OpCtx {
  node: O.INodeProto;
  attrs: Attrs;
  opset: number;
  /** The values of a constant-like input (shapes, axes, bounds) as numbers. */
  ints(t: Tensor | undefined): number[] | undefined;
  fail(msg: string): never;
  int(name: string, dflt: number): number;
  float(name: string, dflt: number): number;
  intList(name: string): number[] | undefined;
  str(name: string, dflt: string): string;
}

type OpImpl = (x: Array<Tensor | undefined>, c: OpCtx) => Tensor | Tensor[];

interface OpDef {
  /** The attributes this importer reads; any other is an error naming it. */
  attrs: string[];
  run: OpImpl;
}

const req = (x: Array<Tensor | undefined>, i: number, c: OpCtx): Tensor => x[i] ?? c.fail(`input ${i} is required`);

function decodeAttrs(node: O.INodeProto, op: string): Attrs {
  const out: Attrs = new Map();
  const T = onnx.AttributeProto.AttributeType;
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    switch (a.type) {
      case T.INT: out.set(name, num(a.i)); break;
      case T.FLOAT: out.set(name, a.f ?? 0); break;
      case T.STRING: out.set(name, new TextDecoder().decode(a.s ?? new Uint8Array())); break;
      case T.INTS: out.set(name, (a.ints ?? []).map(num)); break;
      case T.FLOATS: out.set(name, [...(a.floats ?? [])]); break;
      case T.TENSOR: out.set(name, tensorFromProto(op, a.t!)); break;
      case T.STRINGS: out.set(name, (a.strings ?? []).map((s) => new TextDecoder().decode(s))); break;
      default: throw new ValueError(`importOnnx: attribute '${name}' of ${op} has type ${a.type}, which is not supported`);
    }
  }
  return out;
}

const unary = (fn: (x: Tensor) => Tensor): OpDef => ({ attrs: [], run: (x, c) => fn(req(x, 0, c)) });
const binary = (fn: (a: Tensor, b: Tensor) => Tensor): OpDef => ({ attrs: [], run: (x, c) => fn(req(x, 0, c), req(x, 1, c)) });
const variadic = (fn: (a: Tensor, b: Tensor) => Tensor): OpDef => ({ attrs: [], run: (x) => (x.filter(Boolean) as Tensor[]).reduce(fn) });

/** Pads of a 2-D window op, [top, left, bottom, right], from `pads` or `auto_pad`. */
function windowPads(c: OpCtx, inHW: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  const auto = c.str('auto_pad', 'NOTSET');
  if (auto === 'NOTSET') return c.intList('pads') ?? [0, 0, 0, 0];
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'SAME_UPPER' && auto !== 'SAME_LOWER') c.fail(`auto_pad '${auto}' is not supported`);
  const begin: number[] = [], end: number[] = [];
  inHW.forEach((n, i) => {
    const out = Math.ceil(n / strides[i]!);
    const total = Math.max((out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - n, 0);
    const small = Math.floor(total / 2);
    begin.push(auto === 'SAME_UPPER' ? small : total - small);
    end.push(auto === 'SAME_UPPER' ? total - small : small);
  });
  return [...begin, ...end];
}

/** Runs a 2-D window op on x [N, C, H, W] (or a 1-D one on [N, C, L], as a 2-D one of height 1). */
function window2d(x: Tensor, c: OpCtx, kernel: number[], run: (x: Tensor, k: number[], s: number[], p: [number, number], d: number[]) => Tensor, padValue: number): Tensor {
  const oneD = x.ndim === 3;
  if (x.ndim !== 4 && !oneD) c.fail(`input of shape [${x.shape}] is not supported (1-D or 2-D windows only)`);
  const lift = (v: number[], fill: number) => (oneD ? [fill, ...v] : v);
  const k = lift(kernel, 1);
  const s = lift(c.intList('strides') ?? kernel.map(() => 1), 1);
  const d = lift(c.intList('dilations') ?? kernel.map(() => 1), 1);
  const x4 = oneD ? x.unsqueeze(2) : x;
  let p = windowPads(c, x.shape.slice(2), kernel, s.slice(oneD ? 1 : 0), d.slice(oneD ? 1 : 0));
  if (oneD) p = [0, p[0]!, 0, p[1]!];
  const [t, l, b, r] = p as [number, number, number, number];
  let y: Tensor;
  if (t === b && l === r) y = run(x4, k, s, [t, l], d);
  else y = run(F.pad(x4, [l, r, t, b], { mode: 'constant', value: padValue }), k, s, [0, 0], d);
  return oneD ? y.squeeze(2) : y;
}

function reduceAxes(x: Array<Tensor | undefined>, c: OpCtx, axesAsInput: boolean): number[] | undefined {
  const axes = axesAsInput ? c.ints(x[1]) : c.intList('axes');
  if (axes && axes.length) return axes;
  return c.int('noop_with_empty_axes', 0) ? [] : undefined;
}

function reduce(kind: 'sum' | 'mean' | 'max' | 'min' | 'logsumexp', axesInputFrom: number): OpDef {
  return {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const axes = reduceAxes(x, c, c.opset >= axesInputFrom) ?? t.shape.map((_, i) => i);
      if (axes.length === 0) return t;
      const keepdim = c.int('keepdims', 1) === 1;
      if (kind === 'sum') return t.sum(axes, { keepdim });
      if (kind === 'mean') return t.mean(axes, { keepdim });
      if (kind === 'logsumexp') return t.logsumexp(axes, { keepdim });
      return kind === 'max' ? t.amax(axes, { keepdim }) : t.amin(axes, { keepdim });
    },
  };
}

function argImport(x: Array<Tensor | undefined>, c: OpCtx, kind: 'max' | 'min'): Tensor {
  if (c.int('select_last_index', 0)) c.fail('select_last_index 1 is not supported');
  const t = req(x, 0, c);
  const keepdim = c.int('keepdims', 1) === 1;
  return kind === 'max' ? t.argmax(c.int('axis', 0), { keepdim }) : t.argmin(c.int('axis', 0), { keepdim });
}

function softmaxOp(log: boolean): OpDef {
  return {
    attrs: ['axis'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const f = (y: Tensor, d: number) => (log ? y.logSoftmax(d) : y.softmax(d));
      if (c.opset >= 13) return f(t, c.int('axis', -1));
      // Before opset 13: softmax of the input flattened to 2-D at axis.
      const axis = (c.int('axis', 1) + t.ndim) % t.ndim;
      if (axis === t.ndim - 1) return f(t, -1);
      const rows = t.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      return f(t.reshape([rows, -1]), 1).reshape(t.shape);
    },
  };
}


const OPS: Record<string, OpDef> = {
  Relu: unary((x) => x.relu()),
  Sigmoid: unary((x) => x.sigmoid()),
  Tanh: unary((x) => x.tanh()),
  Exp: unary((x) => x.exp()),
  Log: unary((x) => x.log()),
  Neg: unary((x) => x.neg()),
  Sqrt: unary((x) => x.sqrt()),
  Abs: unary((x) => x.abs()),
  Reciprocal: unary((x) => x.reciprocal()),
  Erf: unary((x) => x.erf()),
  Sin: unary((x) => x.sin()),
  Cos: unary((x) => x.cos()),
  Floor: unary((x) => x.floor()),
  Ceil: unary((x) => x.ceil()),
  Sign: unary((x) => x.sign()),
  Softplus: unary((x) => F.softplus(x)),
  Identity: unary((x) => x),
  Add: binary((a, b) => a.add(b)),
  Sub: binary((a, b) => a.sub(b)),
  Mul: binary((a, b) => a.mul(b)),
  Div: binary((a, b) => a.div(b)),
  Pow: binary((a, b) => a.pow(b)),
  MatMul: binary((a, b) => a.matmul(b)),
  ArgMax: { attrs: ['axis', 'keepdims', 'select_last_index'], run: (x, c) => argImport(x, c, 'max') },
  ArgMin: { attrs: ['axis', 'keepdims', 'select_last_index'], run: (x, c) => argImport(x, c, 'min') },
  Equal: binary((a, b) => a.eq(b)),
  Less: binary((a, b) => a.lt(b)),
  LessOrEqual: binary((a, b) => a.le(b)),
  Greater: binary((a, b) => a.gt(b)),
  GreaterOrEqual: binary((a, b) => a.ge(b)),
  Not: unary((x) => x.logicalNot()),
  And: binary((a, b) => a.logicalAnd(b)),
  Or: binary((a, b) => a.logicalOr(b)),
  Xor: binary((a, b) => a.logicalXor(b)),
  Max: variadic((a, b) => maximum(a, b)),
  Min: variadic((a, b) => minimum(a, b)),
  Sum: variadic((a, b) => a.add(b)),
  Where: { attrs: [], run: (x, c) => where(req(x, 0, c), req(x, 1, c), req(x, 2, c)) },
  Mod: {
    attrs: ['fmod'],
    run: (x, c) => (c.int('fmod', 0) ? req(x, 0, c).fmod(req(x, 1, c)) : req(x, 0, c).remainder(req(x, 1, c))),
  },
  CumSum: {
    attrs: ['exclusive', 'reverse'],
    run: (x, c) => {
      if (c.int('exclusive', 0)) c.fail('exclusive 1 is not supported');
      const t = req(x, 0, c);
      const axis = c.ints(x[1])?.[0] ?? c.fail('axis must be a constant');
      return c.int('reverse', 0) ? t.flip([axis]).cumsum(axis).flip([axis]) : t.cumsum(axis);
    },
  },
  GatherElements: { attrs: ['axis'], run: (x, c) => req(x, 0, c).gather(c.int('axis', 0), req(x, 1, c).to('int32')) },
  ScatterElements: {
    attrs: ['axis', 'reduction'],
    run: (x, c) => {
      const t = req(x, 0, c), idx = req(x, 1, c).to('int32'), upd = req(x, 2, c), axis = c.int('axis', 0);
      const r = c.str('reduction', 'none');
      if (r === 'none') return t.scatter(axis, idx, upd);
      const reduce = ({ add: 'sum', mul: 'prod', max: 'amax', min: 'amin' } as const)[r as 'add' | 'mul' | 'max' | 'min'];
      return reduce ? t.scatterReduce(axis, idx, upd, reduce) : c.fail(`reduction '${r}' is not supported`);
    },
  },
  LeakyRelu: { attrs: ['alpha'], run: (x, c) => F.leakyRelu(req(x, 0, c), c.float('alpha', 0.01)) },
  Elu: { attrs: ['alpha'], run: (x, c) => F.elu(req(x, 0, c), c.float('alpha', 1)) },
  ReduceSum: reduce('sum', 13),
  ReduceMean: reduce('mean', 18),
  ReduceMax: reduce('max', 18),
  ReduceMin: reduce('min', 18),
  ReduceLogSumExp: reduce('logsumexp', 18),
  Softmax: softmaxOp(false),
  LogSoftmax: softmaxOp(true),
  Dropout: { attrs: ['seed'], run: (x, c) => req(x, 0, c) },
  Constant: {
    attrs: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
    run: (_x, c) => {
      const v = c.attrs.get('value');
      if (v instanceof Tensor) return v;
      if (c.attrs.has('value_float')) return tensor(c.float('value_float', 0));
      if (c.attrs.has('value_int')) return tensor(c.int('value_int', 0), { dtype: 'int32' });
      const l = (c.attrs.get('value_floats') ?? c.attrs.get('value_ints')) as number[] | undefined;
      if (l) return tensor(l, { dtype: c.attrs.has('value_ints') ? 'int32' : 'float32' });
      return c.fail('no value');
    },
  },
  ConstantOfShape: {
    attrs: ['value'],
    run: (x, c) => {
      const v = c.attrs.get('value');
      const value = v instanceof Tensor ? v : tensor([0]);
      return full(c.ints(req(x, 0, c))!, value.reshape([-1]).item(), { dtype: value.dtype });
    },
  },
  Cast: {
    attrs: ['to', 'saturate'],
    run: (x, c) => req(x, 0, c).to(dtypeOfElem('importOnnx: Cast', c.int('to', 1))),
  },
  Clip: {
    attrs: ['min', 'max'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const lo = c.opset >= 11 ? c.ints(x[1])?.[0] : c.attrs.has('min') ? c.float('min', 0) : undefined;
      const hi = c.opset >= 11 ? c.ints(x[2])?.[0] : c.attrs.has('max') ? c.float('max', 0) : undefined;
      return clamp(t, lo ?? null, hi ?? null);
    },
  },
  Gemm: {
    attrs: ['alpha', 'beta', 'transA', 'transB'],
    run: (x, c) => {
      const a = c.int('transA', 0) ? req(x, 0, c).T : req(x, 0, c);
      const b = c.int('transB', 0) ? req(x, 1, c).T : req(x, 1, c);
      const alpha = c.float('alpha', 1), beta = c.float('beta', 1);
      let y = a.matmul(b);
      if (alpha !== 1) y = y.mul(alpha);
      if (x[2]) y = y.add(beta === 1 ? x[2] : x[2].mul(beta));
      return y;
    },
  },
  Conv: {
    attrs: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
    run: (x, c) => {
      const w = req(x, 1, c);
      const oneD = w.ndim === 3;
      const bias = x[2] ?? null;
      const w4 = oneD ? w.unsqueeze(2) : w;
      const groups = c.int('group', 1);
      return window2d(req(x, 0, c), c, w.shape.slice(2), (x4, _k, s, p, d) => conv2d(x4, w4, bias, { stride: s as [number, number], padding: p, dilation: d as [number, number], groups }), 0);
    },
  },
  ConvTranspose: {
    attrs: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'output_padding', 'pads', 'strides'],
    run: (x, c) => {
      const t = req(x, 0, c), w = req(x, 1, c);
      if (c.str('auto_pad', 'NOTSET') !== 'NOTSET') c.fail(`auto_pad '${c.str('auto_pad', '')}' is not supported`);
      const oneD = t.ndim === 3;
      if (!oneD && t.ndim !== 4) c.fail(`input of shape [${t.shape}] is not supported (1-D or 2-D only)`);
      const k = w.ndim - 2;
      const list = (name: string, d: number) => c.intList(name) ?? Array.from({ length: k }, () => d);
      const pads = list('pads', 0);
      for (let i = 0; i < k; i++) if (pads[i] !== pads[i + k]) c.fail(`asymmetric pads [${pads}] are not supported`);
      const lift = (v: number[], d: number) => (oneD ? [d, ...v] : v) as [number, number];
      const y = convTranspose2d(oneD ? t.unsqueeze(2) : t, oneD ? w.unsqueeze(2) : w, x[2] ?? null, {
        stride: lift(list('strides', 1), 1), padding: lift(pads.slice(0, k), 0), dilation: lift(list('dilations', 1), 1),
        outputPadding: lift(list('output_padding', 0), 0), groups: c.int('group', 1),
      });
      return oneD ? y.squeeze(2) : y;
    },
  },
  MaxPool: {
    attrs: ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides'],
    run: (x, c) => {
      if (c.int('ceil_mode', 0)) c.fail('ceil_mode 1 is not supported');
      if (c.node.output!.length > 1 && c.node.output![1]) c.fail('the Indices output is not supported');
      return window2d(req(x, 0, c), c, c.intList('kernel_shape') ?? c.fail('kernel_shape is required'), (x4, k, s, p, d) => maxPool2d(x4, k as [number, number], { stride: s as [number, number], padding: p, dilation: d as [number, number] }), -Infinity);
    },
  },
  AveragePool: {
    attrs: ['auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides', 'dilations'],
    run: (x, c) => {
      if (c.int('ceil_mode', 0)) c.fail('ceil_mode 1 is not supported');
      if ((c.intList('dilations') ?? []).some((d) => d !== 1)) c.fail('dilations other than 1 are not supported');
      const kernel = c.intList('kernel_shape') ?? c.fail('kernel_shape is required');
      const pads = windowPads(c, req(x, 0, c).shape.slice(2), kernel, c.intList('strides') ?? kernel.map(() => 1), kernel.map(() => 1));
      if (!c.int('count_include_pad', 0) && pads.some((p) => p !== 0)) c.fail('count_include_pad 0 with padding is not supported');
      return window2d(req(x, 0, c), c, kernel, (x4, k, s, p) => avgPool2d(x4, k as [number, number], { stride: s as [number, number], padding: p }), 0);
    },
  },
  GlobalAveragePool: unary((x) => x.mean(x.shape.slice(2).map((_, i) => i + 2), { keepdim: true })),
  GlobalMaxPool: unary((x) => x.amax(x.shape.slice(2).map((_, i) => i + 2), { keepdim: true })),
  BatchNormalization: {
    attrs: ['epsilon', 'momentum', 'training_mode', 'spatial'],
    run: (x, c) => {
      if (c.int('training_mode', 0)) c.fail('training_mode 1 is not supported');
      return F.batchNorm(req(x, 0, c), req(x, 3, c), req(x, 4, c), { weight: req(x, 1, c), bias: req(x, 2, c), eps: c.float('epsilon', 1e-5), training: false });
    },
  },
  LayerNormalization: {
    attrs: ['axis', 'epsilon', 'stash_type'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const axis = (c.int('axis', -1) + t.ndim) % t.ndim;
      if (c.node.output!.slice(1).some(Boolean)) c.fail('the Mean and InvStdDev outputs are not supported');
      return F.layerNorm(t, t.shape.slice(axis), { weight: req(x, 1, c), bias: x[2] ?? null, eps: c.float('epsilon', 1e-5) });
    },
  },
  Flatten: {
    attrs: ['axis'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const a = c.int('axis', 1);
      const axis = a < 0 ? a + t.ndim : a;
      return t.reshape([t.shape.slice(0, axis).reduce((a, b) => a * b, 1), t.shape.slice(axis).reduce((a, b) => a * b, 1)]);
    },
  },
  Reshape: {
    attrs: ['allowzero'],
    run: (x, c) => {
      const t = req(x, 0, c);
      if (c.int('allowzero', 0)) c.fail('allowzero 1 is not supported');
      const shape = c.ints(req(x, 1, c))!.map((d, i) => (d === 0 ? t.shape[i]! : d));
      return t.reshape(shape);
    },
  },
  Transpose: {
    attrs: ['perm'],
    run: (x, c) => {
      const t = req(x, 0, c);
      return t.permute(c.intList('perm') ?? t.shape.map((_, i) => t.ndim - 1 - i));
    },
  },
  Concat: { attrs: ['axis'], run: (x, c) => cat(x.filter(Boolean) as Tensor[], c.int('axis', 0)) },
  Gather: {
    attrs: ['axis'],
    run: (x, c) => {
      const t = req(x, 0, c), idx = req(x, 1, c);
      const axis = (c.int('axis', 0) + t.ndim) % t.ndim;
      const flat = idx.reshape([-1]).to('int32');
      const fixed = flat.lt(0).any().item() ? flat.add(flat.lt(0).to('int32').mul(t.shape[axis]!)) : flat;
      const y = t.indexSelect(axis, fixed);
      return y.reshape([...t.shape.slice(0, axis), ...idx.shape, ...t.shape.slice(axis + 1)]);
    },
  },
  Unsqueeze: {
    attrs: ['axes'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const axes = (c.opset >= 13 ? c.ints(x[1]) : c.intList('axes')) ?? c.fail('axes are required');
      const n = t.ndim + axes.length;
      let y = t;
      for (const a of axes.map((a) => (a + n) % n).sort((p, q) => p - q)) y = y.unsqueeze(a);
      return y;
    },
  },
  Squeeze: {
    attrs: ['axes'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const axes = c.opset >= 13 ? c.ints(x[1]) : c.intList('axes');
      return axes ? t.squeeze(axes) : t.squeeze();
    },
  },
  Shape: {
    attrs: ['start', 'end'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const s = t.shape.slice(c.int('start', 0), c.attrs.has('end') ? c.int('end', 0) : undefined);
      return tensor(s, { dtype: 'int32' });
    },
  },
  Expand: {
    attrs: [],
    run: (x, c) => {
      const t = req(x, 0, c);
      const shape = c.ints(req(x, 1, c))!;
      const n = Math.max(shape.length, t.ndim);
      const target = Array.from({ length: n }, (_, i) => {
        const a = t.shape[i - (n - t.ndim)] ?? 1, b = shape[i - (n - shape.length)] ?? 1;
        return a === 1 ? b : a;
      });
      return t.expand(target);
    },
  },
  Slice: {
    attrs: [],
    run: (x, c) => {
      const t = req(x, 0, c);
      const starts = c.ints(req(x, 1, c))!, ends = c.ints(req(x, 2, c))!;
      const axes = c.ints(x[3]) ?? starts.map((_, i) => i);
      const steps = c.ints(x[4]) ?? starts.map(() => 1);
      const specs: SliceSpec[] = t.shape.map(() => null);
      axes.forEach((a, i) => {
        if (steps[i]! <= 0) c.fail(`step ${steps[i]} is not supported`);
        const big = (v: number) => (v >= 2 ** 31 - 1 ? null : v <= -(2 ** 31) ? null : v);
        specs[(a + t.ndim) % t.ndim] = [big(starts[i]!), big(ends[i]!), steps[i]!];
      });
      return slice(t, specs);
    },
  },
  Pad: {
    attrs: ['mode'],
    run: (x, c) => {
      const t = req(x, 0, c);
      const mode = c.str('mode', 'constant');
      if (mode !== 'constant' && mode !== 'reflect') c.fail(`mode '${mode}' is not supported`);
      if (x[3]) c.fail('the axes input is not supported');
      const pads = c.ints(req(x, 1, c))!;
      const value = c.ints(x[2])?.[0] ?? 0;
      const n = t.ndim;
      const torchPads: number[] = [];
      for (let d = n - 1; d >= 0; d--) torchPads.push(pads[d]!, pads[d + n]!);
      return F.pad(t, torchPads, mode === 'constant' ? { mode: 'constant', value } : { mode: 'reflect' });
    },
  },
};

/**
 * The ONNX operators (default domain) {@link importOnnx} runs, each with the attributes it reads
 * (any other attribute is an error naming it).
 *
 * @example
 * 'Conv' in IMPORT_OPS; // true
 * IMPORT_OPS.Gemm!.attrs; // ['alpha', 'beta', 'transA', 'transB']
 */
export const IMPORT_OPS: Readonly<Record<string, { readonly attrs: readonly string[] }>> = OPS;

/** How {@link importOnnx} names and registers the graph's initializers. */
function isConstantName(name: string): boolean {
  return name.startsWith('onnx::') || name === '';
}

/**
 * An ONNX graph run with tapegrad ops, made by {@link importOnnx}. Its float initializers are
 * parameters under their ONNX names (dotted names nest as submodules, so a model exported by
 * tapegrad or PyTorch has its `stateDict` keys back), BatchNormalization's running statistics are
 * buffers, and the other initializers (shapes, constants) are non-persistent buffers.
 *
 * @example
 * const src = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
 * const m = importOnnx(exportOnnx(src, randn([1, 3]), { dynamicAxes: { input: [0] } }));
 * m.inputNames; // ['input']
 * Object.keys(m.stateDict()); // ['0.weight', '0.bias', '2.weight', '2.bias']
 * const x = randn([5, 3]);
 * (m.call(x) as Tensor).sub(src.call(x)).abs().max().item() < 1e-6; // true
 */
export class OnnxModule extends Module<Tensor[], Tensor | Tensor[]> {
  /** The graph input names, in the order forward takes them (initializers excluded). */
  readonly inputNames: string[];
  /** The graph output names; forward returns one Tensor for one output, else an array. */
  readonly outputNames: string[];
  readonly #nodes: O.INodeProto[];
  readonly #opset: number;
  /** Initializer name -> where it lives (module and attribute), read at every forward so `to()` and `loadStateDict` are seen. */
  readonly #inits = new Map<string, [Module<never[], unknown>, string]>();

  /** @internal */
  constructor(model: O.IModelProto) {
    super();
    const g = model.graph ?? fail('the model has no graph');
    const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
    this.#opset = opset ? num(opset.version) : fail('the model imports no opset of the default domain');
    for (const o of model.opsetImport ?? [])
      if (o.domain && o.domain !== 'ai.onnx') {
        const used = (g.node ?? []).find((n) => n.domain === o.domain);
        if (used) fail(`operator ${o.domain}.${used.opType} (node '${used.name}') is not supported (only the default domain is)`);
      }
    this.#nodes = g.node ?? [];
    const stats = new Set<string>();
    for (const n of this.#nodes) {
      if (n.domain && n.domain !== 'ai.onnx') fail(`operator ${n.domain}.${n.opType} (node '${n.name}') is not supported`);
      const def = OPS[n.opType ?? ''];
      if (!def) fail(`operator ${n.opType} (node '${n.name}') is not supported`);
      for (const a of n.attribute ?? []) if (!def.attrs.includes(a.name ?? '')) fail(`attribute '${a.name}' of ${n.opType} (node '${n.name}') is not supported`);
      if (n.opType === 'BatchNormalization') for (const i of [3, 4]) if (n.input?.[i]) stats.add(n.input[i]);
    }
    const initNames = new Set<string>();
    for (const p of g.initializer ?? []) {
      const name = p.name ?? '';
      initNames.add(name);
      const t = tensorFromProto('importOnnx', p);
      const learnable = t.dtype.startsWith('float') && !stats.has(name) && !isConstantName(name);
      this.#register(name, t, learnable ? 'param' : stats.has(name) ? 'buffer' : 'const');
    }
    this.inputNames = (g.input ?? []).map((v) => v.name ?? '').filter((n) => !initNames.has(n));
    this.outputNames = (g.output ?? []).map((v) => v.name ?? '');
  }

  #register(name: string, t: Tensor, kind: 'param' | 'buffer' | 'const'): void {
    const parts = name.split('.');
    let owner: Module<never[], unknown> = this as unknown as Module<never[], unknown>;
    const nested = parts.every((p) => p.length > 0) && kind !== 'const';
    if (nested) {
      for (const p of parts.slice(0, -1)) {
        const rec = owner as unknown as Record<string, unknown>;
        const existing = rec[p];
        if (existing instanceof Module) owner = existing as Module<never[], unknown>;
        else if (existing === undefined) {
          const holder = new OnnxParams();
          owner.registerModule(p, holder);
          owner = holder as unknown as Module<never[], unknown>;
        } else fail(`initializer '${name}' clashes with another initializer's name`);
      }
    }
    const attr = nested ? parts[parts.length - 1]! : name;
    if (kind === 'param') owner.registerParameter(attr, new Parameter(t));
    else owner.registerBuffer(attr, t, { persistent: kind === 'buffer' });
    this.#inits.set(name, [owner, attr]);
  }

  /** Runs the graph on the inputs, in the order of {@link OnnxModule.inputNames}. */
  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    if (inputs.length !== this.inputNames.length)
      throw new ValueError(`OnnxModule: the graph takes ${this.inputNames.length} inputs (${this.inputNames.join(', ')}), got ${inputs.length}`);
    const env = new Map<string, Tensor>();
    for (const [name, [owner, attr]] of this.#inits) env.set(name, (owner as unknown as Record<string, Tensor>)[attr]!);
    this.inputNames.forEach((n, i) => env.set(n, inputs[i]!));
    for (const node of this.#nodes) {
      const op = node.opType!;
      const where = `${op} (node '${node.name}')`;
      const c: OpCtx = {
        node,
        attrs: decodeAttrs(node, op),
        opset: this.#opset,
        fail: (msg) => fail(`${where}: ${msg}`),
        ints: (t) => (t === undefined ? undefined : Array.from(t.contiguous().data as ArrayLike<number>, Number)),
        int: (n, d) => (c.attrs.has(n) ? (c.attrs.get(n) as number) : d),
        float: (n, d) => (c.attrs.has(n) ? (c.attrs.get(n) as number) : d),
        intList: (n) => c.attrs.get(n) as number[] | undefined,
        str: (n, d) => (c.attrs.has(n) ? (c.attrs.get(n) as string) : d),
      };
      const args = (node.input ?? []).map((n) => {
        if (n === '') return undefined;
        const v = env.get(n);
        if (!v) return c.fail(`input '${n}' is not defined before this node`);
        return v;
      });
      const out = OPS[op]!.run(args, c);
      const outs = Array.isArray(out) ? out : [out];
      (node.output ?? []).forEach((n, i) => {
        if (n !== '' && outs[i]) env.set(n, outs[i]!);
      });
    }
    const results = this.outputNames.map((n) => env.get(n) ?? fail(`graph output '${n}' is not computed`));
    return results.length === 1 ? results[0]! : results;
  }
}

/** A submodule holding initializers of a dotted name prefix. */
class OnnxParams extends Module<never[], never> {
  forward(): never {
    throw new ValueError('OnnxModule: a holder of initializers is not run');
  }
}

function fail(msg: string): never {
  throw new ValueError(`importOnnx: ${msg}`);
}

/**
 * Imports an ONNX model (the bytes of a `ModelProto`, or the decoded object) as a tapegrad
 * {@link OnnxModule}: forward runs the graph with tapegrad ops, so it is differentiable, and the
 * float initializers are parameters (fine-tune it as any module; `.double()` for gradcheck).
 * Supported operators: those {@link exportOnnx} writes and the common ones of classic vision
 * models (Conv, MaxPool/AveragePool/GlobalAveragePool, Gemm, BatchNormalization, Concat, Flatten,
 * Reshape, Softmax, Clip, Pad, Shape/Gather/Unsqueeze chains, ...): see `IMPORT_OPS`.
 *
 * @throws ValueError `importOnnx: operator NonMaxSuppression (node 'nms') is not supported`, or naming an unsupported attribute or attribute value
 * @example
 * const bytes = exportOnnx(new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten()), randn([1, 1, 5, 5]));
 * const m = importOnnx(bytes);
 * (m.call(randn([1, 1, 5, 5])) as Tensor).shape; // [1, 18]
 * m.parameters().length; // 2
 */
export function importOnnx(bytes: Uint8Array | O.IModelProto): OnnxModule {
  const model = bytes instanceof Uint8Array ? onnx.ModelProto.decode(bytes) : bytes;
  return new OnnxModule(model);
}
